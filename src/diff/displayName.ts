import type { Cluster, Workload } from '../manifests/model.js';

const cache = new WeakMap<Cluster, Map<string, number>>();

/** `ns/name`, or the full id `ns/name[Kind]` when another kind in the cluster has the same ns/name. */
export function displayName(w: Workload, cluster: Cluster): string {
  let counts = cache.get(cluster);
  if (!counts) {
    counts = new Map();
    for (const x of cluster.workloads) {
      const k = `${x.namespace}/${x.name}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    cache.set(cluster, counts);
  }
  const short = `${w.namespace}/${w.name}`;
  return (counts.get(short) ?? 0) > 1 ? w.id : short;
}
