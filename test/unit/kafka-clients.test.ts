// Repository-wide check that every kafkajs client logs in: the broker takes SASL/SCRAM-SHA-512 with one user per
// role (packages/foundation/src/config/kafka-config.ts), so each `new Kafka({ ... })` spreads
// `kafkaClientOptions(config)` (brokers and, with credentials, `sasl`) instead of passing `brokers` alone.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@streamrec/foundation/process';
import { callArguments, typeScriptSources } from '../helpers/source-scan.js';

const ROOTS = ['packages', 'services', 'streams', 'jobs', 'connectors', 'infra', join('test', 'helpers')];

/** The code without its block comments and comment lines (doc comments show `new Kafka({ ... })` too). */
function withoutComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('//'))
    .join('\n');
}

describe('kafkajs clients', () => {
  it('every new Kafka(...) spreads kafkaClientOptions(...), so it sends its role’s credentials', () => {
    const clients = ROOTS.flatMap((root) => typeScriptSources(join(repoRoot, root))).flatMap((path) => callArguments(withoutComments(readFileSync(path, 'utf8')), 'new Kafka(').map((args) => ({ path: relative(repoRoot, path), args })));
    expect(clients.length).toBeGreaterThanOrEqual(17);
    expect(clients.filter(({ args }) => !/\.\.\.kafkaClientOptions\(/.test(args)).map(({ path, args }) => `${path}: new Kafka(${args.slice(0, 100)})`)).toEqual([]);
  });
});
