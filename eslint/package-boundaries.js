// @ts-check
// Lint rules that keep the workspace packages apart (STYLE.md, "Rules for this repository"):
//  - no relative import may leave its package: another package is imported by name, through its `exports`;
//  - `domain/` code imports only pure entries: no node:* or I/O client, and of a workspace package only its
//    root entry (every root entry is pure; test/unit/package-structure.test.ts proves it).
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const repoRoot = dirname(import.meta.dirname);
const workspaces = /** @type {{ workspaces: string[] }} */ (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'))).workspaces.map((dir) => resolve(repoRoot, dir));

/** The workspace package a file belongs to (its folder), or the repository root for files outside every package. */
function packageOf(file) {
  let best = repoRoot;
  for (const dir of workspaces) if ((file === dir || file.startsWith(dir + sep)) && dir.length > best.length) best = dir;
  return best;
}

/** Libraries that do I/O (or wrap a native runtime): never imported by domain code. */
export const ioModules = ['kafkajs', 'ioredis', 'fastify', '@fastify/', 'avsc', '@clickhouse/client', 'onnxruntime-node', 'usearch', 'pino', 'prom-client', 'mysql2', 'autocannon'];
/** Sub-path entries that are pure and may be imported by domain code. */
export const pureSubpaths = ['@streamrec/streams-common/wire'];

export function isIoModule(source) {
  if (source.startsWith('node:')) return true;
  return ioModules.some((name) => (name.endsWith('/') ? source.startsWith(name) : source === name || source.startsWith(`${name}/`)));
}

const isTestFile = (file) => /\.test\.ts$/.test(file) || /[/\\](testing|test-fixtures)[/\\.]/.test(file) || file.endsWith('test-fixtures.ts');

/** @type {import('eslint').Rule.RuleModule} */
const noCrossPackageRelative = {
  meta: { type: 'problem', schema: [], messages: { cross: "'{{source}}' reaches into {{target}}: import that package by its name (its package.json exports)." } },
  create(context) {
    const file = context.filename;
    const own = packageOf(file);
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = resolve(dirname(file), source);
      const targetPackage = packageOf(target);
      if (targetPackage !== own) context.report({ node, messageId: 'cross', data: { source, target: relative(repoRoot, targetPackage) || 'the repository root' } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

/** @type {import('eslint').Rule.RuleModule} */
const pureDomain = {
  meta: { type: 'problem', schema: [], messages: { io: "domain code must stay pure: '{{source}}' {{why}}." } },
  create(context) {
    const file = context.filename;
    if (!/[/\\]domain[/\\]/.test(file) || isTestFile(file)) return {};
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      if (isIoModule(source)) return context.report({ node, messageId: 'io', data: { source, why: 'does I/O (put it in an adapter behind an interface the domain declares)' } });
      const match = /^(@streamrec\/[^/]+)\/(.+)$/.exec(source);
      if (match && !pureSubpaths.includes(source)) context.report({ node, messageId: 'io', data: { source, why: `is an I/O entry (use ${match[1]}, the pure one)` } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
    };
  },
};

export default { rules: { 'no-cross-package-relative': noCrossPackageRelative, 'pure-domain': pureDomain } };
