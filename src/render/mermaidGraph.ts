// Writes a Graph as a Mermaid flowchart (GitHub renders ```mermaid blocks). Node ids are generated (n1, n2,
// ...) because manifest names could otherwise close a node or inject Mermaid syntax; every label character
// outside a small safe set becomes a Mermaid entity code (#60; for <), which also keeps backticks from
// closing the surrounding code fence.
import { groupByNamespace, type Graph } from './graph.js';

export function mermaidGraph(graph: Graph): string {
  const ids = new Map(graph.nodes.map((n, i) => [n.id, `n${i + 1}`]));
  const out = ['flowchart LR'];
  const { namespaces, outside } = groupByNamespace(graph.nodes);
  namespaces.forEach(([ns, nodes], i) => {
    out.push(`  subgraph s${i + 1} ["${mermaidText(ns)}"]`);
    for (const n of nodes) out.push(`    ${ids.get(n.id)}["${mermaidText(n.label)}"]`);
    out.push('  end');
  });
  // IP ranges get the stadium shape, mixed groups the plain box.
  for (const n of outside) out.push(`  ${ids.get(n.id)}${n.external ? '(["' : '["'}${mermaidText(n.label)}${n.external ? '"])' : '"]'}`);
  for (const e of graph.edges) {
    const arrow = e.style === 'dashed' ? '-.->' : '-->';
    out.push(`  ${ids.get(e.from)} ${arrow}|"${mermaidText(e.label)}"| ${ids.get(e.to)}`);
  }
  return out.join('\n');
}

function mermaidText(s: string): string {
  return [...s].map((c) => (/^[A-Za-z0-9 ./:_,=*+-]$/.test(c) ? c : `#${c.codePointAt(0)};`)).join('');
}
