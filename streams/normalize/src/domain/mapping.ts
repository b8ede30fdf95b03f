import { canonicalMoney } from '@streamrec/cdc';
import { rejection, type Rejection, type RejectionReason, type SkipReason } from './outcome.js';

/** What mapping one decoded row gives: an output, a wait, a benign skip or a rejection. */
export type Mapping<T> =
  | { readonly kind: 'mapped'; readonly value: T }
  /** Something the row references has not arrived yet: park it until one of these does. */
  | { readonly kind: 'missing'; readonly waitingFor: readonly string[] }
  | { readonly kind: 'skipped'; readonly reason: SkipReason }
  | { readonly kind: 'rejected'; readonly rejection: Rejection };

/** A mapping that never waits (it needs nothing another topic brings). */
export type Settled<T> = Exclude<Mapping<T>, { readonly kind: 'missing' }>;

export const mapped = <T>(value: T): { readonly kind: 'mapped'; readonly value: T } => ({ kind: 'mapped', value });
export const waitFor = (waitingFor: readonly string[]): { readonly kind: 'missing'; readonly waitingFor: readonly string[] } => ({
  kind: 'missing',
  waitingFor,
});
export const skip = (reason: SkipReason): { readonly kind: 'skipped'; readonly reason: SkipReason } => ({ kind: 'skipped', reason });
export const reject = (reason: RejectionReason, message: string): { readonly kind: 'rejected'; readonly rejection: Rejection } => ({
  kind: 'rejected',
  rejection: rejection(reason, message),
});

/** Avro `quantity` is an int; zero units is not a purchase. */
const MAX_QUANTITY = 2 ** 31 - 1;
export const isValidQuantity = (quantity: number): boolean => Number.isSafeInteger(quantity) && quantity >= 1 && quantity <= MAX_QUANTITY;

/** A DOUBLE amount from Matomo (event value, item price) as canonical decimal(12,2) text. */
export function moneyFromDouble(amount: number): string | undefined {
  return canonicalMoney(amount.toFixed(2));
}
