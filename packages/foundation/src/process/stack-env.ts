import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, found from this file's location (packages/foundation/src/process). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/**
 * The local stack's settings: ports from `infra/local/stack.env` (the one file the shell scripts
 * also source) and generated passwords from `.stack/secrets.env`. Explicit environment variables
 * win, so the same code points at any other deployment.
 */
export function loadStackEnv(
  environment: Readonly<Record<string, string | undefined>>,
  root: string = repoRoot,
): Readonly<Record<string, string>> {
  const merged: Record<string, string> = {
    ...parseEnvFile(join(root, 'infra', 'local', 'stack.env')),
    ...parseEnvFile(join(root, '.stack', 'secrets.env')),
  };
  for (const [key, value] of Object.entries(environment)) {
    if (key.startsWith('STREAMREC_') && value !== undefined) merged[key] = value;
  }
  return Object.freeze(merged);
}

export function parseEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  return parseEnvText(readFileSync(path, 'utf8'));
}

export function parseEnvText(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    const [, key, rawValue] = match;
    if (key === undefined || rawValue === undefined) continue;
    values[key] = unquote(rawValue.trim());
  }
  return values;
}

function unquote(value: string): string {
  if (value.length >= 2 && (value.startsWith('"') || value.startsWith("'")) && value.endsWith(value[0] ?? '')) {
    return value.slice(1, -1);
  }
  return value;
}
