// A process that reads a models topic with the API's model registry and a crash journal, prints its status
// as one JSON line and exits. Fault injection: loading the bytes whose sha256 is given kills the process
// with SIGKILL mid-load, as a native crash inside onnxruntime would (test/integration/model-registry.test.ts).
//   tsx test/helpers/model-registry-child.ts <topic> <journal file> <sha256 that crashes>
import { createHash } from 'node:crypto';
import pino from 'pino';
import { createModelLoadGuard, startModelRegistry } from '@streamrec/api/app';
import { loadOnnxRanker } from '@streamrec/ranking/runtime';
import { createKafka } from './stack.js';

const [topic, journalFile, crashSha256] = process.argv.slice(2);
if (topic === undefined || journalFile === undefined || crashSha256 === undefined) throw new Error('usage: model-registry-child <topic> <journal> <sha256>');
const log = pino({ level: 'silent' });
const loadGuard = await createModelLoadGuard({ maxBytes: 64 * 1024 * 1024, loadTimeoutMs: 60_000, quarantineAfterCrashes: 2, journalFile }, log);
const registry = await startModelRegistry(
  {
    kafka: createKafka(`model-registry-child-${process.pid}`),
    log,
    metrics: { loaded: () => undefined, rejected: () => undefined },
    loadGuard,
    loadRanker: (source) => {
      if (createHash('sha256').update(source.onnx).digest('hex') === crashSha256) process.kill(process.pid, 'SIGKILL');
      return loadOnnxRanker(source);
    },
  },
  { topic, releaseDelayMs: 0 },
);
await registry.caughtUp();
process.stdout.write(`${JSON.stringify(registry.status())}\n`);
await registry.stop();
process.exit(0);
