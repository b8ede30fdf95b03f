import type { ActiveAlert } from './alerts.js';
import type { DrillTime } from './eventually.js';

/** What the drills see of the running system and can do to it (adapters in src/adapters, wired in src/wiring.ts). */
export interface DrillWorld {
  readonly time: DrillTime;
  /** Runs a command from the repository root, the way the runbook tells the operator to. */
  readonly run: (command: readonly string[], options?: { readonly timeoutMs?: number }) => Promise<CommandResult>;
  /** Active alerts (pending or firing) in Prometheus. */
  readonly alerts: () => Promise<ActiveAlert[]>;
  readonly api: ApiProbe;
  readonly connect: ConnectProbe;
  readonly shop: ShopProbe;
  readonly kafka: KafkaProbe;
  readonly processes: ProcessControl;
  readonly files: FileAccess;
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Answer {
  readonly status: number;
  readonly degradedReasons: readonly string[];
  readonly itemIds: readonly string[];
  readonly modelVersion: string | undefined;
  readonly experiment: string | undefined;
  /** The error code of a non-200 answer. */
  readonly errorCode: string | undefined;
}

export interface ApiProbe {
  readonly recommend: (userId: string) => Promise<Answer>;
  /** GET /readyz: whether the API says it is ready, and its checks. */
  readonly ready: () => Promise<{ readonly ready: boolean; readonly detail: string }>;
  /** POST /admin/experiments/reload: the HTTP status and the body's code and problems. */
  readonly reloadExperiments: () => Promise<{ readonly status: number; readonly code: string | undefined; readonly details: string }>;
  /** The version of model `name` the API serves (GET /admin/status), undefined when none. */
  readonly servedModel: (name: string) => Promise<{ readonly version: string | undefined; readonly rejected: readonly string[] }>;
}

export interface ConnectorState {
  readonly connector: string;
  readonly tasks: readonly string[];
  /** The first failed task's trace, first line. */
  readonly trace: string | undefined;
}

export interface ConnectProbe {
  readonly connectorName: string;
  readonly state: () => Promise<ConnectorState>;
  readonly config: () => Promise<Record<string, string>>;
  readonly putConfig: (config: Readonly<Record<string, string>>) => Promise<void>;
  /** Restarts the connector and its tasks, as a worker restart or a rebalance would. */
  readonly restart: () => Promise<void>;
}

/** A change written to the shop's MariaDB that must reach ClickHouse through Debezium, normalize and the sink. */
export interface Canary {
  readonly userId: string;
  readonly itemId: number;
  readonly action: 'favorite';
}

export interface ShopProbe {
  readonly writeCanary: () => Promise<Canary>;
  /** How many times the canary's interaction is in ClickHouse (FINAL: exactly once means 1). */
  readonly canaryCount: (canary: Canary) => Promise<number>;
  /** A user with history, for answers worth comparing. */
  readonly activeUser: () => Promise<string>;
  /** FLUSH BINARY LOGS, then PURGE BINARY LOGS TO the new file; returns the files purged. */
  readonly purgeBinlogs: () => Promise<string>;
  /** Changes the CDC account's password in MariaDB to a random one nobody knows (kept out of the binlog). */
  readonly rotateCdcPassword: () => Promise<string>;
}

export interface KafkaProbe {
  /** Writes raw records (no schema, text) to a topic. */
  readonly produceRaw: (topic: string, records: readonly { readonly key?: string; readonly value: string }[]) => Promise<void>;
  /** The next offset to be written, per partition. */
  readonly ends: (topic: string) => Promise<ReadonlyMap<number, bigint>>;
  /** The values (as text) of the records at or after `from` per partition, up to the ends seen now. */
  readonly readSince: (topic: string, from: ReadonlyMap<number, bigint>) => Promise<string[]>;
}

/** The system's background processes (infra/local/system.sh, pid files in .stack/run). */
export interface ProcessControl {
  readonly isRunning: (process: string) => Promise<boolean>;
  /** SIGTERM by pid file, waiting for the exit. */
  readonly stop: (process: string) => Promise<void>;
}

export interface FileAccess {
  readonly read: (path: string) => Promise<string>;
  readonly write: (path: string, text: string) => Promise<void>;
  readonly exists: (path: string) => Promise<boolean>;
  readonly remove: (path: string) => Promise<void>;
}
