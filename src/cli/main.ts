import { createRequire } from 'node:module';
import { has, parseArgs, UsageError } from './args.js';
import { createConsole, type CliIo } from './console.js';
import { DIFF_FLAGS, diffCommand } from './diffCommand.js';
import { EXPLAIN_FLAGS, explainCommand } from './explainCommand.js';
import { LIMIT_FLAGS, setCliLimits } from './limits.js';
import { RENDER_FLAGS } from './loadCluster.js';
import { MATRIX_FLAGS, matrixCommand } from './matrixCommand.js';
import { USAGE } from './usage.js';

const COMMANDS = { matrix: [matrixCommand, MATRIX_FLAGS], diff: [diffCommand, DIFF_FLAGS], explain: [explainCommand, EXPLAIN_FLAGS] } as const;

/** The CLI as a function of its arguments and I/O, so tests run it in process. Returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const known = new Set([...Object.values(COMMANDS).flatMap(([, flags]) => flags), ...RENDER_FLAGS, ...LIMIT_FLAGS]);
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
  const entry = COMMANDS[args.command as keyof typeof COMMANDS];
  if (!entry) {
    io.stderr.write(`netpol: unknown command "${args.command}"\n\n${USAGE}`);
    return 2;
  }
  const [command, flags] = entry;
  const con = createConsole(io, { quiet: has(args, 'quiet'), verbose: has(args, 'verbose'), noColor: has(args, 'no-color') });
  try {
    for (const name of args.flags.keys()) {
      if (!(flags as readonly string[]).includes(name) && !['quiet', 'verbose', 'no-color', 'exit-code', 'color', ...RENDER_FLAGS, ...LIMIT_FLAGS].includes(name)) {
        throw new UsageError(`--${name} is not an option of "${args.command}"`);
      }
    }
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
