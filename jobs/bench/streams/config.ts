import { loadStackEnv } from '@streamrec/foundation/process';

/** The only place the benchmark reads the process environment: the stack's settings, and what children inherit. */
export interface BenchEnvironment {
  /** The merged stack environment (infra/local/stack.env, .stack/secrets.env, STREAMREC_* overrides). */
  readonly stack: Readonly<Record<string, string | undefined>>;
  /** The environment child processes start from. */
  readonly inherited: Readonly<Record<string, string | undefined>>;
}

export function loadBenchEnvironment(environment: Readonly<Record<string, string | undefined>> = process.env): BenchEnvironment {
  return Object.freeze({ stack: loadStackEnv(environment), inherited: { ...environment } });
}
