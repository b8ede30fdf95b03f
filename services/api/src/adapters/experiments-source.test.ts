import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { assignVariant } from '../domain/experiments/experiments.js';
import { createExperimentsSource, type ExperimentsReloadResult, type ExperimentsSource } from './experiments-source.js';

const configWith = (model: string): string => `defaults:
  weights: { transition: 1, cooccurrence: 1, tag: 0.5, industry: 0.4, price_bucket: 0.3, similar_users: 0.6, content: 0.7, trending: 0.2, popular: 0.1 }
  model: ${model}
  max_per_industry: 3
experiments:
  - id: exp
    variants: [{ name: only, share: 100 }]
`;
const brokenYaml = 'defaults:\n  weights: { transition: 1\n';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function silentLog() {
  return { info: vi.fn(), warn: vi.fn() };
}

function tempConfig(text: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'streamrec-experiments-'));
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
  const path = join(directory, 'experiments.yaml');
  writeFileSync(path, text);
  return path;
}

/** How an editor saves: write a sibling, then rename it over the original (a new inode). */
function replaceFile(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

function openSource(path: string, log = silentLog(), onReload?: (result: ExperimentsReloadResult) => void): ExperimentsSource {
  const source = createExperimentsSource({ path, log, debounceMs: 20, ...(onReload === undefined ? {} : { onReload }) });
  cleanups.unshift(() => source.close());
  return source;
}

describe('experiments source', () => {
  it('loads the file at start and reports its checksum', () => {
    const source = openSource(tempConfig(configWith('ranker')));
    expect(assignVariant(source.current(), 'u1', 'home')).toMatchObject({ experiment: 'exp', modelName: 'ranker' });
    expect(source.status()).toMatchObject({ checksum: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown, reloads: 0, failedReloads: 0, lastError: null });
  });

  it('a broken or missing file at boot is a REC_CONFIG_INVALID startup error', () => {
    expect(() => createExperimentsSource({ path: tempConfig(brokenYaml), log: silentLog() })).toThrow(
      expect.objectContaining({ code: ErrorCode.ConfigInvalid, message: expect.stringMatching(/line \d+, column \d+/) as unknown }),
    );
    let thrown: unknown;
    try {
      createExperimentsSource({ path: join(tmpdir(), 'streamrec-no-such-dir', 'experiments.yaml'), log: silentLog() });
    } catch (error) {
      thrown = error;
    }
    expect(isAppError(thrown, ErrorCode.ConfigInvalid)).toBe(true);
  });

  it('reload() swaps a valid file, keeps the previous config on an invalid one and reports why', () => {
    const path = tempConfig(configWith('ranker'));
    const log = silentLog();
    const results: ExperimentsReloadResult[] = [];
    const source = openSource(path, log, (result) => results.push(result));
    const bootChecksum = source.status().checksum;

    expect(source.reload()).toMatchObject({ ok: true, changed: false, checksum: bootChecksum });

    writeFileSync(path, configWith('ranker-v2'));
    const swapped = source.reload();
    expect(swapped).toMatchObject({ ok: true, changed: true, errors: [] });
    expect(swapped.checksum).not.toBe(bootChecksum);
    expect(source.current().defaults.modelName).toBe('ranker-v2');

    writeFileSync(path, configWith('Not A Model'));
    const rejected = source.reload();
    expect(rejected).toMatchObject({ ok: false, changed: false, checksum: swapped.checksum, loadedAt: swapped.loadedAt });
    expect(rejected.errors).toEqual(['defaults.model: a model name is lower-case (ranker), or null for no model']);
    expect(source.current().defaults.modelName).toBe('ranker-v2');
    expect(source.status()).toMatchObject({ reloads: 1, failedReloads: 1, lastError: { errors: rejected.errors } });
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(results.map((result) => result.ok)).toEqual([true, false]);

    rmSync(path);
    expect(source.reload().errors).toEqual([`cannot read ${path}: ENOENT`]);
    expect(source.current().defaults.modelName).toBe('ranker-v2');
  });

  it('watching the directory hot-swaps an editor-style replace and rejects a broken save', async () => {
    const path = tempConfig(configWith('ranker'));
    const source = openSource(path);
    source.watch();

    replaceFile(path, configWith('ranker-v2'));
    await vi.waitFor(() => expect(source.current().defaults.modelName).toBe('ranker-v2'), { timeout: 5_000, interval: 10 });
    const afterSwap = source.status();
    expect(afterSwap.reloads).toBe(1);

    replaceFile(path, brokenYaml);
    await vi.waitFor(() => expect(source.status().failedReloads).toBeGreaterThanOrEqual(1), { timeout: 5_000, interval: 10 });
    expect(source.current().defaults.modelName).toBe('ranker-v2');
    expect(source.status()).toMatchObject({ checksum: afterSwap.checksum, lastError: { errors: [expect.stringMatching(/^line \d+, column \d+: YAML syntax/)] } });

    writeFileSync(path, configWith('ranker-v3'));
    await vi.waitFor(() => expect(source.current().defaults.modelName).toBe('ranker-v3'), { timeout: 5_000, interval: 10 });
    expect(source.status().lastError).toBeNull();
  });

  it('after close() a change is no longer picked up', async () => {
    const path = tempConfig(configWith('ranker'));
    const closed = openSource(path);
    closed.watch();
    closed.close();
    // A second, watching source is the witness that the change event has been delivered.
    const witness = openSource(path);
    witness.watch();
    replaceFile(path, configWith('ranker-v2'));
    await vi.waitFor(() => expect(witness.current().defaults.modelName).toBe('ranker-v2'), { timeout: 5_000, interval: 10 });
    expect(closed.current().defaults.modelName).toBe('ranker');
    expect(closed.status().reloads).toBe(0);
  });
});
