import { parseArgs } from 'node:util';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { environmentVariables } from './config.js';

export type DrillCommand =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'list' }
  | { readonly kind: 'run'; readonly names: readonly string[]; readonly jsonFile: string | undefined };

export function helpText(names: readonly string[]): string {
  return `Usage: npm run drill -- <name>... | all | list [--json FILE]

Rehearses incidents of the runbook (docs/OPERATIONS.md) on the running local system (npm run setup):
each drill injects the fault, checks that it shows as documented (alerts in Prometheus, the API's
answers, the connector's state), what the system does by itself, runs the operator's documented
commands and verifies the recovery (alerts clear, changes written during the incident arrive exactly
once, the processors catch up). Whatever happens, the drill then starts what is not running again.
Drills stop components: do not run them on a system that serves anyone.

Drills: ${names.join(', ')}

  list           the drills with the incident each rehearses
  all            every drill in the runbook's order
  --json FILE    also write the results (every step, what it saw, its time) as JSON
  -h, --help     this text

Progress goes to stderr, one line per step; the verdicts to stdout.
Exit codes: 0 every drill passed, 1 a drill failed, 2 usage.

Environment (defaults from infra/local/stack.env and .stack/secrets.env):
${Object.entries(environmentVariables).map(([name, text]) => `  ${name.padEnd(32)}${text}`).join('\n')}`;
}

export function parseCommandLine(argv: readonly string[], names: readonly string[]): DrillCommand {
  const usage = (message: string): AppError => new AppError(ErrorCode.InvalidArgument, `${message} (npm run drill -- --help)`);
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: { json: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw usage(error instanceof Error ? error.message : String(error));
  }
  if (parsed.values.help === true) return { kind: 'help', text: helpText(names) };
  const positionals = parsed.positionals;
  if (positionals.length === 0) throw usage('name a drill, all, or list');
  if (positionals.length === 1 && positionals[0] === 'list') return { kind: 'list' };
  const wanted = positionals.includes('all') ? [...names] : positionals;
  const unknown = wanted.filter((name) => !names.includes(name));
  if (unknown.length > 0) throw usage(`unknown drill ${unknown.join(', ')} (known: ${names.join(', ')})`);
  return { kind: 'run', names: wanted.filter((name, index) => wanted.indexOf(name) === index), jsonFile: parsed.values.json };
}
