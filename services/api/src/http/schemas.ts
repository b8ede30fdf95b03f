import { Type, type Static } from '@sinclair/typebox';

/** Request and response schemas: validated by Fastify (unknown properties are errors) and published at /docs. */
const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'REC_* error code (docs/api.md: Errors)' }),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorBody', description: 'Every error: a code and a readable message, never a stack trace' },
);
export { ErrorBody };

/** What any route can answer besides its own statuses (431: request line and headers over Node's 16 KiB). */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  429: ErrorBody,
  431: ErrorBody,
} as const;

/** An item id as the code accepts it (itemIdOf): decimal, no leading zeros, at most 16 digits. */
const ITEM_ID = '(0|[1-9][0-9]{0,15})';
const itemIdText = Type.String({ pattern: `^${ITEM_ID}$`, description: 'Item (dataset) id, decimal' });
const scene = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', default: 'home', description: 'Placement: home, item_detail, cart, … (the names experiments.yaml filters on)' });

export function limitSchema(maxLimit: number, defaultLimit: number) {
  return Type.Integer({ minimum: 1, maximum: maxLimit, default: Math.min(defaultLimit, maxLimit), description: `Items to return (1–${maxLimit})` });
}

export function recommendationsQuery(maxLimit: number, defaultLimit: number) {
  return Type.Object(
    {
      user_id: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9:_.@-]+$', description: 'User id as the events carry it (shop id or anon:<visitor>)' }),
      limit: limitSchema(maxLimit, defaultLimit),
      scene,
      exclude: Type.Optional(Type.String({ maxLength: 20_000, pattern: `^${ITEM_ID}(,${ITEM_ID})*$`, description: 'Comma-separated item ids (decimal, no leading zeros) never to return' })),
      exclude_seen: Type.Boolean({ default: false, description: "Also leave out the user's recently viewed items" }),
    },
    { additionalProperties: false },
  );
}

const ServedItem = Type.Object({
  item_id: itemIdText,
  position: Type.Integer({ minimum: 0 }),
  score: Type.Number(),
  channels: Type.Array(Type.String(), { description: 'Recall channels that produced the item, strongest first' }),
});

export const RecommendationResponse = Type.Object({
  request_id: Type.String(),
  user_id: Type.String(),
  scene: Type.String(),
  items: Type.Array(ServedItem),
  model: Type.Union([Type.Object({ name: Type.String(), version: Type.String() }), Type.Null()], { description: 'Ranker that ordered the items; null = fused recall order' }),
  experiment: Type.Union([Type.Object({ id: Type.String(), variant: Type.String() }), Type.Null()]),
  degraded: Type.Boolean(),
  degraded_reasons: Type.Array(Type.String(), { description: 'docs/api.md: Degradation' }),
  cold_start: Type.Boolean(),
  freshness: Type.Object({
    newest_event_ms: Type.Union([Type.Integer(), Type.Null()], { description: 'Event time of the newest event applied for this user' }),
    age_ms: Type.Union([Type.Integer(), Type.Null()], { description: 'How old that event is at answer time' }),
  }),
  latency_ms: Type.Number(),
});
export type RecommendationResponse = Static<typeof RecommendationResponse>;

export const SimilarParams = Type.Object({ id: itemIdText }, { additionalProperties: false });
export function similarQuery(maxLimit: number, defaultLimit: number) {
  return Type.Object({ limit: limitSchema(maxLimit, defaultLimit) }, { additionalProperties: false });
}

export const ItemListResponse = Type.Object({
  items: Type.Array(ServedItem),
  degraded: Type.Boolean(),
  degraded_reasons: Type.Array(Type.String()),
});

export const PopularWindow = { Hour: '1h', Day: '24h', Week: '7d', All: 'all' } as const;
export function popularQuery(maxLimit: number, defaultLimit: number) {
  return Type.Object(
    {
      window: Type.Union([Type.Literal('1h'), Type.Literal('24h'), Type.Literal('7d'), Type.Literal('all')], { default: '24h', description: "Hot-list window, or 'all' for decayed all-time popularity" }),
      industry: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
      tag: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
      limit: limitSchema(maxLimit, defaultLimit),
    },
    { additionalProperties: false },
  );
}

export const EventBody = Type.Object(
  {
    event_id: Type.Optional(Type.String({ minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$', description: 'Client-generated id (e.g. a UUID); a retry with the same id counts once' })),
    user_id: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9:_.@-]+$' }),
    item_id: itemIdText,
    action: Type.Union([Type.Literal('view'), Type.Literal('click'), Type.Literal('download'), Type.Literal('favorite'), Type.Literal('cart')], {
      description: 'Purchases come from the shop database (orders), never from the beacon',
    }),
    event_time: Type.Optional(Type.Integer({ minimum: 0, description: 'Epoch ms; default: now. At most 5 min ahead, at most 7 days old (/docs/json states both as bounds)' })),
    session_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    request_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'request_id of the recommendation the user acted on (CTR)' })),
  },
  { additionalProperties: false },
);
export type EventBody = Static<typeof EventBody>;

export const EventAccepted = Type.Object({ event_id: Type.String(), accepted: Type.Literal(true) });
