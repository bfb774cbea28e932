import { type ParseArgsConfig, parseArgs } from 'node:util';

/** Thrown once a command's arguments parsed and `--help` was among them: print usage, exit 0. */
export class HelpRequested extends Error {
  constructor() {
    super('help requested');
    this.name = 'HelpRequested';
  }
}

const HELP = new Set(['--help', '-h']);

/**
 * parseArgs for the CLI's commands, with `--help`: the other arguments are still parsed (strict),
 * so `pnpm <command> <what the docs show> --help` proves the documented options exist without
 * doing any work. A leading `--` (pnpm passes one through some scripts) is not an end of options.
 */
export function parseCommandLine<T extends ParseArgsConfig>(
  args: string[],
  config: T,
): ReturnType<typeof parseArgs<T>> {
  const given = args[0] === '--' ? args.slice(1) : args;
  const parsed = parseArgs({ ...config, args: given.filter((arg) => !HELP.has(arg)) } as T);
  if (given.some((arg) => HELP.has(arg))) throw new HelpRequested();
  return parsed;
}
