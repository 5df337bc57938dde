/** Parsed command line: the command, its positional arguments, flags, and what follows `--`. */
export interface ParsedArgs {
  readonly command: string | undefined;
  readonly positionals: string[];
  readonly flags: Map<string, string[]>;
  readonly afterDashDash: string[];
}

/** Flags that take no value. */
const BOOLEAN = new Set(['help', 'version', 'quiet', 'verbose', 'no-color', 'exit-code', 'color', 'no-render', 'check']);
/** Flags that take every following non-flag token (`--base a.yaml b/`). */
const MULTI = new Set(['base', 'head']);
const SHORT: Record<string, string> = { h: 'help', q: 'quiet', v: 'verbose', f: 'format', n: 'namespace' };

export class UsageError extends Error {}

/**
 * A small parser for `netpol <command> [paths...] [--flag value] [--base paths... --head paths...] [-- pathspec]`.
 * node:util parseArgs cannot take several values after one flag, which `--base`/`--head` need.
 */
export function parseArgs(argv: readonly string[], known: ReadonlySet<string>): ParsedArgs {
  const flags = new Map<string, string[]>();
  const positionals: string[] = [];
  let command: string | undefined;
  let i = 0;
  const push = (k: string, v: string) => flags.set(k, [...(flags.get(k) ?? []), v]);
  while (i < argv.length) {
    const tok = argv[i]!;
    if (tok === '--') return { command, positionals, flags, afterDashDash: argv.slice(i + 1) };
    if (tok.startsWith('-') && tok !== '-') {
      let name = tok.startsWith('--') ? tok.slice(2) : (SHORT[tok.slice(1)] ?? tok.slice(1));
      let inline: string | undefined;
      const eq = name.indexOf('=');
      if (eq >= 0) {
        inline = name.slice(eq + 1);
        name = name.slice(0, eq);
      }
      if (!known.has(name) && !BOOLEAN.has(name)) throw new UsageError(`unknown option ${tok.split('=')[0]}`);
      i++;
      if (BOOLEAN.has(name)) {
        if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
        push(name, 'true');
      } else if (MULTI.has(name)) {
        if (inline !== undefined) push(name, inline);
        while (i < argv.length && !(argv[i]!.startsWith('-') && argv[i] !== '-')) push(name, argv[i++]!);
        if (!flags.has(name)) throw new UsageError(`--${name} needs at least one path`);
      } else {
        const value = inline ?? argv[i++];
        if (value === undefined) throw new UsageError(`--${name} needs a value`);
        push(name, value);
      }
      continue;
    }
    if (command === undefined) command = tok;
    else positionals.push(tok);
    i++;
  }
  return { command, positionals, flags, afterDashDash: [] };
}

/** The last value of a flag, checked against allowed values. */
export function flag(args: ParsedArgs, name: string, allowed?: readonly string[]): string | undefined {
  const v = args.flags.get(name)?.at(-1);
  if (v !== undefined && allowed && !allowed.includes(v)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${v}")`);
  }
  return v;
}

export function has(args: ParsedArgs, name: string): boolean {
  return args.flags.has(name);
}
