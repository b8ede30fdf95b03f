import { parseAlerts, type ActiveAlert } from '../domain/alerts.js';

/** The alerts Prometheus evaluates now (pending and firing). */
export function prometheusAlerts(baseUrl: string): () => Promise<ActiveAlert[]> {
  return async () => {
    const response = await fetch(new URL('/api/v1/alerts', baseUrl), { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`Prometheus answered ${response.status}`);
    return parseAlerts(await response.json());
  };
}
