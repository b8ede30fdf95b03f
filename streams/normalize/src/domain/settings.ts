import { AppError, ErrorCode } from '@streamrec/foundation';

/**
 * Which source a fact is taken from when both record it. Favourites and purchases reach us twice:
 * as Matomo events / ecommerce conversions and as shop rows. Emitting both would count every
 * favourite and purchase twice downstream, so one source is chosen per fact.
 */
export const FactSource = { Shop: 'shop', Matomo: 'matomo' } as const;
export type FactSource = (typeof FactSource)[keyof typeof FactSource];

export interface NormalizeSettings {
  /** How many emitted event ids are remembered to drop Debezium's re-deliveries (FIFO window). */
  readonly dedupWindow: number;
  /**
   * Bound of the parking lot (rows waiting for a log_action row or for their order): a parked row
   * is dead-lettered (`pending_evicted`) once this many rows have been parked after it.
   */
  readonly parkingCapacity: number;
  /** How many anonymous visitors' recent interactions are kept for stitching (FIFO). */
  readonly anonymousVisitorCapacity: number;
  /** On stitching, anonymous interactions at most this long before the login are re-emitted. */
  readonly stitchWindowMs: number;
  /** ...and at most this many (the most recent) per visitor. */
  readonly stitchMaxEvents: number;
  /** Shop (default): shop.favorites rows are the record, un-favouriting deletes them. */
  readonly favoriteSource: FactSource;
  /** Shop (default): only the shop knows whether an order was paid, and the exact prices. */
  readonly purchaseSource: FactSource;
}

export const defaultNormalizeSettings: NormalizeSettings = Object.freeze({
  dedupWindow: 200_000,
  parkingCapacity: 100_000,
  anonymousVisitorCapacity: 200_000,
  stitchWindowMs: 7 * 24 * 60 * 60 * 1000,
  stitchMaxEvents: 100,
  favoriteSource: FactSource.Shop,
  purchaseSource: FactSource.Shop,
});

const countSettings = ['dedupWindow', 'parkingCapacity', 'anonymousVisitorCapacity', 'stitchWindowMs', 'stitchMaxEvents'] as const;
const sourceSettings = ['favoriteSource', 'purchaseSource'] as const;
const factSources: ReadonlySet<string> = new Set(Object.values(FactSource));

/** Defaults overridden by `overrides`; every invalid value is listed in one ConfigInvalid error. */
export function resolveNormalizeSettings(overrides: Partial<NormalizeSettings> = {}): NormalizeSettings {
  const settings = { ...defaultNormalizeSettings, ...overrides };
  const violations: string[] = [];
  for (const name of countSettings) {
    const value = settings[name];
    if (!Number.isSafeInteger(value) || value < 1) violations.push(`${name} must be a positive integer, got ${String(value)}`);
  }
  for (const name of sourceSettings) {
    if (!factSources.has(settings[name])) violations.push(`${name} must be one of ${[...factSources].join(', ')}, got ${String(settings[name])}`);
  }
  if (violations.length > 0) {
    throw new AppError(ErrorCode.ConfigInvalid, `invalid normalize settings: ${violations.join('; ')}`, { details: { violations } });
  }
  return Object.freeze(settings);
}
