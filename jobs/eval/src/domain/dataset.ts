import { AppError, ErrorCode } from '@streamrec/foundation';

/**
 * Datasets in the S3-Rec format (`../shared/datasets/amazon-beauty`): one line per user,
 * `user item item …` in time order, and a JSON object `{ "item": [attribute, …] }`. Pure.
 */
export interface UserSequence {
  readonly user: string;
  /** Item ids in time order; the last one is the test target. */
  readonly items: readonly number[];
}

export interface Dataset {
  readonly users: readonly UserSequence[];
  /** Attribute ids per item (items without attributes are absent). */
  readonly attributes: ReadonlyMap<number, readonly number[]>;
  /** Every item id of the sequences or the attribute file, ascending. */
  readonly items: readonly number[];
}

export interface DatasetStats {
  readonly users: number;
  readonly items: number;
  readonly interactions: number;
  /** Interactions replayed: every sequence without its last item. */
  readonly replayed: number;
  readonly attributes: number;
  readonly itemsWithAttributes: number;
  readonly minSequence: number;
  readonly maxSequence: number;
}

const positiveId = /^[1-9]\d{0,15}$/;

/** `user item item …` lines; blank lines are skipped, anything else malformed names its line. */
export function parseSequences(text: string): UserSequence[] {
  const users: UserSequence[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const [user, ...rest] = line.split(/\s+/);
    if (user === undefined || !positiveId.test(user)) throw invalid(`line ${index + 1}: the user id must be a positive integer, got ${JSON.stringify(user)}`);
    if (rest.length === 0) throw invalid(`line ${index + 1}: user ${user} has no items`);
    const bad = rest.find((item) => !positiveId.test(item));
    if (bad !== undefined) throw invalid(`line ${index + 1}: item ids must be positive integers, got ${JSON.stringify(bad)}`);
    if (seen.has(user)) throw invalid(`line ${index + 1}: user ${user} appears twice`);
    seen.add(user);
    users.push({ user, items: rest.map(Number) });
  });
  if (users.length === 0) throw invalid('the sequence file holds no users');
  return users;
}

/** `{ "item": [attribute, …] }`. */
export function parseItemAttributes(text: string): Map<number, number[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw invalid(`the attribute file is not JSON: ${(cause as Error).message}`, cause);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid('the attribute file must be a JSON object { "item": [attribute, …] }');
  const attributes = new Map<number, number[]>();
  for (const [item, values] of Object.entries(parsed)) {
    if (!positiveId.test(item)) throw invalid(`attribute file: item id ${JSON.stringify(item)} is not a positive integer`);
    if (!Array.isArray(values) || !values.every((value) => Number.isSafeInteger(value) && (value as number) >= 0)) {
      throw invalid(`attribute file: item ${item} must map to a list of non-negative integer attribute ids`);
    }
    attributes.set(Number(item), values as number[]);
  }
  return attributes;
}

export function buildDataset(users: readonly UserSequence[], attributes: ReadonlyMap<number, readonly number[]>): Dataset {
  const items = new Set<number>(attributes.keys());
  for (const { items: sequence } of users) for (const item of sequence) items.add(item);
  return { users, attributes, items: [...items].sort((a, b) => a - b) };
}

export function datasetStats(dataset: Dataset): DatasetStats {
  let interactions = 0;
  let minSequence = Number.POSITIVE_INFINITY;
  let maxSequence = 0;
  for (const { items } of dataset.users) {
    interactions += items.length;
    minSequence = Math.min(minSequence, items.length);
    maxSequence = Math.max(maxSequence, items.length);
  }
  const attributes = new Set<number>();
  for (const values of dataset.attributes.values()) for (const value of values) attributes.add(value);
  return {
    users: dataset.users.length,
    items: dataset.items.length,
    interactions,
    replayed: interactions - dataset.users.length,
    attributes: attributes.size,
    itemsWithAttributes: dataset.attributes.size,
    minSequence: dataset.users.length === 0 ? 0 : minSequence,
    maxSequence,
  };
}

/** The user's history as the system sees it: s[:-1]. */
export const historyOf = (sequence: UserSequence): readonly number[] => sequence.items.slice(0, -1);

/** The held-out test target s[-1]. */
export const targetOf = (sequence: UserSequence): number => sequence.items[sequence.items.length - 1] as number;

/** Tags of an item as the catalogue carries them (`a123`). */
export const attributeTags = (attributes: readonly number[] | undefined): string[] => [...new Set(attributes ?? [])].map((attribute) => `a${attribute}`);

function invalid(message: string, cause?: unknown): AppError {
  return new AppError(ErrorCode.InvalidArgument, message, cause === undefined ? {} : { cause });
}
