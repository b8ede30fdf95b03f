import { z } from 'zod';
import { isMap, isSeq, parseDocument } from 'yaml';
import { AppError, ErrorCode, deepFreeze } from '@streamrec/foundation';
import { invalidYamlError, validateYaml, type YamlValidation } from '../yaml-config.js';

/**
 * API keys (api-keys.yaml). The file holds only the sha256 of each secret; the plaintext
 * `sr_<id>_<secret>` carries the id, so the server finds the one entry to compare against
 * instead of hashing against every key. Hashing and the constant-time compare are injected.
 */

export const Scope = {
  /** GET recommendations and items. */
  Read: 'read',
  /** POST /v1/events (storefront beacon interactions). */
  Events: 'events',
  /** Operational endpoints (reload, status). Implies no other scope. */
  Admin: 'admin',
} as const;
export type Scope = (typeof Scope)[keyof typeof Scope];

export const SCOPES: readonly Scope[] = Object.freeze(Object.values(Scope));

export interface RateLimit {
  readonly max: number;
  readonly windowSeconds: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = Object.freeze({ max: 6000, windowSeconds: 60 });

export interface ApiKeyEntry {
  readonly id: string;
  /** Lower-case hex sha256 of the secret part of the key. */
  readonly sha256: string;
  readonly scopes: readonly Scope[];
  readonly rateLimit: RateLimit;
  readonly disabled: boolean;
}

export interface ApiKeyStore {
  readonly keys: ReadonlyMap<string, ApiKeyEntry>;
}

export interface AuthenticatedKey {
  readonly id: string;
  readonly scopes: readonly Scope[];
  readonly rateLimit: RateLimit;
}

export type AuthenticationFailure = 'missing' | 'malformed' | 'unknown' | 'disabled';

export type AuthenticationResult = { readonly ok: true; readonly key: AuthenticatedKey } | { readonly ok: false; readonly reason: AuthenticationFailure };

/** The crypto authenticate needs; adapters/api-key-hash.ts implements it with node:crypto. */
export interface SecretHasher {
  /** Lower-case hex sha256 of the UTF-8 secret. */
  sha256Hex(secret: string): string;
  /** Constant-time equality of two hex digests of the same length. */
  equalDigests(expectedHex: string, actualHex: string): boolean;
}

export const KEY_PREFIX = 'sr_';
/** 32 random bytes in base64url without padding. */
export const SECRET_LENGTH = 43;
const keyIdPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;
// The id has no "_", so the first "_" after the prefix ends it even though the secret may contain "_".
const presentedKeyPattern = /^sr_([a-z0-9][a-z0-9-]{0,62})_([A-Za-z0-9_-]{43})$/;
const digestPattern = /^[0-9a-f]{64}$/;

export function isValidKeyId(id: string): boolean {
  return keyIdPattern.test(id);
}

export function formatApiKey(id: string, secret: string): string {
  const key = `${KEY_PREFIX}${id}_${secret}`;
  if (!presentedKeyPattern.test(key)) throw new AppError(ErrorCode.InvalidArgument, `cannot build an API key from id "${id}" and a ${secret.length}-character secret`);
  return key;
}

export function parsePresentedKey(presented: string): { readonly id: string; readonly secret: string } | null {
  const match = presentedKeyPattern.exec(presented);
  return match === null ? null : { id: match[1]!, secret: match[2]! };
}

const entrySchema = z.strictObject({
  id: z.string().regex(keyIdPattern, { error: 'must be 1–63 characters of a-z, 0-9 and "-" (no "_": it separates the id from the secret in a key)' }),
  sha256: z.string().regex(digestPattern, { error: 'must be the 64 lower-case hex digits of the secret\'s sha256' }),
  scopes: z
    .array(z.enum(Scope, { error: `unknown scope; valid scopes: ${SCOPES.join(', ')}` }))
    .min(1, { error: 'a key needs at least one scope' })
    .superRefine((scopes, context) => {
      if (new Set(scopes).size !== scopes.length) context.addIssue({ code: 'custom', message: 'a scope is listed twice' });
    }),
  rate_limit: z
    .strictObject({
      max: z.int({ error: 'must be an integer ≥ 1' }).min(1, { error: 'must be an integer ≥ 1' }),
      window_seconds: z.int({ error: 'must be an integer ≥ 1' }).min(1, { error: 'must be an integer ≥ 1' }),
    })
    .optional(),
  disabled: z.boolean({ error: 'must be true or false' }).default(false),
});

const fileSchema = z.strictObject({
  keys: z
    .array(entrySchema)
    .default([])
    .superRefine((entries, context) => {
      const ids = new Set<string>();
      const digests = new Set<string>();
      entries.forEach((entry, index) => {
        if (ids.has(entry.id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate key id "${entry.id}"` });
        if (digests.has(entry.sha256)) context.addIssue({ code: 'custom', path: [index, 'sha256'], message: 'the same secret is used by an earlier key' });
        ids.add(entry.id);
        digests.add(entry.sha256);
      });
    }),
});

export function validateApiKeysYaml(text: string): YamlValidation<ApiKeyStore> {
  const validation = validateYaml(fileSchema, text);
  if (!validation.ok) return validation;
  const keys = new Map<string, ApiKeyEntry>();
  for (const entry of validation.value.keys) {
    keys.set(
      entry.id,
      deepFreeze({
        id: entry.id,
        sha256: entry.sha256,
        scopes: entry.scopes,
        rateLimit: entry.rate_limit === undefined ? DEFAULT_RATE_LIMIT : { max: entry.rate_limit.max, windowSeconds: entry.rate_limit.window_seconds },
        disabled: entry.disabled,
      }),
    );
  }
  return { ok: true, value: Object.freeze({ keys }) };
}

/** Throws AppError(ConfigInvalid) listing every violation; `source` names the file in the message. */
export function parseApiKeysYaml(text: string, source: string): ApiKeyStore {
  const validation = validateApiKeysYaml(text);
  if (!validation.ok) throw invalidYamlError('API keys file', source, validation.violations);
  return validation.value;
}

// Hashed for an unknown id too, so a wrong id costs the same time as a wrong secret.
const unknownDigest = '0'.repeat(64);

export function authenticate(store: ApiKeyStore, presentedKey: string | undefined, hasher: SecretHasher): AuthenticationResult {
  if (presentedKey === undefined || presentedKey.trim() === '') return { ok: false, reason: 'missing' };
  const parsed = parsePresentedKey(presentedKey.trim());
  if (parsed === null) return { ok: false, reason: 'malformed' };
  const entry = store.keys.get(parsed.id);
  const matches = hasher.equalDigests(entry?.sha256 ?? unknownDigest, hasher.sha256Hex(parsed.secret));
  // A disabled key is named only to the holder of its secret; anyone else learns nothing.
  if (entry === undefined || !matches) return { ok: false, reason: 'unknown' };
  if (entry.disabled) return { ok: false, reason: 'disabled' };
  return { ok: true, key: { id: entry.id, scopes: entry.scopes, rateLimit: entry.rateLimit } };
}

/** Scopes are independent: admin does not imply read or events. */
export function hasScope(key: Pick<AuthenticatedKey, 'scopes'>, scope: Scope): boolean {
  return key.scopes.includes(scope);
}

export interface NewApiKeyEntry {
  readonly id: string;
  readonly sha256: string;
  readonly scopes: readonly Scope[];
  readonly rateLimit?: RateLimit;
}

/**
 * The api-keys.yaml text with one more entry, comments and formatting of the rest kept.
 * `existing` null starts a new file. Refuses an invalid file, a duplicate id or an invalid entry.
 */
export function appendApiKeyEntry(existing: string | null, entry: NewApiKeyEntry, source: string): string {
  const base = existing === null || existing.trim() === '' ? 'keys: []\n' : existing;
  const store = parseApiKeysYaml(base, source);
  if (store.keys.has(entry.id)) throw new AppError(ErrorCode.InvalidArgument, `${source} already has a key with id "${entry.id}"`, { details: { id: entry.id } });
  // A file of comments only has no document node to add to: keep the comments, start the list.
  const parsedBase = parseDocument(base);
  const document = parsedBase.contents === null ? parseDocument(`${base.trimEnd()}\nkeys: []\n`) : parsedBase;
  if (isMap(document.contents) && !document.has('keys')) document.set('keys', document.createNode([]));
  const keys = document.get('keys');
  if (!isSeq(keys)) throw new AppError(ErrorCode.ConfigInvalid, `${source}: "keys" must be a list`);
  const item = document.createNode({ id: entry.id, sha256: entry.sha256, scopes: [...entry.scopes], ...(entry.rateLimit === undefined ? {} : { rate_limit: { max: entry.rateLimit.max, window_seconds: entry.rateLimit.windowSeconds } }) });
  // Short collections inline (scopes: [read, events]) as a person would write them.
  for (const child of ['scopes', 'rate_limit']) {
    const collection = item.get(child, true);
    if (isSeq(collection) || isMap(collection)) collection.flow = true;
  }
  keys.flow = false;
  keys.add(item);
  const updated = document.toString({ flowCollectionPadding: false });
  // Never write a file the server would refuse.
  parseApiKeysYaml(updated, source);
  return updated;
}

/** One entry as YAML (a list item of `keys:`), for printing when no file is given. */
export function renderApiKeyEntry(entry: NewApiKeyEntry): string {
  return appendApiKeyEntry(null, entry, 'new entry').replace(/^keys:\n/, '');
}
