import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  readonly description: string;
  /** Errors for which waiting longer cannot help: rethrown at once. */
  readonly failFast?: (error: unknown) => boolean;
}

/** Polls a condition until it returns a value other than undefined/false; fails with the description on timeout. */
export async function waitFor<T>(condition: () => Promise<T | undefined | false> | T | undefined | false, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await condition();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      if (options.failFast?.(error) === true) throw error;
      lastError = error;
    }
    await sleep(options.intervalMs ?? 200);
  }
  const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.description}${reason}`);
}
