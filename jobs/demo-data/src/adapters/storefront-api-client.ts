import { AppError, ErrorCode } from '@streamrec/foundation';
import type { UserId } from '../domain/types.js';
import type { BeaconEvent, RecommendationAnswer, StorefrontApi } from '../traffic-ports.js';

export interface StorefrontApiSettings {
  /** e.g. http://127.0.0.1:18080 (no trailing slash needed). */
  readonly baseUrl: string;
  /** Key with the `read` scope (recommendations). */
  readonly readKey: string;
  /** Key with the `events` scope (beacons); often the same key. */
  readonly eventsKey: string;
  readonly timeoutMs: number;
  /** Prepended to every user id sent ('' = none). */
  readonly userPrefix?: string;
}

type KeyRole = 'read' | 'events';
const KEY_OPTION: Readonly<Record<KeyRole, string>> = { read: '--api-key', events: '--events-key' };

/** The serving API over HTTP with Node's fetch (keep-alive connections), as a storefront calls it. */
export class HttpStorefrontApi implements StorefrontApi {
  private readonly baseUrl: string;

  constructor(private readonly settings: StorefrontApiSettings) {
    this.baseUrl = settings.baseUrl.replace(/\/+$/, '');
  }

  async checkReachable(): Promise<void> {
    const response = await this.call('/healthz', { method: 'GET' });
    await response.body?.cancel();
    if (!response.ok) {
      throw new AppError(ErrorCode.DependencyUnavailable, `${this.baseUrl}/healthz answered HTTP ${response.status}: is --api the streamrec API?`);
    }
  }

  async recommend(userId: UserId, scene: string, limit: number): Promise<RecommendationAnswer> {
    const query = new URLSearchParams({ user_id: `${this.settings.userPrefix ?? ''}${userId}`, limit: String(limit), scene });
    const response = await this.call(`/v1/recommendations?${query.toString()}`, { method: 'GET', headers: { 'x-api-key': this.settings.readKey } });
    const body = await readJson(response);
    if (response.status !== 200) throw this.refusal(response, body, 'read');
    return parseAnswer(body);
  }

  async sendEvent(event: BeaconEvent): Promise<void> {
    const body = {
      event_id: event.eventId,
      user_id: `${this.settings.userPrefix ?? ''}${event.userId}`,
      item_id: String(event.itemId),
      action: event.action,
      event_time: event.eventTime,
      request_id: event.requestId,
      session_id: event.sessionId,
    };
    const response = await this.call('/v1/events', {
      method: 'POST',
      headers: { 'x-api-key': this.settings.eventsKey, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = await readJson(response);
    if (response.status !== 202) throw this.refusal(response, answer, 'events');
  }

  private async call(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(this.settings.timeoutMs) });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'TimeoutError') {
        throw new AppError(ErrorCode.Timeout, `the API at ${this.baseUrl} did not answer ${path.split('?')[0] ?? path} within ${this.settings.timeoutMs} ms`, {
          cause: error,
          retriable: true,
        });
      }
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
      const code = cause !== undefined && 'code' in cause ? String(cause.code) : (cause?.message ?? String(error));
      throw new AppError(ErrorCode.DependencyUnavailable, `cannot reach the API at ${this.baseUrl} (${code}): start it with \`npm run api\`, or pass --api URL`, {
        cause: error,
        retriable: true,
        details: { unreachable: true },
      });
    }
  }

  /** The API's own error code decides; the message says which option to change. */
  private refusal(response: Response, body: unknown, role: KeyRole): AppError {
    const { code, message } = errorOf(body);
    const said = `HTTP ${response.status}${code === undefined ? '' : ` ${code}`}${message === undefined ? '' : `: ${message}`}`;
    if (response.status === 401) {
      return new AppError(
        ErrorCode.Unauthorized,
        `the API at ${this.baseUrl} refused the ${role} key (${said}). Pass a valid key with ${KEY_OPTION[role]}, or let it default to ` +
          'STREAMREC_API_KEY_DEV from .stack/secrets.env (`npm run setup` creates it; restart the API after changing its keys file)',
      );
    }
    if (response.status === 403) {
      return new AppError(
        ErrorCode.Forbidden,
        `the ${role} key lacks the '${role}' scope (${said}). Pass a key with that scope with ${KEY_OPTION[role]}, e.g. one made by ` +
          '`npm run api:keys -- create --id storefront --scopes read,events --file .stack/api-keys.yaml` (then restart the API)',
      );
    }
    if (response.status === 429) {
      const seconds = Number(response.headers.get('retry-after') ?? '1');
      return new AppError(ErrorCode.RateLimited, `the API rate-limited the ${role} key (${said}): lower --rate or raise the key's rate_limit`, {
        retriable: true,
        details: { retryAfterMs: Number.isFinite(seconds) ? Math.max(0, seconds) * 1000 : 1000 },
      });
    }
    if (response.status === 404) return new AppError(ErrorCode.NotFound, `the API does not know it (${said})`);
    if (response.status >= 500) return new AppError(ErrorCode.DependencyUnavailable, `the API failed (${said})`, { retriable: true });
    return new AppError(ErrorCode.PayloadInvalid, `the API refused the request (${said})`);
  }
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

function errorOf(body: unknown): { code?: string; message?: string } {
  const error = isRecord(body) && isRecord(body['error']) ? body['error'] : undefined;
  const code = typeof error?.['code'] === 'string' ? error['code'] : undefined;
  const message = typeof error?.['message'] === 'string' ? error['message'] : undefined;
  return { ...(code === undefined ? {} : { code }), ...(message === undefined ? {} : { message }) };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The fields of a recommendation answer the storefront uses (docs/api.md); anything else is a broken answer. */
export function parseAnswer(body: unknown): RecommendationAnswer {
  const broken = (what: string): AppError => new AppError(ErrorCode.PayloadInvalid, `unexpected recommendation answer: ${what}`);
  if (!isRecord(body) || typeof body['request_id'] !== 'string' || !Array.isArray(body['items'])) throw broken('no request_id or items');
  const items = body['items'].map((item: unknown, index) => {
    if (!isRecord(item) || typeof item['item_id'] !== 'string' || !/^\d+$/.test(item['item_id'])) throw broken(`items[${index}].item_id`);
    return { itemId: Number(item['item_id']), position: typeof item['position'] === 'number' ? item['position'] : index };
  });
  const experiment = body['experiment'];
  if (experiment !== null && experiment !== undefined && !(isRecord(experiment) && typeof experiment['variant'] === 'string' && typeof experiment['id'] === 'string')) {
    throw broken('experiment');
  }
  return { requestId: body['request_id'], items, experiment: isRecord(experiment) ? { id: String(experiment['id']), variant: String(experiment['variant']) } : null };
}
