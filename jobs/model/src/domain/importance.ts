/** The `importance.gain.<feature>` metrics a trained model's publication carries (jobs/retrain), by feature. */
export function importanceGain(metrics: Readonly<Record<string, number>>): Record<string, number> {
  const prefix = 'importance.gain.';
  return Object.fromEntries(Object.entries(metrics).filter(([name, value]) => name.startsWith(prefix) && Number.isFinite(value)).map(([name, value]) => [name.slice(prefix.length), value]));
}
