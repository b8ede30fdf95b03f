// Writes the `*.generated.yaml` copies under infra/k8s from their sources (see generated-files.ts).
//   node --import tsx infra/k8s/tools/generate.ts           # rewrite them
//   node --import tsx infra/k8s/tools/generate.ts --check   # exit 1 listing the stale ones
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderGeneratedFiles } from './generated-files.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const check = process.argv.includes('--check');
const stale: string[] = [];
for (const [path, content] of renderGeneratedFiles(root)) {
  let current: string | undefined;
  try {
    current = readFileSync(join(root, path), 'utf8');
  } catch {
    current = undefined;
  }
  if (current === content) continue;
  stale.push(path);
  if (!check) writeFileSync(join(root, path), content);
}
if (check && stale.length > 0) {
  process.stderr.write(`stale generated files (run node --import tsx infra/k8s/tools/generate.ts):\n${stale.map((path) => `  ${path}\n`).join('')}`);
  process.exitCode = 1;
} else {
  process.stdout.write(stale.length === 0 ? 'generated files up to date\n' : `wrote ${stale.join(', ')}\n`);
}
