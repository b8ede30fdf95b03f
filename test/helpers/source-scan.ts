import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The TypeScript sources under `dir` (no tests, declarations, dependencies, build output or dot folders). */
export function typeScriptSources(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...typeScriptSources(path));
    else if (path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** The text of each call's argument list: from the '(' that ends `marker` to its matching ')'. */
export function callArguments(text: string, marker: string): string[] {
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
