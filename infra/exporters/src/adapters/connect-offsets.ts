import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommittedOffset } from '../domain/binlog-families.js';
import { binlogOffsets } from '../domain/connect-offsets.js';

export interface ConnectOffsetsSource {
  /** Reads every connector's offsets from Connect now; rejects when Connect does not answer. */
  read(): Promise<readonly CommittedOffset[]>;
  /** The offsets of the last successful read (from disk after a restart). */
  lastRead(): readonly CommittedOffset[];
}

export interface ConnectOffsetsSettings {
  readonly url: string;
  readonly stateDir: string;
  readonly timeoutMs: number;
  readonly now?: () => number;
  /** Keeping the offsets on disk failed (they are still served from memory). */
  readonly onSaveFailed?: (error: unknown) => void;
}

/**
 * The committed binlog position of every connector (GET /connectors, GET /connectors/<name>/offsets).
 * While no Connect worker runs, nothing can commit a new offset, so the last one read is still the one
 * a restarted connector resumes from: it is served (and kept on disk across exporter restarts), which
 * is what lets an alert see binlog retention outrun an offline connector.
 */
export async function connectOffsetsSource(settings: ConnectOffsetsSettings): Promise<ConnectOffsetsSource> {
  const now = settings.now ?? Date.now;
  const file = join(settings.stateDir, 'connect-offsets.json');
  let last: CommittedOffset[] = await readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as CommittedOffset[],
    () => [],
  );
  const get = async (path: string): Promise<unknown> => {
    const response = await fetch(`${settings.url}${path}`, { signal: AbortSignal.timeout(settings.timeoutMs) });
    if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
    return response.json();
  };
  const save = async (offsets: readonly CommittedOffset[]): Promise<void> => {
    await mkdir(settings.stateDir, { recursive: true });
    await writeFile(`${file}.tmp`, JSON.stringify(offsets));
    await rename(`${file}.tmp`, file);
  };
  return {
    async read() {
      const names = await get('/connectors');
      if (!Array.isArray(names)) throw new Error('GET /connectors: not a list');
      const readAtMs = now();
      const offsets: CommittedOffset[] = [];
      for (const name of names) {
        if (typeof name !== 'string') continue;
        for (const offset of binlogOffsets(name, await get(`/connectors/${encodeURIComponent(name)}/offsets`))) {
          // Without ts_sec (no event since the connector restarted) the last event time read stands: an
          // earlier time, so the purge estimate stays on the early, safe side.
          const eventTimestampSeconds = offset.eventTimestampSeconds ?? last.find((known) => known.connector === name)?.eventTimestampSeconds;
          offsets.push({ ...offset, eventTimestampSeconds, readAtMs });
        }
      }
      last = offsets;
      await save(offsets).catch((error: unknown) => settings.onSaveFailed?.(error));
      return offsets;
    },
    lastRead: () => last,
  };
}
