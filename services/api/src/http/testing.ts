import type { ItemId, UserId } from '@streamrec/streams-common';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { parseApiKeysYaml, type ApiKeyStore } from '../domain/auth/api-keys.js';
import { authenticate } from '../domain/auth/api-keys.js';
import { nodeSecretHasher, sha256Hex } from '../adapters/api-key-hash.js';
import { Channel } from '../domain/recall/channels.js';
import type { Answer, ServeRequest } from '../domain/serving/serve-recommendations.js';
import { createApiMetrics } from '../metrics.js';
import type { ApiServices } from './services.js';

/** Keys for route tests: `keys.read` etc. are plaintext keys whose hashes the fake store holds. */
export const testKeys = {
  read: `sr_reader_${'r'.repeat(43)}`,
  events: `sr_beacon_${'e'.repeat(43)}`,
  admin: `sr_ops_${'a'.repeat(43)}`,
  limited: `sr_tiny_${'t'.repeat(43)}`,
  disabled: `sr_old_${'d'.repeat(43)}`,
} as const;

export function testKeyStore(): ApiKeyStore {
  const hash = (key: string): string => sha256Hex(key.slice(key.lastIndexOf('_') + 1));
  return parseApiKeysYaml(
    `keys:
  - { id: reader, sha256: ${hash(testKeys.read)}, scopes: [read] }
  - { id: beacon, sha256: ${hash(testKeys.events)}, scopes: [events] }
  - { id: ops, sha256: ${hash(testKeys.admin)}, scopes: [admin, read] }
  - { id: tiny, sha256: ${hash(testKeys.limited)}, scopes: [read], rate_limit: { max: 2, window_seconds: 60 } }
  - { id: old, sha256: ${hash(testKeys.disabled)}, scopes: [read], disabled: true }
`,
    'test keys',
  );
}

export interface FakeCalls {
  readonly recommend: ServeRequest[];
  readonly events: unknown[];
}

/** Services for `app.inject()` route tests: canned answers, calls recorded, failures on demand. */
export function fakeServices(overrides: Partial<ApiServices> = {}): { services: ApiServices; calls: FakeCalls } {
  const store = testKeyStore();
  const calls: FakeCalls = { recommend: [], events: [] };
  const services: ApiServices = {
    http: { bodyLimitBytes: 1_024, maxLimit: 50, defaultLimit: 10, maxExclude: 3, docs: true, trustProxy: false, authFailures: { max: 5, windowSeconds: 60 }, sharedRateLimit: false, sharedRateLimitTimeoutMs: 50 },
    metrics: createApiMetrics(),
    clock: () => 1_000_000,
    authenticate: (presented) => authenticate(store, presented, nodeSecretHasher),
    recommend: (request) => {
      calls.recommend.push(request);
      const answer: Answer = {
        requestId: 'req-1',
        user: request.user,
        scene: request.scene,
        servedAtMs: 1_000_000,
        items: [{ item: '7' as ItemId, score: 0.9, channels: [Channel.Cooccurrence, Channel.Content], features: [1, 2] }],
        unshown: [],
        model: { name: 'ranker', version: 'v9' },
        experiment: 'exp',
        variant: 'control',
        featureNames: ['a', 'b'],
        degraded: [],
        newestEventMs: 999_000,
        coldStart: false,
        candidates: 1,
        latencyMs: 3.25,
      };
      return Promise.resolve(answer);
    },
    similar: (item) => {
      if (item === ('404' as ItemId)) return Promise.reject(new AppError(ErrorCode.NotFound, `item ${item} is not in the catalogue`));
      return Promise.resolve({ items: [{ item: '8' as ItemId, score: 1, channels: [Channel.Transition] }], degraded: [] });
    },
    popular: () => Promise.resolve({ items: [{ item: '9' as ItemId, score: 5, channels: [Channel.Trending] }], degraded: [] }),
    acceptEvent: (event) => {
      calls.events.push(event);
      return Promise.resolve(`beacon:${event.event_id ?? 'generated'}`);
    },
    readiness: () => Promise.resolve({ ready: true, checks: { catalogue: { ok: true } } }),
    reloadExperiments: () => ({ ok: true, errors: [], checksum: 'abc' }),
    status: () => ({ models: {} }),
    forgetUsers: (users) => Promise.resolve({ forgotten: users.length }),
    ...overrides,
  };
  return { services, calls };
}

export const anyUser = (id: string): UserId => id as UserId;

/** An error response body as tests read it. */
export interface ErrorJson {
  readonly error: { readonly code: string; readonly message: string; readonly details?: unknown };
}
