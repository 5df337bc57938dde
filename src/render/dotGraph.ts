// Writes a Graph as Graphviz DOT. Every id and label is a quoted, escaped string: manifest names may hold
// any character, and an unquoted `-` or a stray quote would break (or inject into) the graph.
import { groupByNamespace, type Graph } from './graph.js';

export function dotGraph(graph: Graph, comments: readonly string[] = []): string {
  const out: string[] = [];
  for (const c of comments) out.push(`// ${c.replace(/[\r\n\u2028\u2029]+/g, ' ')}`);
  out.push('digraph netpol {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];', '  edge [fontname="Helvetica"];');
  const { namespaces, outside } = groupByNamespace(graph.nodes);
  for (const [ns, nodes] of namespaces) {
    // Graphviz draws a subgraph as a box only when its name starts with "cluster".
    out.push(`  subgraph ${q(`cluster_${ns}`)} {`, `    label=${q(ns)};`);
    for (const n of nodes) out.push(`    ${q(n.id)} [label=${q(n.label)}];`);
    out.push('  }');
  }
  for (const n of outside) out.push(`  ${q(n.id)} [label=${q(n.label)}${n.external ? ', shape=ellipse' : ''}];`);
  for (const e of graph.edges) {
    out.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(e.label)}${e.style === 'dashed' ? ', style=dashed' : ''}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** A DOT quoted string: backslash and quote escaped, line breaks as DOT's centred line break `\n`. */
function q(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r\n?|\n|\u2028|\u2029/g, '\\n')}"`;
}
