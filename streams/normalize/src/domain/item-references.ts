import { itemId, type ItemId } from './ids.js';

/**
 * How the storefront names a catalogue item in Matomo (schemas/README.md, storefront conventions):
 * dataset pages `https://market.example.com/datasets/{id}` (log_action keeps the URL without its
 * scheme), event names = the dataset id, ecommerce SKUs `DS-{id}`.
 */
export type PageKind =
  | { readonly kind: 'item'; readonly item: ItemId }
  /** A page under /datasets/ whose id is not a dataset id: the storefront and the mapping disagree. */
  | { readonly kind: 'malformed-item' }
  | { readonly kind: 'other' };

const DATASET_PATH = /^\/datasets\/([^/]+)\/?$/;
const DECIMAL_ID = /^[1-9]\d{0,15}$/;

function positiveId(text: string): ItemId | undefined {
  if (!DECIMAL_ID.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? itemId(value) : undefined;
}

/** Classifies a page URL as stored in log_action (`host/path?query`, with or without a scheme). */
export function classifyPageUrl(url: string): PageKind {
  const withoutScheme = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const slash = withoutScheme.indexOf('/');
  if (slash < 0) return { kind: 'other' };
  const path = withoutScheme.slice(slash).split(/[?#]/, 1)[0] ?? '';
  const match = DATASET_PATH.exec(path);
  if (!match) return { kind: 'other' };
  const item = positiveId(decodeURIComponentSafe(match[1] ?? ''));
  return item === undefined ? { kind: 'malformed-item' } : { kind: 'item', item };
}

/** The dataset id an event names (Matomo event name = the id in decimal). */
export function itemOfEventName(name: string): ItemId | undefined {
  return positiveId(name.trim());
}

const DATASET_SKU = /^DS-(\d+)$/;

/** `DS-42` → 42. */
export function itemOfSku(sku: string): ItemId | undefined {
  const match = DATASET_SKU.exec(sku.trim());
  return match?.[1] === undefined ? undefined : positiveId(match[1]);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
