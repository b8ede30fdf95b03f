import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { hasScope, type AuthenticatedKey, type AuthenticationResult, type Scope } from '../domain/auth/api-keys.js';
import type { AuthFailureLimiter } from '../domain/auth/auth-failure-limiter.js';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey: AuthenticatedKey | null;
  }
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one are public (health, metrics, docs). */
    scope?: Scope;
  }
}

export interface AuthOptions {
  readonly authenticate: (presented: string | undefined) => AuthenticationResult;
  readonly onFailure: (reason: string) => void;
  /** Failed authentications per client address: past its limit the client is refused (429) until the window ends. */
  readonly failureLimiter: AuthFailureLimiter;
  readonly clock: () => number;
}

/** Failures that look like guessing: a key was presented and it is wrong (a missing key or a scope is not). */
const GUESSES = new Set(['malformed', 'unknown', 'disabled']);

/** `X-API-Key: sr_<id>_<secret>` or `Authorization: Bearer sr_…`. */
function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ') === true) return authorization.slice('Bearer '.length).trim();
  return undefined;
}

const messages: Record<string, string> = {
  missing: 'an API key is required (X-API-Key header)',
  malformed: 'the API key is malformed',
  unknown: 'the API key is not valid',
  disabled: 'the API key is disabled',
};

/** Authentication and scope check for every route that declares a scope (before rate limiting and validation). */
export const authPlugin = fastifyPlugin((app: FastifyInstance, options: AuthOptions, done: (error?: Error) => void) => {
  app.decorateRequest('apiKey', null);
  app.addHook('onRequest', (request, reply, next) => {
    const scope = request.routeOptions.config.scope;
    if (scope === undefined) {
      next();
      return;
    }
    const nowMs = options.clock();
    const waitMs = options.failureLimiter.retryAfterMs(request.ip, nowMs);
    if (waitMs > 0) {
      const retryAfter = Math.ceil(waitMs / 1000);
      const { max, windowSeconds } = options.failureLimiter.limit;
      options.onFailure('blocked');
      reply.header('retry-after', String(retryAfter));
      next(
        new AppError(ErrorCode.RateLimited, `too many failed authentications from this client (${max} per ${windowSeconds} s); retry in ${retryAfter} s`, {
          details: { limit: max, retry_after: `${retryAfter} seconds` },
        }),
      );
      return;
    }
    const result = options.authenticate(presentedKey(request));
    if (!result.ok) {
      options.onFailure(result.reason);
      if (GUESSES.has(result.reason)) options.failureLimiter.recordFailure(request.ip, nowMs);
      next(new AppError(ErrorCode.Unauthorized, messages[result.reason] ?? 'unauthorised'));
      return;
    }
    if (!hasScope(result.key, scope)) {
      options.onFailure('scope');
      next(new AppError(ErrorCode.Forbidden, `the API key lacks the '${scope}' scope`));
      return;
    }
    request.apiKey = result.key;
    next();
  });
  done();
});
