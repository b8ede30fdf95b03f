import { AppError, ErrorCode } from '@streamrec/foundation';
import type { ConnectorStatus } from '../domain/connector-status.js';

/** What the connectors tool needs from the Kafka Connect REST API. */
export interface ConnectApi {
  getConfig(name: string): Promise<Record<string, string> | undefined>;
  putConfig(name: string, config: Readonly<Record<string, string>>): Promise<void>;
  getStatus(name: string): Promise<ConnectorStatus | undefined>;
  restartFailed(name: string): Promise<void>;
  list(): Promise<string[]>;
  remove(name: string): Promise<void>;
  /** PUT /connectors/{name}/stop: tasks shut down, config kept (STOPPED; offsets can then be changed). */
  stop(name: string): Promise<void>;
  /** PUT /connectors/{name}/resume. */
  resume(name: string): Promise<void>;
  /** GET /connectors/{name}/offsets: the source offsets the framework stores. */
  getOffsets(name: string): Promise<readonly ConnectorOffset[]>;
  /** DELETE /connectors/{name}/offsets (the connector must be STOPPED): the next start begins afresh. */
  deleteOffsets(name: string): Promise<void>;
}

export interface ConnectorOffset {
  readonly partition: Readonly<Record<string, unknown>>;
  readonly offset: Readonly<Record<string, unknown>>;
}

export function createConnectRestClient(baseUrl: string, requestTimeoutMs = 10_000): ConnectApi {
  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    let response: Response;
    try {
      response = await fetch(new URL(path, baseUrl), {
        method,
        headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
    } catch (cause) {
      throw new AppError(ErrorCode.DependencyUnavailable, `Kafka Connect at ${baseUrl} is unreachable (${method} ${path})`, {
        retriable: true,
        cause,
      });
    }
    const text = await response.text();
    const json: unknown = text === '' ? undefined : safeJson(text);
    if (response.status >= 400 && response.status !== 404) {
      const message = typeof json === 'object' && json !== null && 'message' in json ? String(json.message) : text;
      throw new AppError(ErrorCode.ConnectRequestFailed, `Kafka Connect ${method} ${path} answered ${response.status}: ${message}`, {
        // 409 = rebalance in progress; 5xx = worker trouble: both pass.
        retriable: response.status === 409 || response.status >= 500,
      });
    }
    return { status: response.status, json };
  }

  const path = (name: string, suffix = ''): string => `/connectors/${encodeURIComponent(name)}${suffix}`;

  return {
    async getConfig(name) {
      const { status, json } = await call('GET', path(name, '/config'));
      return status === 404 ? undefined : (json as Record<string, string>);
    },
    async putConfig(name, config) {
      await call('PUT', path(name, '/config'), config);
    },
    async getStatus(name) {
      const { status, json } = await call('GET', path(name, '/status'));
      return status === 404 ? undefined : (json as ConnectorStatus);
    },
    async restartFailed(name) {
      await call('POST', path(name, '/restart?includeTasks=true&onlyFailed=true'));
    },
    async list() {
      const { json } = await call('GET', '/connectors');
      return Array.isArray(json) ? json.map(String) : [];
    },
    async remove(name) {
      await call('DELETE', path(name));
    },
    async stop(name) {
      await call('PUT', path(name, '/stop'));
    },
    async resume(name) {
      await call('PUT', path(name, '/resume'));
    },
    async getOffsets(name) {
      const { json } = await call('GET', path(name, '/offsets'));
      const offsets = (json as { offsets?: unknown } | undefined)?.offsets;
      return Array.isArray(offsets) ? (offsets as ConnectorOffset[]) : [];
    },
    async deleteOffsets(name) {
      await call('DELETE', path(name, '/offsets'));
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
