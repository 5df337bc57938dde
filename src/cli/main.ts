import { createRequire } from 'node:module';
import { has, parseArgs, UsageError, type ParsedArgs } from './args.js';
import { createConsole, type CliIo, type Console } from './console.js';
import { DIFF_FLAGS, EXPLAIN_FLAGS, LIMIT_FLAGS, MATRIX_FLAGS, RENDER_FLAGS } from './flags.js';
import { USAGE } from './usage.js';

type Command = (args: ParsedArgs, io: CliIo, con: Console) => Promise<number>;

// Each command is imported when it runs: importing all of them (the engine, renderers, zod, `yaml`) took
// most of the time of `netpol --help`.
const COMMANDS: Record<string, { readonly flags: readonly string[]; readonly load: () => Promise<Command> }> = {
  matrix: { flags: MATRIX_FLAGS, load: async () => (await import('./matrixCommand.js')).matrixCommand },
  diff: { flags: DIFF_FLAGS, load: async () => (await import('./diffCommand.js')).diffCommand },
  explain: { flags: EXPLAIN_FLAGS, load: async () => (await import('./explainCommand.js')).explainCommand },
};

/** The CLI as a function of its arguments and I/O, so tests run it in process. Returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const known = new Set([...Object.values(COMMANDS).flatMap((c) => c.flags), ...RENDER_FLAGS, ...LIMIT_FLAGS]);
  let args;
  try {
    args = parseArgs(argv, known);
  } catch (e) {
    io.stderr.write(`netpol: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (has(args, 'version')) {
    const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
    io.stdout.write(`netpol ${pkg.version}\n`);
    return 0;
  }
  if (has(args, 'help') || args.command === undefined || args.command === 'help') {
    (args.command === undefined && !has(args, 'help') ? io.stderr : io.stdout).write(USAGE);
    return args.command === undefined && !has(args, 'help') ? 2 : 0;
  }
  const entry = Object.hasOwn(COMMANDS, args.command) ? COMMANDS[args.command] : undefined;
  if (!entry) {
    io.stderr.write(`netpol: unknown command "${args.command}"\n\n${USAGE}`);
    return 2;
  }
  const con = createConsole(io, { quiet: has(args, 'quiet'), verbose: has(args, 'verbose'), noColor: has(args, 'no-color') });
  try {
    for (const name of args.flags.keys()) {
      if (!entry.flags.includes(name) && !['quiet', 'verbose', 'no-color', 'exit-code', 'color', ...RENDER_FLAGS, ...LIMIT_FLAGS].includes(name)) {
        throw new UsageError(`--${name} is not an option of "${args.command}"`);
      }
    }
    const [command, { setCliLimits }] = await Promise.all([entry.load(), import('./limits.js')]);
    setCliLimits(args);
    return await command(args, io, con);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`netpol ${args.command}: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    io.stderr.write(`netpol ${args.command}: ${(e as Error).message}\n`);
    return 2;
  }
}
