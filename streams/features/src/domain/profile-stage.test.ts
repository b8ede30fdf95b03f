import { describe, expect, it } from 'vitest';
import { ErrorCode, OpKind, isAppError, partitionForKey } from '@streamrec/foundation';
import type { UserChange } from '@streamrec/schemas';
import { featuresProfileStage, featuresProfileTombstone } from './profile-stage.js';

const change = (overrides: Partial<UserChange> = {}): UserChange => ({
  id: 42,
  industry: 'finance',
  country: 'DE',
  company_size: null,
  segment: null,
  created_at: Date.UTC(2025, 0, 2),
  updated_at: Date.UTC(2026, 0, 2),
  deleted: false,
  source_version: 7,
  ...overrides,
});
const partition = partitionForKey('42', 3);
const context = { version: 'v1' as const, partition };
const key = `sr:v1:{p${partition}}:user:42:profile`;

describe('features profile stage', () => {
  it("replaces the user's profile with the change's industry, country and account creation, in its users-topic partition's slot", () => {
    expect(featuresProfileStage(change(), context, 3)).toEqual([
      { kind: OpKind.Del, key },
      { kind: OpKind.HSet, key, field: 'industry', value: 'finance' },
      { kind: OpKind.HSet, key, field: 'country', value: 'DE' },
      { kind: OpKind.HSet, key, field: 'created_at_ms', value: String(Date.UTC(2025, 0, 2)) },
      { kind: OpKind.HSet, key, field: 'source_version', value: '7' },
    ]);
  });

  it('removes the profile of a deleted user, and on a tombstone', () => {
    expect(featuresProfileStage(change({ deleted: true }), context, 3)).toEqual([{ kind: OpKind.Del, key }]);
    expect(featuresProfileTombstone('42', context, 3)).toEqual([{ kind: OpKind.Del, key }]);
  });

  it('refuses a change that is not in its partition (a topic keyed by something else)', () => {
    const other = { version: 'v1' as const, partition: (partition + 1) % 3 };
    let error: unknown;
    try {
      featuresProfileStage(change(), other, 3);
    } catch (caught) {
      error = caught;
    }
    expect(isAppError(error, ErrorCode.PayloadInvalid)).toBe(true);
  });
});
