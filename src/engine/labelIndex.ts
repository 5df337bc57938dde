import type { LabelSelector, Labels } from '../manifests/model.js';

/**
 * Items (namespaces, workload classes) indexed by their labels, so a selector is checked only against the
 * items that carry its most selective requirement (a matchLabels pair, an `In` list, an `Exists` key)
 * instead of against all of them. The candidates are a superset: callers still apply the full selector.
 */
export class LabelIndex<T> {
  private readonly byPair = new Map<string, T[]>();
  private readonly byKey = new Map<string, T[]>();

  constructor(
    readonly all: readonly T[],
    labelsOf: (item: T) => Labels,
  ) {
    for (const item of all) {
      for (const [k, v] of Object.entries(labelsOf(item))) {
        push(this.byPair, `${k}=${v}`, item);
        push(this.byKey, k, item);
      }
    }
  }

  /** The candidates as disjoint lists (not copied into one: they can be tens of thousands long). */
  candidates(selector: LabelSelector | undefined): readonly (readonly T[])[] {
    if (!selector) return [this.all];
    let best: readonly (readonly T[])[] = [this.all];
    let bestSize = this.all.length;
    for (const [k, v] of Object.entries(selector.matchLabels)) {
      const list = this.byPair.get(`${k}=${v}`) ?? [];
      if (list.length < bestSize) [best, bestSize] = [[list], list.length];
    }
    for (const r of selector.matchExpressions) {
      if (r.operator === 'In') {
        // An item has one value per key, so the lists of different values are disjoint.
        const lists = r.values.map((v) => this.byPair.get(`${r.key}=${v}`) ?? []);
        const size = lists.reduce((n, l) => n + l.length, 0);
        if (size < bestSize) [best, bestSize] = [lists, size];
      } else if (r.operator === 'Exists') {
        const list = this.byKey.get(r.key) ?? [];
        if (list.length < bestSize) [best, bestSize] = [[list], list.length];
      }
    }
    return best;
  }

  /** How many candidates `candidates(selector)` gives. */
  static size<T>(lists: readonly (readonly T[])[]): number {
    return lists.reduce((n, l) => n + l.length, 0);
  }
}

function push<T>(m: Map<string, T[]>, key: string, item: T): void {
  const list = m.get(key);
  if (list) list.push(item);
  else m.set(key, [item]);
}
