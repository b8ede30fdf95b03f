import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Where received alerts go: one append per notification. */
export interface AlertLog {
  append(text: string): Promise<void>;
}

/**
 * Appends to a local file (O_APPEND). Appends are chained, so two notifications arriving together are
 * written one after the other, never interleaved; a failed append rejects (the webhook answers 500 and
 * Alertmanager retries).
 */
export function fileAlertLog(path: string): AlertLog {
  let tail: Promise<void> = mkdir(dirname(path), { recursive: true }).then(() => undefined);
  return {
    append(text) {
      const write = tail.then(() => appendFile(path, text, { encoding: 'utf8', flag: 'a' }));
      tail = write.catch(() => undefined);
      return write;
    },
  };
}
