import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@streamrec/foundation/process';
// The same lists the lint rule applies to domain code.
import { isIoModule, pureSubpaths } from '../../eslint/package-boundaries.js';

interface PackageJson {
  readonly name: string;
  readonly exports?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
}
interface WorkspacePackage extends PackageJson {
  readonly dir: string;
}

const workspaceDirs = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
const packages: WorkspacePackage[] = workspaceDirs.map((dir) => ({ dir: resolve(repoRoot, dir), ...(JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as PackageJson) }));
const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));

const importPattern = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?'([^']+)'|import\(\s*'([^']+)'\s*\)/g;
/** Module specifiers a file imports at run time (type-only imports erase and are left out). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  for (const match of text.matchAll(importPattern)) {
    if (/^\s*(?:import|export)\s+type\s/.test(match[0].trimStart())) continue;
    specifiers.push(match[1] ?? match[2] ?? '');
  }
  return specifiers;
}

function entryFile(specifier: string): string | undefined {
  const match = /^(@streamrec\/[^/]+)(?:\/(.+))?$/.exec(specifier);
  if (!match?.[1]) return undefined;
  const pkg = byName.get(match[1]);
  const target = pkg?.exports?.[match[2] === undefined ? '.' : `./${match[2]}`];
  return pkg === undefined || target === undefined ? undefined : resolve(pkg.dir, target);
}

/** What a pure entry reaches that does I/O: the chain of files to each offending import. */
function impurities(entry: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string, chain: readonly string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of runtimeImports(file)) {
      const via = [...chain, relative(repoRoot, file)];
      if (specifier.startsWith('.')) {
        visit(resolve(dirname(file), specifier).replace(/\.js$/, '.ts'), via);
      } else if (specifier.startsWith('@streamrec/')) {
        const isSubpath = specifier.split('/').length > 2;
        if (isSubpath && !pureSubpaths.includes(specifier)) found.push(`${via.join(' → ')} → ${specifier}`);
        const target = entryFile(specifier);
        if (target !== undefined) visit(target, via);
      } else if (isIoModule(specifier)) {
        found.push(`${via.join(' → ')} → ${specifier}`);
      }
    }
  };
  visit(entry, []);
  return found;
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      // A nested workspace package is its own.
      if (path !== dir && existsSync(join(path, 'package.json'))) continue;
      files.push(...sourceFiles(path));
    } else if (name.endsWith('.ts')) files.push(path);
  }
  return files;
}

describe('workspace packages', () => {
  it('lists every deployable and shared library as a workspace with a package.json', () => {
    expect(packages.map((pkg) => pkg.name)).toEqual(expect.arrayContaining(['@streamrec/foundation', '@streamrec/ranking', '@streamrec/features', '@streamrec/api']));
    for (const pkg of packages) expect(pkg.name, pkg.dir).toMatch(/^@streamrec\/[a-z-]+$/);
  });

  it.each(packages.flatMap((pkg) => Object.entries(pkg.exports ?? {}).map(([entry, target]) => [`${pkg.name} ${entry}`, resolve(pkg.dir, target)] as const)))(
    'points %s at a file that exists',
    (_entry, target) => {
      expect(existsSync(target), target).toBe(true);
    },
  );

  it.each(packages.filter((pkg) => pkg.exports?.['.'] !== undefined).map((pkg) => [pkg.name, resolve(pkg.dir, pkg.exports?.['.'] ?? '')] as const))(
    'keeps the root entry of %s pure: nothing behind it imports node:*, an I/O client or an I/O entry',
    (_name, entry) => {
      expect(impurities(entry)).toEqual([]);
    },
  );

  it.each(packages.map((pkg) => [pkg.name, pkg] as const))('declares every workspace package %s imports as a dependency', (_name, pkg) => {
    const declared = new Set(Object.keys(pkg.dependencies ?? {}));
    const undeclared = new Set<string>();
    for (const file of sourceFiles(pkg.dir)) {
      for (const specifier of runtimeImports(file)) {
        const name = /^(@streamrec\/[^/]+)/.exec(specifier)?.[1];
        if (name !== undefined && name !== pkg.name && !declared.has(name)) undeclared.add(`${name} (${relative(repoRoot, file)})`);
      }
    }
    expect([...undeclared]).toEqual([]);
  });

  it('finds an impurity where there is one (the check itself can fail)', () => {
    const runtimeEntry = entryFile('@streamrec/ranking/runtime');
    expect(runtimeEntry).toBeDefined();
    expect(impurities(runtimeEntry ?? '')).toEqual(expect.arrayContaining([expect.stringContaining('onnxruntime-node')]));
  });
});
