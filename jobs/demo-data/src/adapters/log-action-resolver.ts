import type { RowDataPacket } from 'mysql2/promise';
import { actionHash, actionKeyId, type ActionKey } from '../domain/matomo.js';
import type { ChangeTally } from '../domain/tally.js';
import type { MariaDbWriter, SqlValue } from './mariadb-writer.js';

interface ActionRow extends RowDataPacket {
  idaction: number;
  type: number;
  name: string;
}

export const LOG_ACTION_TABLE = 'matomo.matomo_log_action';
const LOOKUP_CHUNK = 200;

/**
 * Maps (type, name) to matomo_log_action.idaction the way Matomo's tracker does: look the row up
 * by type + CRC32 hash + name, and insert it only when it does not exist yet. Ids learnt inside
 * a transaction are cached only after it committed (`commit`), so a rollback cannot leave a
 * cached id that points nowhere.
 */
export class LogActionResolver {
  private readonly known = new Map<string, number>();
  private pending = new Map<string, number>();

  constructor(private readonly writer: MariaDbWriter) {}

  /** Ids of all keys; inserts the missing rows (counted in `tally`). Call inside a transaction. */
  async resolve(keys: readonly ActionKey[], tally: ChangeTally): Promise<ReadonlyMap<string, number>> {
    const ids = new Map<string, number>();
    const missing = new Map<string, ActionKey>();
    for (const key of keys) {
      const id = actionKeyId(key);
      const cached = this.known.get(id) ?? this.pending.get(id);
      if (cached !== undefined) ids.set(id, cached);
      else missing.set(id, key);
    }
    const unknown = [...missing.values()];
    for (let start = 0; start < unknown.length; start += LOOKUP_CHUNK) {
      for (const [id, idaction] of await this.lookup(unknown.slice(start, start + LOOKUP_CHUNK))) {
        ids.set(id, idaction);
        this.pending.set(id, idaction);
        missing.delete(id);
      }
    }
    const toInsert = [...missing.values()];
    if (toInsert.length > 0) {
      const inserted = await this.writer.insert(
        LOG_ACTION_TABLE,
        ['name', 'hash', 'type', 'url_prefix'],
        toInsert.map((key) => [key.name, actionHash(key), key.type, key.urlPrefix]),
      );
      toInsert.forEach((key, i) => {
        const idaction = inserted[i];
        if (idaction === undefined) return;
        ids.set(actionKeyId(key), idaction);
        this.pending.set(actionKeyId(key), idaction);
      });
      tally.inserted('matomo.matomo_log_action', toInsert.length);
    }
    return ids;
  }

  commit(): void {
    for (const [id, idaction] of this.pending) this.known.set(id, idaction);
    this.pending = new Map();
  }

  rollback(): void {
    this.pending = new Map();
  }

  private async lookup(keys: readonly ActionKey[]): Promise<Map<string, number>> {
    if (keys.length === 0) return new Map();
    const values: SqlValue[] = [];
    const conditions = keys.map((key) => {
      values.push(key.type, actionHash(key), key.name);
      return '(type = ? AND hash = ? AND name = ?)';
    });
    const rows = await this.writer.select<ActionRow>(
      `SELECT idaction, type, name FROM ${LOG_ACTION_TABLE} WHERE ${conditions.join(' OR ')} ORDER BY idaction`,
      values,
    );
    // The column collation ignores case; Matomo's names are exact, so compare them byte for byte.
    const wanted = new Map(keys.map((key) => [actionKeyId(key), key]));
    const found = new Map<string, number>();
    for (const row of rows) {
      const id = `${row.type}\u0000${row.name}`;
      if (wanted.has(id) && !found.has(id)) found.set(id, Number(row.idaction));
    }
    return found;
  }
}
