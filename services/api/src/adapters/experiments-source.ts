import { createHash } from 'node:crypto';
import { readFileSync, watch as watchDirectory, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { type Logger } from '@streamrec/foundation/process';
import { parseExperimentsYaml, validateExperimentsYaml, type ExperimentsConfig } from '../domain/experiments/experiments.js';

/**
 * The experiments file as the running API sees it: loaded at boot (a bad file stops the boot),
 * then swapped in place when the file changes. An invalid edit never reaches requests: the
 * previous config keeps serving and the errors are logged, counted and shown in status().
 */

export interface ExperimentsReloadResult {
  readonly ok: boolean;
  /** False when the file's content equals the config already serving (nothing swapped). */
  readonly changed: boolean;
  /** Why the file was rejected (path: message, or line/column for YAML syntax); empty when ok. */
  readonly errors: readonly string[];
  /** When the serving config was loaded (ISO 8601), after this reload. */
  readonly loadedAt: string;
  /** sha256 (hex) of the serving config's file content, after this reload. */
  readonly checksum: string;
}

export interface ExperimentsSourceStatus {
  readonly path: string;
  readonly checksum: string;
  readonly loadedAt: string;
  /** Successful swaps since boot. */
  readonly reloads: number;
  /** Rejected files since boot. */
  readonly failedReloads: number;
  /** The latest rejection, cleared by the next successful reload. */
  readonly lastError: { readonly at: string; readonly errors: readonly string[] } | null;
}

export interface ExperimentsSource {
  current(): ExperimentsConfig;
  /** Read and parse the file now; on failure the previous config stays. */
  reload(): ExperimentsReloadResult;
  /** Start reloading on file changes (idempotent). */
  watch(): void;
  close(): void;
  status(): ExperimentsSourceStatus;
}

export interface ExperimentsSourceOptions {
  readonly path: string;
  readonly log: Pick<Logger, 'info' | 'warn'>;
  /** Called after every reload that swapped the config or rejected the file (e.g. to count it in metrics). */
  readonly onReload?: (result: ExperimentsReloadResult) => void;
  /** Editors write a file in several steps (temp file, rename, chmod); one reload per burst. */
  readonly debounceMs?: number;
  readonly now?: () => Date;
}

interface Loaded {
  readonly config: ExperimentsConfig;
  readonly checksum: string;
  readonly loadedAt: string;
}

export function createExperimentsSource(options: ExperimentsSourceOptions): ExperimentsSource {
  const { path, log, onReload } = options;
  const debounceMs = options.debounceMs ?? 100;
  const now = options.now ?? (() => new Date());

  let loaded = loadAtBoot(path, now);
  let reloads = 0;
  let failedReloads = 0;
  let lastError: ExperimentsSourceStatus['lastError'] = null;
  let watcher: FSWatcher | undefined;
  let pending: NodeJS.Timeout | undefined;

  const resultOf = (ok: boolean, changed: boolean, errors: readonly string[]): ExperimentsReloadResult => ({
    ok,
    changed,
    errors,
    loadedAt: loaded.loadedAt,
    checksum: loaded.checksum,
  });

  const reject = (errors: readonly string[]): ExperimentsReloadResult => {
    failedReloads += 1;
    lastError = { at: now().toISOString(), errors };
    log.warn({ path, errors, checksum: loaded.checksum }, 'experiments config rejected; the previous config keeps serving');
    const result = resultOf(false, false, errors);
    onReload?.(result);
    return result;
  };

  const reload = (): ExperimentsReloadResult => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      return reject([`cannot read ${path}: ${describeReadError(error)}`]);
    }
    const checksum = checksumOf(text);
    if (checksum === loaded.checksum) {
      lastError = null;
      return resultOf(true, false, []);
    }
    const validation = validateExperimentsYaml(text);
    if (!validation.ok) return reject(validation.violations);
    loaded = { config: validation.value, checksum, loadedAt: now().toISOString() };
    reloads += 1;
    lastError = null;
    log.info({ path, checksum, experiments: validation.value.experiments.map((experiment) => experiment.id) }, 'experiments config reloaded');
    const result = resultOf(true, true, []);
    onReload?.(result);
    return result;
  };

  const scheduleReload = (): void => {
    if (pending !== undefined) clearTimeout(pending);
    pending = setTimeout(() => {
      pending = undefined;
      reload();
    }, debounceMs);
  };

  return {
    current: () => loaded.config,
    reload,
    watch(): void {
      if (watcher !== undefined) return;
      // Watch the directory, not the file: an editor's save (or a Kubernetes ConfigMap's symlink
      // swap) replaces the file, and a watch on the old inode would never fire again. Any event in
      // the directory triggers a read; an unchanged checksum makes it a no-op.
      watcher = watchDirectory(dirname(path), { persistent: false }, scheduleReload);
      watcher.on('error', (error) => log.warn({ path, err: error }, 'watching the experiments config failed; use reload()'));
    },
    close(): void {
      if (pending !== undefined) clearTimeout(pending);
      pending = undefined;
      watcher?.close();
      watcher = undefined;
    },
    status: () => ({ path, checksum: loaded.checksum, loadedAt: loaded.loadedAt, reloads, failedReloads, lastError }),
  };
}

function loadAtBoot(path: string, now: () => Date): Loaded {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AppError(ErrorCode.ConfigInvalid, `cannot read the experiments config ${path}: ${describeReadError(error)}`, { cause: error, details: { path } });
  }
  return { config: parseExperimentsYaml(text, path), checksum: checksumOf(text), loadedAt: now().toISOString() };
}

function checksumOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function describeReadError(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.message : String(error);
}
