import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { itemIdOf, userIdOf, type ItemId } from '@streamrec/streams-common';
import type { Answer } from '../../domain/serving/serve-recommendations.js';
import { Scope } from '../../domain/auth/api-keys.js';
import { RecommendationResponse, errorResponses, recommendationsQuery } from '../schemas.js';
import type { ApiServices } from '../services.js';

export function parseExclude(text: string | undefined, max: number): Set<ItemId> {
  if (text === undefined || text === '') return new Set();
  const ids = text.split(',');
  if (ids.length > max) throw new AppError(ErrorCode.InvalidArgument, `exclude lists ${ids.length} items; at most ${max} are allowed`);
  return new Set(ids.map((id) => itemIdOf(id)));
}

export function answerBody(answer: Answer, nowMs: number): RecommendationResponse {
  return {
    request_id: answer.requestId,
    user_id: answer.user,
    scene: answer.scene,
    items: answer.items.map(({ item, score, channels }, position) => ({ item_id: item, position, score, channels: [...channels] })),
    model: answer.model === null ? null : { name: answer.model.name, version: answer.model.version },
    experiment: answer.experiment === null || answer.variant === null ? null : { id: answer.experiment, variant: answer.variant },
    degraded: answer.degraded.length > 0,
    degraded_reasons: [...answer.degraded],
    cold_start: answer.coldStart,
    freshness: { newest_event_ms: answer.newestEventMs, age_ms: answer.newestEventMs === null ? null : Math.max(0, Math.round(nowMs - answer.newestEventMs)) },
    latency_ms: Math.round(answer.latencyMs * 1000) / 1000,
  };
}

export function recommendationsRoute(app: FastifyInstance, services: ApiServices): void {
  const { maxLimit, defaultLimit, maxExclude } = services.http;
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/v1/recommendations',
    {
      config: { scope: Scope.Read },
      schema: {
        tags: ['recommendations'],
        summary: 'What this user should see now',
        description: 'Multi-channel recall, fusion with the experiment variant’s weights, filters, ONNX ranking, diversification. Degrades (never fails) when a dependency is slow or down; every answer is logged to serving.exposures.v1.',
        security: [{ apiKey: [] }],
        querystring: recommendationsQuery(maxLimit, defaultLimit),
        response: { 200: RecommendationResponse, ...errorResponses },
      },
    },
    async (request) => {
      const query = request.query;
      const answer = await services.recommend({
        user: userIdOf(query.user_id),
        limit: query.limit,
        scene: query.scene,
        exclude: parseExclude(query.exclude, maxExclude),
        excludeSeen: query.exclude_seen,
      });
      return answerBody(answer, services.clock());
    },
  );
}
