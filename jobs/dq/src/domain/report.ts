import type { Bin } from '@streamrec/html-report';
import type { CheckName, Direction, Unit } from './catalogue.js';
import type { Completeness } from './gaps.js';
import type { DelaySeries, FutureEvents, TableHealth } from './measurements.js';
import type { IqrFences, ZFences } from './statistics.js';
import type { DeadLetterCount, LagSummary } from './topic-records.js';
import type { RunStatus, Verdict } from './verdict.js';

/** One check's outcome: the value, the thresholds it was judged against, the verdict and why. */
export interface CheckResult {
  readonly name: CheckName;
  readonly title: string;
  readonly target: string;
  readonly unit: Unit;
  readonly direction: Direction;
  /** null: nothing to measure (no rows in scope) or not measurable (see message). */
  readonly value: number | null;
  readonly warn: number | null;
  readonly fail: number | null;
  readonly weight: number;
  readonly verdict: Verdict;
  readonly message: string;
}

export interface PriceOutlier {
  readonly id: string;
  readonly price: number;
  readonly z: number;
  readonly byIqr: boolean;
  readonly byZ: boolean;
}

export interface PriceFigures {
  readonly items: number;
  readonly free: number;
  readonly priced: number;
  readonly min: number;
  readonly median: number;
  readonly max: number;
  readonly iqr: IqrFences;
  readonly z: ZFences;
  readonly iqrOutliers: number;
  readonly zOutliers: number;
  readonly bothOutliers: number;
  /** Both rules first, then the further from the median; at most 50. */
  readonly outliers: readonly PriceOutlier[];
  /** Log10-spaced bins of the priced items (the histogram). */
  readonly bins: readonly Bin[];
}

export interface PopularityFigures {
  readonly items: number;
  readonly events: number;
  readonly gini: number;
  readonly top1Share: number;
  readonly top1Items: number;
  readonly lorenz: readonly { readonly x: number; readonly y: number }[];
  readonly top: readonly { readonly itemId: string; readonly events: number }[];
}

export interface TopicFigures {
  readonly topics: readonly string[];
  readonly records: number;
  readonly partial: boolean;
  readonly error: string | null;
}

/** The data behind the report's tables and charts (report.json keeps it all). */
export interface ReportData {
  readonly eventsPerHour: {
    readonly hours: readonly number[];
    readonly series: readonly { readonly name: string; readonly counts: readonly number[] }[];
    readonly total: readonly number[];
    readonly completeness: Completeness;
  };
  readonly tables: readonly (TableHealth & { readonly duplicateRows: number; readonly duplicateShare: number | null; readonly missingShare: number | null })[];
  readonly prices: PriceFigures | null;
  readonly popularity: PopularityFigures | null;
  readonly delays: {
    readonly lateAfterSeconds: number;
    readonly futureToleranceSeconds: number;
    readonly bucketLabels: readonly string[];
    /** Index of the first bucket at or beyond the late threshold. */
    readonly firstLateBucket: number;
    readonly series: readonly DelaySeries[];
    readonly future: readonly FutureEvents[];
  };
  readonly deadLetters: TopicFigures & { readonly total: number; readonly counts: readonly DeadLetterCount[] };
  readonly cdcLag: TopicFigures & { readonly method: string; readonly overall: LagSummary; readonly perTopic: readonly (LagSummary & { readonly topic: string })[] };
}

export interface DqReport {
  readonly version: 1;
  readonly runId: string;
  readonly suite: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly window: { readonly from: string; readonly to: string; readonly fromMs: number; readonly toMs: number };
  readonly catalogueScope: 'all' | 'window';
  readonly configFile: string;
  readonly score: number;
  readonly status: RunStatus;
  readonly checks: readonly CheckResult[];
  readonly data: ReportData;
}
