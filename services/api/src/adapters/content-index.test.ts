import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { decimalFromString, type ItemChange } from '@streamrec/schemas';
import { isAppError, ErrorCode } from '@streamrec/foundation';
import { itemIdOf } from '@streamrec/streams-common';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createContentIndex, loadContentIndex, type ContentIndex } from './content-index.js';
import { sidecarFile } from './content-index-store.js';

let version = 1;
function change(id: number, title: string, extra: Partial<ItemChange> = {}): ItemChange {
  version += 1;
  return {
    id,
    title,
    description: '',
    tags: [],
    industry: '',
    price: decimalFromString('0'),
    status: 'listed',
    available: true,
    deleted: false,
    created_at: 0,
    updated_at: 0,
    source_version: version,
    ...extra,
  };
}

const english: readonly ItemChange[] = [
  change(1, 'Retail sales transactions', { tags: ['retail'] }),
  change(2, 'Sales of retail stores', { description: 'monthly turnover of high street stores' }),
  change(3, 'Satellite weather images', { tags: ['weather', 'satellite'] }),
  change(4, 'Airline passenger counts', { tags: ['transport'] }),
  change(5, 'Hourly electricity prices', { tags: ['energy'] }),
  change(6, 'Weather station temperatures', { tags: ['weather'] }),
];
const chinese: readonly ItemChange[] = [
  change(11, '上海房地产成交数据'),
  change(12, '上海二手房成交记录'),
  change(13, '北京空气质量监测'),
  change(14, '深圳电子产品出口统计'),
];

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'content-index-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function indexOf(changes: readonly ItemChange[], options: Parameters<typeof createContentIndex>[0] = {}): ContentIndex {
  const index = createContentIndex(options);
  for (const item of changes) index.apply(item);
  return index;
}

const ids = (index: ContentIndex, item: number, limit = 10): string[] => index.similarToItem(itemIdOf(item), limit).map((scored) => scored.item);
const scoreOf = (index: ContentIndex, from: number, to: number): number =>
  index.similarToItem(itemIdOf(from), 100).find((scored) => scored.item === String(to))?.score ?? -Infinity;

function capturingLogger(): { log: pino.Logger; messages: string[] } {
  const messages: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      messages.push((JSON.parse(chunk.toString()) as { msg: string }).msg);
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), messages };
}

describe('content index recall', () => {
  it('ranks an English item on the same topic above an unrelated one', () => {
    const index = indexOf(english);
    expect(scoreOf(index, 1, 2)).toBeGreaterThan(scoreOf(index, 1, 3));
    expect(ids(index, 1)[0]).toBe('2');
    expect(ids(index, 3)[0]).toBe('6');
  });

  it('matches short Chinese titles through shared words and bigrams', () => {
    const index = indexOf([...english, ...chinese]);
    expect(scoreOf(index, 11, 12)).toBeGreaterThan(scoreOf(index, 11, 13));
    expect(ids(index, 11)[0]).toBe('12');
    expect(scoreOf(index, 11, 12)).toBeGreaterThan(0.1);
  });

  it('matches Chinese titles whose dictionary words differ but share characters', () => {
    // The segmenter reads 上海市 as one word and 上海 as another; only the bigram 上海 links them.
    const index = indexOf([...chinese, change(21, '上海市年鉴'), change(22, '上海交通流量'), change(23, '北京交通流量')]);
    expect(scoreOf(index, 21, 22)).toBeGreaterThan(0.05);
    expect(scoreOf(index, 21, 22)).toBeGreaterThan(scoreOf(index, 21, 23) + 0.1);
  });

  it('excludes the seeds, respects the limit and orders by cosine similarity', () => {
    const index = indexOf(english);
    const seeds = [{ item: itemIdOf(1), weight: 1 }, { item: itemIdOf(6), weight: 1 }];
    const results = index.similarToItems(seeds, 3);
    expect(results).toHaveLength(3);
    expect(results.map((r) => r.item)).not.toContain('1');
    expect(results.map((r) => r.item)).not.toContain('6');
    expect(results.map((r) => r.item).slice(0, 2).sort()).toEqual(['2', '3']);
    for (const [i, result] of results.entries()) {
      expect(result.score).toBeLessThanOrEqual(1);
      expect(result.score).toBeGreaterThanOrEqual(-1);
      if (i > 0) expect(result.score).toBeLessThanOrEqual((results[i - 1] as { score: number }).score);
    }
  });

  it('moves the results towards the heavier seed', () => {
    const index = indexOf(english);
    const towardsRetail = index.similarToItems([{ item: itemIdOf(1), weight: 5 }, { item: itemIdOf(6), weight: 1 }], 1);
    const towardsWeather = index.similarToItems([{ item: itemIdOf(1), weight: 1 }, { item: itemIdOf(6), weight: 5 }], 1);
    expect(towardsRetail[0]?.item).toBe('2');
    expect(towardsWeather[0]?.item).toBe('3');
  });

  it('returns nothing for unknown seeds, a zero limit or an empty index', () => {
    const index = indexOf(english);
    expect(index.similarToItem(itemIdOf(999), 5)).toEqual([]);
    expect(index.similarToItem(itemIdOf(1), 0)).toEqual([]);
    expect(createContentIndex().similarToItem(itemIdOf(1), 5)).toEqual([]);
  });
});

describe('content index following the catalogue', () => {
  it('never returns an item once it is deleted, unavailable or tombstoned', () => {
    const index = indexOf(english);
    index.apply({ ...(english[1] as ItemChange), deleted: true, source_version: 1_000 });
    index.apply({ ...(english[5] as ItemChange), available: false, source_version: 1_000 });
    index.forget('3');
    const everything = index.similarToItems([{ item: itemIdOf(1), weight: 1 }, { item: itemIdOf(4), weight: 1 }], 100).map((r) => r.item);
    expect(everything).not.toContain('2');
    expect(everything).not.toContain('6');
    expect(everything).not.toContain('3');
    expect(index.size).toBe(3);
    expect(index.similarToItem(itemIdOf(2), 5)).toEqual([]);
  });

  it('ignores a redelivered older change, so a deleted item is not resurrected', () => {
    const index = indexOf(english);
    const original = english[1] as ItemChange;
    index.apply({ ...original, deleted: true, source_version: 1_000 });
    index.apply(original);
    expect(ids(index, 1)).not.toContain('2');
    index.apply({ ...original, source_version: 1_001 });
    expect(ids(index, 1)[0]).toBe('2');
  });

  it('re-embeds an item whose text changed and keeps the vector when only the price did', () => {
    const index = indexOf(english);
    const before = index.similarToItem(itemIdOf(4), 10);
    index.apply({ ...(english[3] as ItemChange), price: decimalFromString('9.99'), source_version: 1_000 });
    expect(index.similarToItem(itemIdOf(4), 10)).toEqual(before);
    index.apply({ ...(english[3] as ItemChange), title: 'Weather radar images', tags: ['weather'], source_version: 1_001 });
    expect(ids(index, 4)[0]).toMatch(/^(3|6)$/);
    expect(index.size).toBe(english.length);
  });

  it('rejects invalid options with a coded error', () => {
    let thrown: unknown;
    try {
      createContentIndex({ dimensions: 0 });
    } catch (error) {
      thrown = error;
    }
    expect(isAppError(thrown, ErrorCode.InvalidArgument)).toBe(true);
  });
});

describe('content index IDF drift', () => {
  it('re-embeds everything when the catalogue grows past the drift fraction, with results as from a fresh build', () => {
    const { log, messages } = capturingLogger();
    const incremental = createContentIndex({ log, idfDriftFraction: 0.5 });
    for (const item of [...english, ...chinese]) incremental.apply(item);
    expect(messages.filter((m) => m === 'content index re-embedded').length).toBeGreaterThan(1);

    const fresh = indexOf([...english, ...chinese]);
    fresh.reembedAll('test');
    for (const probe of [1, 3, 11]) {
      expect(ids(incremental, probe, 3)).toEqual(ids(fresh, probe, 3));
    }
  });
});

describe('content index persistence', () => {
  it('returns identical neighbours after save and load, without re-embedding', async () => {
    const dir = await tempDir();
    const saved = indexOf([...english, ...chinese]);
    await saved.save(dir);
    const { log, messages } = capturingLogger();
    const loaded = await loadContentIndex(dir, { log });
    expect(messages).not.toContain('content index re-embedded');
    expect(loaded.size).toBe(saved.size);
    for (const probe of [1, 2, 3, 11, 13]) expect(loaded.similarToItem(itemIdOf(probe), 10)).toEqual(saved.similarToItem(itemIdOf(probe), 10));
  });

  it('keeps one index file per directory across saves and still skips redelivered items', async () => {
    const dir = await tempDir();
    const index = indexOf(english);
    await index.save(dir);
    index.apply(change(7, 'Retail footfall counts', { tags: ['retail'] }));
    await index.save(dir);
    const files = await readdir(dir);
    expect(files).toHaveLength(2);
    expect(files).toContain(sidecarFile);
    expect(files.filter((name) => /^content-.*\.usearch$/.test(name))).toHaveLength(1);
    const loaded = await loadContentIndex(dir);
    loaded.apply({ ...(english[1] as ItemChange), deleted: true });
    expect(ids(loaded, 1)).toContain('2');
    expect(ids(loaded, 1)).toContain('7');
  });

  it('starts empty when the directory holds nothing or a corrupt sidecar', async () => {
    const dir = await tempDir();
    expect((await loadContentIndex(join(dir, 'missing'))).size).toBe(0);
    await writeFile(join(dir, sidecarFile), '{"format":"streamrec.content-index","version":1');
    expect((await loadContentIndex(dir)).size).toBe(0);
  });

  it('re-embeds from the sidecar when the usearch file is damaged or the dimensions changed', async () => {
    const dir = await tempDir();
    const saved = indexOf([...english, ...chinese]);
    await saved.save(dir);
    const indexFile = (await readdir(dir)).find((name) => name.endsWith('.usearch')) as string;
    await writeFile(join(dir, indexFile), 'not an index');
    const { log, messages } = capturingLogger();
    const rebuilt = await loadContentIndex(dir, { log });
    expect(messages).toContain('content index re-embedded');
    expect(rebuilt.size).toBe(saved.size);
    expect(ids(rebuilt, 11, 1)).toEqual(['12']);

    const resized = await loadContentIndex(dir, { dimensions: 64 });
    expect(resized.dimensions).toBe(64);
    expect(resized.size).toBe(saved.size);
    expect(ids(resized, 1, 1)).toEqual(['2']);
  });
});

describe('bulk load at start-up', () => {
  it('holds the replayed catalogue and embeds it once at the end, with the same neighbours as item-by-item', () => {
    const oneByOne = indexOf([...english, ...chinese]);
    const bulk = createContentIndex();
    bulk.beginBulk();
    for (const item of [...english, ...chinese]) bulk.apply(item);
    expect(bulk.size).toBe(0);
    bulk.endBulk();
    expect(bulk.size).toBe(oneByOne.size);
    for (const id of [1, 3, 11]) {
      expect(bulk.similarToItem(itemIdOf(id), 3).map(({ item }) => item)).toEqual(oneByOne.similarToItem(itemIdOf(id), 3).map(({ item }) => item));
    }
  });

  it('a bulk load that changed nothing leaves the index as it was', () => {
    const index = indexOf(english);
    const before = index.similarToItem(itemIdOf(1), 5);
    index.beginBulk();
    for (const item of english) index.apply(item);
    index.endBulk();
    expect(index.similarToItem(itemIdOf(1), 5)).toEqual(before);
  });
});
