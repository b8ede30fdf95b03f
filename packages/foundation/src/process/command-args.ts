import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError, ErrorCode } from '../errors.js';

/**
 * A CLI's flags and positionals (strict: an unknown flag is a usage error, REC_INVALID_ARGUMENT, ending
 * with `helpHint`, e.g. "npm run dq -- --help").
 */
export function parseCommandArgs<const Options extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: Options, helpHint: string) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options });
  } catch (cause) {
    throw new AppError(ErrorCode.InvalidArgument, `${(cause as Error).message} (${helpHint})`, { cause });
  }
}

/** The one command among `positionals` (the first of `commands` when none is given); anything else is a usage error. */
export function chooseCommand<Command extends string>(positionals: readonly string[], commands: readonly [Command, ...Command[]], usage: (message: string) => AppError): Command {
  if (positionals.length > 1) throw usage(`one command at most, got ${positionals.join(' ')}`);
  const command = positionals[0] ?? commands[0];
  if (!(commands as readonly string[]).includes(command)) throw usage(`unknown command '${command}' (${commands.join(' or ')})`);
  return command as Command;
}
