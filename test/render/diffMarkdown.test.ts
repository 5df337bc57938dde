import { describe, expect, it } from 'vitest';
import type { DiffLine } from '../../src/diff/types.js';
import { diffMarkdown } from '../../src/render/diffMarkdown.js';
import { DIFF_MERMAID, closedLine, crossNamespace, diff, fromInternet, line, noChanges } from './diffFixture.js';

const EXPECTED = `**netpol:** 2 paths opened, 1 closed, 1 from outside the cluster \\(1 from the internet\\)

#### Opened

- 🔴 **critical:** 0\\.0\\.0\\.0/0 \\-&gt; shop/web:443/TCP now allowed<br>← NetworkPolicy \`shop/web-ingress\` (added, ingress rule 1, \`policies/web.yaml:12\`)
- 🟡 medium: pods app=mon in ops \\-&gt; shop/db:5432/TCP now allowed<br>← NetworkPolicy \`shop/db-policy\` (edited, ingress rule 2, \`policies/db.yaml:20\`)

#### Closed

- shop/web \\-&gt; shop/db:5432/TCP no longer allowed<br>← Deployment \`shop/web[Deployment]\` (labels changed, \`apps/web.yaml:3\`): labels app=web \\-&gt; app=frontend

\`\`\`mermaid
${DIFF_MERMAID}
\`\`\`

<details><summary>Per-pair changes: 2 opened, 1 closed</summary>

| Change | Source | Destination | Ports |
| --- | --- | --- | --- |
| opened | \`0.0.0.0/0\` | \`shop/web[Deployment]\` | 443/TCP |
| opened | \`ops/mon[Deployment]\` | \`shop/db[Deployment]\` | 5432/TCP |
| closed | \`shop/web[Deployment]\` | \`shop/db[Deployment]\` | 5432/TCP |

</details>

<details><summary>Diagnostics: 0 errors, 1 warning</summary>

- \`policies/db.yaml:7\` warning: named port "pg" resolves on no destination

</details>

**What was analysed**

- base \`aaaaaaaaaaaa\`: 3 files (5 documents), 2 namespaces, 3 workloads, 2 policies
- head \`bbbbbbbbbbbb\`: 3 files (5 documents), 2 namespaces, 3 workloads, 3 policies
- skipped at base: 2 Service \\(not a workload or NetworkPolicy\\)
- skipped at head: 2 Service \\(not a workload or NetworkPolicy\\), 1 Ingress \\(not modelled\\)
- diagnostics: 0 errors, 1 warning`;

describe('diffMarkdown', () => {
  it('renders headline, sections, attribution, chart, details and what was analysed', () => {
    const r = diffMarkdown(diff());
    expect(r.markdown).toBe(EXPECTED);
    expect(r.overflow).toBe('');
    expect(r.droppedLines).toBe(0);
  });

  it('says "No reachability changes" and still says what was analysed', () => {
    expect(diffMarkdown(noChanges).markdown).toBe(`**netpol:** No reachability changes

**What was analysed**

- base \`aaaaaaaaaaaa\`: 3 files (5 documents), 2 namespaces, 3 workloads, 2 policies
- head \`bbbbbbbbbbbb\`: 3 files (5 documents), 2 namespaces, 3 workloads, 3 policies
- skipped at base: 2 Service \\(not a workload or NetworkPolicy\\)
- skipped at head: 2 Service \\(not a workload or NetworkPolicy\\), 1 Ingress \\(not modelled\\)`);
  });

  it('states skipped kinds once when both sides skipped the same, and "nothing" when none', () => {
    const same = diff({ head: diff().base });
    expect(diffMarkdown(same).markdown).toContain('- skipped on both sides: 2 Service \\(not a workload or NetworkPolicy\\)');
    const none = diff({ base: { ...diff().base, skipped: [] }, head: { ...diff().head, skipped: [] } });
    expect(diffMarkdown(none).markdown).toContain('- skipped: nothing');
  });

  it('sections isolation, new and removed workload lines, and leaves them out of the chart', () => {
    const md = diffMarkdown(
      diff({
        lines: [
          line({ direction: 'added', risk: 'high', text: 'new workload shop/api (Deployment): reachable from any pod' }),
          line({ direction: 'isolation', risk: 'info', text: 'shop/db is now isolated for ingress' }),
          line({ direction: 'removed', risk: 'info', text: 'workload shop/old (Deployment) removed' }),
        ],
      }),
    ).markdown;
    expect(md).toContain('#### Isolation\n\n- shop/db is now isolated for ingress');
    expect(md).toContain('#### New workloads\n\n- 🟠 **high:** new workload shop/api \\(Deployment\\): reachable from any pod');
    expect(md).toContain('#### Removed workloads\n\n- workload shop/old \\(Deployment\\) removed');
    expect(md.indexOf('#### Isolation')).toBeLessThan(md.indexOf('#### New workloads'));
    expect(md).not.toContain('```mermaid');
  });

  it('lists at most 5 attributions per line, then says how many more', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ ...fromInternet.attribution[0]!, id: `shop/p${i}` }));
    const md = diffMarkdown(diff({ lines: [line({ attribution: many })] })).markdown;
    expect(md).toContain('`shop/p4`');
    expect(md).not.toContain('`shop/p5`');
    expect(md).toContain('<br>← and 2 more (see the JSON)');
  });

  it('omits the chart above 30 opened/closed lines', () => {
    const lines = Array.from({ length: 31 }, (_, i) => line({ text: `line ${i}` }));
    expect(diffMarkdown(diff({ lines })).markdown).not.toContain('```mermaid');
    expect(diffMarkdown(diff({ lines: lines.slice(0, 30) })).markdown).toContain('```mermaid');
  });
});

describe('diffMarkdown escaping of manifest strings', () => {
  const HOSTILE = [
    '<img src=x onerror=alert(1)>',
    '@octocat and @org/team',
    '[click](javascript:alert(1))',
    '`code` ``` fence',
    '<!-- netpol-bot:comment -->',
    '<details><summary>x</summary>',
  ];
  const hostile = HOSTILE.join(' ');
  const hostileDiff = diff({
    base: { ...diff().base, ref: hostile, skipped: [{ kind: hostile, count: 1, reasons: [hostile] }] },
    lines: [
      line({
        risk: 'critical',
        text: `${hostile} -> shop/db:5432/TCP now allowed`,
        from: { text: hostile, members: [`shop/${hostile}[Deployment]`] },
        attribution: [{ kind: hostile, id: hostile, change: 'edited', file: hostile, line: 1, detail: hostile }],
        pairs: [{ src: `shop/${hostile}[Deployment]`, dst: 'shop/db[Deployment]', all: true }],
      }),
    ],
    diagnostics: [{ file: hostile, line: 2, severity: 'error', message: hostile }],
  });
  const md = diffMarkdown(hostileDiff).markdown;
  // Code spans are the only places backticks may appear; strip them, then nothing active may remain.
  const outsideCode = md
    .replace(/```mermaid[\s\S]*?```/g, '')
    // An escaped backtick is literal text, not a code-span fence.
    .replace(/\\`/g, '')
    .replace(/(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g, '');

  it('leaves no raw HTML tag or hidden comment outside code', () => {
    expect(outsideCode).not.toMatch(/<img|<!--|<details><summary>x/);
    expect(outsideCode).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
  });

  it('breaks @mentions outside code', () => {
    expect(outsideCode).not.toMatch(/@[A-Za-z0-9]/);
  });

  it('leaves no markdown link or stray backtick outside code spans', () => {
    expect(outsideCode).not.toContain('](javascript:');
    expect(outsideCode).not.toMatch(/(^|[^\\])`/m);
  });

  it('keeps mermaid labels free of quotes, brackets, backticks and tags', () => {
    const chart = /```mermaid\n([\s\S]*?)\n```/.exec(md)![1]!;
    const labels = [...chart.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
    for (const l of labels) expect(l).not.toMatch(/[<>`[\]()@]/);
    expect(chart).toContain('#60;img src=x onerror=alert#40;1#41;#62;');
    expect(chart.split('\n').filter((l) => l.includes('-->'))).toEqual(['  n1 -->|"5432/TCP"| n2']);
  });
});

describe('diffMarkdown maxChars', () => {
  const risky = (i: number): DiffLine =>
    line({ risk: i % 2 === 0 ? 'critical' : 'high', text: `0.0.0.0/0 -> shop/svc${i}:443/TCP now allowed` });
  const low = (i: number): DiffLine => line({ risk: 'low', text: `shop/a -> shop/b${i}:80/TCP now allowed ${'x'.repeat(80)}` });
  const big = diff({ lines: [...Array.from({ length: 10 }, (_, i) => risky(i)), ...Array.from({ length: 400 }, (_, i) => low(i))] });
  const full = diffMarkdown(big, { maxChars: 10_000_000 }).markdown;

  it('drops the details first', () => {
    const r = diffMarkdown(diff(), { maxChars: diffMarkdown(diff()).markdown.length - 10 });
    expect(r.markdown).not.toContain('<details>');
    expect(r.markdown).toContain('```mermaid');
    expect(r.overflow).toContain('<summary>Per-pair changes: 2 opened, 1 closed</summary>');
  });

  it('then the chart, and the overflow keeps both', () => {
    const small = diffMarkdown(diff(), { maxChars: 1_000_000 }).markdown;
    const chart = /```mermaid[\s\S]*?```/.exec(small)![0];
    const details = small.slice(small.indexOf('<details>'), small.lastIndexOf('</details>') + 10);
    const r = diffMarkdown(diff(), { maxChars: small.length - details.length - chart.length + 10 });
    expect(r.markdown).not.toContain('```mermaid');
    expect(r.markdown).toContain('#### Closed');
    expect(r.droppedLines).toBe(0);
    expect(r.overflow).toContain('```mermaid');
    expect(r.overflow).toContain('<details>');
  });

  it.each([3000, 5000, 20_000, 60_000])('never exceeds %i and keeps every critical/high line', (maxChars) => {
    const r = diffMarkdown(big, { maxChars });
    expect(r.markdown.length).toBeLessThanOrEqual(maxChars);
    for (let i = 0; i < 10; i++) expect(r.markdown).toContain(`shop/svc${i}:443/TCP`);
    expect(r.markdown).toContain('**What was analysed**');
    if (r.droppedLines > 0) {
      expect(r.markdown).toContain(`… and ${r.droppedLines} more lines (see the check run / JSON)`);
      expect(r.overflow).toContain('#### Lines not shown in the comment');
    }
  });

  it('drops the lowest-ranked low-risk lines and moves them to the overflow', () => {
    const r = diffMarkdown(big, { maxChars: 20_000 });
    expect(r.droppedLines).toBeGreaterThan(0);
    expect(r.droppedLines).toBeLessThan(400);
    expect(r.markdown).toContain('shop/b0:80/TCP');
    expect(r.markdown).not.toContain('shop/b399:80/TCP');
    expect(r.overflow).toContain('shop/b399:80/TCP');
    // Kept lines plus dropped lines are every line, each once.
    const kept = (r.markdown.match(/shop\/b\d+:80/g) ?? []).length;
    expect(kept + r.droppedLines).toBe(400);
    // As many lines as fit: one more would not.
    expect(r.markdown.length).toBeGreaterThan(20_000 - 200);
  });

  it('fits the whole diff when the bound allows it', () => {
    const r = diffMarkdown(big, { maxChars: full.length });
    expect(r.markdown).toBe(full);
    expect(r.overflow).toBe('');
  });

  it('cuts even risk lines rather than exceed a tiny bound', () => {
    const r = diffMarkdown(big, { maxChars: 300 });
    expect(r.markdown.length).toBeLessThanOrEqual(300);
  });

  it('defaults to 60,000 characters', () => {
    const huge = diff({ lines: Array.from({ length: 2000 }, (_, i) => low(i)) });
    const r = diffMarkdown(huge);
    expect(r.markdown.length).toBeLessThanOrEqual(60_000);
    expect(r.droppedLines).toBeGreaterThan(0);
  });

  it('keeps crossNamespace and closed fixtures in rank order when nothing is dropped', () => {
    const md = diffMarkdown(diff({ lines: [fromInternet, crossNamespace, closedLine] })).markdown;
    expect(md.indexOf('0\\.0\\.0\\.0/0')).toBeLessThan(md.indexOf('pods app=mon'));
  });
});
