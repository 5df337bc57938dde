// The changed edges of a diff as a graph: one node per endpoint group of the opened/closed lines (the graph
// has as many edges as the summary has lines, however many pairs they stand for), opened edges solid,
// closed dashed, labelled with ports. Nodes whose members all live in one namespace are drawn inside it.
import type { DiffLine, EndpointGroup, ReachabilityDiff } from '../diff/types.js';
import type { Graph, GraphEdge, GraphNode } from './graph.js';
import { memberNamespace } from '../diff/memberNamespace.js';
import { portsText } from './portsText.js';

/** The opened and closed lines the graph draws (isolation and new/removed workloads are not edges). */
export function edgeLines(diff: ReachabilityDiff): DiffLine[] {
  return diff.lines.filter((l) => l.direction === 'opened' || l.direction === 'closed');
}

export function changeGraph(diff: ReachabilityDiff): Graph {
  const nodes: GraphNode[] = [];
  const idByKey = new Map<string, string>();
  const nodeFor = (g: EndpointGroup): string => {
    // Same members and same wording: same node, so "any pod in any namespace" is drawn once.
    const key = `${g.text}\u0000${g.members.join('\u0000')}`;
    let id = idByKey.get(key);
    if (id === undefined) {
      id = `g${nodes.length + 1}`;
      idByKey.set(key, id);
      const namespaces = new Set(g.members.map(memberNamespace));
      const only = namespaces.size === 1 ? [...namespaces][0] : undefined;
      const external = g.members.length > 0 && namespaces.size === 1 && only === undefined;
      nodes.push({ id, label: g.text, ...(only !== undefined ? { namespace: only } : {}), external });
    }
    return id;
  };
  const edges: GraphEdge[] = edgeLines(diff).map((l) => ({
    from: nodeFor(l.from),
    to: nodeFor(l.to),
    label: portsText(l.ports),
    style: l.direction === 'opened' ? 'solid' : 'dashed',
  }));
  return { nodes, edges };
}
