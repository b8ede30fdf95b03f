import { PROGRAM, positiveNumber, usage, type ParseArgsOptionsConfig } from './cli-options.js';
import { SCALES, isScale, type Scale } from './domain/scale.js';

export interface TrafficCommand {
  readonly kind: 'traffic';
  readonly seed: number;
  readonly requestsPerSecond: number;
  readonly durationSeconds: number | null;
  readonly maxRequests: number | null;
  readonly scale: Scale | null;
  readonly scenes: readonly string[];
  readonly limit: number;
  /** null: from the stack configuration (STREAMREC_API_HOST / _PORT). */
  readonly apiUrl: string | null;
  /** null: STREAMREC_API_KEY_DEV. */
  readonly apiKey: string | null;
  /** null: the same key as for recommendations. */
  readonly eventsKey: string | null;
  /** Prepended to the shop user ids in requests and beacons ('' = none): an isolated run on a shared stack. */
  readonly userPrefix: string;
  readonly lift: ReadonlyMap<string, number>;
  readonly drop: ReadonlyMap<string, number>;
  readonly writeOrders: boolean;
  readonly summaryFile: string | null;
}

export const TRAFFIC_DEFAULTS = { requestsPerSecond: 20, scenes: ['home', 'item_detail', 'cart'], limit: 10, maxLimit: 100 } as const;

export const TRAFFIC_HELP = `Usage: ${PROGRAM} traffic [--rate R] [--duration SEC | --requests N] [options]

Storefront traffic against the serving API. Users of the demo population (shop.users, with the latent
interests bulk and trickle give them), drawn by activity, ask GET /v1/recommendations; each answer is
looked at with a position bias (1/log2(position+2)), clicked by affinity to the user's interests
(cluster, industry, grain, price), and the opened dataset page may be favourited, downloaded or added
to the cart as the organic funnel does. Those are sent as beacons (POST /v1/events) with the answer's
request_id, when they happen (seconds after the answer). Some carts end in an order written to
shop.orders / shop.order_items, so purchases arrive through CDC as the shop's do.

  --rate R                  recommendation requests per second (default ${TRAFFIC_DEFAULTS.requestsPerSecond})
  --duration SEC            stop after SEC seconds
  --requests N              stop after N requests (with neither: run until SIGINT/SIGTERM)
  --seed N                  seed of users, scenes, reactions and broken clients (default 1)
  --scale S                 small|medium|large: fail unless the shop holds the users a bulk run of
                            that scale creates (default: use whatever users the shop has)
  --scenes LIST             comma-separated scenes, drawn uniformly (default ${TRAFFIC_DEFAULTS.scenes.join(',')})
  --limit N                 items per answer, 1-${TRAFFIC_DEFAULTS.maxLimit} (default ${TRAFFIC_DEFAULTS.limit})
  --api URL                 the API (default http://STREAMREC_API_HOST:STREAMREC_API_PORT, 127.0.0.1:18080)
  --api-key KEY             key with the read scope (default STREAMREC_API_KEY_DEV from .stack/secrets.env)
  --events-key KEY          key with the events scope for the beacons (default: the --api-key)
  --user-prefix P           prepend P to the user ids the storefront sends (isolated runs on a shared stack;
                            letters, digits, '-' and ':'; default none)
  --lift VARIANT=FACTOR     multiply the click and download probabilities of answers served in that
                            experiment variant (the answer's experiment.variant); repeatable
  --drop-variant VARIANT=SHARE
                            that share (0-1) of the variant's users has a broken client that sends no
                            event at all (the same users for the same seed); repeatable
  --no-orders               write no order (beacons only; for runs against a shared stack)
  --summary FILE            also write the JSON summary to FILE
  -h, --help                show this help

Progress (requests/s, events sent, ETA) goes to stderr; stdout gets the JSON summary: requests,
answers by variant, events by action and by variant, orders, errors by code, shop rows written.
On SIGINT/SIGTERM (or at the end) no new request is sent and what users still had planned goes out at
once. Exit codes: 0 done, 1 failed (API unreachable, key refused, no answer at all), 2 wrong usage.
Needs users and a catalogue (run bulk first) and a running API (npm run api).`;

export const TRAFFIC_OPTIONS: ParseArgsOptionsConfig = {
  rate: { type: 'string' },
  duration: { type: 'string' },
  requests: { type: 'string' },
  scale: { type: 'string' },
  scenes: { type: 'string' },
  'user-prefix': { type: 'string' },
  limit: { type: 'string' },
  api: { type: 'string' },
  'api-key': { type: 'string' },
  'events-key': { type: 'string' },
  lift: { type: 'string', multiple: true },
  'drop-variant': { type: 'string', multiple: true },
  'no-orders': { type: 'boolean' },
};

/** The API's rule for scene names (docs/api.md), checked here so a typo is a usage error, not 400s. */
const SCENE = /^[a-z][a-z0-9_]{0,39}$/;
const VARIANT = /^[^=,\s]+$/;

export function parseTrafficOptions(
  values: Readonly<Record<string, unknown>>,
  common: { readonly seed: number; readonly summaryFile: string | null },
  help: string,
): TrafficCommand {
  const str = (name: string): string | undefined => (typeof values[name] === 'string' ? values[name] : undefined);
  const list = (name: string): string[] => {
    const value = values[name];
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  };
  const scaleRaw = str('scale');
  if (scaleRaw !== undefined && !isScale(scaleRaw)) throw usage(`--scale must be small, medium or large, got '${scaleRaw}'`, help);
  const scenesRaw = str('scenes');
  const scenes = scenesRaw === undefined ? [...TRAFFIC_DEFAULTS.scenes] : scenesRaw.split(',').map((scene) => scene.trim());
  const badScene = scenes.find((scene) => !SCENE.test(scene));
  if (badScene !== undefined) throw usage(`--scenes: '${badScene}' is not a scene name (a-z, 0-9, _; starting with a letter)`, help);
  const limit = positiveNumber(str('limit'), 'limit', help, true) ?? TRAFFIC_DEFAULTS.limit;
  if (limit > TRAFFIC_DEFAULTS.maxLimit) throw usage(`--limit must be at most ${TRAFFIC_DEFAULTS.maxLimit}, got ${limit}`, help);
  const apiUrl = str('api') ?? null;
  if (apiUrl !== null && !/^https?:\/\/[^/\s]+/.test(apiUrl)) throw usage(`--api must be an http(s) URL, got '${apiUrl}'`, help);
  return {
    kind: 'traffic',
    seed: common.seed,
    requestsPerSecond: positiveNumber(str('rate'), 'rate', help, false) ?? TRAFFIC_DEFAULTS.requestsPerSecond,
    durationSeconds: positiveNumber(str('duration'), 'duration', help, false),
    maxRequests: positiveNumber(str('requests'), 'requests', help, true),
    scale: scaleRaw === undefined ? null : scaleRaw,
    scenes,
    limit,
    apiUrl,
    apiKey: nonEmpty(str('api-key'), 'api-key', help),
    eventsKey: nonEmpty(str('events-key'), 'events-key', help),
    userPrefix: userPrefix(str('user-prefix'), help),
    lift: variantValues(list('lift'), 'lift', 'FACTOR', help, (value) => Number.isFinite(value) && value >= 0),
    drop: variantValues(list('drop-variant'), 'drop-variant', 'SHARE', help, (value) => value >= 0 && value <= 1),
    writeOrders: values['no-orders'] !== true,
    summaryFile: common.summaryFile,
  };
}

/** The users a bulk run of the scale creates, for the --scale check. */
export const usersOfScale = (scale: Scale | null): number | null => (scale === null ? null : SCALES[scale].users);

function userPrefix(raw: string | undefined, help: string): string {
  if (raw === undefined) return '';
  if (!/^[A-Za-z0-9:-]{1,40}$/.test(raw)) throw usage(`--user-prefix takes 1-40 letters, digits, '-' or ':', got '${raw}'`, help);
  return raw;
}

function nonEmpty(raw: string | undefined, name: string, help: string): string | null {
  if (raw === undefined) return null;
  if (raw.trim() === '') throw usage(`--${name} is empty`, help);
  return raw;
}

/** `VARIANT=NUMBER`, repeatable and comma-separated; a variant named twice is an error. */
function variantValues(raw: readonly string[], name: string, what: string, help: string, valid: (value: number) => boolean): Map<string, number> {
  const result = new Map<string, number>();
  for (const entry of raw.flatMap((item) => item.split(','))) {
    const at = entry.lastIndexOf('=');
    const variant = entry.slice(0, at).trim();
    const value = Number(entry.slice(at + 1).trim());
    if (at <= 0 || !VARIANT.test(variant) || entry.slice(at + 1).trim() === '' || !valid(value)) {
      throw usage(`--${name} takes VARIANT=${what}${what === 'SHARE' ? ' (0-1)' : ' (>= 0)'}, got '${entry}'`, help);
    }
    if (result.has(variant)) throw usage(`--${name} names variant '${variant}' twice`, help);
    result.set(variant, value);
  }
  return result;
}
