import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { hasScope, type AuthenticatedKey, type AuthenticationResult, type Scope } from '../domain/auth/api-keys.js';

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
}

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
  app.addHook('onRequest', (request, _reply, next) => {
    const scope = request.routeOptions.config.scope;
    if (scope === undefined) {
      next();
      return;
    }
    const result = options.authenticate(presentedKey(request));
    if (!result.ok) {
      options.onFailure(result.reason);
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
