// Writes the in-memory inputs into a temporary directory, each at its absolute input path below the root,
// so relative references between them (`../base`) work as in the repository.
import { mkdir, writeFile } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Diagnostic, ManifestFile } from '../model.js';
import { absPath } from './paths.js';
import type { BinaryFile } from './types.js';

/** Returns the display path of each written file by absolute input path; unwritable ones are diagnosed. */
export async function writeInputs(
  root: string,
  files: readonly ManifestFile[],
  binaries: readonly BinaryFile[],
  baseDir: string,
  textOf: (f: ManifestFile) => string = (f) => f.text,
): Promise<{ displayOf: Map<string, string>; diagnostics: Diagnostic[] }> {
  const displayOf = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const all: { path: string; data: string | Uint8Array }[] = [
    ...files.map((f) => ({ path: f.path, data: textOf(f) })),
    ...binaries.map((b) => ({ path: b.path, data: b.bytes })),
  ];
  for (const { path, data } of all) {
    const abs = absPath(baseDir, path);
    if (path.includes('\0') || displayOf.has(abs)) continue;
    const target = posix.join(root, abs);
    try {
      await mkdir(posix.dirname(target), { recursive: true });
      await writeFile(target, data);
      displayOf.set(abs, path);
    } catch (e) {
      diagnostics.push({ file: path, line: 1, severity: 'warning', message: `not available to the renderer: ${(e as Error).message.replace(root, '')}` });
    }
  }
  return { displayOf, diagnostics };
}
