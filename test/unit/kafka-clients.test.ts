// Repository-wide check that every kafkajs client logs in: the broker takes SASL/SCRAM-SHA-512 with one user per
// role (packages/foundation/src/config/kafka-config.ts), so each `new Kafka({ ... })` spreads
// `kafkaClientOptions(config)` (brokers and, with credentials, `sasl`) instead of passing `brokers` alone.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@streamrec/foundation/process';

const ROOTS = ['packages', 'services', 'streams', 'jobs', 'connectors', 'infra', join('test', 'helpers')];

function sources(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...sources(path));
    else if (path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** The code without its block comments and comment lines (doc comments show `new Kafka({ ... })` too). */
function withoutComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('//'))
    .join('\n');
}

/** The text of each `new Kafka(...)` call's arguments, up to its matching ')'. */
function kafkaConstructions(text: string): string[] {
  const marker = 'new Kafka(';
  const calls: string[] = [];
  for (let start = text.indexOf(marker); start >= 0; start = text.indexOf(marker, start + 1)) {
    let depth = 0;
    let end = start + marker.length - 1;
    for (; end < text.length; end += 1) {
      if (text[end] === '(') depth += 1;
      else if (text[end] === ')' && --depth === 0) break;
    }
    calls.push(text.slice(start + marker.length, end));
  }
  return calls;
}

describe('kafkajs clients', () => {
  it('every new Kafka(...) spreads kafkaClientOptions(...), so it sends its role’s credentials', () => {
    const clients = ROOTS.flatMap((root) => sources(join(repoRoot, root))).flatMap((path) => kafkaConstructions(withoutComments(readFileSync(path, 'utf8'))).map((args) => ({ path: relative(repoRoot, path), args })));
    expect(clients.length).toBeGreaterThanOrEqual(17);
    expect(clients.filter(({ args }) => !/\.\.\.kafkaClientOptions\(/.test(args)).map(({ path, args }) => `${path}: new Kafka(${args.slice(0, 100)})`)).toEqual([]);
  });
});
