import type { Cluster } from '../../src/manifests/model.js';

/** The head with base's records wherever the object is unchanged (what the loader's memo gives). */
export function shareRecords(base: Cluster, head: Cluster): Cluster {
  const same = <T extends { id: string }>(xs: readonly T[]) => {
    const byId = new Map(xs.map((x) => [x.id, x]));
    return (y: T): T => {
      const x = byId.get(y.id);
      return x && JSON.stringify(x) === JSON.stringify(y) ? x : y;
    };
  };
  return { ...head, workloads: head.workloads.map(same(base.workloads)), policies: head.policies.map(same(base.policies)) };
}
