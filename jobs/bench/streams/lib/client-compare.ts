import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { median, runChild, summarizeRate, type ChildOptions } from './bench-support.js';

export interface ClientCompareSettings {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly expected: number;
  readonly runs: number;
  readonly suffix: string;
  readonly child: ChildOptions;
  /** Directory whose node_modules holds @platformatic/kafka (default /tmp/pk, then the repo). */
  readonly platformaticDir: string | undefined;
  readonly log: (line: string) => void;
}

interface ClientRun {
  readonly client: 'kafkajs' | 'platformatic';
  readonly messages: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly checksum: number;
}

/** The entry module of @platformatic/kafka, or undefined when it is not installed anywhere we look. */
export function platformaticEntry(dir: string | undefined): string | undefined {
  for (const base of [dir, '/tmp/pk', process.cwd()].filter((value): value is string => value !== undefined)) {
    const candidate = join(base, 'node_modules', '@platformatic', 'kafka', 'dist', 'index.js');
    if (existsSync(candidate)) return candidate;
  }
  try {
    return createRequire(import.meta.url).resolve('@platformatic/kafka');
  } catch {
    return undefined;
  }
}

/**
 * kafkajs vs @platformatic/kafka on the same consume loop: same topic, same decode, fresh group each
 * run, one client process at a time (pinned like the stages); the order alternates between runs so
 * a drifting machine load does not favour one client.
 */
export async function compareClients(settings: ClientCompareSettings): Promise<Record<string, unknown>> {
  const entry = platformaticEntry(settings.platformaticDir);
  if (entry === undefined) {
    settings.log('clients: @platformatic/kafka not found (install it: mkdir -p /tmp/pk && cd /tmp/pk && npm init -y && npm i @platformatic/kafka@2.12.1); skipped');
    return { skipped: '@platformatic/kafka not installed' };
  }
  const runs: ClientRun[] = [];
  for (let run = 1; run <= settings.runs; run += 1) {
    const clients = run % 2 === 1 ? (['kafkajs', 'platformatic'] as const) : (['platformatic', 'kafkajs'] as const);
    for (const client of clients) {
      const spec = { client, brokers: settings.brokers, topic: settings.topic, group: `bench-${client}-${settings.suffix}-r${run}`, expected: settings.expected, platformaticEntry: entry };
      const result = await runChild<ClientRun>(new URL('./client-loop.ts', import.meta.url).pathname, JSON.stringify(spec), settings.child);
      runs.push(result);
      settings.log(`run ${run}/${settings.runs} ${client}: ${result.messages} messages in ${result.seconds.toFixed(2)} s = ${Math.round(result.messages / result.seconds)}/s (cpu ${result.cpuSeconds.toFixed(2)} s)`);
    }
  }
  const of = (client: ClientRun['client']): ClientRun[] => runs.filter((run) => run.client === client);
  const rates = (client: ClientRun['client']): number[] => of(client).map((run) => run.messages / run.seconds);
  const perCpu = (client: ClientRun['client']): number[] => of(client).map((run) => run.messages / run.cpuSeconds);
  return {
    loop: 'fresh group from earliest, Avro single-object decode of every value, no state; max wait 50 ms, 4 MiB per partition',
    messages: settings.expected,
    kafkajs: { version: '2.2.4', messagesPerSecond: summarizeRate(rates('kafkajs')), messagesPerCpuSecond: summarizeRate(perCpu('kafkajs')) },
    platformatic: { version: '2.12.1', entry, messagesPerSecond: summarizeRate(rates('platformatic')), messagesPerCpuSecond: summarizeRate(perCpu('platformatic')) },
    /** median platformatic messages/s ÷ median kafkajs messages/s (> 1: platformatic is faster). */
    ratioPlatformaticToKafkajs: Number((median(rates('platformatic')) / median(rates('kafkajs'))).toFixed(2)),
    ratioPerCpuSecond: Number((median(perCpu('platformatic')) / median(perCpu('kafkajs'))).toFixed(2)),
    checksumsAgree: new Set(runs.map((run) => run.checksum)).size === 1,
  };
}
