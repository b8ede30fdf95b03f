import type { Logger } from '@streamrec/foundation/process';
import { ModelRejectionReason } from '@streamrec/ranking';
import { readOptionalFile, writeFileAtomically } from './atomic-file.js';

/** Bounds on loading a published model into onnxruntime (the API's `models` settings). */
export interface ModelLoadLimits {
  /** ONNX bytes above this are refused before onnxruntime sees them. */
  readonly maxBytes: number;
  /** Loading and warming up longer than this is refused (the late session is released when it ends). */
  readonly loadTimeoutMs: number;
  /** After this many loads of the same bytes that never ended (the process died), they are not tried again. */
  readonly quarantineAfterCrashes: number;
  /** Where loads in progress are recorded (the API's data directory); none: no quarantine. */
  readonly journalFile?: string;
}

export const DEFAULT_MODEL_LOAD_LIMITS: ModelLoadLimits = Object.freeze({ maxBytes: 64 * 1024 * 1024, loadTimeoutMs: 60_000, quarantineAfterCrashes: 2 });

export type Admission = { readonly ok: true } | { readonly ok: false; readonly reason: ModelRejectionReason; readonly message: string };

export interface ModelLoadGuard {
  /**
   * Refuses bytes that are too large or quarantined; otherwise records, durably and before onnxruntime
   * runs, that a load of `sha256` started. A load that kills the process is never settled: it counts.
   */
  admit(sha256: string, bytes: number, label: string): Promise<Admission>;
  /** Runs the load under the time limit; `release` frees a result that arrives after the limit. */
  bounded<T>(load: Promise<T>, release: (late: T) => Promise<void>, label: string): Promise<T>;
  /** The load ended, loaded or refused, and the process lived: forget it. */
  settle(sha256: string): Promise<void>;
}

export class ModelLoadTimeout extends Error {}

/**
 * A model whose load crashes the process (a native fault in onnxruntime) would crash it again on every
 * start, and every replica reading the same compacted topic with it: the journal counts the loads that
 * started and never ended, per sha256 of the bytes, and after `quarantineAfterCrashes` of them the
 * bytes are refused with `quarantined` while the previous model (or the recall order) keeps serving.
 */
export async function createModelLoadGuard(limits: ModelLoadLimits, log: Logger): Promise<ModelLoadGuard> {
  const unfinished = new Map<string, number>();
  const file = limits.journalFile;
  if (file !== undefined) {
    const saved = await readOptionalFile(file).catch(() => undefined);
    try {
      for (const [sha256, count] of Object.entries(saved === undefined ? {} : (JSON.parse(saved) as Record<string, number>))) {
        if (typeof count === 'number') unfinished.set(sha256, count);
      }
    } catch (error) {
      log.warn({ err: error, file }, 'model load journal unreadable; starting empty');
    }
    for (const [sha256, count] of unfinished) log.warn({ sha256, crashes: count, file }, 'a model load did not finish before this process last stopped');
  }
  const persist = async (): Promise<void> => {
    if (file !== undefined) await writeFileAtomically(file, JSON.stringify(Object.fromEntries(unfinished)));
  };
  return {
    async admit(sha256, bytes, label) {
      if (bytes > limits.maxBytes) {
        return { ok: false, reason: ModelRejectionReason.TooLarge, message: `${label}: ${bytes} bytes of ONNX, more than models.maxBytes (${limits.maxBytes})` };
      }
      const crashes = unfinished.get(sha256) ?? 0;
      if (file !== undefined && crashes >= limits.quarantineAfterCrashes) {
        return {
          ok: false,
          reason: ModelRejectionReason.Quarantined,
          message: `${label}: loading these bytes (sha256 ${sha256}) stopped this process ${crashes} times; quarantined (publish another version; the journal is ${file})`,
        };
      }
      unfinished.set(sha256, crashes + 1);
      await persist();
      return { ok: true };
    },
    bounded(load, release, label) {
      return new Promise((resolve, reject) => {
        let late = false;
        const timer = setTimeout(() => {
          late = true;
          reject(new ModelLoadTimeout(`${label}: loading took longer than models.loadTimeoutMs (${limits.loadTimeoutMs} ms)`));
        }, limits.loadTimeoutMs);
        timer.unref();
        load.then(
          (value) => {
            clearTimeout(timer);
            if (late) release(value).catch((error: unknown) => log.warn({ err: error }, `${label}: releasing a model loaded too late failed`));
            else resolve(value);
          },
          (error: unknown) => {
            clearTimeout(timer);
            if (!late) reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
      });
    },
    async settle(sha256) {
      if (!unfinished.delete(sha256)) return;
      await persist();
    },
  };
}
