import { repoRoot } from '@streamrec/foundation/process';

/** The bench job's configuration. The only module of the job that reads process.env. */
export interface BenchJobConfig {
  /** Where the sub-benchmarks run (they take repo-relative paths). */
  readonly repoRoot: string;
  /** The environment the sub-benchmark processes inherit (stack settings, PATH, …). */
  readonly childEnvironment: Readonly<Record<string, string | undefined>>;
}

export function loadBenchJobConfig(environment: Readonly<Record<string, string | undefined>> = process.env): BenchJobConfig {
  return Object.freeze({ repoRoot, childEnvironment: Object.freeze({ ...environment }) });
}
