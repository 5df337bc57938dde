// Hostile and broken input, end to end: each case goes through the real loader (buildCluster), the CLI
// (`netpol matrix --format json` on files on disk) and the pull-request job (analyzePullRequest), and must give
// the exact diagnostic (file, line, severity, message) while a good file next to it is still analysed.
// The per-rule validation tables live in test/manifests/*; this file checks the three entry points agree.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzePullRequest } from '../../src/analysis.js';
import { defaultConfig } from '../../src/config/schema.js';
import { buildCluster } from '../../src/manifests/buildCluster.js';
import type { Diagnostic } from '../../src/manifests/model.js';
import { HELM_MESSAGE, MAX_NODES_WITH_ALIASES } from '../../src/manifests/parseFile.js';
import { codeSpan, escapeMarkdown } from '../../src/render/escapeMarkdown.js';
import { runCli } from '../helpers/runCli.js';
import { DENY, deployment, openToWorld } from '../helpers/shopManifests.js';

const GOOD = deployment({ name: 'good', port: 80, namespace: 'shop' });
/** Added by the pull request: proves the good workload is analysed (a connection to it opens). */
const OPEN_GOOD = openToWorld({ app: 'good', namespace: 'shop' });
// DENY (on both sides) makes OPEN_GOOD open a connection: without it, OPEN_GOOD would isolate `good`.

/** A NetworkPolicy shop/bad with `spec` indented under it (line 7 is the first line of the spec). */
const policy = (spec: string, apiVersion = 'networking.k8s.io/v1') =>
  `apiVersion: ${apiVersion}\nkind: NetworkPolicy\nmetadata:\n  name: bad\n  namespace: shop\nspec:\n${spec
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\n`;

const aliasBomb = (() => {
  const levels = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 9; i++) levels.push(`${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(10).fill(`*${'abcdefghi'[i - 1]}`).join(', ')}]`);
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol, namespace: shop}\ndata:\n  ${levels.join('\n  ')}\n`;
})();
const DEEP = 10_000;

interface Case {
  readonly name: string;
  readonly path: string;
  /** Text, or bytes written as they are (binary, invalid UTF-8): the loader sees them decoded as the CLI does. */
  readonly content: string | Buffer;
  /** The diagnostic, `null` for none. `message` may depend on the directory the CLI read from. */
  readonly expected: (Omit<Diagnostic, 'message'> & { message: string | ((dir: string) => string) }) | null;
}

const err = (path: string, line: number, message: string | ((dir: string) => string), severity: Diagnostic['severity'] = 'error') => ({
  file: path,
  line,
  severity,
  message,
});

const CASES: Case[] = [
  { name: 'YAML syntax error', path: 'bad.yaml', content: 'kind: Deployment\nmetadata:\n  name: x\n   bad: y\n', expected: err('bad.yaml', 4, 'YAML syntax error: bad indentation of a mapping entry; document skipped') },
  { name: 'alias bomb (billion laughs)', path: 'bad.yaml', content: aliasBomb, expected: err('bad.yaml', 1, `document expands to more than ${MAX_NODES_WITH_ALIASES} nodes through YAML aliases; document skipped`) },
  {
    name: `${DEEP} nested flow sequences (no stack overflow)`,
    path: 'bad.yaml',
    content: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep, namespace: shop}\ndata: ${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n`,
    expected: err('bad.yaml', 4, 'YAML syntax error: nesting exceeded maxDepth (100); document skipped'),
  },
  { name: 'duplicate key', path: 'bad.yaml', content: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  name: b\n', expected: err('bad.yaml', 5, 'duplicate key "name": kubectl rejects an object with a repeated field; document skipped') },
  { name: 'tab indentation', path: 'bad.yaml', content: 'kind: Deployment\nmetadata:\n\tname: x\n', expected: err('bad.yaml', 3, 'YAML syntax error: tab characters must not be used in indentation; document skipped') },
  { name: 'binary file', path: 'bad.yaml', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]), expected: err('bad.yaml', 1, 'binary or non-UTF-8 content (NUL or invalid bytes); file skipped') },
  { name: 'invalid UTF-8', path: 'bad.yaml', content: Buffer.concat([Buffer.from('a: 1\nb: '), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]), expected: err('bad.yaml', 2, 'binary or non-UTF-8 content (NUL or invalid bytes); file skipped') },
  { name: 'Helm template under templates/', path: 'chart/templates/np.yaml', content: policy('podSelector:\n  matchLabels: {app: "{{ .Values.app }}"}'), expected: err('chart/templates/np.yaml', 8, HELM_MESSAGE, 'warning') },
  { name: 'Helm template elsewhere (does not parse)', path: 'np.yaml', content: policy('podSelector:\n  {{- include "sel" . | nindent 2 }}'), expected: err('np.yaml', 8, HELM_MESSAGE, 'warning') },
  { name: 'empty file (no objects, not an error: kubectl applies a directory with one)', path: 'empty.yaml', content: '', expected: null },
  { name: 'JSON with a trailing comma (read as YAML, as kubectl does)', path: 'bad.json', content: '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "t"},}', expected: err('bad.json', 1, 'not valid JSON (Expected double-quoted property name in JSON at position 68); read as YAML, as kubectl does', 'warning') },
  { name: 'unknown apiVersion of a known kind', path: 'bad.yaml', content: policy('podSelector: {}', 'networking.k8s.io/v2'), expected: err('bad.yaml', 1, 'NetworkPolicy shop/bad: unknown apiVersion "networking.k8s.io/v2"; not analysed') },
  {
    name: 'containerPort: "eighty"',
    path: 'bad.yaml',
    content: GOOD.replace('containerPort: 80', 'containerPort: "eighty"').replace(/good/g, 'bad'),
    expected: err('bad.yaml', 8, 'Deployment shop/bad not analysed: spec.template.spec.containers[0].ports[0].containerPort: "eighty": must be an integer'),
  },
  { name: 'invalid CIDR', path: 'bad.yaml', content: policy('podSelector: {}\ningress:\n- from:\n  - ipBlock: {cidr: 10.0.0.0/33}'), expected: err('bad.yaml', 10, 'NetworkPolicy shop/bad not analysed: spec.ingress[0].from[0].ipBlock.cidr: "10.0.0.0/33" is not a valid CIDR (prefix length over 32)') },
  {
    name: 'except outside cidr',
    path: 'bad.yaml',
    content: policy('podSelector: {}\ningress:\n- from:\n  - ipBlock:\n      cidr: 10.0.0.0/16\n      except: [10.1.0.0/24]'),
    expected: err('bad.yaml', 12, 'NetworkPolicy shop/bad not analysed: spec.ingress[0].from[0].ipBlock.except[0]: "10.1.0.0/24" must be a strict subset of cidr 10.0.0.0/16'),
  },
  {
    name: 'invalid label key',
    path: 'bad.yaml',
    content: policy('podSelector:\n  matchLabels:\n    -app: a'),
    expected: err('bad.yaml', 9, `NetworkPolicy shop/bad not analysed: spec.podSelector.matchLabels.-app: label key "-app": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`),
  },
  {
    name: 'invalid label value',
    path: 'bad.yaml',
    content: policy('podSelector:\n  matchLabels:\n    app: "a b"'),
    expected: err('bad.yaml', 9, `NetworkPolicy shop/bad not analysed: spec.podSelector.matchLabels.app: label value "a b": must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`),
  },
  {
    name: 'unknown selector operator',
    path: 'bad.yaml',
    content: policy('podSelector:\n  matchExpressions:\n  - {key: app, operator: Equals, values: [a]}'),
    expected: err('bad.yaml', 9, 'NetworkPolicy shop/bad not analysed: spec.podSelector.matchExpressions[0].operator: "Equals" is not a valid selector operator (In, NotIn, Exists, DoesNotExist)'),
  },
  { name: 'endPort < port', path: 'bad.yaml', content: policy('podSelector: {}\ningress:\n- ports:\n  - port: 100\n    endPort: 99'), expected: err('bad.yaml', 11, 'NetworkPolicy shop/bad not analysed: spec.ingress[0].ports[0].endPort: 99: must be greater than or equal to `port`') },
  { name: 'named port with endPort', path: 'bad.yaml', content: policy('podSelector: {}\ningress:\n- ports:\n  - port: http\n    endPort: 99'), expected: err('bad.yaml', 11, 'NetworkPolicy shop/bad not analysed: spec.ingress[0].ports[0].endPort: may not be specified when `port` is non-numeric') },
  {
    name: 'duplicate object (the later file is skipped)',
    path: 'z-dup.yaml',
    content: GOOD,
    expected: err('z-dup.yaml', 1, (dir) => `Deployment shop/good is defined twice: first at ${dir}good.yaml:1, again here; this one is skipped`),
  },
];

/** What the loader and the PR job see: the CLI's decoding (invalid bytes become U+FFFD). */
function text(content: string | Buffer): string {
  return typeof content === 'string' ? content : new TextDecoder('utf-8', { fatal: false }).decode(content);
}

function sorted<T extends { path: string }>(files: T[]): T[] {
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function expectedFor(c: Case, dir: string): Diagnostic | null {
  if (!c.expected) return null;
  const { message, file, ...rest } = c.expected;
  return { ...rest, file: `${dir}${file}`, message: typeof message === 'function' ? message(dir) : message };
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'netpol-hostile-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each(CASES)('$name', (c) => {
  it('the loader (buildCluster): exact diagnostic, the good file still analysed', () => {
    // Sorted by path, as the CLI and the fetcher hand them over.
    const cluster = buildCluster(sorted([{ path: c.path, text: text(c.content) }, { path: 'good.yaml', text: GOOD }]));
    const expected = expectedFor(c, '');
    expect(cluster.diagnostics).toEqual(expected ? [expected] : []);
    expect(cluster.workloads.map((w) => w.id)).toContain('shop/good[Deployment]');
  });

  it('the CLI (netpol matrix --format json): the same diagnostic, exit 0, the good workload in the matrix', async () => {
    const dir = join(root, c.name.replace(/[^a-z0-9]+/gi, '-'));
    for (const [p, content] of [[c.path, c.content], ['good.yaml', GOOD]] as const) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), content);
    }
    const out = await runCli(['matrix', dir, '--format', 'json', '--quiet']);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout);
    const expected = expectedFor(c, `${dir}/`);
    expect(json.diagnostics).toEqual(expected ? [expected] : []);
    expect(json.workloads.map((w: { id: string }) => w.id)).toContain('shop/good[Deployment]');
  });

  it('the pull-request job (analyzePullRequest): the diagnostic in the comment and JSON, the good workload analysed', () => {
    const result = analyzePullRequest({
      base: { sha: 'b'.repeat(40), files: [{ path: 'deny.yaml', text: DENY }, { path: 'good.yaml', text: GOOD }] },
      head: {
        sha: 'h'.repeat(40),
        files: sorted([
          { path: c.path, text: text(c.content) },
          { path: 'deny.yaml', text: DENY },
          { path: 'good.yaml', text: GOOD },
          { path: 'open.yaml', text: OPEN_GOOD },
        ]),
      },
      config: defaultConfig(),
    });
    const json = result.json as { diagnostics: Diagnostic[]; opened: { dst: string }[] };
    const expected = expectedFor(c, '');
    expect(json.diagnostics).toEqual(expected ? [expected] : []);
    if (expected) expect(result.comment).toContain(`- ${codeSpan(`${expected.file}:${expected.line}`)} ${expected.severity}: ${escapeMarkdown(expected.message)}`);
    // The good workload is analysed: the policy the PR adds opens it to the internet, and the default gate fails.
    expect(json.opened.map((p) => p.dst)).toContain('shop/good[Deployment]');
    expect(result.check.conclusion).toBe('failure');
  });
});

describe('a 50 MB file', () => {
  const big = GOOD.replace(/good/g, 'big').replace('metadata: { name: big, namespace: shop }', `metadata:\n  name: big\n  namespace: shop\n  annotations:\n    blob: "${'x'.repeat(50 * 1024 * 1024)}"`);
  const bytes = Buffer.byteLength(big);

  it('the loader has no size limit of its own: it reads it (no crash) with the good file', () => {
    const cluster = buildCluster([
      { path: 'big.yaml', text: big },
      { path: 'good.yaml', text: GOOD },
    ]);
    expect(cluster.diagnostics).toEqual([]);
    expect(cluster.workloads.map((w) => w.id)).toEqual(['shop/big[Deployment]', 'shop/good[Deployment]']);
  });

  it('the CLI skips it with an error naming --max-file-bytes (default 1 MiB), analyses the rest; 0 lifts the limit', async () => {
    const dir = join(root, 'big');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'big.yaml'), big);
    writeFileSync(join(dir, 'good.yaml'), GOOD);
    const out = await runCli(['matrix', dir, '--format', 'json', '--quiet']);
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json.diagnostics).toEqual([
      { file: `${dir}/big.yaml`, line: 1, severity: 'error', message: `file of 50.0 MiB (${bytes} bytes) is larger than the limit of 1 MiB (--max-file-bytes = 1048576); file skipped` },
    ]);
    expect(json.workloads.map((w: { id: string }) => w.id)).toEqual(['shop/good[Deployment]']);

    const lifted = JSON.parse((await runCli(['matrix', dir, '--format', 'json', '--quiet', '--max-file-bytes', '0'])).stdout);
    expect(lifted.diagnostics).toEqual([]);
    expect(lifted.workloads).toHaveLength(2);
  });
});

describe('limits in the CLI and the PR job', () => {
  const many = (n: number) =>
    Array.from({ length: n }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}, namespace: shop}\n`).join('---\n');

  it('CLI: a side over --max-objects stops with exit 2 and a message naming the flag', async () => {
    const dir = join(root, 'many');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'many.yaml'), many(30));
    const out = await runCli(['matrix', dir, '--max-objects', '20']);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe('netpol matrix: the input holds 30 Kubernetes objects, more than the limit of 20 (--max-objects); not analysed\n');
    expect((await runCli(['matrix', dir, '--max-objects', 'lots'])).stderr).toMatch(/^netpol matrix: --max-objects must be a whole number \(0: no limit\), got "lots"/);
  });

  it('PR job: limits.maxObjects gives the configured conclusion and says which limit, with the numbers', () => {
    for (const onExceeded of ['neutral', 'failure'] as const) {
      const config = { ...defaultConfig(), limits: { ...defaultConfig().limits, maxObjects: 20, onExceeded } };
      const result = analyzePullRequest({
        base: { sha: 'b'.repeat(40), files: [{ path: 'good.yaml', text: GOOD }] },
        head: { sha: 'h'.repeat(40), files: [{ path: 'many.yaml', text: many(30) }] },
        config,
      });
      expect(result.limit).toEqual({ name: 'maxObjects', message: `the head ${'h'.repeat(40)} holds 30 Kubernetes objects, more than the limit of 20 (limits.maxObjects); not analysed` });
      expect(result.check.conclusion).toBe(onExceeded);
      expect(result.check.title).toBe('Limit exceeded: limits.maxObjects');
      expect(result.check.summary).toContain('**Limit exceeded: `limits.maxObjects`.**');
      expect(result.hasChanges).toBe(false);
    }
  });

  it('PR job: a deadline already past stops the analysis at the first step with limits.timeoutSeconds', () => {
    const config = { ...defaultConfig(), limits: { ...defaultConfig().limits, timeoutSeconds: 5, onExceeded: 'neutral' as const } };
    const result = analyzePullRequest({
      base: { sha: 'b'.repeat(40), files: [{ path: 'good.yaml', text: GOOD }] },
      head: { sha: 'h'.repeat(40), files: [{ path: 'good.yaml', text: GOOD }] },
      config,
      deadline: Date.now() - 1,
    });
    expect(result.limit).toEqual({ name: 'timeoutSeconds', message: 'the analysis took longer than 5 s (limits.timeoutSeconds), stopped after reading the merge base' });
    expect(result.check).toMatchObject({ conclusion: 'neutral', title: 'Limit exceeded: limits.timeoutSeconds' });
  });
});

describe('a Namespace the pull request deletes while objects stay in it', () => {
  // Decision: a warning at head, on the first object left in the namespace, naming where the Namespace was.
  // The objects are still analysed (as in an undeclared namespace that lost its labels), so the diff also
  // shows what the lost labels change; the warning explains why.
  const NS = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: { team: shop }\n';

  it('warns at head; nothing when the objects go too, or when the namespace was never declared', () => {
    const run = (base: Record<string, string>, head: Record<string, string>) =>
      analyzePullRequest({
        base: { sha: 'b'.repeat(40), files: Object.entries(base).map(([path, text]) => ({ path, text })) },
        head: { sha: 'h'.repeat(40), files: Object.entries(head).map(([path, text]) => ({ path, text })) },
        config: defaultConfig(),
      });
    const deleted = run({ 'good.yaml': GOOD, 'ns.yaml': NS, 'open.yaml': OPEN_GOOD }, { 'good.yaml': GOOD, 'open.yaml': OPEN_GOOD });
    const message =
      'namespace shop is no longer declared: its Namespace object was removed (at the merge base in ns.yaml:1), but 2 objects are still in it. ' +
      'Deleting a Namespace deletes everything in it; here these objects are analysed in a namespace with only the kubernetes.io/metadata.name label';
    expect((deleted.json as { diagnostics: Diagnostic[] }).diagnostics).toEqual([{ file: 'good.yaml', line: 1, severity: 'warning', message }]);
    expect(deleted.comment).toContain(escapeMarkdown(message));

    expect((run({ 'ns.yaml': NS, 'good.yaml': GOOD }, {}).json as { diagnostics: Diagnostic[] }).diagnostics).toEqual([]);
    expect((run({ 'good.yaml': GOOD }, { 'good.yaml': GOOD }).json as { diagnostics: Diagnostic[] }).diagnostics).toEqual([]);
  });
});
