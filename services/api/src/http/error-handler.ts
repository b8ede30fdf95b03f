import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { RouteMethods } from './route-methods.js';

/** Each error code's HTTP status; anything unlisted is a 500 (and logged with its stack, never sent). */
export const httpStatusOf: Readonly<Partial<Record<ErrorCode, number>>> = Object.freeze({
  [ErrorCode.InvalidArgument]: 400,
  [ErrorCode.PayloadInvalid]: 400,
  [ErrorCode.ConfigInvalid]: 422,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.MethodNotAllowed]: 405,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.DependencyUnavailable]: 503,
  [ErrorCode.Timeout]: 503,
});

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: unknown };
}

/** Fastify's own errors (validation, body size, content type) mapped to the project's codes. */
function fromFastify(error: FastifyError): { status: number; body: ErrorBody } | undefined {
  if (error.validation !== undefined) {
    const details = error.validation.map((issue) => ({ path: `${error.validationContext ?? ''}${issue.instancePath}`, message: issue.message ?? 'invalid' }));
    return { status: 400, body: { error: { code: ErrorCode.InvalidArgument, message: error.message, details } } };
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, body: { error: { code: ErrorCode.PayloadTooLarge, message: 'request body is larger than the limit' } } };
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { status: 415, body: { error: { code: ErrorCode.InvalidArgument, message: error.message } } };
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, body: { error: { code: ErrorCode.InvalidArgument, message: error.message } } };
  }
  return undefined;
}

/**
 * The one error handler: `{ error: { code, message } }`, never a stack trace. Call it before any route is
 * registered: it records every route's methods, so a known path with another method is a 405.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  const routes = new RouteMethods();
  app.addHook('onRoute', (route) => routes.add(route.url, route.method));
  const unrouted = (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = routes.allowed(path);
    if (allowed.length > 0) {
      return reply
        .status(405)
        .header('allow', allowed.join(', '))
        .send({ error: { code: ErrorCode.MethodNotAllowed, message: `${path} does not answer ${request.method}; it answers ${allowed.join(', ')}` } });
    }
    return reply.status(404).send({ error: { code: ErrorCode.NotFound, message: `no route ${request.method} ${path}` } });
  };
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    // Fastify checks a body method's content type before the not-found handler runs (QUERY without a
    // Content-Type): a request no route takes is a 404 or 405 whatever else is wrong with it.
    if (request.is404) return unrouted(request, reply);
    if (isAppError(error)) {
      const status = httpStatusOf[error.code] ?? 500;
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      const details = error.details === undefined ? {} : { details: error.details };
      return reply.status(status).send({ error: { code: error.code, message: error.message, ...details } });
    }
    const mapped = fromFastify(error);
    if (mapped !== undefined) return reply.status(mapped.status).send(mapped.body);
    request.log.error({ err: error }, 'unexpected error');
    return reply.status(500).send({ error: { code: ErrorCode.Internal, message: 'internal error' } });
  });
  app.setNotFoundHandler(unrouted);
}
