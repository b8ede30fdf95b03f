import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { itemIdOf } from '@streamrec/streams-common';
import { Scope } from '../../domain/auth/api-keys.js';
import { ErrorBody, ItemListResponse, SimilarParams, errorResponses, popularQuery, similarQuery } from '../schemas.js';
import type { ApiServices, ItemList } from '../services.js';

function listBody(list: ItemList) {
  return {
    items: list.items.map(({ item, score, channels }, position) => ({ item_id: item, position, score, channels: [...channels] })),
    degraded: list.degraded.length > 0,
    degraded_reasons: [...list.degraded],
  };
}

export function itemRoutes(app: FastifyInstance, services: ApiServices): void {
  const { maxLimit, defaultLimit } = services.http;
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  typed.get(
    '/v1/items/:id/similar',
    {
      config: { scope: Scope.Read },
      schema: {
        tags: ['items'],
        summary: 'Items similar to this one',
        description: 'Co-occurrence, transitions ("viewed next") and content similarity, fused with the default weights; unavailable items never.',
        security: [{ apiKey: [] }],
        params: SimilarParams,
        querystring: similarQuery(maxLimit, defaultLimit),
        response: { 200: ItemListResponse, 404: ErrorBody, ...errorResponses },
      },
    },
    async (request) => listBody(await services.similar(itemIdOf(request.params.id), request.query.limit)),
  );
  typed.get(
    '/v1/popular',
    {
      config: { scope: Scope.Read },
      schema: {
        tags: ['items'],
        summary: 'Trending or popular items, optionally within an industry or a tag',
        security: [{ apiKey: [] }],
        querystring: popularQuery(maxLimit, defaultLimit),
        response: { 200: ItemListResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { window, industry, tag, limit } = request.query;
      return listBody(await services.popular({ window, industry, tag, limit }));
    },
  );
}
