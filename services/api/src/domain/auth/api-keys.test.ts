import { describe, expect, it, vi } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { nodeSecretHasher, sha256Hex } from '../../adapters/api-key-hash.js';
import {
  DEFAULT_RATE_LIMIT,
  Scope,
  appendApiKeyEntry,
  authenticate,
  formatApiKey,
  hasScope,
  parseApiKeysYaml,
  parsePresentedKey,
  validateApiKeysYaml,
  type ApiKeyStore,
  type SecretHasher,
} from './api-keys.js';

const storefrontSecret = 'A'.repeat(20) + '_-' + 'b'.repeat(21);
const retiredSecret = 'Z'.repeat(43);
const storefrontKey = formatApiKey('storefront', storefrontSecret);

const keysYaml = `# keys of the test
keys:
  - id: storefront
    sha256: ${sha256Hex(storefrontSecret)}
    scopes: [read, events]
  - id: retired
    sha256: ${sha256Hex(retiredSecret)}
    scopes: [admin]
    rate_limit: { max: 10, window_seconds: 1 }
    disabled: true
`;

function violationsOf(text: string): readonly string[] {
  const validation = validateApiKeysYaml(text);
  if (validation.ok) throw new TypeError('expected the file to be rejected');
  return validation.violations;
}

describe('api keys file', () => {
  it('parses entries with the default rate limit and a disabled flag', () => {
    const store = parseApiKeysYaml(keysYaml, 'test');
    expect(store.keys.get('storefront')).toEqual({ id: 'storefront', sha256: sha256Hex(storefrontSecret), scopes: ['read', 'events'], rateLimit: DEFAULT_RATE_LIMIT, disabled: false });
    expect(store.keys.get('retired')).toMatchObject({ rateLimit: { max: 10, windowSeconds: 1 }, disabled: true });
    expect(Object.isFrozen(store.keys.get('storefront'))).toBe(true);
  });

  it('an empty file is a store without keys', () => {
    expect(parseApiKeysYaml('', 'test').keys.size).toBe(0);
  });

  it('lists every violation with its path and throws REC_CONFIG_INVALID naming the file', () => {
    const text = `keys:
  - id: Bad_Id
    sha256: ABC
    scopes: [read, write, read]
    rate_limit: { max: 0, window_seconds: 1.5, burst: 3 }
    owner: me
  - id: empty
    sha256: ${'a'.repeat(64)}
    scopes: []
    disabled: maybe
`;
    expect(violationsOf(text)).toEqual([
      'keys[0].id: must be 1–63 characters of a-z, 0-9 and "-" (no "_": it separates the id from the secret in a key)',
      "keys[0].sha256: must be the 64 lower-case hex digits of the secret's sha256",
      'keys[0].scopes[1]: unknown scope; valid scopes: read, events, admin',
      'keys[0].rate_limit.max: must be an integer ≥ 1',
      'keys[0].rate_limit.window_seconds: must be an integer ≥ 1',
      'keys[0].rate_limit: Unrecognized key: "burst"',
      'keys[0]: Unrecognized key: "owner"',
      'keys[1].scopes: a key needs at least one scope',
      'keys[1].disabled: must be true or false',
    ]);
    expect(() => parseApiKeysYaml(text, 'config/api-keys.yaml')).toThrow(expect.objectContaining({ code: ErrorCode.ConfigInvalid, message: expect.stringContaining('config/api-keys.yaml') as unknown }));
  });

  it('rejects a duplicate id, a reused secret and a repeated scope', () => {
    const digest = 'c'.repeat(64);
    expect(violationsOf(`keys:\n  - { id: a, sha256: ${digest}, scopes: [read, read] }\n`)).toEqual([
      'keys[0].scopes: a scope is listed twice',
    ]);
    expect(violationsOf(`keys:\n  - { id: a, sha256: ${digest}, scopes: [read] }\n  - { id: a, sha256: ${digest}, scopes: [read] }\n`)).toEqual([
      'keys[1].id: duplicate key id "a"',
      'keys[1].sha256: the same secret is used by an earlier key',
    ]);
  });

  it('a YAML syntax error carries its line', () => {
    expect(violationsOf('keys:\n  - id: a\n   scopes: [read\n')[0]).toMatch(/^line \d+, column \d+: YAML syntax: /);
  });
});

describe('authenticate', () => {
  const store: ApiKeyStore = parseApiKeysYaml(keysYaml, 'test');

  it('accepts the right key and returns its id, scopes and rate limit', () => {
    expect(authenticate(store, storefrontKey, nodeSecretHasher)).toEqual({ ok: true, key: { id: 'storefront', scopes: ['read', 'events'], rateLimit: DEFAULT_RATE_LIMIT } });
  });

  it.each([
    ['no header', 'missing', undefined],
    ['an empty header', 'missing', '  '],
    ['a key without the sr_ prefix', 'malformed', `xx_storefront_${storefrontSecret}`],
    ['a secret one character short', 'malformed', `sr_storefront_${storefrontSecret.slice(1)}`],
    ['a Bearer-style value', 'malformed', `Bearer ${storefrontKey}`],
    ['an id nobody has', 'unknown', formatApiKey('nobody', storefrontSecret)],
    ['a wrong secret for a real id', 'unknown', formatApiKey('storefront', 'x'.repeat(43))],
    ['the right secret of a disabled key', 'disabled', formatApiKey('retired', retiredSecret)],
    ['a wrong secret of a disabled key (does not reveal it is disabled)', 'unknown', formatApiKey('retired', 'x'.repeat(43))],
  ] as const)('rejects %s as %s', (_case, reason, presented) => {
    expect(authenticate(store, presented, nodeSecretHasher)).toEqual({ ok: false, reason });
  });

  it('compares digests with the injected constant-time compare, also for an unknown id', () => {
    const equalDigests = vi.fn((a: string, b: string) => a === b);
    const hasher: SecretHasher = { sha256Hex, equalDigests };
    authenticate(store, storefrontKey, hasher);
    authenticate(store, formatApiKey('nobody', storefrontSecret), hasher);
    expect(equalDigests).toHaveBeenCalledTimes(2);
    expect(equalDigests).toHaveBeenNthCalledWith(1, sha256Hex(storefrontSecret), sha256Hex(storefrontSecret));
  });

  it('a secret that contains "_" still splits at the id', () => {
    expect(parsePresentedKey(storefrontKey)).toEqual({ id: 'storefront', secret: storefrontSecret });
  });

  it('hasScope: scopes are independent, admin implies nothing else', () => {
    expect(hasScope({ scopes: [Scope.Read, Scope.Events] }, Scope.Events)).toBe(true);
    expect(hasScope({ scopes: [Scope.Read] }, Scope.Events)).toBe(false);
    expect(hasScope({ scopes: [Scope.Admin] }, Scope.Read)).toBe(false);
  });

  it('formatApiKey refuses an id or secret that could not be parsed back', () => {
    let thrown: unknown;
    try {
      formatApiKey('with_underscore', storefrontSecret);
    } catch (error) {
      thrown = error;
    }
    expect(isAppError(thrown, ErrorCode.InvalidArgument)).toBe(true);
  });
});

describe('appendApiKeyEntry', () => {
  const entry = { id: 'partner', sha256: 'd'.repeat(64), scopes: [Scope.Read], rateLimit: { max: 100, windowSeconds: 10 } };

  it('appends to an existing file, keeping its comments and entries', () => {
    const updated = appendApiKeyEntry(keysYaml, entry, 'test');
    expect(updated).toContain('# keys of the test');
    expect(updated).toContain(`  - id: partner\n    sha256: ${'d'.repeat(64)}\n    scopes: [read]\n    rate_limit: {max: 100, window_seconds: 10}\n`);
    expect([...parseApiKeysYaml(updated, 'test').keys.keys()]).toEqual(['storefront', 'retired', 'partner']);
  });

  it('starts a new file from nothing, from an empty list and from a file without keys', () => {
    for (const start of [null, '', 'keys: []\n', '# only a comment\n']) {
      expect(parseApiKeysYaml(appendApiKeyEntry(start, entry, 'test'), 'test').keys.get('partner')).toMatchObject({ rateLimit: { max: 100, windowSeconds: 10 } });
    }
  });

  it('refuses a duplicate id with REC_INVALID_ARGUMENT and an invalid file with REC_CONFIG_INVALID', () => {
    expect(() => appendApiKeyEntry(keysYaml, { ...entry, id: 'storefront' }, 'test')).toThrow(expect.objectContaining({ code: ErrorCode.InvalidArgument }));
    expect(() => appendApiKeyEntry('keys: [oops\n', entry, 'test')).toThrow(expect.objectContaining({ code: ErrorCode.ConfigInvalid }));
  });
});
