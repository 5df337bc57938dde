// A small graph model shared by the Graphviz and Mermaid writers, so `matrix --format dot`, `diff --format
// dot` and the comment's mermaid chart lay out namespaces, IP ranges and edges the same way.

export interface GraphNode {
  /** Unique within the graph; written quoted and escaped (DOT) or replaced by a generated id (Mermaid). */
  readonly id: string;
  readonly label: string;
  /** Nodes of one namespace are drawn together; undefined for IP ranges and mixed groups. */
  readonly namespace?: string;
  /** Addresses outside the cluster, drawn with another shape. */
  readonly external: boolean;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  /** solid: allowed or opened; dashed: closed. */
  readonly style: 'solid' | 'dashed';
}

export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** Namespaces in name order with their nodes (in input order), then the nodes outside any namespace. */
export function groupByNamespace(nodes: readonly GraphNode[]): {
  namespaces: [string, GraphNode[]][];
  outside: GraphNode[];
} {
  const byNs = new Map<string, GraphNode[]>();
  const outside: GraphNode[] = [];
  for (const n of nodes) {
    if (n.namespace === undefined) outside.push(n);
    else {
      const list = byNs.get(n.namespace);
      if (list) list.push(n);
      else byNs.set(n.namespace, [n]);
    }
  }
  return { namespaces: [...byNs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), outside };
}
