/**
 * Keys of one state version, mapped to the version-independent part so two versions can be compared
 * key by key: `sr:v1:{p3}:user:u1:counts` → `{p3}:user:u1:counts`. Pure.
 */
const versionedKey = /^sr:(v[1-9]\d{0,5}):(.+)$/;

export function versionOf(key: string): string | undefined {
  return versionedKey.exec(key)?.[1];
}

/** The key without `sr:<version>:`; undefined for keys outside the versioned layout. */
export function unversionedKey(key: string): string | undefined {
  return versionedKey.exec(key)?.[2];
}

export function keyInVersion(version: string, unversioned: string): string {
  return `sr:${version}:${unversioned}`;
}

/**
 * The family a key belongs to, for the per-family report: `{p<n>}:<entity>:<id>:<facet>` → `<entity>:<facet>`,
 * a seen-set `{p<n>}:seen:<day>:<stage>` → `seen:<stage>`, `{p<n>}:offsets` → `offsets`, normalize's
 * `{normalize}:<store>` → `normalize:<store>`; digits in the facet become `#` (time buckets).
 */
export function keyFamily(unversioned: string): string {
  const match = /^\{([^}]+)\}:(.*)$/.exec(unversioned);
  if (match === null) return unversioned.split(':')[0] ?? unversioned;
  const [, tag = '', rest = ''] = match;
  const parts = rest.split(':');
  if (!tag.startsWith('p')) return `${tag}:${parts[0] ?? ''}`;
  if (parts.length === 1) return parts[0] ?? rest;
  // Time buckets (`hour-5985493`, `day-498791`) are one family each, whatever the bucket number.
  return `${parts[0] ?? ''}:${(parts.at(-1) ?? '').replace(/\d+/g, '#')}`;
}

/** Whether a key is a per-partition offsets hash (compared separately from state). */
export function isOffsetsKey(unversioned: string): boolean {
  return /^\{[^}]+\}:offsets$/.test(unversioned);
}
