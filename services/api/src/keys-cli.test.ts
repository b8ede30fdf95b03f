import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '@streamrec/foundation/process';
import { nodeSecretHasher } from './adapters/api-key-hash.js';
import { authenticate, parseApiKeysYaml } from './domain/auth/api-keys.js';
import { runKeysCli } from './keys-cli.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function tempFile(): string {
  const directory = mkdtempSync(join(tmpdir(), 'streamrec-keys-cli-'));
  directories.push(directory);
  return join(directory, 'api-keys.yaml');
}

function run(...argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = runKeysCli(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

describe('api:keys CLI', () => {
  it('create prints a key once that authenticates against the file it wrote', () => {
    const file = tempFile();
    const created = run('create', '--id', 'storefront', '--scopes', 'read,events', '--max', '120', '--window', '10', '--file', file);
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^sr_storefront_[A-Za-z0-9_-]{43}$/);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(key.slice('sr_storefront_'.length));
    const result = authenticate(parseApiKeysYaml(text, file), key, nodeSecretHasher);
    expect(result).toEqual({ ok: true, key: { id: 'storefront', scopes: ['read', 'events'], rateLimit: { max: 120, windowSeconds: 10 } } });
  });

  it('create refuses an id already in the file (exit 1) and leaves the file unchanged', () => {
    const file = tempFile();
    expect(run('create', '--id', 'storefront', '--scopes', 'read', '--file', file).code).toBe(0);
    const before = readFileSync(file, 'utf8');
    const again = run('create', '--id', 'storefront', '--scopes', 'admin', '--file', file);
    expect(again).toMatchObject({ code: 1, stdout: '' });
    expect(again.stderr).toContain('REC_INVALID_ARGUMENT');
    expect(again.stderr).toContain('already has a key with id "storefront"');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('create without --file prints the key and a YAML entry with the default rate limit', () => {
    const { code, stdout } = run('create', '--id', 'ops', '--scopes', 'admin');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^sr_ops_[A-Za-z0-9_-]{43}\n\n# add under "keys:" in api-keys.yaml\n {2}- id: ops\n {4}sha256: [0-9a-f]{64}\n {4}scopes: \[admin\]\n {4}rate_limit: \{max: 6000, window_seconds: 60\}\n$/);
  });

  it('list shows ids, scopes, limits and status with only a hash prefix', () => {
    const file = tempFile();
    run('create', '--id', 'storefront', '--scopes', 'read,events', '--file', file);
    writeFileSync(file, readFileSync(file, 'utf8').replace('scopes: [read, events]', 'scopes: [read, events]\n    disabled: true'));
    const { code, stdout } = run('list', '--file', file);
    expect(code).toBe(0);
    const digest = [...parseApiKeysYaml(readFileSync(file, 'utf8'), file).keys.values()][0]!.sha256;
    expect(stdout).toContain(`storefront  read,events  6000 requests per 60 s  disabled  ${digest.slice(0, 8)}…`);
    expect(stdout).not.toContain(digest);
  });

  it.each([
    [['create', '--scopes', 'read'], 'create needs --id'],
    [['create', '--id', 'Store_Front', '--scopes', 'read'], "--id 'Store_Front' must be"],
    [['create', '--id', 'x', '--scopes', 'read,write'], "unknown scope 'write'; valid scopes: read, events, admin"],
    [['create', '--id', 'x', '--scopes', 'read', '--max', '0'], "--max must be a positive integer, got '0'"],
    [['create', '--id', 'x', '--scopes', 'read', '--window', '1.5'], "--window must be a positive integer, got '1.5'"],
    [['list'], 'list needs --file'],
    [['rotate'], "unknown command 'rotate'"],
    [['create', '--colour', 'red'], "Unknown option '--colour'"],
    [[], 'a command is needed'],
  ])('wrong usage %j exits 2 and says why', (argv, message) => {
    const { code, stderr } = run(...argv);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain('Usage: npm run api:keys');
  });

  it('--help exits 0 with the usage on stdout, for the CLI and after a command', () => {
    expect(run('--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: npm run api:keys') as unknown });
    expect(run('create', '-h')).toMatchObject({ code: 0, stdout: expect.stringContaining('create --id <id>') as unknown });
  });

  it('list of a missing or invalid file exits 1 with a readable reason', () => {
    const file = tempFile();
    expect(run('list', '--file', file)).toMatchObject({ code: 1, stderr: `api:keys: no file ${file}\n` });
    writeFileSync(file, 'keys:\n  - id: x\n');
    const invalid = run('list', '--file', file);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('REC_CONFIG_INVALID');
    expect(invalid.stderr).toContain('keys[0].sha256');
  });

  it('runs as `tsx services/api/src/keys-cli.ts` with the exit code and the key on stdout', async () => {
    const file = tempFile();
    const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
    const script = join(repoRoot, 'services', 'api', 'src', 'keys-cli.ts');
    const { stdout } = await promisify(execFile)(tsx, [script, 'create', '--id', 'storefront', '--scopes', 'read', '--file', file], { cwd: repoRoot });
    expect(stdout).toMatch(/^sr_storefront_[A-Za-z0-9_-]{43}\n$/);
    const failed = await promisify(execFile)(tsx, [script, 'list'], { cwd: repoRoot }).then(
      () => null,
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(failed).toMatchObject({ code: 2, stderr: expect.stringContaining('list needs --file') as unknown });
  }, 30_000);
});
