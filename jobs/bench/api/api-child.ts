import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '@streamrec/foundation/process';
import { runKeysCli } from '@streamrec/api/app';

/** An API process the bench started (or one it was pointed at): where to send requests, and how to stop it. */
export interface BenchApi {
  readonly url: string;
  /** The operations listener (/readyz, /metrics). */
  readonly opsUrl: string;
  readonly apiKey: string;
  /** The last lines the child wrote to stderr (empty for an API the bench did not start). */
  stderrTail(): string;
  /** Stops the child (SIGTERM, SIGKILL after the grace period); a no-op for an external API. Idempotent. */
  stop(): Promise<void>;
}

export interface StartApiOptions {
  readonly workDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Passed as `--cpu-prof --cpu-prof-dir DIR`: the profile is written when the child exits after SIGTERM. */
  readonly cpuProfileDir: string | undefined;
  readonly readyTimeoutMs?: number;
  readonly log: (line: string) => void;
}

const API_ENTRY = join(repoRoot, 'services', 'api', 'src', 'main.ts');
const STDERR_LINES = 40;

/** A read key with a limit no bench reaches (the rate limiter still runs, as in production). */
export function writeBenchKey(file: string): string {
  let stdout = '';
  let stderr = '';
  const code = runKeysCli(['create', '--id', 'bench', '--scopes', 'read', '--max', '1000000000', '--window', '60', '--file', file], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  const key = stdout.split('\n')[0]?.trim() ?? '';
  if (code !== 0 || key === '') throw new Error(`api:keys create failed (exit ${code}): ${stderr.trim()}`);
  return key;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Starts `node --max-semi-space-size=64 --import tsx services/api/src/main.ts` with a bench key file, its own ports and data dir, and waits for /readyz. */
export async function startApiChild(options: StartApiOptions): Promise<BenchApi> {
  const keysFile = join(options.workDir, 'api-keys.yaml');
  const dataDir = join(options.workDir, 'api-data');
  await mkdir(dataDir, { recursive: true });
  const apiKey = writeBenchKey(keysFile);
  const port = await freePort();
  const opsPort = await freePort();
  // The same V8 flag as `npm run api`: a larger young generation halves the scavenges of a request-heavy process.
  const nodeArgs = [...(options.cpuProfileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir]), '--max-semi-space-size=64', '--import', 'tsx', API_ENTRY];
  const child = spawn(process.execPath, nodeArgs, {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...options.env,
      STREAMREC_API_KEYS_FILE: keysFile,
      STREAMREC_API_PORT: String(port),
      STREAMREC_API_HOST: '127.0.0.1',
      STREAMREC_API_OPS_PORT: String(opsPort),
      STREAMREC_API_OPS_HOST: '127.0.0.1',
      STREAMREC_API_DATA_DIR: dataDir,
      STREAMREC_LOG_LEVEL: 'warn',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
    },
  });
  const tail: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    tail.push(...chunk.toString().split('\n').filter((line) => line.trim() !== ''));
    tail.splice(0, Math.max(0, tail.length - STDERR_LINES));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const opsUrl = `http://127.0.0.1:${opsPort}`;
  const api: BenchApi = { url, opsUrl, apiKey, stderrTail: () => tail.join('\n'), stop: stopOnce(child, exited) };
  options.log(`API child pid ${child.pid ?? '?'} on ${url}${options.cpuProfileDir === undefined ? '' : ` (cpu profile → ${options.cpuProfileDir})`}`);
  try {
    await waitReady(opsUrl, options.readyTimeoutMs ?? 120_000, exited);
  } catch (error) {
    await api.stop();
    throw new Error(`the API did not become ready: ${error instanceof Error ? error.message : String(error)}\n${api.stderrTail()}`);
  }
  return api;
}

export function externalApi(url: string, opsUrl: string, apiKey: string): BenchApi {
  return { url: url.replace(/\/+$/, ''), opsUrl: opsUrl.replace(/\/+$/, ''), apiKey, stderrTail: () => '', stop: () => Promise.resolve() };
}

/** Polls /readyz of the operations listener `url` (every 250 ms) until 200, the child exits or the deadline passes. */
export async function waitReady(url: string, timeoutMs: number, exited?: Promise<number | null>): Promise<void> {
  let exitCode: number | null | undefined;
  void exited?.then((code) => (exitCode = code));
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`the API exited with ${exitCode} before it was ready`);
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
      last = `readyz ${response.status}: ${(await response.text()).slice(0, 300)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  throw new Error(`not ready after ${timeoutMs} ms (${last})`);
}

function stopOnce(child: ChildProcess, exited: Promise<number | null>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const graceful = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
      if (!graceful) {
        child.kill('SIGKILL');
        await exited;
      }
    })();
    return stopping;
  };
}
