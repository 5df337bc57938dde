// Results of reading raw (parsed) objects, kept per object. The parse cache (parseCache.ts) hands back the
// same document objects for a text it saw before, and nothing may mutate them, so whatever is computed
// from one such object alone can be computed once. Held weakly: an entry goes when its object does (when
// the parse cache evicts the file), so the memo needs no bound of its own.

/** A memo of `read(raw)` by the identity of `raw`; `tag` names anything else the result depends on. */
export class ReadMemo<T> {
  readonly #entries = new WeakMap<object, { readonly tag: string; readonly value: T }>();

  /** `read()`'s result for `raw`, computed once per object and tag. Values that are not objects are not kept. */
  get(raw: unknown, tag: string, read: () => T): T {
    if (typeof raw !== 'object' || raw === null) return read();
    const hit = this.#entries.get(raw);
    if (hit !== undefined && hit.tag === tag) return hit.value;
    const value = read();
    this.#entries.set(raw, { tag, value });
    return value;
  }
}
