import type { Cluster, Workload } from '../manifests/model.js';

/** How many workloads of a cluster have each `ns/name`: counted, or the counts of another cluster plus a delta. */
interface NameCounts {
  readonly counts: ReadonlyMap<string, number>;
  readonly delta?: ReadonlyMap<string, number>;
}

const cache = new WeakMap<Cluster, NameCounts>();

function countsOf(cluster: Cluster): NameCounts {
  let hit = cache.get(cluster);
  if (!hit) {
    const counts = new Map<string, number>();
    for (const x of cluster.workloads) {
      const k = `${x.namespace}/${x.name}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    cache.set(cluster, (hit = { counts }));
  }
  return hit;
}

/** `ns/name`, or the full id `ns/name[Kind]` when another kind in the cluster has the same ns/name. */
export function displayName(w: Workload, cluster: Cluster): string {
  const { counts, delta } = countsOf(cluster);
  const short = `${w.namespace}/${w.name}`;
  return (counts.get(short) ?? 0) + (delta?.get(short) ?? 0) > 1 ? w.id : short;
}

/**
 * Counts the names of `head` from those of `base`: `head`'s workloads are `base`'s less `removed`, plus
 * `added` (the two sides of a diff share most workload records). Spares counting every workload of a large
 * cluster for the head of each pull request.
 */
export function seedDisplayNames(base: Cluster, head: Cluster, removed: readonly Workload[], added: readonly Workload[]): void {
  if (cache.has(head) || removed.length + added.length > 4096) return;
  const from = countsOf(base);
  if (from.delta) return;
  const delta = new Map<string, number>();
  for (const w of removed) delta.set(`${w.namespace}/${w.name}`, (delta.get(`${w.namespace}/${w.name}`) ?? 0) - 1);
  for (const w of added) delta.set(`${w.namespace}/${w.name}`, (delta.get(`${w.namespace}/${w.name}`) ?? 0) + 1);
  cache.set(head, { counts: from.counts, delta });
}
