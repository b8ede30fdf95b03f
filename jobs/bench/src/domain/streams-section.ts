import { Area, AREA_TITLES, SectionStatus, TailKind, figure, type Figure, type Section } from './figures.js';
import type { RateSummary, StreamsBench } from './sub-bench-shapes.js';
import { applyScriptVerdict, freshnessVerdict, redisCommandsVerdict, streamsThroughputVerdict } from './targets.js';

/** A rate over runs: median, and the slow run (bench-support's `summarizeRate` p99). */
function rate(label: string, unit: string, summary: RateSummary): Figure {
  return figure(label, unit, summary.median, summary.p99, TailKind.SlowRun, summary.samples);
}

const STAGE_ORDER = ['features-user', 'cooccurrence-user', 'features-item', 'cooccurrence-item'] as const;

/**
 * The throughput and client sections of a streams bench run. `clientsLeftOut` says why the client
 * comparison was not asked for (e.g. @platformatic/kafka not installed).
 */
export function streamsSection(bench: StreamsBench, rawFile: string, clientsLeftOut: string | null = null): Section {
  const figures: Figure[] = [];
  const notes: string[] = [];
  const { throughput, clients } = bench;
  if (throughput === undefined) notes.push('throughput: not in this run');
  else {
    const total = throughput.featuresPlusCooccurrenceInteractionsPerSecond;
    figures.push(
      figure('features + co-occurrence, four stages in turn on one core', 'interactions/s', total.median, total.p99, TailKind.SlowRun, total.samples, streamsThroughputVerdict(total.median, total.p99)),
      rate('features (user + item stage)', 'interactions/s', throughput.featuresInteractionsPerSecond),
      rate('co-occurrence (user + item stage)', 'interactions/s', throughput.cooccurrenceInteractionsPerSecond),
    );
    const commands = throughput.redisCommandsPerInteraction;
    if (commands !== undefined) {
      figures.push(figure('Redis commands per interaction, four stages', 'commands', commands, null, TailKind.None, bench.settings.runs, redisCommandsVerdict(commands)));
    }
    const longest = throughput.longestScriptMs;
    const over = throughput.scriptsOver5msShare;
    if (longest != null && over != null) {
      figures.push(figure('longest apply script, four stages', 'ms', longest, null, TailKind.None, bench.settings.runs, applyScriptVerdict(over, longest)));
    }
    const stages = [...STAGE_ORDER.filter((stage) => stage in throughput.stages), ...Object.keys(throughput.stages).filter((stage) => !(STAGE_ORDER as readonly string[]).includes(stage))];
    for (const stage of stages) {
      const figures_ = throughput.stages[stage];
      if (figures_ === undefined) continue;
      figures.push(rate(`${stage} alone`, 'input records/s', figures_.eventsPerSecond), rate(`${stage} alone`, 'input records per CPU-second', figures_.eventsPerCpuSecond));
      if (figures_.redisCommandsPerInteraction != null) figures.push(figure(`${stage} alone`, 'Redis commands per interaction', figures_.redisCommandsPerInteraction, null, TailKind.None, bench.settings.runs));
    }
    notes.push(
      `${bench.settings.events.toLocaleString('en-US')} interactions × ${bench.settings.runs} runs, one stage process at a time, pinning: ${bench.settings.pinning}${bench.settings.pinnedCore === null ? '' : ` (core ${bench.settings.pinnedCore})`}.`,
      'features + co-occurrence = N ÷ the sum of the four stage times of a run; item stages read the repartition topic (several records per interaction).',
    );
  }
  if (clientsLeftOut !== null) notes.push(`clients (kafkajs vs @platformatic/kafka): left out: ${clientsLeftOut}`);
  else if (clients !== undefined && 'skipped' in clients) notes.push(`clients (kafkajs vs @platformatic/kafka): skipped by the streams bench: ${clients.skipped}`);
  else if (clients !== undefined) {
    figures.push(
      rate(`kafkajs ${clients.kafkajs.version}: consume + decode`, 'messages/s', clients.kafkajs.messagesPerSecond),
      rate(`@platformatic/kafka ${clients.platformatic.version}: consume + decode`, 'messages/s', clients.platformatic.messagesPerSecond),
      figure('@platformatic/kafka ÷ kafkajs (medians)', '×', clients.ratioPlatformaticToKafkajs, null, TailKind.None, null),
      figure('@platformatic/kafka ÷ kafkajs per CPU-second (medians)', '×', clients.ratioPerCpuSecond, null, TailKind.None, null),
    );
    if (!clients.checksumsAgree) notes.push('clients: the two clients decoded different data (checksums differ): the comparison is not valid.');
  }
  return { area: Area.Streams, title: AREA_TITLES.streams, status: SectionStatus.Ok, reason: null, rawFile, figures, notes };
}

/** The freshness section of a streams bench run (`--only freshness`). */
export function freshnessSection(bench: StreamsBench, rawFile: string): Section {
  const fresh = bench.freshness;
  if (fresh === undefined) {
    return { area: Area.Freshness, title: AREA_TITLES.freshness, status: SectionStatus.Failed, reason: 'the streams bench wrote no freshness section', rawFile, figures: [], notes: [] };
  }
  const ms = fresh.freshnessMs;
  const measured = fresh.samples - fresh.lost;
  return {
    area: Area.Freshness,
    title: AREA_TITLES.freshness,
    status: SectionStatus.Ok,
    reason: null,
    rawFile,
    figures: [
      figure('commit → Redis field readable', 'ms', ms.p50, ms.p99, TailKind.P99, measured, freshnessVerdict(ms.p99, fresh.lost, fresh.samples, fresh.trickle?.achievedPerSecond)),
      figure('commit → Redis field readable, p90', 'ms', ms.p90, null, TailKind.None, measured),
      figure('commits lost (not visible within 10 s)', 'commits', fresh.lost, null, TailKind.None, fresh.samples),
    ],
    notes: [
      `Chain: ${fresh.chain}.`,
      `One run of ${fresh.samples} commits spaced 100–300 ms apart; median and p99 are over the commits (nearest rank: with fewer than 100 commits the p99 is the slowest). Redis polled every ${fresh.pollIntervalMs} ms.`,
      fresh.trickle === undefined
        ? 'No background load (--trickle 0, or a bench from before the trickle).'
        : `Timed under a trickle of favourites of other users committed at ${fresh.trickle.requestedPerSecond}/s (${fresh.trickle.achievedPerSecond}/s achieved: ${fresh.trickle.rows} rows in ${fresh.trickle.seconds} s) through the same chain.`,
    ],
  };
}
