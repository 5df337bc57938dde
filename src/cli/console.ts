import type { Diagnostic } from '../manifests/model.js';

export interface CliIo {
  readonly stdout: { write(s: string): unknown; isTTY?: boolean };
  readonly stderr: { write(s: string): unknown; isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly readStdin: () => Promise<string>;
}

export interface Console {
  readonly color: boolean;
  /** Progress for long runs: on a terminal (or with --verbose), never with --quiet. */
  progress(message: string): void;
  /** A note for people on stderr (not progress: shown unless --quiet). */
  note(message: string): void;
  diagnostics(list: readonly Diagnostic[]): void;
}

/** Colours only on a TTY and never with NO_COLOR (https://no-color.org) or --no-color. */
export function createConsole(io: CliIo, opts: { quiet: boolean; verbose: boolean; noColor: boolean }): Console {
  const color = Boolean(io.stdout.isTTY) && !opts.noColor && io.env.NO_COLOR === undefined;
  const errColor = Boolean(io.stderr.isTTY) && !opts.noColor && io.env.NO_COLOR === undefined;
  const showProgress = !opts.quiet && (opts.verbose || Boolean(io.stderr.isTTY));
  const started = Date.now();
  return {
    color,
    progress(message) {
      if (!showProgress) return;
      const t = ((Date.now() - started) / 1000).toFixed(1);
      io.stderr.write(errColor ? `\x1b[2m[${t}s] ${message}\x1b[0m\n` : `[${t}s] ${message}\n`);
    },
    note(message) {
      if (!opts.quiet) io.stderr.write(`${message}\n`);
    },
    diagnostics(list) {
      if (opts.quiet || list.length === 0) return;
      // One write: a stream write per line (hundreds of named-port warnings) cost a call into the stream each.
      let out = '';
      for (const d of list) {
        const sev = errColor ? (d.severity === 'error' ? '\x1b[31merror\x1b[0m' : '\x1b[33mwarning\x1b[0m') : d.severity;
        out += `${d.file}:${d.line}: ${sev}: ${d.message}\n`;
      }
      io.stderr.write(out);
    },
  };
}
