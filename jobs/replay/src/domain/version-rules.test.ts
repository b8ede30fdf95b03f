import { describe, expect, it } from 'vitest';
import { buildRefusal, deletedHistoryRefusal, dropRefusal, itemActivityRouting, repartitionRefusal, replayGroupVersion, switchRefusal } from './version-rules.js';

describe('state version rules', () => {
  it('never builds into the active version, and into a non-empty one only with --force', () => {
    expect(buildRefusal('v1', 'v1', 0, true)).toMatch(/active version/);
    expect(buildRefusal('v2', 'v1', 5, false)).toMatch(/already has 5 keys.*--force/);
    expect(buildRefusal('v2', 'v1', 5, true)).toBeUndefined();
    expect(buildRefusal('v2', 'v1', 0, false)).toBeUndefined();
  });

  it("never lets a build share the active version's item-activity topic", () => {
    expect(repartitionRefusal(['repartition.item-activity.v1'], 'repartition.item-activity.v1')).toMatch(/leave itemActivity out of --topics/);
    expect(repartitionRefusal(['repartition.item-activity.v1.v3'], 'repartition.item-activity.v1')).toBeUndefined();
  });

  it('lets a trending-only rerun read the active topic and keeps every other build on its own', () => {
    expect(itemActivityRouting(['features', 'trending'], 'r.v1', undefined)).toEqual({ topicsJson: undefined, sharesActiveTopic: false });
    expect(itemActivityRouting(['trending'], 'r.v1', undefined)).toEqual({ topicsJson: '{"itemActivity":"r.v1"}', sharesActiveTopic: true });
    expect(JSON.parse(itemActivityRouting(['trending'], 'r.v1', '{"items":"i","itemActivity":"mine"}').topicsJson ?? '')).toEqual({ itemActivity: 'mine', items: 'i' });
  });

  it('never drops the active version', () => {
    expect(dropRefusal('v1', 'v1')).toMatch(/active/);
    expect(dropRefusal('v2', 'v1')).toBeUndefined();
  });

  it('switches only from the expected version to a built, different one', () => {
    expect(switchRefusal('v2', 'v1', 'v3', 6)).toMatch(/is v1, not v3/);
    expect(switchRefusal('v1', 'v1', undefined, 6)).toMatch(/already/);
    expect(switchRefusal('v2', 'v1', undefined, 0)).toMatch(/no stored offsets/);
    expect(switchRefusal('v2', 'v1', 'v1', 6)).toBeUndefined();
  });

  it('names a fresh consumer-group suffix per build that the processors accept', () => {
    const suffix = replayGroupVersion('v2', 1_700_000_000_000);
    expect(suffix).toBe(`replay-v2-${(1_700_000_000_000).toString(36)}`);
    expect(suffix).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
  });

  it('refuses a build from offset 0 whose sources lost their first records, unless it starts at a timestamp', () => {
    const whole = [{ topic: 'events.interactions.v1', partition: 0, start: 0n }];
    expect(deletedHistoryRefusal(whole, false)).toBeUndefined();
    const cut = [...whole, { topic: 'events.interactions.v1', partition: 2, start: 120n }, { topic: 'events.interactions.v1', partition: 5, start: 7n }, { topic: 'events.exposures.v1', partition: 1, start: 3n }];
    expect(deletedHistoryRefusal(cut, false)).toBe(
      'cannot build from offset 0: events.interactions.v1 partitions 2 (starts at 120), 5 (starts at 7); events.exposures.v1 partition 1 (starts at 3) lost their first records to retention, so the state would miss them. Rebuild the event topics from the CDC topics (docs/OPERATIONS.md#log-mismatch), or build a partial history with --from-timestamp',
    );
    expect(deletedHistoryRefusal(cut, true)).toBeUndefined();
    // Two stages reading one topic name its partition once.
    const twice = [{ topic: 'events.interactions.v1', partition: 5, start: 1n }, { topic: 'events.interactions.v1', partition: 5, start: 1n }];
    expect(deletedHistoryRefusal(twice, false)).toMatch(/^cannot build from offset 0: events\.interactions\.v1 partition 5 \(starts at 1\) lost /);
  });
});
