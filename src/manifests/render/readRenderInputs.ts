// The CLI reads .yaml/.yml/.json files only; rendering also needs the other files of kustomization and
// chart directories (`Kustomization`, `_helpers.tpl`, generator inputs, vendored `charts/*.tgz`) and the
// bases an overlay includes from outside the paths given. This reads them from disk.
import { readdirSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Diagnostic, ManifestFile } from '../model.js';
import { findKustomizations, KUSTOMIZATION_NAMES } from './findKustomizations.js';
import { absPath, displayDir, isWithin } from './paths.js';
import type { BinaryFile } from './types.js';

const MAX_BYTES = 4 * 1024 * 1024;
const MAX_DIRS = 500;
/** The names of the files that make their directory a root to render: a kustomization, a chart. */
export const ROOT_MARKERS: ReadonlySet<string> = new Set<string>([...KUSTOMIZATION_NAMES, 'Chart.yaml']);

/**
 * `marked`: the regular files named in ROOT_MARKERS below the directories of `paths`, when the caller's walk
 * listed them already (readManifestFiles' `markers`); the directories are then not walked again.
 */
export async function readRenderInputs(
  paths: readonly string[],
  files: readonly ManifestFile[],
  baseDir: string = process.cwd(),
  marked?: readonly string[],
): Promise<{ files: ManifestFile[]; binaryFiles: BinaryFile[]; diagnostics: Diagnostic[] }> {
  // Built on first use: most inputs have no root to render, and resolving every path costs.
  let haveCache: Set<string> | undefined;
  const have = (): Set<string> => (haveCache ??= new Set(files.map((f) => absPath(baseDir, f.path))));
  const extra: ManifestFile[] = [];
  const binaryFiles: BinaryFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const listed = new Map<string, string[]>(); // display dir -> display file paths below it

  const listDir = async (dir: string): Promise<string[]> => {
    const cached = listed.get(dir);
    if (cached) return cached;
    const out: string[] = [];
    // Synchronous, as readManifestFiles: listing a repository's directories through the thread pool cost
    // more than the listing.
    const walk = (d: string): void => {
      let entries;
      try {
        entries = readdirSync(d, { withFileTypes: true });
      } catch {
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        const p = d.endsWith('/') ? d + e.name : `${d}/${e.name}`;
        if (e.isDirectory()) {
          if (e.name !== 'node_modules' && !e.name.startsWith('.')) walk(p);
        } else if (e.isFile()) out.push(p);
      }
    };
    walk(dir);
    listed.set(dir, out);
    return out;
  };

  const add = async (p: string): Promise<void> => {
    const abs = absPath(baseDir, p);
    if (have().has(abs)) return;
    have().add(abs);
    try {
      const size = (await stat(p)).size;
      if (size > MAX_BYTES) {
        diagnostics.push({ file: p, line: 1, severity: 'warning', message: `larger than ${MAX_BYTES} bytes; not given to the renderer` });
        return;
      }
      const bytes = await readFile(p);
      if (/\.tgz$/.test(p)) binaryFiles.push({ path: p, bytes });
      else {
        try {
          extra.push({ path: p, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) });
        } catch {
          binaryFiles.push({ path: p, bytes });
        }
      }
    } catch (e) {
      diagnostics.push({ file: p, line: 1, severity: 'warning', message: `cannot read for rendering: ${(e as Error).message}` });
    }
  };

  // Every file below the given directories, to find roots (a `Kustomization` has no extension).
  const all: string[] = marked ? [...marked] : [];
  for (const p of marked ? [] : paths) {
    if (p === '-') continue;
    try {
      if ((await stat(p)).isDirectory()) all.push(...(await listDir(p)));
    } catch {
      // readManifestFiles reports it
    }
  }
  const rootDirs = new Set<string>();
  for (const p of [...files.map((f) => f.path), ...all]) {
    if (ROOT_MARKERS.has(posix.basename(p))) rootDirs.add(displayDir(p));
  }
  // Walk roots, following kustomization references to directories outside the given paths.
  const queue = [...rootDirs];
  const done = new Set<string>();
  while (queue.length > 0 && done.size < MAX_DIRS) {
    const dir = queue.shift()!;
    const dirAbs = absPath(baseDir, dir);
    if (done.has(dirAbs)) continue;
    done.add(dirAbs);
    for (const p of await listDir(dir)) await add(p);
    const known = [...files, ...extra].filter((f) => isWithin(absPath(baseDir, f.path), dirAbs));
    for (const root of findKustomizations(known, baseDir).roots) {
      for (const ref of root.refs) {
        if (/^[a-z][a-z0-9+.-]*:|^git@/i.test(ref.entry)) continue; // remote: refused later, never read
        const target = posix.normalize(posix.join(root.dir, ref.entry));
        try {
          if ((await stat(target)).isDirectory() && !done.has(absPath(baseDir, target))) queue.push(target);
        } catch {
          // a missing entry is kustomize's to report
        }
      }
    }
  }
  return { files: extra, binaryFiles, diagnostics };
}
