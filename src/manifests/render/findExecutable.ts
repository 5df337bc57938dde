// Looks a tool up on PATH without running it, so a missing binary is a clear "skipped" and not a spawn error.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * The executable for `name`: an explicit path (containing a slash) is checked as is; a bare name is looked
 * up in each directory of `PATH`. undefined when there is none.
 */
export function findExecutable(name: string, path: string | undefined): string | undefined {
  const candidates = name.includes('/') ? [name] : (path ?? '').split(delimiter).filter(Boolean).map((d) => join(d, name));
  for (const c of candidates) {
    if (!isAbsolute(c) && !name.includes('/')) continue; // relative PATH entries would depend on the cwd
    try {
      if (!statSync(c).isFile()) continue;
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not there or not executable: try the next
    }
  }
  return undefined;
}
