import type { Workload } from './model.js';

/** Workloads grouped by namespace, each group in input order. */
export function workloadsByNamespace(ws: readonly Workload[]): Map<string, Workload[]> {
  const m = new Map<string, Workload[]>();
  for (const w of ws) {
    const list = m.get(w.namespace);
    if (list) list.push(w);
    else m.set(w.namespace, [w]);
  }
  return m;
}
