import { AppError, ErrorCode } from '@streamrec/foundation';
import { STITCHED_EVENT_PREFIX } from '@streamrec/streams-common';

/** A shop user id as the shop and the events spell it: decimal, no leading zero. */
const SHOP_USER_ID = /^[1-9]\d{0,18}$/;
/** A visitor pseudonym as normalize writes it (16 lower-case hex digits). */
const VISITOR = /^[0-9a-f]{16}$/;

/** Everything that identifies the person to erase in the system's stores. */
export interface ErasureSubjects {
  /** The shop user id. */
  readonly user: string;
  /** The visitor pseudonyms normalize linked to them (devices they logged in on). */
  readonly visitors: readonly string[];
  /** Interaction user ids: the user and `anon:<visitor>` for each linked visitor. */
  readonly subjects: readonly string[];
  /** Event ids of their stitched interactions start with this. */
  readonly stitchedPrefix: string;
}

/** Checks a `--user` value: only a shop user id can ask for erasure (an anonymous visitor is nobody we know). */
export function shopUserIdOf(value: string): string {
  if (!SHOP_USER_ID.test(value)) throw new AppError(ErrorCode.InvalidArgument, `--user must be a shop user id (decimal, no leading zero), got '${value}'`);
  return value;
}

export function erasureSubjects(user: string, visitors: readonly string[]): ErasureSubjects {
  const linked = [...new Set(visitors)].sort();
  for (const visitor of linked) {
    if (!VISITOR.test(visitor)) throw new AppError(ErrorCode.PayloadInvalid, `normalize's state links a malformed visitor id to the user: '${visitor}'`);
  }
  return { user, visitors: linked, subjects: [user, ...linked.map((visitor) => `anon:${visitor}`)], stitchedPrefix: `${STITCHED_EVENT_PREFIX}${user}:` };
}
