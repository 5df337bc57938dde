// The `netpol diff --git` counterpart of readRenderInputs: the non-manifest files of kustomization and chart
// directories at one commit, read from git objects (no checkout).
import { posix } from 'node:path';
import type { ManifestFile } from '../model.js';
import { catBlobs, listGitBlobs } from '../readGitTree.js';
import { KUSTOMIZATION_NAMES } from './findKustomizations.js';
import { displayDir, isWithin } from './paths.js';
import type { BinaryFile } from './types.js';

const ROOT_MARKERS = new Set<string>([...KUSTOMIZATION_NAMES, 'Chart.yaml']);

export async function readGitRenderInputs(
  commit: string,
  cwd: string,
  pathspec: readonly string[],
  files: readonly ManifestFile[],
): Promise<{ files: ManifestFile[]; binaryFiles: BinaryFile[] }> {
  const entries = await listGitBlobs(commit, cwd, pathspec);
  const roots = [...new Set(entries.filter((e) => ROOT_MARKERS.has(posix.basename(e.path))).map((e) => '/' + displayDir(e.path)))];
  const have = new Set(files.map((f) => f.path));
  const wanted = entries.filter((e) => !have.has(e.path) && roots.some((r) => isWithin('/' + e.path, r === '/.' ? '/' : r)));
  const out: ManifestFile[] = [];
  const binaryFiles: BinaryFile[] = [];
  const blobs = await catBlobs(wanted.map((e) => e.sha), cwd);
  for (const [i, e] of wanted.entries()) {
    const bytes = blobs[i]!;
    try {
      if (/\.tgz$/.test(e.path)) throw new Error('binary');
      out.push({ path: e.path, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) });
    } catch {
      binaryFiles.push({ path: e.path, bytes });
    }
  }
  return { files: out, binaryFiles };
}
