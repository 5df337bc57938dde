import { describe, expect, it } from 'vitest';
import { diffDot } from '../../src/render/diffDot.js';
import { diffMermaid } from '../../src/render/diffMermaid.js';
import { DIFF_MERMAID, diff, line } from './diffFixture.js';
import { DOT_HEAD, dotCluster } from './dotText.js';

describe('diffMermaid', () => {
  it('draws namespaces as subgraphs, IP ranges apart, opened solid, closed dashed, ports as labels', () => {
    expect(diffMermaid(diff())).toBe(DIFF_MERMAID);
  });

  it('puts groups spanning namespaces outside every subgraph', () => {
    const out = diffMermaid(
      diff({
        lines: [line({ from: { text: 'any pod in any namespace', members: ['a/x[Pod]', 'b/y[Pod]'] } })],
      }),
    );
    expect(out).toContain('\n  n1["any pod in any namespace"]\n');
  });

  it('generates node ids and encodes every unsafe label character', () => {
    const name = 'x"]; click n1 "javascript:alert(1)" %%`<b>';
    const out = diffMermaid(diff({ lines: [line({ from: { text: name, members: [`shop/${name}[Pod]`] } })] }));
    expect(out).toContain(
      '    n1["x#34;#93;#59; click n1 #34;javascript:alert#40;1#41;#34; #37;#37;#96;#60;b#62;"]',
    );
    expect(out.replace(/-\.?->/g, '')).not.toMatch(/[`<>]/);
  });
});

describe('diffDot', () => {
  it('is the same graph for Graphviz, with what was analysed in comments', () => {
    expect(diffDot(diff())).toBe(`// netpol diff: 2 paths opened, 1 closed, 1 from outside the cluster (1 from the internet)
// base aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: 3 files (5 documents), 2 namespaces, 3 workloads, 2 policies
// base skipped: 2 Service (not a workload or NetworkPolicy)
// head bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb: 3 files (5 documents), 2 namespaces, 3 workloads, 3 policies
// head skipped: 2 Service (not a workload or NetworkPolicy)
// head skipped: 1 Ingress (not modelled)
// warning: policies/db.yaml:7: named port "pg" resolves on no destination
${DOT_HEAD}
${dotCluster('ops', ['"g3" [label="pods app=mon in ops"];'])}
${dotCluster('shop', ['"g2" [label="shop/web"];', '"g4" [label="shop/db"];'])}
  "g1" [label="0.0.0.0/0", shape=ellipse];
  "g1" -> "g2" [label="443/TCP"];
  "g3" -> "g4" [label="5432/TCP"];
  "g2" -> "g4" [label="5432/TCP", style=dashed];
}
`);
  });

  it('escapes quotes and backslashes in labels and keeps comments on one line', () => {
    const name = 'a"b\\c\nd';
    const out = diffDot(
      diff({
        lines: [line({ from: { text: name, members: [] } })],
        diagnostics: [{ file: 'f.yaml', line: 1, severity: 'error', message: 'x\n} digraph evil {' }],
      }),
    );
    expect(out).toContain('"g1" [label="a\\"b\\\\c\\nd"];');
    expect(out).toContain('// error: f.yaml:1: x } digraph evil {\n');
  });
});
