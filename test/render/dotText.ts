// What dotGraph writes alike for every graph (diffDot's and matrixDot's), to build their tests' expected texts.

/** From `digraph` to the edge defaults: the head of every graph. */
export const DOT_HEAD = `digraph netpol {
  rankdir=LR;
  node [shape=box, fontname="Helvetica"];
  edge [fontname="Helvetica"];`;

/** A namespace's box: subgraph `cluster_<namespace>` labelled with the namespace, around the given node lines. */
export function dotCluster(namespace: string, nodes: readonly string[]): string {
  return [`  subgraph "cluster_${namespace}" {`, `    label="${namespace}";`, ...nodes.map((n) => `    ${n}`), '  }'].join('\n');
}
