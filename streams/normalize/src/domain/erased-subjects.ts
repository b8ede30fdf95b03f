import { SourceTable, tableOfTopic } from '@streamrec/cdc';
import type { Interaction, UserChange } from '@streamrec/schemas';
import { anonymousUserId, shopUserId, visitorId } from './ids.js';

/** Whether an interaction user id (`42`, `anon:<visitor>`) is on the erasure list (npm run erase). */
export type IsErased = (subject: string) => boolean;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const VISITOR_HEX = /^[0-9a-f]{16}$/;

/**
 * Whether a (pseudonymised) `cdc.*` envelope's row images name an erased person: the shop user
 * (`shop.users.id`, any `user_id`) or a visitor linked to them (`idvisitor`, as `anon:<visitor>`).
 * Such a row is dropped before the normaliser reads it, so it neither produces events nor rebuilds
 * state about them (a replay of the kept cdc topics included).
 */
export function namesErasedSubject(topic: string, value: unknown, isErased: IsErased): boolean {
  if (!isObject(value)) return false;
  const usersTable = tableOfTopic(topic) === SourceTable.ShopUsers;
  return imageNamesErased(value['before'], usersTable, isErased) || imageNamesErased(value['after'], usersTable, isErased);
}

function imageNamesErased(image: unknown, usersTable: boolean, isErased: IsErased): boolean {
  if (!isObject(image)) return false;
  const user = usersTable ? image['id'] : image['user_id'];
  if ((typeof user === 'number' && Number.isSafeInteger(user)) || (typeof user === 'string' && user !== '')) {
    if (isErased(shopUserId(user))) return true;
  }
  const visitor = image['idvisitor'];
  return typeof visitor === 'string' && VISITOR_HEX.test(visitor) && isErased(anonymousUserId(visitorId(visitor)));
}

/**
 * The outputs that may still name an erased person although their rows were dropped (a parked row
 * released, a stitch of a visitor seen before the erasure): left out of what is published.
 */
export function withoutErased<T extends { readonly interactions: Interaction[]; readonly users: UserChange[] }>(outputs: T, isErased: IsErased): { kept: T; dropped: number } {
  const interactions = outputs.interactions.filter((event) => !isErased(event.user_id) && !(event.visitor_id !== null && event.visitor_id !== '' && isErased(anonymousUserId(visitorId(event.visitor_id)))));
  const users = outputs.users.filter((user) => !isErased(shopUserId(user.id)));
  const dropped = outputs.interactions.length - interactions.length + outputs.users.length - users.length;
  return { kept: dropped === 0 ? outputs : { ...outputs, interactions, users }, dropped };
}
