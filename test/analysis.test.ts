import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzePullRequest, type AnalyzeParams } from '../src/analysis.js';
import { defaultConfig, type NetpolConfig } from '../src/config/schema.js';
import type { ManifestFile } from '../src/manifests/model.js';

const DIR = 'fixtures/backend-policy';
const POLICY = `${DIR}/backend-policy.yaml`;
const BASE: ManifestFile[] = readdirSync(DIR)
  .sort()
  .map((f) => ({ path: `${DIR}/${f}`, text: readFileSync(`${DIR}/${f}`, 'utf8') }));
const edit = (path: string, change: (text: string) => string): ManifestFile[] =>
  BASE.map((f) => (f.path === path ? { ...f, text: change(f.text) } : f));
const run = (head: ManifestFile[], config: Partial<NetpolConfig> = {}, extra: Partial<AnalyzeParams> = {}) =>
  analyzePullRequest({
    base: { files: BASE, sha: 'a'.repeat(40) },
    head: { files: head, sha: 'b'.repeat(40) },
    config: { ...defaultConfig(), ...config },
    ...extra,
  });

// The ingress ipBlock widened from 182.213.0.0/16 to the whole internet.
const TO_INTERNET = edit(POLICY, (t) => t.replace('cidr: 182.213.0.0/16', 'cidr: 0.0.0.0/0'));

describe('analyzePullRequest', () => {
  it('no change: success, "No reachability changes", what was analysed, nothing to annotate', () => {
    const r = run(BASE);
    expect(r.hasChanges).toBe(false);
    expect(r.check.conclusion).toBe('success');
    expect(r.check.title).toBe('No reachability changes');
    expect(r.comment).toBe(`**netpol:** No reachability changes

**What was analysed**

- base \`aaaaaaaaaaaa\`: 3 files (6 documents), 2 namespaces, 4 workloads, 1 policy
- head \`bbbbbbbbbbbb\`: 3 files (6 documents), 2 namespaces, 4 workloads, 1 policy
- skipped: nothing`);
    expect(r.check.summary).toBe(r.comment);
    expect(r.check.text).toBeUndefined();
    expect(r.check.annotations).toEqual([]);
  });

  it('opening to the internet fails the default gate, names the rule and annotates its line', () => {
    const r = run(TO_INTERNET, {}, { changedFiles: [POLICY] });
    expect(r.hasChanges).toBe(true);
    expect(r.check.conclusion).toBe('failure');
    expect(r.check.title).toBe('1 opened (1 from the internet), 0 closed');
    expect(r.comment.split('\n')[0]).toBe('**netpol:** 1 path opened, 0 closed, 1 from outside the cluster \\(1 from the internet\\)');
    expect(r.comment).toContain('- 🔴 **critical:** ');
    expect(r.comment).toContain(`← NetworkPolicy \`default/backend-policy\` (edited, ingress rule 1, \`${POLICY}:16\`)`);
    expect(r.comment).toContain('```mermaid');
    expect(r.check.summary.startsWith('**Failed `failOn` rules:**\n\n- opened\\-from\\-outside\\-cluster: ')).toBe(true);
    expect(r.check.summary.endsWith(r.comment)).toBe(true);
    expect(r.check.annotations).toEqual([
      {
        path: POLICY,
        start_line: 16,
        end_line: 16,
        annotation_level: 'failure',
        message: expect.stringContaining('-> default/backend on 3000/TCP: now allowed'),
        title: 'critical: NetworkPolicy default/backend-policy (edited)',
      },
    ]);
  });

  it('the JSON is the diff contract', () => {
    const json = run(TO_INTERNET).json as { opened: unknown[]; closed: unknown[]; summary: { risk: string }[]; head: { ref: string } };
    expect(Object.keys(json)).toEqual(['base', 'head', 'opened', 'closed', 'summary', 'diagnostics']);
    expect(json.opened).toHaveLength(1);
    expect(json.opened[0]).toMatchObject({ dst: 'default/backend[Deployment]', ports: { TCP: [[3000, 3000]], UDP: [], SCTP: [] } });
    expect(json.summary[0]!.risk).toBe('critical');
    expect(json.head.ref).toBe('b'.repeat(40));
  });

  it('an empty failOn never fails; critical lines are then warnings', () => {
    const r = run(TO_INTERNET, { failOn: [] });
    expect(r.check.conclusion).toBe('success');
    expect(r.check.annotations.map((a) => a.annotation_level)).toEqual(['warning']);
    expect(r.check.summary).toBe(r.comment);
  });

  it('any-closed fails on a closing change but not on an opening one', () => {
    const closing = edit(POLICY, (t) => t.replace('port: 3000', 'port: 3001'));
    expect(run(closing, { failOn: ['any-closed'] }).check.conclusion).toBe('failure');
    expect(run(TO_INTERNET, { failOn: ['any-closed'] }).check.conclusion).toBe('success');
  });

  it('a removed policy is annotated on the first line of its file when the file is still there', () => {
    const r = run(edit(POLICY, () => '# policy removed\n'), { failOn: [] });
    expect(r.hasChanges).toBe(true);
    const removed = r.check.annotations.filter((a) => a.message.includes('caused by removing NetworkPolicy default/backend-policy'));
    expect(removed.length).toBeGreaterThan(0);
    for (const a of removed) expect(a).toMatchObject({ path: POLICY, start_line: 1, end_line: 1 });
    // Deleted file: nothing on the head to point at.
    const deleted = run(BASE.filter((f) => f.path !== POLICY), { failOn: [] });
    expect(deleted.check.annotations).toEqual([]);
  });

  it('never throws on broken manifests: diagnostics go in the output', () => {
    const broken = [...BASE, { path: 'broken.yaml', text: 'kind: NetworkPolicy\nmetadata: [oops\n' }];
    const r = run(broken);
    expect(r.check.conclusion).toBe('success');
    expect(r.comment).toContain('- diagnostics: 1 error');
    expect((r.json as { diagnostics: { file: string }[] }).diagnostics.map((d) => d.file)).toContain('broken.yaml');
  });

  it('never throws on malformed parameters either: a neutral check says why', () => {
    const r = analyzePullRequest({ base: { files: null, sha: 'x' }, head: { files: [], sha: 'y' }, config: defaultConfig() } as unknown as AnalyzeParams);
    expect(r.check.conclusion).toBe('neutral');
    expect(r.check.title).toBe('Analysis failed');
    expect(r.hasChanges).toBe(false);
  });

  it('places objects without a namespace in config.defaultNamespace', () => {
    const noNs = BASE.map((f) => ({ ...f, text: f.text.replace(/\n {2}namespace: default\n/g, '\n') }));
    const r = run(noNs, { defaultNamespace: 'staging' });
    const json = r.json as { opened: { src: string; dst: string }[] };
    expect(json.opened.some((p) => p.dst === 'staging/backend[Deployment]' || p.src === 'staging/backend[Deployment]')).toBe(true);
  });

  it('keeps the comment within maxChars and puts the rest in the check-run text', () => {
    // 300 new deployments, each one an "added" line and many pairs.
    const many = Array.from(
      { length: 300 },
      (_, i) => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: svc-${i}, namespace: default}
spec:
  selector: {matchLabels: {app: svc-${i}}}
  template:
    metadata: {labels: {app: svc-${i}}}
    spec: {containers: [{name: c, image: x}]}
`,
    ).join('');
    const r = run([...BASE, { path: 'many.yaml', text: many }], { failOn: [] }, { maxChars: 8000 });
    expect(r.comment.length).toBeLessThanOrEqual(8000);
    expect(r.comment).toMatch(/… and \d+ more lines \(see the check run \/ JSON\)/);
    expect(r.check.summary.length).toBeLessThanOrEqual(65_535);
    expect(r.check.text).toBeDefined();
    expect(r.check.text!.length).toBeLessThanOrEqual(65_535);
    expect(r.comment).toContain('**What was analysed**');
  });
});
