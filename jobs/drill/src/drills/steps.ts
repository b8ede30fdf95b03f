import { describeAlerts, matching } from '../domain/alerts.js';
import type { Step } from '../domain/drill.js';
import { eventually } from '../domain/eventually.js';
import type { Canary, DrillWorld } from '../domain/world.js';

/**
 * Steps several drills share. The waits are generous: a symptom must show within two scrapes and two
 * rule evaluations (15 s each) of Prometheus, on a machine that may be busy; a drill fails on what it
 * sees, never on how fast.
 */
export const ALERT_WAIT_MS = 180_000;
export const RECOVERY_WAIT_MS = 300_000;

type World = DrillWorld;

/** A command of the runbook, run as the operator would; fails on a non-zero exit. */
export function command(kind: Step<World>['kind'], text: string, args: readonly string[], timeoutMs = 300_000): Step<World> {
  return {
    kind,
    text,
    run: async (world) => {
      const result = await world.run(args, { timeoutMs });
      if (result.code !== 0) throw new Error(`${args.join(' ')} exited ${result.code}: ${lastLines(result.stderr || result.stdout)}`);
      return `${args.join(' ')}: ${lastLines(result.stdout || result.stderr, 1) || 'done'}`;
    },
  };
}

export const stackDown = (component: string): Step<World> => command('inject', `stop ${component}`, ['bash', 'infra/local/stack.sh', 'down', component], 120_000);
export const stackUp = (component: string): Step<World> => command('operator', `npm run stack:up -- ${component}`, ['bash', 'infra/local/stack.sh', 'up', component], 300_000);

/**
 * The drill starts from a healthy system (npm run status exits 0). A process the previous drill restarted
 * may need a little longer to answer its probe, so this looks for up to two minutes.
 */
export const systemHealthy: Step<World> = {
  kind: 'check',
  text: 'the system is healthy (npm run status)',
  run: (world) =>
    eventually(
      'npm run status all healthy (start the system with npm run setup or npm run up)',
      async () => {
        const result = await world.run(['bash', 'infra/local/system.sh', 'status'], { timeoutMs: 60_000 });
        const unhealthy = result.stdout.trim().split('\n').filter((line) => /stopped|unhealthy|FAILED/.test(line));
        return { ok: result.code === 0, seen: result.code === 0 ? 'every component and process healthy' : unhealthy.join('; ') || lastLines(result.stderr) };
      },
      { timeoutMs: 120_000, intervalMs: 5_000 },
      world.time,
    ),
};

export function alertActive(name: string, labels: Readonly<Record<string, string>> = {}): Step<World> {
  return {
    kind: 'symptom',
    text: `alert ${name} is raised`,
    run: (world) =>
      eventually(
        `alert ${name}`,
        async () => {
          const alerts = await world.alerts();
          const found = matching(alerts, name, labels);
          return { ok: found.length > 0, seen: found.length > 0 ? describeAlerts(found) : describeAlerts(alerts) };
        },
        { timeoutMs: ALERT_WAIT_MS, intervalMs: 3_000 },
        world.time,
      ),
  };
}

export function alertCleared(name: string, labels: Readonly<Record<string, string>> = {}): Step<World> {
  return {
    kind: 'recovery',
    text: `alert ${name} clears`,
    run: (world) =>
      eventually(
        `alert ${name} cleared`,
        async () => {
          const found = matching(await world.alerts(), name, labels);
          return { ok: found.length === 0, seen: found.length === 0 ? `${name} inactive` : describeAlerts(found) };
        },
        { timeoutMs: RECOVERY_WAIT_MS, intervalMs: 3_000 },
        world.time,
      ),
  };
}

/** A fresh user's answer comes back 200 and (not) degraded. */
export function answers(kind: Step<World>['kind'], expectation: { readonly degraded: boolean; readonly reason?: RegExp }): Step<World> {
  const text = expectation.degraded ? `the API still answers, degraded${expectation.reason === undefined ? '' : ` (${expectation.reason.source})`}` : 'the API answers on the full path (not degraded)';
  return {
    kind,
    text,
    run: (world) =>
      eventually(
        text,
        async () => {
          const answer = await world.api.recommend(`drill-${Math.random().toString(36).slice(2, 10)}`);
          const degraded = answer.degradedReasons.length > 0;
          const reasonOk = expectation.reason === undefined || answer.degradedReasons.some((reason) => expectation.reason?.test(reason) === true);
          const seen = answer.status === 200 ? `200, ${answer.itemIds.length} items, degraded_reasons [${answer.degradedReasons.join(', ')}]` : `HTTP ${answer.status} ${answer.errorCode ?? ''}`;
          return { ok: answer.status === 200 && answer.itemIds.length > 0 && degraded === expectation.degraded && (!expectation.degraded || reasonOk), seen };
        },
        { timeoutMs: expectation.degraded ? ALERT_WAIT_MS : RECOVERY_WAIT_MS, intervalMs: 2_000 },
        world.time,
      ),
  };
}

/** Canaries: changes written to the shop during the incident that must each arrive in ClickHouse exactly once afterwards. */
export class Canaries {
  private readonly written: Canary[] = [];

  write(kind: Step<World>['kind'] = 'inject', count = 3): Step<World> {
    return {
      kind,
      text: `write ${count} canary favourite(s) to the shop's MariaDB`,
      run: async (world) => {
        for (let index = 0; index < count; index += 1) this.written.push(await world.shop.writeCanary());
        return this.written
          .slice(-count)
          .map((canary) => `user ${canary.userId} → item ${canary.itemId}`)
          .join(', ');
      },
    };
  }

  arrived(text = 'every canary reaches ClickHouse exactly once (nothing lost, nothing doubled)'): Step<World> {
    return {
      kind: 'recovery',
      text,
      run: (world) =>
        eventually(
          'canaries in ClickHouse',
          async () => {
            const counts = await Promise.all(this.written.map((canary) => world.shop.canaryCount(canary)));
            return { ok: counts.length > 0 && counts.every((count) => count === 1), seen: `${counts.filter((count) => count === 1).length}/${counts.length} arrived once (counts ${counts.join(',')})` };
          },
          { timeoutMs: RECOVERY_WAIT_MS, intervalMs: 3_000 },
          world.time,
        ),
    };
  }
}

/** Every stream processor has caught up (lag near zero twice in a row). */
export const caughtUp: Step<World> = command('recovery', 'the processors catch up (lag back to zero)', ['bash', 'infra/local/system.sh', 'caught-up', '300'], 330_000);

export function lastLines(text: string, count = 3): string {
  return text.trim().split('\n').slice(-count).join(' | ').slice(0, 400);
}
