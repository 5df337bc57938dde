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

  candidates(selector: LabelSelector | undefined): readonly T[] {
    if (!selector) return this.all;
    let best: readonly T[] = this.all;
    for (const [k, v] of Object.entries(selector.matchLabels)) {
      const list = this.byPair.get(`${k}=${v}`) ?? [];
      if (list.length < best.length) best = list;
    }
    for (const r of selector.matchExpressions) {
      if (r.operator === 'In') {
        // An item has one value per key, so the lists of different values are disjoint.
        const lists = r.values.map((v) => this.byPair.get(`${r.key}=${v}`) ?? []);
        const size = lists.reduce((n, l) => n + l.length, 0);
        if (size < best.length) best = lists.flat();
      } else if (r.operator === 'Exists') {
        const list = this.byKey.get(r.key) ?? [];
        if (list.length < best.length) best = list;
      }
    }
    return best;
  }
}

function push<T>(m: Map<string, T[]>, key: string, item: T): void {
  const list = m.get(key);
  if (list) list.push(item);
  else m.set(key, [item]);
}
