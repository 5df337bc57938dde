import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import type { ManifestFile } from './model.js';

const run = promisify(execFile);
const MANIFEST = /\.(ya?ml|json)$/i;

export interface GitRange {
  /** The merge base of the two refs, as a pull request compares them. */
  readonly base: string;
  readonly head: string;
  readonly baseRef: string;
  readonly headRef: string;
}

/** Resolve `A..B` (or `A...B`) to the merge base of A and B, and B, like a pull request. */
export async function resolveGitRange(spec: string, cwd: string): Promise<GitRange> {
  const m = /^(.+?)\.\.\.?(.+)$/.exec(spec);
  if (!m) throw new Error(`--git expects <base-ref>..<head-ref>, got "${spec}"`);
  const [, baseRef, headRef] = m as unknown as [string, string, string];
  const head = (await git(['rev-parse', '--verify', `${headRef}^{commit}`], cwd)).trim();
  const base = (await git(['merge-base', baseRef, head], cwd)).trim();
  return { base, head, baseRef, headRef };
}

/**
 * Every manifest file of a commit, read straight from git objects: no checkout, no change to the working
 * tree. `pathspec` limits the paths as `git ls-tree` does.
 */
export async function readGitTree(commit: string, cwd: string, pathspec: readonly string[] = []): Promise<ManifestFile[]> {
  const entries = (await listGitBlobs(commit, cwd, pathspec)).filter(
    (e) => MANIFEST.test(e.path) && !e.path.split('/').some((p) => p === 'node_modules'),
  );
  const blobs = await catBlobs(entries.map((e) => e.sha), cwd);
  return entries.map((e, i) => ({ path: e.path, text: blobs[i]!.toString('utf8') }));
}

/** Every blob (file) of a commit's tree, optionally limited by a pathspec. */
export async function listGitBlobs(commit: string, cwd: string, pathspec: readonly string[] = []): Promise<{ sha: string; path: string }[]> {
  const listing = await git(['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...pathspec], cwd);
  return listing
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [, type, sha] = line.slice(0, tab).split(' ') as [string, string, string];
      return { type, sha, path: line.slice(tab + 1) };
    })
    .filter((e) => e.type === 'blob')
    .map(({ sha, path }) => ({ sha, path }));
}

/** Read many blobs, as bytes, with one `git cat-file --batch` process. */
export function catBlobs(shas: readonly string[], cwd: string): Promise<Buffer[]> {
  if (shas.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`git cat-file failed: ${stderr.trim()}`));
      const buf = Buffer.concat(chunks);
      const out: Buffer[] = [];
      let at = 0;
      for (let i = 0; i < shas.length; i++) {
        const nl = buf.indexOf(10, at);
        const header = buf.subarray(at, nl).toString();
        const size = Number(header.split(' ')[2]);
        out.push(buf.subarray(nl + 1, nl + 1 + size));
        at = nl + 1 + size + 1;
      }
      resolve(out);
    });
    child.stdin.end(shas.join('\n') + '\n');
  });
}

async function git(args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 1 << 30, encoding: 'utf8' });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`git ${args[0]}: ${(err.stderr ?? err.message).trim()}`);
  }
}
