// File texts cached by git blob sha, bounded by (approximate) bytes held, least recently used evicted.
// A blob sha names the content exactly, so an entry never goes stale; the bound only limits memory.
import { createHash } from 'node:crypto';

/** Git's blob id: SHA-1 of `blob <byte length>\0` followed by the content. */
export function gitBlobSha(content: Uint8Array): string {
  return createHash('sha1').update(`blob ${content.byteLength}\0`).update(content).digest('hex');
}

export class BlobCache {
  readonly #entries = new Map<string, string>();
  #bytes = 0;
  hits = 0;
  misses = 0;

  /** @param maxBytes bound on the memory held (strings are counted as 2 bytes per UTF-16 unit). */
  constructor(readonly maxBytes = 64 * 1024 * 1024) {}

  static cost(text: string): number {
    return text.length * 2 + 64;
  }

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  has(sha: string): boolean {
    return this.#entries.has(sha);
  }

  get(sha: string): string | undefined {
    const text = this.#entries.get(sha);
    if (text === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.#entries.delete(sha);
    this.#entries.set(sha, text);
    return text;
  }

  set(sha: string, text: string): void {
    const cost = BlobCache.cost(text);
    if (cost > this.maxBytes) return;
    const old = this.#entries.get(sha);
    if (old !== undefined) {
      this.#entries.delete(sha);
      this.#bytes -= BlobCache.cost(old);
    }
    this.#entries.set(sha, text);
    this.#bytes += cost;
    for (const [key, value] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(key);
      this.#bytes -= BlobCache.cost(value);
    }
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }
}

/**
 * Where the fetcher keeps file texts by blob sha: this process's BlobCache (MemoryBlobStore) or Redis shared by
 * every replica (RedisBlobStore in sharedState.ts). Also remembers which repositories were read once (the next
 * read goes through trees and the missing blobs instead of tarballs).
 */
export interface BlobStore {
  /** The texts held for these shas; absent ones are not held. */
  lookup(shas: readonly string[]): Promise<Map<string, string>>;
  put(entries: readonly (readonly [sha: string, text: string])[]): Promise<void>;
  isSeen(repoKey: string): Promise<boolean>;
  markSeen(repoKey: string): Promise<void>;
}

export class MemoryBlobStore implements BlobStore {
  readonly #seen = new Set<string>();
  constructor(readonly cache: BlobCache) {}

  lookup(shas: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const sha of shas) {
      const text = this.cache.get(sha);
      if (text !== undefined) found.set(sha, text);
    }
    return Promise.resolve(found);
  }

  put(entries: readonly (readonly [string, string])[]): Promise<void> {
    for (const [sha, text] of entries) this.cache.set(sha, text);
    return Promise.resolve();
  }

  isSeen(repoKey: string): Promise<boolean> {
    return Promise.resolve(this.#seen.has(repoKey));
  }

  markSeen(repoKey: string): Promise<void> {
    this.#seen.add(repoKey);
    return Promise.resolve();
  }
}
