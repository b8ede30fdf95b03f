/**
 * The first `limit` of `count` entries in `compare` order, where `compare` sorts by `scores` descending
 * first (any tie-break after that): the same as sorting all of them and keeping the head, without a
 * comparator sort of all of them. The limit-th largest score is found with a native numeric sort; only
 * the entries scoring at least that much (the head and its ties) are sorted with `compare`.
 */
export function topIndices(scores: ArrayLike<number>, count: number, limit: number, compare: (a: number, b: number) => number): number[] {
  if (limit <= 0 || count <= 0) return [];
  const picked: number[] = [];
  if (count <= limit) {
    for (let index = 0; index < count; index += 1) picked.push(index);
    return picked.sort(compare);
  }
  const ascending = new Float64Array(count);
  for (let index = 0; index < count; index += 1) ascending[index] = scores[index] ?? 0;
  ascending.sort();
  const threshold = ascending[count - limit] ?? Number.NEGATIVE_INFINITY;
  for (let index = 0; index < count; index += 1) if ((scores[index] ?? 0) >= threshold) picked.push(index);
  picked.sort(compare);
  if (picked.length > limit) picked.length = limit;
  return picked;
}

/** `compare` for `topIndices` over parallel arrays: higher score first, then the smaller id (as text). */
export function byScoreThenIdAt(scores: ArrayLike<number>, ids: ArrayLike<string>): (a: number, b: number) => number {
  return (a, b) => {
    const difference = (scores[b] ?? 0) - (scores[a] ?? 0);
    if (difference !== 0) return difference;
    const idA = ids[a] ?? '';
    const idB = ids[b] ?? '';
    return idA < idB ? -1 : idA > idB ? 1 : 0;
  };
}

/** The `limit` best entries of a score map, higher score first, equal scores by id: a full sort's head. */
export function topByScore<Id extends string>(scores: ReadonlyMap<Id, number>, limit: number): [Id, number][] {
  const ids: Id[] = [];
  const values = new Float64Array(scores.size);
  for (const [id, score] of scores) {
    values[ids.length] = score;
    ids.push(id);
  }
  return topIndices(values, ids.length, limit, byScoreThenIdAt(values, ids)).map((index) => [ids[index] as Id, values[index] ?? 0]);
}
