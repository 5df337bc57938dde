// Reads the manifest files of a repository at several commits, economically:
// - a repository seen for the first time: one tarball per commit (GET .../tarball/{sha}, a 302 to codeload),
//   streamed through gunzip and tar-stream, keeping only the paths the config selects;
// - a repository already seen: the recursive tree per commit plus only the blobs whose sha is not cached;
//   a truncated tree falls back to the tarball.
// Texts are cached by git blob sha (computed for tarball entries), so unchanged files are never fetched twice:
// in this process (BlobCache) or, with REDIS_URL, in Redis for every replica (a BlobStore either way).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import type { ManifestFile } from '../manifests/model.js';
import { BlobCache, MemoryBlobStore, gitBlobSha, type BlobStore } from './blobCache.js';
import type { Octokit, RepoRef } from './octokit.js';

export interface SkippedFile {
  readonly path: string;
  readonly reason: string;
}

export interface Snapshot {
  readonly sha: string;
  readonly files: readonly ManifestFile[];
  /** Selected files that were not read (too large, not text), never silently dropped. */
  readonly skipped: readonly SkippedFile[];
}

export interface FetchOptions extends RepoRef {
  readonly shas: readonly string[];
  /** true for paths to read (the config's `paths` minus `ignore`). */
  readonly accept: (path: string) => boolean;
  readonly maxFileBytes: number;
}

export interface FetchStats {
  tarballs: number;
  trees: number;
  blobs: number;
  /** Files served from the cache. */
  cached: number;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function decode(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Drop the archive's top folder `<owner>-<repo>-<sha7>/`. */
export function stripTopFolder(name: string): string | undefined {
  const i = name.indexOf('/');
  if (i < 0) return undefined;
  const rest = name.slice(i + 1);
  return rest === '' ? undefined : rest;
}

function sortFiles<T extends { path: string }>(files: T[]): T[] {
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return results;
}

export class ManifestFetcher {
  /** This process's cache (empty when a shared `store` is given). */
  readonly cache: BlobCache;
  readonly store: BlobStore;
  readonly #seen = new Set<string>();
  /** Counters since creation (tests and metrics read them). */
  readonly stats: FetchStats = { tarballs: 0, trees: 0, blobs: 0, cached: 0 };

  constructor(options: { cacheBytes?: number; cache?: BlobCache; store?: BlobStore } = {}) {
    this.cache = options.cache ?? new BlobCache(options.store ? 0 : options.cacheBytes);
    this.store = options.store ?? new MemoryBlobStore(this.cache);
  }

  static repoKey(ref: RepoRef): string {
    return `${ref.owner}/${ref.repo}`.toLowerCase();
  }

  isSeen(ref: RepoRef): boolean {
    return this.#seen.has(ManifestFetcher.repoKey(ref));
  }

  /** Read the selected files at every sha of `options.shas` (results in the same order). */
  async fetch(octokit: Octokit, options: FetchOptions): Promise<Snapshot[]> {
    const key = ManifestFetcher.repoKey(options);
    const shas = [...new Set(options.shas)];
    let snapshots: Map<string, Snapshot>;
    if (!this.#seen.has(key) && !(await this.store.isSeen(key))) {
      snapshots = new Map();
      for (const sha of shas) snapshots.set(sha, await this.#fromTarball(octokit, options, sha));
      this.#seen.add(key);
      await this.store.markSeen(key);
    } else {
      this.#seen.add(key);
      snapshots = await this.#fromTrees(octokit, options, shas);
    }
    return options.shas.map((sha) => snapshots.get(sha)!);
  }

  async #fromTarball(octokit: Octokit, options: FetchOptions, sha: string): Promise<Snapshot> {
    this.stats.tarballs++;
    const response = await octokit.request('GET /repos/{owner}/{repo}/tarball/{ref}', {
      owner: options.owner,
      repo: options.repo,
      ref: sha,
      request: { parseSuccessResponseBody: false },
    });
    const body = response.data as unknown as ReadableStream<Uint8Array> | null;
    if (!body) throw new Error(`empty tarball for ${options.owner}/${options.repo}@${sha}`);
    const files: ManifestFile[] = [];
    const skipped: SkippedFile[] = [];
    const texts: [string, string][] = [];
    const extract = tar.extract();
    const piping = pipeline(Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>), createGunzip(), extract);
    piping.catch(() => undefined); // surfaced through the iteration below, and awaited at the end
    for await (const entry of extract) {
      const path = entry.header.type === 'file' ? stripTopFolder(entry.header.name) : undefined;
      if (path === undefined || !options.accept(path)) {
        entry.resume();
        await new Promise<void>((resolve, reject) => entry.on('end', resolve).on('error', reject));
        continue;
      }
      if ((entry.header.size ?? 0) > options.maxFileBytes) {
        skipped.push({ path, reason: `larger than limits.maxFileBytes (${entry.header.size} > ${options.maxFileBytes} bytes)` });
        entry.resume();
        await new Promise<void>((resolve, reject) => entry.on('end', resolve).on('error', reject));
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      const bytes = Buffer.concat(chunks);
      const text = decode(bytes);
      if (text === undefined) {
        skipped.push({ path, reason: 'not UTF-8 text' });
        continue;
      }
      texts.push([gitBlobSha(bytes), text]);
      files.push({ path, text });
    }
    await piping;
    await this.store.put(texts);
    return { sha, files: sortFiles(files), skipped: sortFiles(skipped) };
  }

  async #fromTrees(octokit: Octokit, options: FetchOptions, shas: readonly string[]): Promise<Map<string, Snapshot>> {
    interface Wanted {
      path: string;
      sha: string;
    }
    const perSha = new Map<string, { wanted: Wanted[]; skipped: SkippedFile[] }>();
    const result = new Map<string, Snapshot>();
    for (const sha of shas) {
      this.stats.trees++;
      const { data } = await octokit.rest.git.getTree({
        owner: options.owner,
        repo: options.repo,
        tree_sha: sha,
        recursive: '1',
      });
      if (data.truncated) {
        result.set(sha, await this.#fromTarball(octokit, options, sha));
        continue;
      }
      const wanted: Wanted[] = [];
      const skipped: SkippedFile[] = [];
      for (const entry of data.tree) {
        // Blobs only: mode 120000 is a symlink, type "commit" a submodule.
        if (entry.type !== 'blob' || entry.mode === '120000' || !entry.path || !entry.sha) continue;
        if (!options.accept(entry.path)) continue;
        if ((entry.size ?? 0) > options.maxFileBytes) {
          skipped.push({ path: entry.path, reason: `larger than limits.maxFileBytes (${entry.size} > ${options.maxFileBytes} bytes)` });
          continue;
        }
        wanted.push({ path: entry.path, sha: entry.sha });
      }
      perSha.set(sha, { wanted, skipped });
    }

    const all = new Set<string>();
    for (const { wanted } of perSha.values()) for (const w of wanted) all.add(w.sha);
    // One look-up for every wanted blob (one round trip to Redis); the texts found are held from here on.
    const held = await this.store.lookup([...all]);
    const missing = [...all].filter((blobSha) => !held.has(blobSha));
    const fetched = new Map<string, string | undefined>();
    await mapLimit(missing, 8, async (blobSha) => {
      this.stats.blobs++;
      const { data } = await octokit.rest.git.getBlob({ owner: options.owner, repo: options.repo, file_sha: blobSha });
      const bytes = Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8');
      fetched.set(blobSha, decode(bytes));
    });
    await this.store.put([...fetched].filter((e): e is [string, string] => e[1] !== undefined));

    for (const [sha, { wanted, skipped }] of perSha) {
      const files: ManifestFile[] = [];
      for (const w of wanted) {
        const text = fetched.has(w.sha) ? fetched.get(w.sha) : held.get(w.sha);
        if (!fetched.has(w.sha)) this.stats.cached++;
        if (text === undefined) skipped.push({ path: w.path, reason: 'not UTF-8 text' });
        else files.push({ path: w.path, text });
      }
      result.set(sha, { sha, files: sortFiles(files), skipped: sortFiles(skipped) });
    }
    return result;
  }
}
