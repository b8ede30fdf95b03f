/**
 * Shared vocabulary of the demo-data domain. Ids are branded: a dataset id handed where a user id
 * is expected is a compile error, which matters in a generator that wires thousands of rows.
 */
declare const brand: unique symbol;
export type Brand<T, Name extends string> = T & { readonly [brand]: Name };

export type DatasetId = Brand<number, 'DatasetId'>;
export type UserId = Brand<number, 'UserId'>;

export const asDatasetId = (value: number): DatasetId => value as DatasetId;
export const asUserId = (value: number): UserId => value as UserId;

export const DatasetStatus = { Draft: 'draft', Listed: 'listed', Unlisted: 'unlisted' } as const;
export type DatasetStatus = (typeof DatasetStatus)[keyof typeof DatasetStatus];

export const OrderStatus = {
  Pending: 'pending',
  Paid: 'paid',
  Refunded: 'refunded',
  Cancelled: 'cancelled',
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

export const Language = { Chinese: 'zh', English: 'en' } as const;
export type Language = (typeof Language)[keyof typeof Language];

/** A text in both languages of the marketplace. */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

/** The half-open period [start, end) a bulk run fills with history. */
export interface TimeWindow {
  readonly start: Date;
  readonly end: Date;
}

export const MS_PER_SECOND = 1000;
export const MS_PER_MINUTE = 60 * MS_PER_SECOND;
export const MS_PER_HOUR = 60 * MS_PER_MINUTE;
export const MS_PER_DAY = 24 * MS_PER_HOUR;

export const addMs = (date: Date, ms: number): Date => new Date(date.getTime() + ms);
