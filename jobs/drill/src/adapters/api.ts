import type { Answer, ApiProbe } from '../domain/world.js';

/** The running API over HTTP with the development key (read and admin scopes): /v1 on `baseUrl`, readiness and admin on `opsUrl`. */
export function apiProbe(baseUrl: string, opsUrl: string, apiKey: string): ApiProbe {
  const call = async (method: 'GET' | 'POST', path: string, base = baseUrl): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(new URL(path, base), { method, headers: { 'x-api-key': apiKey, accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      body = { text };
    }
    return { status: response.status, body };
  };
  return {
    async recommend(userId) {
      const { status, body } = await call('GET', `/v1/recommendations?user_id=${encodeURIComponent(userId)}&limit=10`);
      const items = Array.isArray(body['items']) ? (body['items'] as { item_id: string }[]) : [];
      const model = body['model'] as { version?: string } | null | undefined;
      const experiment = body['experiment'] as { id?: string; variant?: string } | null | undefined;
      const answer: Answer = {
        status,
        degradedReasons: Array.isArray(body['degraded_reasons']) ? (body['degraded_reasons'] as string[]) : [],
        itemIds: items.map((item) => item.item_id),
        modelVersion: model?.version ?? undefined,
        experiment: experiment?.id === undefined ? undefined : `${experiment.id}/${experiment.variant ?? ''}`,
        errorCode: (body['error'] as { code?: string } | undefined)?.code,
      };
      return answer;
    },
    async ready() {
      const { body } = await call('GET', '/readyz', opsUrl);
      const checks = (body['checks'] ?? {}) as Record<string, { ok: boolean; detail?: string }>;
      const failing = Object.entries(checks).filter(([, check]) => !check.ok);
      return { ready: body['ready'] === true, detail: failing.length === 0 ? 'all checks ok' : failing.map(([name, check]) => `${name}: ${check.detail ?? 'failing'}`).join('; ') };
    },
    async reloadExperiments() {
      const { status, body } = await call('POST', '/admin/experiments/reload', opsUrl);
      const error = body['error'] as { code?: string; details?: unknown } | undefined;
      return { status, code: error?.code, details: JSON.stringify(error?.details ?? body['errors'] ?? []).slice(0, 300) };
    },
    async servedModel(name) {
      const { status, body } = await call('GET', '/admin/status', opsUrl);
      if (status !== 200) throw new Error(`GET /admin/status answered ${status}`);
      const models = (body['models'] ?? {}) as { models?: Record<string, { version: string }>; rejections?: Record<string, { version: string | null; reason: string }> };
      const rejection = models.rejections?.[name];
      return { version: models.models?.[name]?.version, rejected: rejection === undefined ? [] : [`${rejection.version ?? '?'}: ${rejection.reason}`] };
    },
  };
}
