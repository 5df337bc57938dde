// Which kustomizations include which: an entry of resources/bases/components that names a directory holding
// another kustomization of the input is an edge.
import { posix } from 'node:path';
import type { KustomizationRoot } from './findKustomizations.js';

/** For each root (by absolute directory), the roots it includes directly. */
export function includeGraph(roots: readonly KustomizationRoot[]): Map<string, KustomizationRoot[]> {
  const byDir = new Map(roots.map((r) => [r.dirAbs, r]));
  const graph = new Map<string, KustomizationRoot[]>();
  for (const root of roots) {
    const targets: KustomizationRoot[] = [];
    for (const ref of root.refs) {
      const target = byDir.get(posix.resolve(root.dirAbs, ref.entry));
      if (target && target !== root && !targets.includes(target)) targets.push(target);
    }
    graph.set(root.dirAbs, targets);
  }
  return graph;
}
