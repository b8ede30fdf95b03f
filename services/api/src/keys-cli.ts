import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppError, ErrorCode, isAppError } from '@streamrec/foundation';
import { generateApiKey } from './adapters/api-key-hash.js';
import { DEFAULT_RATE_LIMIT, SCOPES, appendApiKeyEntry, isValidKeyId, parseApiKeysYaml, renderApiKeyEntry, type NewApiKeyEntry, type RateLimit, type Scope } from './domain/auth/api-keys.js';

const usage = `Usage: npm run api:keys -- <command> [options]

Commands:
  create --id <id> --scopes <scope,...> [--max N] [--window SECONDS] [--file PATH]
         generate a key; print it once on stdout (only its sha256 is stored) and append its entry
         to PATH (created if missing; an existing id is refused), or print the entry without --file
  list --file PATH
         the keys of PATH: id, scopes, rate limit, status and the first 8 hex digits of the hash

Options:
  --id        1–63 characters of a-z, 0-9 and "-"
  --scopes    comma-separated: ${SCOPES.join(', ')}
  --max       requests per window (default ${DEFAULT_RATE_LIMIT.max})
  --window    window length in seconds (default ${DEFAULT_RATE_LIMIT.windowSeconds})
  -h, --help  this help

Exit codes: 0 done, 1 the file is invalid or the id exists, 2 wrong usage.`;

export interface CliOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Wrong invocation (exit 2), as opposed to a file or id problem (exit 1). */
class UsageError extends AppError {
  constructor(message: string) {
    super(ErrorCode.InvalidArgument, message);
  }
}

/** The whole CLI minus process wiring, so tests run it in-process against a temp file. */
export function runKeysCli(argv: readonly string[], output: CliOutput): number {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        id: { type: 'string' },
        scopes: { type: 'string' },
        max: { type: 'string' },
        window: { type: 'string' },
        file: { type: 'string' },
      },
    });
    const [command, ...extra] = positionals;
    if (values.help === true) {
      output.stdout(`${usage}\n`);
      return 0;
    }
    if (command === undefined) throw new UsageError('a command is needed');
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra.join(' ')}'`);
    if (command === 'create') return create(values, output);
    if (command === 'list') return list(values.file, output);
    throw new UsageError(`unknown command '${command}'`);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      output.stderr(`api:keys: ${error.message}\n\n${usage}\n`);
      return 2;
    }
    if (isAppError(error)) {
      output.stderr(`api:keys: ${error.code}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

interface CreateOptions {
  id?: string | undefined;
  scopes?: string | undefined;
  max?: string | undefined;
  window?: string | undefined;
  file?: string | undefined;
}

function create(options: CreateOptions, output: CliOutput): number {
  const { id, file } = options;
  if (id === undefined || !isValidKeyId(id)) throw new UsageError(id === undefined ? 'create needs --id' : `--id '${id}' must be 1–63 characters of a-z, 0-9 and "-"`);
  const scopes = parseScopes(options.scopes);
  const rateLimit = parseRateLimit(options.max, options.window);
  const existing = file === undefined ? null : readIfExists(file);
  const generated = generateApiKey(id);
  const entry: NewApiKeyEntry = { id, sha256: generated.sha256, scopes, rateLimit };
  if (file === undefined) {
    output.stdout(`${generated.key}\n\n# add under "keys:" in api-keys.yaml\n${renderApiKeyEntry(entry)}`);
  } else {
    // Validate and build the new text before writing anything, then replace the file in one step.
    const updated = appendApiKeyEntry(existing, entry, file);
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, updated);
    renameSync(temporary, file);
    output.stdout(`${generated.key}\n`);
    output.stderr(`added key "${id}" (${scopes.join(', ')}; ${describeLimit(rateLimit)}) to ${file}\n`);
  }
  output.stderr('the key is shown only this once; only its sha256 is stored\n');
  return 0;
}

function list(file: string | undefined, output: CliOutput): number {
  if (file === undefined) throw new UsageError('list needs --file');
  const text = readIfExists(file);
  if (text === null) {
    output.stderr(`api:keys: no file ${file}\n`);
    return 1;
  }
  const store = parseApiKeysYaml(text, file);
  const rows = [...store.keys.values()].map((key) => [key.id, key.scopes.join(','), describeLimit(key.rateLimit), key.disabled ? 'disabled' : 'active', `${key.sha256.slice(0, 8)}…`]);
  const header = ['ID', 'SCOPES', 'RATE LIMIT', 'STATUS', 'SHA256'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  for (const row of [header, ...rows]) output.stdout(`${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()}\n`);
  output.stderr(`${rows.length} key${rows.length === 1 ? '' : 's'} in ${file}\n`);
  return 0;
}

function parseScopes(value: string | undefined): Scope[] {
  if (value === undefined) throw new UsageError(`create needs --scopes (${SCOPES.join(', ')})`);
  const names = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !(SCOPES as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) throw new UsageError(`--scopes: unknown scope '${unknown.join(', ')}'; valid scopes: ${SCOPES.join(', ')}`);
  return [...new Set(names)] as Scope[];
}

function parseRateLimit(max: string | undefined, window: string | undefined): RateLimit {
  return { max: positiveInteger('--max', max, DEFAULT_RATE_LIMIT.max), windowSeconds: positiveInteger('--window', window, DEFAULT_RATE_LIMIT.windowSeconds) };
}

function positiveInteger(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1) throw new UsageError(`${option} must be a positive integer, got '${value}'`);
  return parsed;
}

function describeLimit(limit: RateLimit): string {
  return `${limit.max} requests per ${limit.windowSeconds} s`;
}

function readIfExists(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return null;
    throw error;
  }
}

function isParseArgsError(error: unknown): error is TypeError {
  return error instanceof TypeError && 'code' in error && typeof error.code === 'string' && error.code.startsWith('ERR_PARSE_ARGS_');
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  try {
    process.exitCode = runKeysCli(process.argv.slice(2), { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) });
  } catch (error) {
    process.stderr.write(`api:keys: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
