import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync } from 'node:fs';
import { open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { TermVector } from '../domain/recall/content/term-vector.js';

/**
 * The content index on disk: a usearch file named per save (`content-<generation>.usearch`) and a
 * JSON sidecar (`content-index.json`) that names it, with its SHA-256, and holds every item's state.
 * The sidecar is renamed into place last, so the pair switches atomically: a crash mid-save leaves
 * the previous sidecar pointing at the previous, intact index file.
 */

export const sidecarFile = 'content-index.json';
const indexFilePattern = /^content-[0-9a-z-]+\.usearch$/;
/** Temp files of a save that crashed before its rename. */
const leftoverTempPattern = /^(content-[0-9a-z-]+\.usearch|content-index\.json\.[0-9a-z-]+)\.tmp$/;

/** One item as the index holds it; `terms` is kept so a restart can recompute IDF and re-embed without the catalogue. */
export interface PersistedItem {
  readonly id: string;
  readonly sourceVersion: number;
  /** available && !deleted at `sourceVersion`. */
  readonly servable: boolean;
  /** Has a vector in the usearch file (servable and with at least one term). */
  readonly indexed: boolean;
  readonly contentHash: string;
  readonly terms: TermVector;
}

export interface PersistedState {
  readonly dimensions: number;
  readonly seed: number;
  /** Servable documents when the vectors were last all recomputed (the IDF basis). */
  readonly basisDocumentCount: number;
  readonly items: readonly PersistedItem[];
}

export type StoredContentIndex =
  | { readonly kind: 'missing' }
  | { readonly kind: 'corrupt'; readonly reason: string }
  /** `indexFile` is undefined when the sidecar is sound but the usearch file is missing or fails its checksum. */
  | { readonly kind: 'loaded'; readonly state: PersistedState; readonly indexFile: string | undefined; readonly indexProblem?: string };

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const sidecarSchema = z.object({
  format: z.literal('streamrec.content-index'),
  version: z.literal(1),
  dimensions: z.number().int().positive(),
  seed: z.number().int(),
  basisDocumentCount: z.number().int().nonnegative(),
  indexFile: z.string().regex(indexFilePattern),
  indexSha256: z.string().regex(/^[0-9a-f]{64}$/),
  ids: z.array(z.string().regex(/^(0|[1-9]\d{0,15})$/)),
  sourceVersions: z.array(z.number()),
  contentHashes: z.array(z.string()),
  /** Per item, bit 0 servable, bit 1 indexed. Typed arrays are little-endian (the only byte order Node runs on in practice). */
  flags: base64,
  termOffsets: base64,
  terms: base64,
  counts: base64,
});
type Sidecar = z.infer<typeof sidecarSchema>;

const Flag = { servable: 1, indexed: 2 } as const;

function encode(view: ArrayBufferView): string {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64');
}

function decode<T>(text: string, bytesPer: number, make: (buffer: ArrayBuffer) => T): T | undefined {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % bytesPer !== 0) return undefined;
  // Copy into a fresh, aligned buffer: Buffer's pool offsets need not be multiples of 4.
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return make(copy);
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Flushes a written file (or directory entry) to disk, so a rename after it cannot expose a half-written file after a power cut. */
async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function sidecarBody(state: PersistedState, indexFile: string): Omit<Sidecar, 'indexSha256'> {
  const count = state.items.length;
  const flags = new Uint8Array(count);
  const termOffsets = new Uint32Array(count + 1);
  let total = 0;
  state.items.forEach((item, i) => {
    flags[i] = (item.servable ? Flag.servable : 0) | (item.indexed ? Flag.indexed : 0);
    termOffsets[i] = total;
    total += item.terms.terms.length;
  });
  termOffsets[count] = total;
  const terms = new Uint32Array(total);
  const counts = new Float32Array(total);
  state.items.forEach((item, i) => {
    terms.set(item.terms.terms, termOffsets[i]);
    counts.set(item.terms.counts, termOffsets[i]);
  });
  return {
    format: 'streamrec.content-index',
    version: 1,
    dimensions: state.dimensions,
    seed: state.seed,
    basisDocumentCount: state.basisDocumentCount,
    indexFile,
    ids: state.items.map((item) => item.id),
    sourceVersions: state.items.map((item) => item.sourceVersion),
    contentHashes: state.items.map((item) => item.contentHash),
    flags: encode(flags),
    termOffsets: encode(termOffsets),
    terms: encode(terms),
    counts: encode(counts),
  };
}

/**
 * Writes the pair. `saveIndex` and the sidecar's contents are taken synchronously before the first
 * await, so both describe the same moment even if changes are applied while the files are written.
 */
export async function writeContentIndexFiles(dir: string, state: PersistedState, saveIndex: (path: string) => void): Promise<void> {
  const generation = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const indexFile = `content-${generation}.usearch`;
  const indexTemp = join(dir, `${indexFile}.tmp`);
  // Synchronous, like the snapshot itself: nothing may be applied between the two.
  mkdirSync(dir, { recursive: true });
  saveIndex(indexTemp);
  const body = sidecarBody(state, indexFile);

  await fsyncPath(indexTemp);
  const indexSha256 = await sha256Of(indexTemp);
  await rename(indexTemp, join(dir, indexFile));

  const sidecarTemp = join(dir, `${sidecarFile}.${generation}.tmp`);
  await writeFile(sidecarTemp, JSON.stringify({ ...body, indexSha256 }));
  await fsyncPath(sidecarTemp);
  await rename(sidecarTemp, join(dir, sidecarFile));
  await fsyncPath(dir);

  // Earlier generations are unreachable once the new sidecar is in place.
  for (const name of await readdir(dir)) {
    if (name !== indexFile && (indexFilePattern.test(name) || leftoverTempPattern.test(name))) await rm(join(dir, name), { force: true });
  }
}

function decodeItems(sidecar: Sidecar): PersistedItem[] | string {
  const count = sidecar.ids.length;
  if (sidecar.sourceVersions.length !== count || sidecar.contentHashes.length !== count) return 'per-item arrays differ in length';
  const flags = decode(sidecar.flags, 1, (b) => new Uint8Array(b));
  const offsets = decode(sidecar.termOffsets, 4, (b) => new Uint32Array(b));
  const terms = decode(sidecar.terms, 4, (b) => new Uint32Array(b));
  const counts = decode(sidecar.counts, 4, (b) => new Float32Array(b));
  if (flags === undefined || offsets === undefined || terms === undefined || counts === undefined) return 'typed array with a partial element';
  if (flags.length !== count || offsets.length !== count + 1 || terms.length !== counts.length || offsets[count] !== terms.length) {
    return 'term arrays do not match the item count';
  }
  const items: PersistedItem[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = offsets[i] as number;
    const end = offsets[i + 1] as number;
    if (end < start) return `term offsets decrease at item ${i}`;
    const flag = flags[i] as number;
    items.push({
      id: sidecar.ids[i] as string,
      sourceVersion: sidecar.sourceVersions[i] as number,
      servable: (flag & Flag.servable) !== 0,
      indexed: (flag & Flag.indexed) !== 0,
      contentHash: sidecar.contentHashes[i] as string,
      terms: { terms: terms.slice(start, end), counts: counts.slice(start, end) },
    });
  }
  return items;
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}

/** Reads and verifies the pair; never throws for missing or damaged files (the caller rebuilds), only for other I/O failures. */
export async function readContentIndexFiles(dir: string): Promise<StoredContentIndex> {
  let text: string;
  try {
    text = await readFile(join(dir, sidecarFile), 'utf8');
  } catch (error) {
    if (isMissing(error)) return { kind: 'missing' };
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'corrupt', reason: 'sidecar is not JSON' };
  }
  const parsed = sidecarSchema.safeParse(json);
  if (!parsed.success) return { kind: 'corrupt', reason: `sidecar: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  const items = decodeItems(parsed.data);
  if (typeof items === 'string') return { kind: 'corrupt', reason: `sidecar: ${items}` };
  const state: PersistedState = {
    dimensions: parsed.data.dimensions,
    seed: parsed.data.seed,
    basisDocumentCount: parsed.data.basisDocumentCount,
    items,
  };

  const indexPath = join(dir, parsed.data.indexFile);
  let checksum: string;
  try {
    checksum = await sha256Of(indexPath);
  } catch (error) {
    if (isMissing(error)) return { kind: 'loaded', state, indexFile: undefined, indexProblem: 'index file missing' };
    throw error;
  }
  if (checksum !== parsed.data.indexSha256) return { kind: 'loaded', state, indexFile: undefined, indexProblem: 'index file checksum mismatch' };
  return { kind: 'loaded', state, indexFile: indexPath };
}
