import mysql from 'mysql2/promise';
import type { SignalRow } from '@streamrec/cdc';
import type { SignalWriter } from '../snapshot-by-signal.js';

export interface MariaDbAccount {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

/** Debezium's signal table in the shop database, written with a prepared INSERT (one autocommit transaction per row). */
export async function openSignalTableWriter(account: MariaDbAccount): Promise<SignalWriter & { close(): Promise<void> }> {
  const connection = await mysql.createConnection({ host: account.host, port: account.port, user: account.user, password: account.password, database: 'shop' });
  return {
    async insert(row: SignalRow) {
      await connection.execute('INSERT INTO debezium_signal (id, type, data) VALUES (?, ?, ?)', [row.id, row.type, row.data]);
    },
    close: () => connection.end(),
  };
}
