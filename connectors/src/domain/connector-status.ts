/** The subset of Connect's GET /connectors/{name}/status that decides readiness. */
export interface ConnectorStatus {
  readonly name: string;
  readonly connector: { readonly state: string; readonly trace?: string };
  readonly tasks: readonly { readonly id: number; readonly state: string; readonly trace?: string }[];
}

export const Readiness = { Running: 'running', Pending: 'pending', Failed: 'failed' } as const;
export type Readiness = (typeof Readiness)[keyof typeof Readiness];

export interface ReadinessVerdict {
  readonly readiness: Readiness;
  readonly summary: string;
  /** First line of each failure trace, for the operator. */
  readonly failures: readonly string[];
}

/** Running only when the connector and at least one task run, and every task runs. */
export function judgeReadiness(status: ConnectorStatus): ReadinessVerdict {
  const failures: string[] = [];
  if (status.connector.state === 'FAILED') failures.push(`connector: ${firstLine(status.connector.trace)}`);
  for (const task of status.tasks) {
    if (task.state === 'FAILED') failures.push(`task ${task.id}: ${firstLine(task.trace)}`);
  }
  const tasks = status.tasks.map((task) => `task ${task.id} ${task.state}`).join(', ') || 'no tasks yet';
  const summary = `${status.name}: connector ${status.connector.state} (${tasks})`;
  if (failures.length > 0) return { readiness: Readiness.Failed, summary, failures };
  const running =
    status.connector.state === 'RUNNING' && status.tasks.length > 0 && status.tasks.every((task) => task.state === 'RUNNING');
  return { readiness: running ? Readiness.Running : Readiness.Pending, summary, failures };
}

function firstLine(trace: string | undefined): string {
  return (trace ?? 'no trace').split('\n')[0] ?? 'no trace';
}
