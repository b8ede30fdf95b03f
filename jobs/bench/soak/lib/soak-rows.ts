/**
 * What the normalize soak writes: Debezium change events of Matomo rows that only grow normalize's
 * lazily loaded stores, and nothing downstream. Each round brings new log_action rows (pages outside the
 * dataset catalogue, so no interaction is emitted for them) and new visits of logged-in visitors (each a
 * new device linked to a user: the `visitors` store). Pure.
 */
export interface SoakIds {
  /** First idaction of the run (uint32 range, far above real Matomo ids). */
  readonly actionBase: number;
  /** First idvisit of the run. */
  readonly visitBase: number;
  /** First user id of the run (users that do not exist in the shop). */
  readonly userBase: number;
  /** Six hex digits that start every visitor id of the run. */
  readonly visitorPrefix: string;
}

export interface SoakRound {
  readonly actions: readonly Record<string, unknown>[];
  readonly visits: readonly Record<string, unknown>[];
}

export const soakTopics = { action: 'cdc.matomo.matomo_log_action', visit: 'cdc.matomo.matomo_log_visit' } as const;

/** Round `round` (0-based) of `perRound` new actions and `perRound` new logged-in visitors, at `at` (epoch ms). */
export function soakRound(ids: SoakIds, round: number, perRound: number, at: number): SoakRound {
  const actions: Record<string, unknown>[] = [];
  const visits: Record<string, unknown>[] = [];
  for (let n = 0; n < perRound; n += 1) {
    const k = round * perRound + n;
    actions.push({ idaction: ids.actionBase + k, name: `soak.example.invalid/page/${k}`, type: 1 });
    visits.push({ idvisit: ids.visitBase + k, idvisitor: `${ids.visitorPrefix}${k.toString(16).padStart(10, '0')}`, user_id: String(ids.userBase + (k % 5_000)), visit_last_action_time: at + n });
  }
  return { actions, visits };
}

/** A Debezium (MariaDB connector, JSON converter) insert envelope of `row` in `matomo.<table>`. */
export function insertEnvelope(table: string, row: Record<string, unknown>, position: number, now: number): string {
  return JSON.stringify({
    before: null,
    after: row,
    op: 'c',
    ts_ms: now,
    source: { version: '3.5.0.Final', connector: 'mariadb', name: 'cdc', ts_ms: now, snapshot: 'false', db: 'matomo', table, server_id: 1, file: 'binlog.000001', pos: position, row: 0 },
    transaction: null,
  });
}
