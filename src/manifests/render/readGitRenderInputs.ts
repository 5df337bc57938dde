// The `netpol diff --git` counterpart of readRenderInputs: the non-manifest files of kustomization and chart
// directories at one commit, read from git objects (no checkout).
import { execFile } from 'node:child_process';
import { posix } from 'node:path';
import { promisify } from 'node:util';
import type { ManifestFile } from '../model.js';
import { KUSTOMIZATION_NAMES } from './findKustomizations.js';
import { displayDir, isWithin } from './paths.js';
import type { BinaryFile } from './types.js';

const run = promisify(execFile);
const ROOT_MARKERS = new Set<string>([...KUSTOMIZATION_NAMES, 'Chart.yaml']);

export async function readGitRenderInputs(
  commit: string,
  cwd: string,
  pathspec: readonly string[],
  files: readonly ManifestFile[],
): Promise<{ files: ManifestFile[]; binaryFiles: BinaryFile[] }> {
  const { stdout } = await run('git', ['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...pathspec], { cwd, maxBuffer: 1 << 30, encoding: 'utf8' });
  const entries = stdout
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [, type, sha] = line.slice(0, tab).split(' ') as [string, string, string];
      return { type, sha, path: line.slice(tab + 1) };
    })
    .filter((e) => e.type === 'blob');
  const roots = [...new Set(entries.filter((e) => ROOT_MARKERS.has(posix.basename(e.path))).map((e) => '/' + displayDir(e.path)))];
  const have = new Set(files.map((f) => f.path));
  const wanted = entries.filter((e) => !have.has(e.path) && roots.some((r) => isWithin('/' + e.path, r === '/.' ? '/' : r)));
  const out: ManifestFile[] = [];
  const binaryFiles: BinaryFile[] = [];
  for (const e of wanted) {
    const { stdout: bytes } = await run('git', ['cat-file', 'blob', e.sha], { cwd, maxBuffer: 1 << 28, encoding: 'buffer' });
    try {
      if (/\.tgz$/.test(e.path)) throw new Error('binary');
      out.push({ path: e.path, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) });
    } catch {
      binaryFiles.push({ path: e.path, bytes });
    }
  }
  return { files: out, binaryFiles };
}
