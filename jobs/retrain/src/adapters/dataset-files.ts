import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { once } from 'node:events';
import { datasetFile, datasetMeta, float32LE, readFloat32LE, uint32LE, type SplitSize } from '../domain/dataset-format.js';
import { SPLITS, splitByRequestTime, type SplitFractions, type SplitName } from '../domain/split.js';

/** One kept row of a request. */
export interface DatasetRow {
  readonly grade: number;
  readonly features: Float32Array;
}

export interface SplitSummary extends SplitSize {
  /** Request times of the split's first and last request (UTC epoch milliseconds). */
  readonly fromMs: number;
  readonly toMs: number;
}

export interface DatasetSummary {
  readonly dir: string;
  readonly featureNames: readonly string[];
  readonly splits: Readonly<Record<SplitName, SplitSummary>>;
}

const SPOOL = 'rows.features.f32.partial';

/**
 * Writes the trainer's dataset directory while the rows stream in: features go to one spool file in
 * arrival order (request time order), labels, group sizes and request times stay in memory (4 bytes a
 * row, 12 a request). At the end the time-based split is known, so each split's features are a byte
 * range of the spool, copied into its own file.
 */
export class DatasetWriter {
  private readonly labels: number[] = [];
  private readonly groups: number[] = [];
  private readonly requestTimes: number[] = [];
  private finished = false;

  private constructor(
    readonly dir: string,
    readonly featureNames: readonly string[],
    private readonly spool: WriteStream,
  ) {}

  static async create(dir: string, featureNames: readonly string[]): Promise<DatasetWriter> {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const spool = createWriteStream(join(dir, SPOOL));
    await once(spool, 'open');
    return new DatasetWriter(dir, featureNames, spool);
  }

  get rows(): number {
    return this.labels.length;
  }

  get requests(): number {
    return this.groups.length;
  }

  /** Appends one request (its rows consecutive: one group). Requests must arrive in time order. */
  async addRequest(requestTimeMs: number, rows: readonly DatasetRow[]): Promise<void> {
    if (rows.length === 0) return;
    const width = this.featureNames.length;
    const values = new Float32Array(rows.length * width);
    rows.forEach((row, index) => {
      if (row.features.length !== width) throw new RangeError(`a row has ${row.features.length} features, the dataset ${width}`);
      values.set(row.features, index * width);
      this.labels.push(row.grade);
    });
    this.groups.push(rows.length);
    this.requestTimes.push(requestTimeMs);
    if (!this.spool.write(float32LE(values))) await once(this.spool, 'drain');
  }

  /** Splits by request time, writes every file and meta.json (last, so a folder with meta.json is complete). */
  async finish(fractions: SplitFractions): Promise<DatasetSummary> {
    if (this.finished) throw new Error('dataset already finished');
    this.finished = true;
    this.spool.end();
    await once(this.spool, 'finish');
    const ranges = splitByRequestTime(this.groups.length, fractions);
    const rowBytes = this.featureNames.length * 4;
    const splits = {} as Record<SplitName, SplitSummary>;
    let row = 0;
    for (const split of SPLITS) {
      const { start, end } = ranges[split];
      const groups = this.groups.slice(start, end);
      const rows = groups.reduce((sum, size) => sum + size, 0);
      await pipeline(
        createReadStream(join(this.dir, SPOOL), { start: row * rowBytes, end: (row + rows) * rowBytes - 1 }),
        createWriteStream(join(this.dir, datasetFile.features(split))),
      );
      await writeFile(join(this.dir, datasetFile.labels(split)), float32LE(this.labels.slice(row, row + rows)));
      await writeFile(join(this.dir, datasetFile.groups(split)), uint32LE(groups));
      splits[split] = { rows, groups: groups.length, fromMs: this.requestTimes[start] ?? 0, toMs: this.requestTimes[end - 1] ?? 0 };
      row += rows;
    }
    await rm(join(this.dir, SPOOL), { force: true });
    const sizes = Object.fromEntries(SPLITS.map((split) => [split, { rows: splits[split].rows, groups: splits[split].groups }])) as Record<SplitName, SplitSize>;
    await writeFile(join(this.dir, datasetFile.meta), `${JSON.stringify(datasetMeta(this.featureNames, sizes), null, 2)}\n`);
    return { dir: this.dir, featureNames: this.featureNames, splits };
  }

  /** Gives up: closes and removes the spool (the caller removes the folder). */
  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.spool.destroy();
    await rm(join(this.dir, SPOOL), { force: true });
  }
}

/** A split read back: features rows × width, labels, group sizes. */
export interface LoadedSplit {
  readonly features: Float32Array;
  readonly labels: Float32Array;
  readonly groups: readonly number[];
  readonly rows: number;
}

export async function readSplit(dir: string, split: SplitName): Promise<LoadedSplit> {
  const features = readFloat32LE(await readFile(join(dir, datasetFile.features(split))));
  const labels = readFloat32LE(await readFile(join(dir, datasetFile.labels(split))));
  const groupBytes = await readFile(join(dir, datasetFile.groups(split)));
  const view = new DataView(groupBytes.buffer, groupBytes.byteOffset, groupBytes.byteLength);
  const groups = Array.from({ length: groupBytes.byteLength / 4 }, (_, index) => view.getUint32(index * 4, true));
  return { features, labels, groups, rows: labels.length };
}
