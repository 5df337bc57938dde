// Which files of a build a recent build had too, found without parsing: the same path and text. A build's
// result depends on its files' paths and texts alone (and its options), so the merge base built again from
// the same files is the cluster built before, and the head of a pull request is derived from the base by
// parsing and classifying only the files that differ. Files are compared as objects first (the caller hands
// the same objects again: a ManifestFile is read-only, so the same object has the same path and text), then
// by path and content key (the blob id that keys the parse cache: a fetch makes new objects for the same
// blobs), then by text. Comparing objects reads only the two lists: reading each file's fields took ~4 ms
// per pass over the huge bench tier's 29,000 files, which lie all over a large heap.
import type { ManifestFile } from './model.js';
import { knownContentKey } from './parseFile.js';
import type { Assembly } from './clusterAssembly.js';

/** Whether file f, another object than the prior build's file i, has its path and text. */
function sameFile(f: ManifestFile, prior: Assembly, i: number): boolean {
  const p = prior.files[i]!;
  if (f.path !== p.path) return false;
  const text = f.text;
  const t = p.text;
  if (text.length !== t.length) return false;
  // Content keys when both are known: two texts that are equal but not the same string are compared
  // character by character, and a fetch makes a new string for every blob.
  const a = knownContentKey(f);
  if (a !== undefined) {
    const b = knownContentKey(p);
    if (b !== undefined) return a === b;
  }
  return text === t;
}

/** Whether the files are exactly the prior build's: the same paths and texts in the same order. */
export function sameFiles(files: readonly ManifestFile[], prior: Assembly): boolean {
  const n = files.length;
  const pf = prior.files;
  if (n !== pf.length) return false;
  for (let j = 0; j < n; j++) {
    const f = files[j]!;
    if (f !== pf[j] && !sameFile(f, prior, j)) return false;
  }
  return true;
}

/** The files of a build matched to a prior build's. */
export interface FileMatch {
  readonly prior: Assembly;
  /** Per file: its index in the prior build, or -1 (a changed or added file). */
  readonly fromPrior: Int32Array;
  /** The files not in the prior build, in order. */
  readonly changed: readonly number[];
  /** The prior build's files not in this build, in order. */
  readonly removed: readonly number[];
  /** changed.length + removed.length: a file changed in place counts twice. */
  readonly changes: number;
  /** No path repeats among the files (the prior's are unique: see Assembly.derivable). */
  readonly uniquePaths: boolean;
}

/**
 * The files matched to a prior build with unique paths, or undefined past `limit` changes. Files are
 * looked for where the last match puts them (a file added or removed shifts the rest by one), then by path.
 */
export function matchFiles(files: readonly ManifestFile[], prior: Assembly, limit: number): FileMatch | undefined {
  const n = files.length;
  const m = prior.files.length;
  const pf = prior.files;
  const fromPrior = new Int32Array(n);
  const kept = new Uint8Array(m);
  const changed: number[] = [];
  /** Per changed file: the prior's file at its path, or -1. */
  const replaced: number[] = [];
  let offset = 0;
  for (let j = 0; j < n; j++) {
    const f = files[j]!;
    const i = j + offset;
    if (i < m && kept[i] === 0 && (f === pf[i] || sameFile(f, prior, i))) {
      kept[i] = 1;
      fromPrior[j] = i;
      continue;
    }
    // The prior's texts by path tell a new path without the index of paths (made on first use).
    const at = i < m && pf[i]!.path === f.path ? i : prior.texts.has(f.path) ? prior.pathIndex().get(f.path) : undefined;
    if (at !== undefined && at !== i && kept[at] === 0 && (f === pf[at] || sameFile(f, prior, at))) {
      offset = at - j;
      kept[at] = 1;
      fromPrior[j] = at;
      continue;
    }
    fromPrior[j] = -1;
    changed.push(j);
    replaced.push(at ?? -1);
    if (changed.length > limit) return undefined;
  }
  const removed: number[] = [];
  for (let i = 0; i < m; i++) if (kept[i] === 0) removed.push(i);
  const changes = changed.length + removed.length;
  if (changes > limit) return undefined;
  // A changed file's path is another file's when it is a kept file's, or another changed file's.
  let uniquePaths = true;
  const changedPaths = new Set<string>();
  for (let k = 0; k < changed.length && uniquePaths; k++) {
    const path = files[changed[k]!]!.path;
    if ((replaced[k]! >= 0 && kept[replaced[k]!] === 1) || changedPaths.has(path)) uniquePaths = false;
    changedPaths.add(path);
  }
  return { prior, fromPrior, changed, removed, changes, uniquePaths };
}
