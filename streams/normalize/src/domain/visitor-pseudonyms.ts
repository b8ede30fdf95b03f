/** Maps a Matomo visitor id (16 hex digits, lower case) to its pseudonym (16 hex digits, lower case). */
export type VisitorPseudonym = (visitorHex: string) => string;

const VISITOR_HEX = /^[0-9a-fA-F]{16}$/;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A `cdc.*` envelope with the `idvisitor` of its row images replaced by their pseudonyms, before
 * anything reads it: every visitor id normalize keeps (its state) or writes (`visitor_id`,
 * `anon:<visitor>` users, hence Redis and ClickHouse) is the pseudonym, never Matomo's raw id, which
 * would link analytics rows back to Matomo's visit log. Same visitor, same pseudonym, so stitching,
 * dedup and replays are unchanged. A value that is not a visitor id is left for the row decoder to
 * refuse. Returns `value` itself when it has no visitor id; never mutates it.
 */
export function withVisitorPseudonyms(value: unknown, pseudonym: VisitorPseudonym): unknown {
  if (!isObject(value)) return value;
  const before = pseudonymisedImage(value['before'], pseudonym);
  const after = pseudonymisedImage(value['after'], pseudonym);
  if (before === value['before'] && after === value['after']) return value;
  return { ...value, before, after };
}

function pseudonymisedImage(image: unknown, pseudonym: VisitorPseudonym): unknown {
  if (!isObject(image)) return image;
  const visitor = image['idvisitor'];
  if (typeof visitor !== 'string' || !VISITOR_HEX.test(visitor)) return image;
  return { ...image, idvisitor: pseudonym(visitor.toLowerCase()) };
}
