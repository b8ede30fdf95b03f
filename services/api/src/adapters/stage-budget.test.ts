import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@streamrec/foundation';
import { Stage } from '../domain/serving/stages.js';
import { budgetedStageRunner, type StageMetrics } from './stage-budget.js';

const budgets = { redis_profile: 10, redis_recall: 10, redis_features: 10, ranking: 10 } as const;

function recordingMetrics(): StageMetrics & { readonly timeouts: Stage[]; readonly observed: Stage[] } {
  const timeouts: Stage[] = [];
  const observed: Stage[] = [];
  return { timeouts, observed, timedOut: (stage) => timeouts.push(stage), observe: (stage) => observed.push(stage) };
}

/** Keeps the event loop busy, as a burst of requests does. */
function blockLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

/** A loopback connection: bytes written to `client` are in `server`'s receive buffer when write() returns. */
let listener: Server;
let client: Socket;
let server: Socket;
beforeAll(async () => {
  listener = createServer();
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const accepted = once(listener, 'connection');
  client = connect((listener.address() as AddressInfo).port, '127.0.0.1');
  await once(client, 'connect');
  [server] = (await accepted) as [Socket];
});
afterAll(() => {
  client.destroy();
  server.destroy();
  listener.close();
});

/** Work whose reply comes over a socket, as a Redis reply does: it resolves when the loop reads the bytes (the poll phase). */
const socketReply = (): Promise<string> => new Promise((resolve) => server.once('data', (bytes) => resolve(bytes.toString())));

describe('stage budgets', () => {
  it('uses a result that completed within the budget when the loop only gets to it after the budget (no degradation for a busy loop)', async () => {
    const metrics = recordingMetrics();
    const run = budgetedStageRunner(budgets, metrics);
    const result = run(Stage.Ranking, socketReply);
    client.write('reply'); // in the server's receive buffer now, within the budget
    // The loop is blocked 6 budgets long: when it resumes, the overdue timer runs before the socket is read.
    blockLoop(60);
    await expect(result).resolves.toBe('reply');
    expect(metrics.timeouts).toEqual([]);
    expect(metrics.observed).toEqual([Stage.Ranking]);
  });

  it('times out a result that is still missing when the budget is judged, and ignores it when it arrives', async () => {
    const metrics = recordingMetrics();
    const run = budgetedStageRunner(budgets, metrics);
    const late = run(Stage.Features, async () => {
      await sleep(200);
      return 'late';
    });
    await expect(late).rejects.toMatchObject({ code: ErrorCode.Timeout, message: 'redis_features exceeded its 10 ms budget' });
    expect(metrics.timeouts).toEqual([Stage.Features]);
  });

  it('passes a failure of the work through as it is, without counting a timeout', async () => {
    const metrics = recordingMetrics();
    const run = budgetedStageRunner(budgets, metrics);
    await expect(run(Stage.Profile, () => Promise.reject(new Error('connection reset')))).rejects.toThrow('connection reset');
    await sleep(30);
    expect(metrics.timeouts).toEqual([]);
  });
});
