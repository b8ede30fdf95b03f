import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaClientOptions } from '@streamrec/foundation';
import { runCommand } from './run-command.js';
import { repoRoot } from './stack.js';
import { waitFor } from './wait-for.js';

const HOST = '127.0.0.1';
/** Blocks of six ports tried in turn (clients and controllers of three nodes), above the stack's (19000–19121, stack.env). */
const BASE_PORTS = [19192, 19212, 19232, 19252] as const;
export const CLUSTER_NODES = [1, 2, 3] as const;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

async function freeBasePort(): Promise<number> {
  for (const base of BASE_PORTS) {
    const ports = Array.from({ length: 2 * CLUSTER_NODES.length }, (_, index) => base + index);
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
  }
  throw new Error(`no free block of six ports at ${BASE_PORTS.join(', ')} for the test's Kafka cluster`);
}

class NodeDied extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A Kafka cluster of the test's own: three KRaft nodes (each broker and controller) started by
 * infra/local/kafka-cluster.sh from the stack's jars, PLAINTEXT on 127.0.0.1, its data in a temp dir.
 * `destroy()` kills every node and removes the dir, whatever state the cluster is in.
 */
export class KafkaTestCluster {
  private constructor(
    readonly dir: string,
    private readonly basePort: number,
  ) {}

  /** Picks free ports and a temp dir; starts nothing yet. */
  static async create(): Promise<KafkaTestCluster> {
    return new KafkaTestCluster(await mkdtemp(join(tmpdir(), 'streamrec-kafka-cluster-')), await freeBasePort());
  }

  get brokers(): string[] {
    return CLUSTER_NODES.map((node) => `${HOST}:${this.basePort + 2 * (node - 1)}`);
  }

  kafka(clientId: string): Kafka {
    // The test cluster is PLAINTEXT: no credentials, so no SASL.
    return new Kafka({ clientId, ...kafkaClientOptions({ brokers: this.brokers, username: undefined, password: undefined }), logLevel: logLevel.NOTHING });
  }

  /** Formats (the first time) and starts the three nodes; `waitUntilServing` says when they serve. */
  async start(): Promise<void> {
    await this.script('start', String(this.basePort));
  }

  async startNode(node: number): Promise<void> {
    await this.script('start-node', String(node));
  }

  /** SIGKILL to one node's JVM, then waits until the process is gone. */
  async killNode(node: number): Promise<void> {
    const pid = Number((await readFile(join(this.dir, 'run', `node-${node}.pid`), 'utf8')).trim());
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !alive(pid), { timeoutMs: 30_000, intervalMs: 50, description: `node ${node} (pid ${pid}) to be gone` });
  }

  /**
   * Waits until every node serves again and the cluster has all three brokers. A node's own log says when it
   * is up: KafkaRaftServer logs "Kafka Server started" only once the node caught up with the controller quorum
   * and was unfenced, which a metadata answer cannot show (with the quorum lost, the survivor still lists
   * brokers that are dead). Then a real metadata round trip: three brokers registered. Fails at once, with the
   * log's tail, when a node's process has died.
   */
  async waitUntilServing(timeoutMs: number): Promise<void> {
    await waitFor(async () => (await Promise.all(CLUSTER_NODES.map((node) => this.nodeStarted(node)))).every(Boolean), {
      timeoutMs,
      intervalMs: 250,
      description: `every node of the test cluster to log "Kafka Server started" (logs in ${join(this.dir, 'logs')})`,
      failFast: (error) => error instanceof NodeDied,
    });
    const admin = this.kafka('test-cluster-health').admin();
    try {
      await waitFor(
        async () => {
          await admin.connect();
          return (await admin.describeCluster()).brokers.length === CLUSTER_NODES.length;
        },
        { timeoutMs, intervalMs: 250, description: `${CLUSTER_NODES.length} brokers registered in the test cluster` },
      );
    } finally {
      await admin.disconnect();
    }
  }

  private async nodeStarted(node: number): Promise<boolean> {
    const pid = Number((await readFile(join(this.dir, 'run', `node-${node}.pid`), 'utf8')).trim());
    const log = await readFile(join(this.dir, 'logs', `node-${node}.log`), 'utf8');
    // infra/local/lib.sh's spawn writes "--- <time> starting: <command>" before each start.
    const sinceStart = log.slice(log.lastIndexOf(' starting: java '));
    if (sinceStart.includes('Kafka Server started')) return true;
    if (!alive(pid)) throw new NodeDied(`node ${node} (pid ${pid}) died while starting:\n${log.slice(-3_000)}`);
    return false;
  }

  async destroy(): Promise<void> {
    const stop = await this.script('stop').catch((error: unknown) => error);
    await rm(this.dir, { recursive: true, force: true });
    if (stop instanceof Error) throw stop;
  }

  private async script(...args: string[]): Promise<void> {
    const run = await runCommand(['bash', join(repoRoot, 'infra', 'local', 'kafka-cluster.sh'), args[0]!, this.dir, ...args.slice(1)], 120_000);
    if (run.code !== 0) throw new Error(`kafka-cluster.sh ${args.join(' ')} failed (${run.code}): ${run.output.slice(-2_000)}`);
  }
}
