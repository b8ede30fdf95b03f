import { ErrorCode, isAppError } from '../errors.js';

/** Exit codes every CLI of the project uses: 0 done, 1 failed, 2 bad usage (the message says what to fix). */
export const ExitCode = { Ok: 0, Failed: 1, Usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface CliProgram<Command> {
  /** Prefix of every error line (`model: REC_…: …`). */
  readonly name: string;
  /** Throws an `AppError` with REC_INVALID_ARGUMENT on bad usage; `help` carries the text to print. */
  readonly parse: (argv: readonly string[]) => Command | { readonly kind: 'help'; readonly text: string };
  /** Runs the command; resolves to the exit code (undefined = 0). */
  readonly execute: (command: Exclude<Command, { readonly kind: 'help' }>) => Promise<number | void>;
  /** A readable line for a failure that is not an `AppError` (e.g. "cannot reach Kafka …"), or undefined to print the stack. */
  readonly explain?: (error: unknown) => string | undefined;
}

/**
 * The `main` of a CLI: parse → help or usage error → execute → exit code. Coded errors become one line
 * (`name: code: message`; REC_INVALID_ARGUMENT exits 2), anything else its stack, so no CLI repeats this.
 */
export async function runCliProgram<Command>(program: CliProgram<Command>, argv: readonly string[], io: { readonly out: (text: string) => void; readonly err: (text: string) => void }): Promise<number> {
  let command: Command | { readonly kind: 'help'; readonly text: string };
  try {
    command = program.parse(argv);
  } catch (error) {
    if (isAppError(error, ErrorCode.InvalidArgument)) {
      io.err(`${program.name}: ${error.message}\n`);
      return ExitCode.Usage;
    }
    io.err(`${program.name}: ${describe(error)}\n`);
    return ExitCode.Failed;
  }
  if (isHelp(command)) {
    io.out(`${command.text}\n`);
    return ExitCode.Ok;
  }
  try {
    return (await program.execute(command as Exclude<Command, { readonly kind: 'help' }>)) ?? ExitCode.Ok;
  } catch (error) {
    if (isAppError(error)) {
      io.err(`${program.name}: ${error.code}: ${error.message}\n`);
      return error.code === ErrorCode.InvalidArgument ? ExitCode.Usage : ExitCode.Failed;
    }
    io.err(`${program.name}: ${program.explain?.(error) ?? describe(error)}\n`);
    return ExitCode.Failed;
  }
}

/** Runs a CLI program on this process's arguments and exits with its code. */
export function runCli<Command>(program: CliProgram<Command>): void {
  void runCliProgram(program, process.argv.slice(2), { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) }).then((code) => process.exit(code));
}

function isHelp(command: unknown): command is { readonly kind: 'help'; readonly text: string } {
  return typeof command === 'object' && command !== null && (command as { kind?: unknown }).kind === 'help';
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
