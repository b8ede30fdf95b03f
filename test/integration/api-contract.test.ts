// Integration: the OpenAPI document is the contract. schemathesis (st, installed by `npm run setup` into
// .stack/contract-venv from test/contract/requirements.lock) reads the documents the API's operations
// listener serves (/docs/json: the public API, fuzzed on the public port; /docs/operations/json: readiness
// and admin, fuzzed on the operations port) of the API running on the real stack and sends schema-valid and schema-violating requests to every operation, with every check on: no
// 5xx, every status documented, every response as documented, what the schema allows is accepted, what it
// forbids is refused, undeclared methods are 405, auth is not ignored. Fixed seed, bounded examples.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interaction, startApiWorld, worldKeys, type ApiWorld } from '../helpers/api-world.js';
import { repoRoot } from '../helpers/stack.js';

const schemathesis = join(repoRoot, '.stack', 'bin', 'st');
const SEED = 20_261_205;
const EXAMPLES_PER_OPERATION = 50;

let world: ApiWorld;
let reportDir: string;

beforeAll(async () => {
  world = await startApiWorld();
  reportDir = await mkdtemp(join(tmpdir(), 'streamrec-contract-'));
  // Some history, so recommendations and similar items answer with items, not only the empty path.
  const now = Date.now();
  await world.sendInteractions(Array.from({ length: 20 }, (_, index) => interaction(`contract-${index % 4}`, (index % 10) + 1, 'view', now - 60_000 + index, `contract:${index}`)));
});

afterAll(async () => {
  await world?.stop();
  if (reportDir !== undefined) await rm(reportDir, { recursive: true, force: true });
});

interface FuzzRun {
  readonly code: number;
  readonly output: string;
}

function fuzz(args: readonly string[]): Promise<FuzzRun> {
  return new Promise((resolve) => {
    execFile(schemathesis, ['--config-file', join(repoRoot, 'test', 'contract', 'schemathesis.toml'), 'run', ...args], { cwd: reportDir, timeout: 240_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** Fuzzes the document at `schemaUrl` against `baseUrl`; returns the number of generated requests and the junit report. */
async function fuzzDocument(schemaUrl: string, baseUrl: string, name: string): Promise<{ generated: number; report: string }> {
  const junit = join(reportDir, `${name}.junit.xml`);
  const run = await fuzz([
    schemaUrl,
    '--url', baseUrl,
    '--header', `X-API-Key: ${worldKeys.every}`,
    '--checks', 'all',
    '--seed', String(SEED),
    '--max-examples', String(EXAMPLES_PER_OPERATION),
    '--workers', '1',
    '--request-timeout', '30',
    '--no-color',
    '--report', 'junit',
    '--report-junit-path', junit,
  ]);
  const summary = /(\d+) generated, (\d+) (?:passed|found)/.exec(run.output);
  console.info(`contract fuzzer (${name}): ${summary?.[0] ?? 'no summary'}`);
  expect(run.code, run.output.slice(-20_000)).toBe(0);
  return { generated: Number(summary?.[1] ?? 0), report: await readFile(junit, 'utf8') };
}

describe('the API keeps its OpenAPI contract (schemathesis against the running API)', () => {
  it(`public listener: ${EXAMPLES_PER_OPERATION} examples per operation, seed ${SEED}, every check: no failure`, async () => {
    const { generated, report } = await fuzzDocument(`${world.opsUrl}/docs/json`, world.url, 'public');
    // The run must really have exercised the API: every operation, hundreds of requests.
    expect(generated).toBeGreaterThanOrEqual(300);
    for (const operation of ['GET /v1/recommendations', 'GET /v1/items/{id}/similar', 'GET /v1/popular', 'POST /v1/events', 'GET /healthz']) {
      expect(report, operation).toContain(operation);
    }
    expect(report).not.toMatch(/<failure|<error/);
  });

  it(`operations listener: ${EXAMPLES_PER_OPERATION} examples per operation, seed ${SEED}, every check: no failure`, async () => {
    const { generated, report } = await fuzzDocument(`${world.opsUrl}/docs/operations/json`, world.opsUrl, 'operations');
    // Four operations without parameters: a few dozen requests (46 with this seed).
    expect(generated).toBeGreaterThanOrEqual(20);
    for (const operation of ['POST /admin/experiments/reload', 'GET /admin/status', 'GET /readyz', 'GET /healthz']) {
      expect(report, operation).toContain(operation);
    }
    expect(report).not.toMatch(/<failure|<error/);
  });
});
