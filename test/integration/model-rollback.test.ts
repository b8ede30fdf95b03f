/**
 * Every publication also goes to the history topic (key <name>:<version>), and `npm run model -- rollback`
 * republishes an earlier version from there exactly as it was. Against the real Kafka of the local stack,
 * with test-owned models and history topics.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildPublication, publishWithHistory, readModelHistory, readModelTopic, rollbackModel, servingPublication } from '@streamrec/model/app';
import { linearRankerModel } from '@streamrec/ranking';
import { createKafka, uniqueSuffix } from '../helpers/stack.js';
import { createModelTopics, deleteTopics, runJobCli } from '../helpers/retrain-data.js';

const kafka = createKafka('model-rollback-test');
const owned: string[] = [];

async function topicsForTest(): Promise<{ published: string; history: string }> {
  const suffix = uniqueSuffix();
  const topics = { published: `test.models.${suffix}`, history: `test.models-history.${suffix}` };
  await createModelTopics(kafka, [topics.published, topics.history]);
  owned.push(topics.published, topics.history);
  return topics;
}

const publicationOf = (name: string, version: string, bias: number, publishedAt: number) => {
  const spec = { featureNames: ['item_ctr', 'fused_score'], weights: [1, 0.5], bias };
  return buildPublication({ name, version, onnx: linearRankerModel(spec), featureNames: spec.featureNames, metrics: { ndcg_at_10: 0.4 + bias / 10 }, lineage: { run_id: `run-${version}` }, publishedAt });
};

afterEach(async () => {
  await deleteTopics(kafka, owned.splice(0)).catch(() => undefined);
});

describe('model history and rollback (needs the local stack: Kafka)', () => {
  it('rolls back to the version before, exactly as it was published, through the CLI', async () => {
    const topics = await topicsForTest();
    const name = `rollback-${uniqueSuffix()}`;
    const v1 = publicationOf(name, 'v1', 0, Date.now() - 60_000);
    const v2 = publicationOf(name, 'v2', 1, Date.now());
    await publishWithHistory(kafka, topics, v1);
    await publishWithHistory(kafka, topics, v2);
    expect(servingPublication(await readModelTopic(kafka, topics.published), name)?.version).toBe('v2');

    const env = { STREAMREC_MODELS_TOPIC: topics.published, STREAMREC_MODELS_HISTORY_TOPIC: topics.history };
    const history = await runJobCli('model', ['history', '--name', name], env, 60_000);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toMatch(new RegExp(`${name}: 2 versions\\n\\* v2 .*\\n  v1 `));

    const rolled = await runJobCli('model', ['rollback', '--name', name], env, 60_000);
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(rolled.stdout).toContain(`rolled back ${name}: v2 → v1`);
    const serving = servingPublication(await readModelTopic(kafka, topics.published), name);
    expect(serving).toEqual(v1);
    expect(serving?.onnx.equals(v1.onnx)).toBe(true);
    expect(serving?.sha256).toBe(v1.sha256);
    // the history is unchanged: a rollback republishes, it does not publish a new version
    expect((await readModelTopic(kafka, topics.history)).map((record) => record.key)).toEqual([`${name}:v1`, `${name}:v2`]);

    const nothingBefore = await runJobCli('model', ['rollback', '--name', name], env, 60_000);
    expect(nothingBefore.code).toBe(2);
    expect(nothingBefore.stderr).toContain(`no version of ${name} was published before v1`);
  });

  it('goes back two versions in two rollbacks, and forward again with --to', async () => {
    const topics = await topicsForTest();
    const name = `rollback-${uniqueSuffix()}`;
    const now = Date.now();
    const versions = [publicationOf(name, 'v1', 0, now - 2000), publicationOf(name, 'v2', 1, now - 1000), publicationOf(name, 'v3', 2, now)];
    for (const publication of versions) await publishWithHistory(kafka, topics, publication);
    expect((await readModelHistory(kafka, topics.history, name)).map((entry) => entry.publication.version)).toEqual(['v3', 'v2', 'v1']);

    expect((await rollbackModel(kafka, topics, { name })).to.version).toBe('v2');
    expect((await rollbackModel(kafka, topics, { name })).to.version).toBe('v1');
    const forward = await rollbackModel(kafka, topics, { name, to: 'v3' });
    expect(forward).toMatchObject({ from: 'v1' });
    expect(servingPublication(await readModelTopic(kafka, topics.published), name)).toEqual(versions[2]);
    await expect(rollbackModel(kafka, topics, { name, to: 'v9' })).rejects.toThrow(/has no version v9 .* \(it has: v3, v2, v1\)/);
  });

  it('refuses a history record whose bytes do not match its sha256', async () => {
    const topics = await topicsForTest();
    const name = `rollback-${uniqueSuffix()}`;
    const good = publicationOf(name, 'v1', 0, Date.now() - 1000);
    await publishWithHistory(kafka, topics, { ...good, version: 'v0', sha256: '0'.repeat(64), published_at: Date.now() - 5000 });
    await publishWithHistory(kafka, topics, good);
    await expect(rollbackModel(kafka, topics, { name })).rejects.toThrow(/history record .*@v0 is damaged/);
    expect(servingPublication(await readModelTopic(kafka, topics.published), name)?.version).toBe('v1');
  });
});
