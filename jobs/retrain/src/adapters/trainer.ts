import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { parseTrainerReport, type SplitReportMetrics, type TrainerReport } from '../domain/trainer-report.js';

/**
 * The Python trainer (jobs/retrain/python, `python -m streamrec_trainer`) as a child process. It talks
 * through files, exactly one JSON object on stdout and exit codes (0 ok, 1 internal, 2 bad input,
 * 3 ONNX parity, 4 MLflow); its progress lines on stderr are passed on as they come.
 */
export const SETUP_HINT =
  'create it with `npm run setup` (infra/local/setup.sh builds .stack/venv from jobs/retrain/python/requirements.lock), or by hand: ' +
  'python3.11 -m venv .stack/venv && .stack/venv/bin/pip install --require-hashes --no-deps -r jobs/retrain/python/requirements.lock ' +
  '&& .stack/venv/bin/pip install --no-deps --no-build-isolation jobs/retrain/python';

export interface TrainerInvocation {
  readonly python: string;
  readonly onStderrLine: (line: string) => void;
  readonly signal?: AbortSignal | undefined;
}

interface TrainerOutcome {
  readonly exitCode: number;
  readonly output: unknown;
  readonly stderrTail: readonly string[];
}

const KIND_BY_EXIT: Readonly<Record<number, { code: (typeof ErrorCode)[keyof typeof ErrorCode]; what: string }>> = {
  1: { code: ErrorCode.Internal, what: 'failed (internal error)' },
  2: { code: ErrorCode.PayloadInvalid, what: 'refused its input' },
  3: { code: ErrorCode.ModelInvalid, what: 'found that the ONNX export does not score like LightGBM' },
  4: { code: ErrorCode.DependencyUnavailable, what: 'could not write MLflow' },
};

export async function assertTrainerInstalled(python: string): Promise<void> {
  try {
    await access(python, constants.X_OK);
  } catch {
    throw new AppError(ErrorCode.DependencyUnavailable, `the trainer's Python environment is missing (${python} not found): ${SETUP_HINT}`);
  }
}

async function runTrainer(invocation: TrainerInvocation, args: readonly string[]): Promise<TrainerOutcome> {
  await assertTrainerInstalled(invocation.python);
  const child = spawn(invocation.python, ['-m', 'streamrec_trainer', ...args], {
    // The trainer flushes its progress lines itself; the environment (MLflow settings) is inherited.
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(invocation.signal === undefined ? {} : { signal: invocation.signal, killSignal: 'SIGTERM' as const }),
  });
  const stdout: string[] = [];
  const stderrTail: string[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
  const stderrDone = (async () => {
    for await (const line of createInterface({ input: child.stderr })) {
      stderrTail.push(line);
      if (stderrTail.length > 20) stderrTail.shift();
      invocation.onStderrLine(line);
    }
  })();
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.name === 'AbortError') reject(new AppError(ErrorCode.Timeout, 'the trainer was stopped (run aborted)', { cause: error }));
      else reject(new AppError(ErrorCode.DependencyUnavailable, `cannot start the trainer ${invocation.python}: ${error.message}; ${SETUP_HINT}`, { cause: error }));
    });
    child.once('close', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
  await stderrDone;
  const text = stdout.join('').trim();
  const lastLine = text.split('\n').at(-1) ?? '';
  let output: unknown;
  try {
    output = JSON.parse(lastLine);
  } catch {
    output = undefined;
  }
  return { exitCode, output, stderrTail };
}

function failure(outcome: TrainerOutcome, command: string): AppError {
  const error = (outcome.output as { error?: { message?: unknown } } | undefined)?.error;
  const message = typeof error?.message === 'string' ? error.message : outcome.stderrTail.slice(-5).join(' | ');
  const missingModule = outcome.stderrTail.some((line) => line.includes("No module named 'streamrec_trainer'") || line.includes('No module named streamrec_trainer'));
  if (missingModule) return new AppError(ErrorCode.DependencyUnavailable, `the trainer package is not installed in the Python environment: ${SETUP_HINT}`);
  const kind = KIND_BY_EXIT[outcome.exitCode] ?? { code: ErrorCode.Internal, what: `exited with ${outcome.exitCode}` };
  return new AppError(kind.code, `trainer ${command} ${kind.what} (exit ${outcome.exitCode}): ${message}`, { details: { exitCode: outcome.exitCode } });
}

export interface TrainRequest {
  readonly dataDir: string;
  readonly outDir: string;
  readonly seed: number;
  readonly objective: string;
  readonly ensemble: number;
  readonly params: string | undefined;
  readonly threads: number;
  readonly mlflowUri: string;
  readonly mlflowExperiment: string;
  readonly runName: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** `train`: LightGBM → ONNX → parity → files; returns the validated report. */
export async function trainModel(invocation: TrainerInvocation, request: TrainRequest): Promise<TrainerReport> {
  const args = [
    'train',
    '--data', request.dataDir,
    '--out', request.outDir,
    '--seed', String(request.seed),
    '--objective', request.objective,
    '--ensemble', String(request.ensemble),
    '--threads', String(request.threads),
    '--mlflow-uri', request.mlflowUri,
    '--mlflow-experiment', request.mlflowExperiment,
    '--run-name', request.runName,
    '--tags', JSON.stringify(request.tags),
    ...(request.params === undefined ? [] : ['--params', request.params]),
  ];
  const outcome = await runTrainer(invocation, args);
  if (outcome.exitCode !== 0) throw failure(outcome, 'train');
  return parseTrainerReport(outcome.output);
}

export interface RecordRequest {
  readonly mlflowUri: string;
  readonly runId: string;
  readonly metrics: Readonly<Record<string, unknown>>;
  readonly params: Readonly<Record<string, unknown>>;
  readonly tags: Readonly<Record<string, string>>;
}

/** `record`: adds the gate's numbers, decision and published version to the training's MLflow run. */
export async function recordInMlflow(invocation: TrainerInvocation, request: RecordRequest): Promise<void> {
  const outcome = await runTrainer(invocation, [
    'record',
    '--mlflow-uri', request.mlflowUri,
    '--run-id', request.runId,
    '--metrics', JSON.stringify(request.metrics),
    '--params', JSON.stringify(request.params),
    '--tags', JSON.stringify(request.tags),
  ]);
  if (outcome.exitCode !== 0) throw failure(outcome, 'record');
}

/** `metrics`: the trainer's own NDCG@10 / HR@10 / AUC of external scores (float64 LE file). */
export async function trainerMetrics(invocation: TrainerInvocation, dataDir: string, split: string, scoresFile: string): Promise<SplitReportMetrics & { split: string }> {
  const outcome = await runTrainer(invocation, ['metrics', '--data', dataDir, '--split', split, '--scores', scoresFile]);
  if (outcome.exitCode !== 0) throw failure(outcome, 'metrics');
  return outcome.output as SplitReportMetrics & { split: string };
}
