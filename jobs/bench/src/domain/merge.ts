import { isAppError } from '@streamrec/foundation';
import { apiSection } from './api-section.js';
import { Area, SectionStatus, emptySection, type Section } from './figures.js';
import type { GitState } from './git-status.js';
import type { EffectiveSettings } from './plan.js';
import { freshnessSection, streamsSection } from './streams-section.js';
import { parseApiBench, parseStreamsBench } from './sub-bench-shapes.js';

export interface MachineFacts {
  readonly cpus: number;
  readonly model: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  /** 1, 5 and 15 minute load averages before the first phase and after the last. */
  readonly loadAverageBefore: readonly number[];
  readonly loadAverageAfter: readonly number[];
  readonly git: GitState;
}

/** How one sub-benchmark process ended, and what it wrote. */
export interface PhaseOutcome {
  readonly area: Area;
  readonly rawFile: string;
  readonly seconds: number;
  readonly exitCode: number | null;
  /** Why the phase failed (non-zero exit, unreadable JSON), null when it wrote its JSON. */
  readonly failure: string | null;
  /** The parsed JSON the sub-benchmark wrote (undefined when it failed). */
  readonly json: unknown;
  readonly clientsLeftOut: string | null;
}

export interface TargetRow {
  readonly area: Area;
  readonly figure: string;
  readonly description: string;
  readonly met: boolean | null;
  readonly detail: string;
}

export interface BenchReport {
  readonly benchmark: 'all';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: MachineFacts;
  readonly settings: EffectiveSettings;
  readonly phases: readonly { readonly area: Area; readonly seconds: number; readonly exitCode: number | null; readonly rawFile: string | null; readonly status: string }[];
  readonly sections: readonly Section[];
  readonly targets: readonly TargetRow[];
  /** true when every target was judged and met; false when one was missed or its phase failed; null when none was judged. */
  readonly allTargetsMet: boolean | null;
}

export interface ReportInput {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: MachineFacts;
  readonly settings: EffectiveSettings;
  readonly outcomes: readonly PhaseOutcome[];
}

export function sectionOf(outcome: PhaseOutcome): Section {
  if (outcome.failure !== null) return emptySection(outcome.area, SectionStatus.Failed, outcome.failure);
  try {
    switch (outcome.area) {
      case Area.Streams:
        return streamsSection(parseStreamsBench(outcome.json, outcome.rawFile), outcome.rawFile, outcome.clientsLeftOut);
      case Area.Freshness:
        return freshnessSection(parseStreamsBench(outcome.json, outcome.rawFile), outcome.rawFile);
      case Area.Api:
        return apiSection(parseApiBench(outcome.json, outcome.rawFile), outcome.rawFile);
    }
  } catch (error) {
    if (isAppError(error)) return emptySection(outcome.area, SectionStatus.Failed, error.message, outcome.rawFile);
    throw error;
  }
}

/** The area's targets; a failed phase counts as a missed target so a broken run never reads as a pass. */
function targetRows(section: Section): TargetRow[] {
  if (section.status === SectionStatus.Failed) return [{ area: section.area, figure: section.title, description: 'the phase ran', met: false, detail: section.reason ?? 'failed' }];
  return section.figures.flatMap((figure) => (figure.target === null ? [] : [{ area: section.area, figure: figure.label, ...figure.target }]));
}

export function buildReport(input: ReportInput): BenchReport {
  const sections = input.outcomes.map(sectionOf);
  const targets = sections.flatMap(targetRows);
  const judged = targets.filter((target) => target.met !== null);
  return {
    benchmark: 'all',
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    machine: input.machine,
    settings: input.settings,
    phases: input.outcomes.map((outcome, index) => ({
      area: outcome.area,
      seconds: Number(outcome.seconds.toFixed(1)),
      exitCode: outcome.exitCode,
      rawFile: outcome.failure === null ? outcome.rawFile : null,
      status: sections[index]!.status,
    })),
    sections,
    targets,
    allTargetsMet: judged.length === 0 ? null : judged.every((target) => target.met === true),
  };
}
