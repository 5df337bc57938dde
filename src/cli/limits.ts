// The CLI's resource limits: `--max-file-bytes N` and `--max-objects N`, with the defaults of the app's
// `limits` (1 MiB per file, 20,000 objects per side); `0` turns a limit off. A file over the limit is an error
// diagnostic and the rest is analysed; a side over the object limit stops the command with exit code 2 and a
// message naming the flag. The CLI has no time limit (interrupt it).
import { DEFAULT_LIMITS } from '../config/defaults.js';
import { applyFileLimit, checkObjectLimit } from '../manifests/limits.js';
import type { Cluster, Diagnostic, ManifestFile } from '../manifests/model.js';
import { UsageError, type ParsedArgs } from './args.js';

export { LIMIT_FLAGS } from './flags.js';

export interface CliLimits {
  readonly maxFileBytes: number;
  readonly maxObjects: number;
}

let current: CliLimits = { maxFileBytes: DEFAULT_LIMITS.maxFileBytes, maxObjects: DEFAULT_LIMITS.maxObjects };

function count(args: ParsedArgs, name: string, fallback: number): number {
  const values = args.flags.get(name);
  if (!values) return fallback;
  const text = values[values.length - 1]!;
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(n)) throw new UsageError(`--${name} must be a whole number (0: no limit), got "${text}"`);
  return n;
}

/** Set the limits of this run from the command line (main calls it once per run). */
export function setCliLimits(args: ParsedArgs, defaults: CliLimits = DEFAULT_LIMITS): CliLimits {
  current = {
    maxFileBytes: count(args, 'max-file-bytes', defaults.maxFileBytes),
    maxObjects: count(args, 'max-objects', defaults.maxObjects),
  };
  return current;
}

export function cliLimits(): CliLimits {
  return current;
}

/** Files within --max-file-bytes, and a diagnostic for each one over it. */
export function limitFiles(files: readonly ManifestFile[]): { files: ManifestFile[]; diagnostics: Diagnostic[] } {
  return applyFileLimit(files, current.maxFileBytes, '--max-file-bytes');
}

/** Throws (exit code 2, the message names the flag) when a side holds more than --max-objects objects. */
export function checkCliObjects(cluster: Cluster, side = 'the input'): void {
  checkObjectLimit(cluster, current.maxObjects, side, '--max-objects');
}
