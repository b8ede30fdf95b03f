import { AppError, ErrorCode, OpKind, partitionForKey, type StateOp } from '@streamrec/foundation';
import type { UserChange } from '@streamrec/schemas';
import { userIdOf, type StreamContext } from '@streamrec/streams-common';
import { ProfileField, userProfileKey } from './features-keys.js';

/**
 * Features' profile stage: one events.users.v1 change → the user's shop profile (industry, country,
 * account creation), in the slot of the change's own partition of that compacted topic. The topic is
 * a changelog in commit order per key, and Debezium re-sends in order, so the last change applied is
 * the latest: plain HSETs; a deleted user's profile is removed.
 */
export function featuresProfileStage(change: UserChange, context: ProfileContext, usersPartitions: number): StateOp[] {
  const key = ownedProfileKey(String(change.id), context, usersPartitions);
  if (change.deleted) return [{ kind: OpKind.Del, key }];
  const set = (field: string, value: string): StateOp => ({ kind: OpKind.HSet, key, field, value });
  return [
    { kind: OpKind.Del, key },
    set(ProfileField.Industry, change.industry ?? ''),
    set(ProfileField.Country, change.country ?? ''),
    set(ProfileField.CreatedAtMs, String(change.created_at)),
    set(ProfileField.SourceVersion, String(change.source_version)),
  ];
}

/** A compaction tombstone for a user id: the user is gone for good, and so is the profile. */
export function featuresProfileTombstone(id: string, context: ProfileContext, usersPartitions: number): StateOp[] {
  return [{ kind: OpKind.Del, key: ownedProfileKey(id, context, usersPartitions) }];
}

type ProfileContext = Pick<StreamContext, 'version'> & { readonly partition: number };

function ownedProfileKey(id: string, context: ProfileContext, usersPartitions: number): string {
  const user = userIdOf(id);
  const owner = partitionForKey(user, usersPartitions);
  if (owner !== context.partition) {
    throw new AppError(ErrorCode.PayloadInvalid, `user ${user} belongs to partition ${owner} of ${usersPartitions}, not ${context.partition} (key not the user id?)`);
  }
  return userProfileKey(context, usersPartitions, user);
}
