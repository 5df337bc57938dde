// Parsed files cached by content, so that a file identical at both refs of a diff (nearly every file of a
// pull request) is parsed once, and an app that saw a repository before only parses what changed.
// The key is the git blob id of the text (SHA-1 of `blob <bytes>\0<content>`): the same id the GitHub
// app's blob cache and `git ls-tree` use, so either can name an entry without reading the text again.
// Parsed values are shared between every cluster built from the same text: nothing downstream may mutate
// them (test/manifests/parseCache.test.ts builds clusters from deep-frozen documents to check it).
import { createHash } from 'node:crypto';

/** Git's blob id of a text (encoded as UTF-8): the content key of the parse cache. */
export function contentKey(text: string): string {
  return createHash('sha1').update(`blob ${Buffer.byteLength(text, 'utf8')}\0`).update(text, 'utf8').digest('hex');
}

/** What the cache holds per key; `T` is parseFile's result (kept generic to avoid an import cycle). */
interface Entry<T> {
  readonly value: T;
  readonly cost: number;
  /** Read since it was (re)placed at the young end: it gets a second chance before eviction. */
  used: boolean;
}

/**
 * A map from content key to parse result, bounded by an estimate of the memory held, evicting in
 * least-recently-used order by second chance (CLOCK): a hit only marks its entry, and eviction, walking from
 * the oldest entry, moves a marked entry to the young end instead of evicting it. A hit used to move its entry
 * at once (a delete and a set on a map of ~100k keys): ~20k hits per pull request at the huge bench tier cost
 * 30–40 ms. Parsed YAML takes several times the bytes of its text; `cost` is that estimate, given by the caller.
 */
export class ParseCache<T = unknown> {
  readonly #entries = new Map<string, Entry<T>>();
  #bytes = 0;
  hits = 0;
  misses = 0;

  /** @param maxBytes bound on the estimated memory held; 0 disables the cache. */
  constructor(readonly maxBytes = 512 * 1024 * 1024) {}

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  get(key: string): T | undefined {
    const e = this.#entries.get(key);
    if (e === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    e.used = true;
    return e.value;
  }

  set(key: string, value: T, cost: number): void {
    if (cost > this.maxBytes) return;
    this.delete(key);
    this.#entries.set(key, { value, cost, used: false });
    this.#bytes += cost;
    // Every entry gets at most one second chance per pass, so this ends: after one lap all are unmarked.
    for (const [k, e] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(k);
      if (e.used) {
        e.used = false;
        this.#entries.set(k, e);
      } else {
        this.#bytes -= e.cost;
      }
    }
  }

  delete(key: string): boolean {
    const old = this.#entries.get(key);
    if (old === undefined) return false;
    this.#entries.delete(key);
    this.#bytes -= old.cost;
    return true;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
    this.hits = 0;
    this.misses = 0;
  }
}
