// The renderers fed by the real diffMatrices, end to end from model clusters.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffMatrices } from '../../src/diff/diffMatrices.js';
import { computeMatrix } from '../../src/engine/matrix.js';
import { diffJson } from '../../src/render/diffJson.js';
import { diffMarkdown } from '../../src/render/diffMarkdown.js';
import { diffMermaid } from '../../src/render/diffMermaid.js';
import { matrixJson } from '../../src/render/matrixJson.js';
import { cluster, ipBlock, policy, pods, sel, tcp, workload } from '../helpers/model.js';

const HOSTILE = '<img src=x onerror=alert(1)>@octocat`[x](javascript:alert(1))<!--';

const workloads = [workload('shop/web', { app: 'web' }), workload(`shop/${HOSTILE}`, { app: 'db' }), workload('ops/mon', { app: 'mon' })];
const dbPolicy = (peers: Parameters<typeof policy>[1]['ingress']) =>
  policy('shop/db-policy', { podSelector: sel({ app: 'db' }), ingress: peers });
const base = cluster({ workloads, policies: [dbPolicy([{ peers: [pods(sel({ app: 'web' }))], ports: [tcp(5432)] }])] });
const head = cluster({
  workloads,
  policies: [dbPolicy([{ peers: [pods(sel({ app: 'web' })), pods(sel(), sel()), ipBlock('0.0.0.0/0')], ports: [tcp(5432)] }])],
});
const baseM = computeMatrix(base);
const headM = computeMatrix(head);
const d = diffMatrices(baseM, headM, { baseRef: 'main', headRef: 'feature' });

describe('renderers on a real diff', () => {
  it('uses the same ids as matrix JSON', () => {
    const ids = new Set([
      ...matrixJson(headM).workloads.map((w) => w.id),
      ...matrixJson(headM).ipRanges.map((r) => r.id),
      ...matrixJson(baseM).ipRanges.map((r) => r.id),
    ]);
    const json = diffJson(d);
    expect(json.opened.length).toBeGreaterThan(0);
    for (const p of json.opened) {
      expect(ids.has(p.dst)).toBe(true);
      // IP sources may be atoms of both partitions; every CIDR of them lies in some matrix range.
      if (p.src.includes('[')) expect(ids.has(p.src)).toBe(true);
    }
    expect(json.base.ref).toBe('main');
  });

  it('comment: headline, the opened line attributed to the edited rule, and no active HTML', () => {
    const md = diffMarkdown(d).markdown;
    expect(md.split('\n')[0]).toMatch(/^\*\*netpol:\*\* \d+ paths? opened, 0 closed, 1 from outside the cluster \\\(1 from the internet\\\)$/);
    expect(md).toContain('← NetworkPolicy `shop/db-policy` (edited, ingress rule 1, `test.yaml:1`)');
    const outsideCode = md.replace(/```mermaid[\s\S]*?```/g, '')
    // An escaped backtick is literal text, not a code-span fence.
    .replace(/\\`/g, '').replace(/(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g, '');
    expect(outsideCode).not.toMatch(/<img|<!--|@octocat|\]\(javascript:/);
  });

  it('mermaid: generated ids only, no raw label syntax', () => {
    const chart = diffMermaid(d);
    expect(chart).not.toMatch(/[`<]/);
    const defs = [...chart.matchAll(/^\s+(?!subgraph)([^\s[(]+)[[(]/gm)].map((m) => m[1]);
    expect(defs.sort()).toEqual(['n1', 'n2']);
    // The destination is a workload of shop (even with brackets in its name): drawn in its namespace.
    expect(chart).toContain('  subgraph s1 ["shop"]\n    n2["shop/#60;img');
  });

  it('never exceeds maxChars, whatever the bound (property)', () => {
    const lines = Array.from({ length: 60 }, (_, i) => ({ ...d.lines[0]!, risk: i < 5 ? d.lines[0]!.risk : ('low' as const), text: `${i} ${'y'.repeat(i * 7)}` }));
    const bigger = { ...d, lines };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12_000 }), (maxChars) => {
        const r = diffMarkdown(bigger, { maxChars });
        expect(r.markdown.length).toBeLessThanOrEqual(maxChars);
      }),
      { numRuns: 150 },
    );
  });
});
