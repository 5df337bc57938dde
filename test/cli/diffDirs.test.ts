// `netpol diff --base DIR --head DIR` names each side's files relative to its directory (as --git names them
// relative to the repository root): the answers are those of the files named as typed, the names are the
// side's, and a file both sides hold unchanged gives the same records (read, modelled, compiled once).
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { loadClusterSets, soleDirectory } from '../../src/cli/loadCluster.js';
import { cliSettings } from '../../src/cli/settings.js';
import { TwinFiles } from '../../src/cli/twinFiles.js';
import { configureParsing } from '../../src/manifests/parseFile.js';
import { runCli } from '../helpers/runCli.js';
import { deploymentYaml, docs, namespaceYaml, policyYaml } from '../helpers/yamlWorld.js';
import { hasKubectl } from '../manifests/render/helpers.js';

interface DiffJson {
  base: { ref: string };
  head: { ref: string };
  opened: unknown[];
  closed: unknown[];
  summary: { text: string; attribution?: { id: string; file: string; line: number }[] }[];
  diagnostics: { file: string; line: number; severity: string; message: string }[];
}

/** Two checkouts of the shop example plus files both sides hold unchanged, one broken, one broken at the base only. */
function twoCheckouts(): { dir: string; base: string; head: string } {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-dirs-'));
  const [base, head] = [join(dir, 'base'), join(dir, 'head')];
  cpSync('examples/shop/base', base, { recursive: true });
  cpSync('examples/shop/head', head, { recursive: true });
  for (const side of [base, head]) {
    mkdirSync(join(side, 'team/billing'), { recursive: true });
    writeFileSync(
      join(side, 'team/billing/all.yaml'),
      docs(
        namespaceYaml('billing'),
        deploymentYaml('billing', 'api', { app: 'billing' }, [{ name: 'http', port: 8080 }]),
        policyYaml('billing', 'api', 'podSelector: {matchLabels: {app: billing}}\ningress:\n  - from:\n      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}\n    ports: [{port: http}]'),
        policyYaml('billing', 'typo', 'podSelector: {matchLabels: {app: billing}}\ningress:\n  - ports: [{port: 10.0.0.0/33}]'),
      ),
    );
  }
  writeFileSync(join(base, 'team/old.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n');
  return { dir, base, head };
}

/** Every manifest below a directory, as a list of files (named as typed, as before). */
const filesOf = (d: string): string[] =>
  readdirSync(d, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();

const diffJson = async (argv: string[]): Promise<DiffJson> => {
  const r = await runCli(['diff', ...argv, '--format', 'json', '--quiet']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as DiffJson;
};

describe('netpol diff --base DIR --head DIR: files named relative to each side', () => {
  it('gives the answers of the files named as typed, with the side-relative names', async () => {
    const { base, head } = twoCheckouts();
    const dirs = await diffJson(['--base', base, '--head', head]);
    const typed = await diffJson(['--base', ...filesOf(base), '--head', ...filesOf(head)]);
    expect(dirs.opened.length).toBeGreaterThan(0);
    expect(dirs.opened).toEqual(typed.opened);
    expect(dirs.closed).toEqual(typed.closed);
    expect(dirs.summary.map((s) => s.text)).toEqual(typed.summary.map((s) => s.text));
    // Attributions name the side's file: policies.yaml, not <tmp>/head/policies.yaml.
    const files = dirs.summary.flatMap((s) => (s.attribution ?? []).map((a) => a.file));
    expect(files.length).toBeGreaterThan(0);
    expect(new Set(files)).toEqual(new Set(['policies.yaml']));
    const typedFiles = typed.summary.flatMap((s) => (s.attribution ?? []).map((a) => a.file));
    // A closed rule is the base's: both sides' files are called policies.yaml.
    expect(typedFiles.map((f) => relative(f.startsWith(head) ? head : base, f))).toEqual(files);
    expect(new Set(typedFiles)).toEqual(new Set([join(base, 'policies.yaml'), join(head, 'policies.yaml')]));
    expect(dirs.base.ref).toBe(base);
    expect(dirs.head.ref).toBe(head);
  });

  it('diagnostics: one name for a problem both sides have; a base-only one is marked `at base:`; stderr shows the head', async () => {
    const { base, head } = twoCheckouts();
    const json = await diffJson(['--base', base, '--head', head]);
    const typo = json.diagnostics.filter((d) => d.message.includes('billing/typo'));
    expect(typo.map((d) => d.file)).toEqual(['team/billing/all.yaml']);
    expect(json.diagnostics.filter((d) => d.message.startsWith('at base:'))).toEqual([
      { file: 'team/old.yaml', line: 3, severity: 'error', message: 'at base: ConfigMap without metadata.name; not analysed' },
    ]);
    const r = await runCli(['diff', '--base', base, '--head', head]);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^team\/billing\/all\.yaml:\d+: error: NetworkPolicy billing\/typo not analysed/)]);
  });

  it('the head shares the base records of the files it holds unchanged (and only when named alike)', async () => {
    const { base, head } = twoCheckouts();
    const settings = await cliSettings(parseArgs(['diff'], new Set()), process.cwd());
    expect(await soleDirectory([base])).toBe(base);
    expect(await soleDirectory([base, head])).toBeUndefined();
    expect(await soleDirectory([join(base, 'policies.yaml')])).toBeUndefined();
    expect(await soleDirectory(['-'])).toBeUndefined();
    const [b] = await loadClusterSets([base], { settings, dir: base });
    const [h] = await loadClusterSets([head], { settings, dir: head });
    const byId = (c: typeof b) => new Map(c!.cluster.policies.map((p) => [p.id, p]));
    const [bp, hp] = [byId(b), byId(h)];
    expect(hp.get('billing/api')!.source.file).toBe('team/billing/all.yaml');
    expect(hp.get('billing/api')).toBe(bp.get('billing/api'));
    // The changed file gives records of its own.
    expect(hp.get('shop/backend')!.source.file).toBe('policies.yaml');
    expect(hp.get('shop/backend')).not.toBe(bp.get('shop/backend'));
    // Named as typed, the same text at two paths gives two records.
    const [t] = await loadClusterSets([head], { settings });
    expect(byId(t).get('billing/api')).not.toBe(bp.get('billing/api'));
    expect(byId(t).get('billing/api')!.source.file).toBe(`${head}/team/billing/all.yaml`);
  });

  it('TwinFiles.same: one object for one name and text, whichever side came first', () => {
    const twin = new TwinFiles();
    const a = { path: 'a.yaml', text: 'kind: A\n' };
    expect(twin.same(a)).toBe(a);
    expect(twin.same({ path: 'a.yaml', text: ['kind: A', ''].join('\n') })).toBe(a); // an equal text in another string
    const edited = { path: 'a.yaml', text: 'kind: B\n' };
    expect(twin.same(edited)).toBe(edited);
    const other = { path: 'b.yaml', text: 'kind: A\n' };
    expect(twin.same(other)).toBe(other);
  });

  it('netpol diff --base DIR --head DIR parses by file object while it reads, then restores the defaults', async () => {
    const { base, head } = twoCheckouts();
    const r = await runCli(['diff', '--base', base, '--head', head, '--format', 'json']);
    expect(JSON.parse(r.stdout).opened.length).toBeGreaterThan(0);
    expect(configureParsing({}).byFile).toBe(false);
  });

  it('files, several paths and stdin keep the paths as typed', async () => {
    const { base, head } = twoCheckouts();
    const json = await diffJson(['--base', join(base, 'policies.yaml'), join(base, 'workloads.yaml'), join(base, 'namespaces.yaml'), '--head', ...filesOf(head).filter((f) => !f.includes('team'))]);
    expect(new Set(json.summary.flatMap((s) => (s.attribution ?? []).map((a) => a.file)))).toEqual(new Set([join(base, 'policies.yaml'), join(head, 'policies.yaml')]));
    const r = await runCli(['diff', '--base', '-', '--head', head, '--format', 'json', '--quiet'], { stdin: readFileSync(join(base, 'team/old.yaml'), 'utf8') });
    expect((JSON.parse(r.stdout) as DiffJson).diagnostics).toContainEqual({ file: '<stdin>', line: 3, severity: 'error', message: 'at base: ConfigMap without metadata.name; not analysed' });
  });

  it('--max-objects names the side over the limit', async () => {
    const { dir, head } = twoCheckouts();
    const small = join(dir, 'small');
    mkdirSync(small);
    writeFileSync(join(small, 'ns.yaml'), namespaceYaml('shop'));
    const r = await runCli(['diff', '--base', small, '--head', head, '--max-objects', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^netpol diff: the head \\(${head}\\) holds \\d+ Kubernetes objects, more than the limit of 3 \\(--max-objects\\); not analysed\\n$`));
  });

  it('--max-file-bytes: the file over it is named relative to its side', async () => {
    const { base, head } = twoCheckouts();
    appendFileSync(join(head, 'team/billing/all.yaml'), `# ${'x'.repeat(20_000)}\n`);
    const json = await diffJson(['--base', base, '--head', head, '--max-file-bytes', '10000']);
    expect(json.diagnostics.filter((d) => d.message.includes('--max-file-bytes')).map((d) => d.file)).toEqual(['team/billing/all.yaml']);
  });
});

describe('netpol diff --base DIR --head DIR: rendering per side', () => {
  const savedPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  it.runIf(hasKubectl)('each side renders its own overlays, a base outside the side included; --overlay globs relative to cwd or to the side', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-dirs-k-'));
    cpSync('fixtures/kustomize/app', join(dir, 'b'), { recursive: true });
    cpSync('fixtures/kustomize/app', join(dir, 'h'), { recursive: true });
    // The head drops prod's default deny; each overlay includes ../../base, outside the side's directory.
    writeFileSync(join(dir, 'h/overlays/prod/default-deny.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: unused}\n');
    const [base, head] = [join(dir, 'b/overlays'), join(dir, 'h/overlays')];
    const all = await diffJson(['--base', base, '--head', head]);
    const typed = await diffJson(['--base', join(dir, 'b'), '--head', join(dir, 'h')]);
    expect(all.opened.length).toBeGreaterThan(0);
    expect(all.opened).toEqual(typed.opened);
    expect(all.closed).toEqual(typed.closed);
    const src = (j: DiffJson) => [...new Set(j.summary.flatMap((s) => (s.attribution ?? []).map((a) => a.file)))].sort();
    // The rendered overlay is one synthetic file, named after its directory relative to the side.
    expect(src(all)).toEqual(['prod (kustomize)']);
    expect(src(typed)).toEqual(['overlays/prod (kustomize)']);
    expect(all.diagnostics).toEqual([]);
    // --overlay: relative to the side (both), to the working directory or absolute (the side it names).
    const prodOnly = (j: DiffJson) => j.opened.every((o) => !JSON.stringify(o).includes('staging/'));
    const bySide = await diffJson(['--base', base, '--head', head, '--overlay', 'prod']);
    const apiToWeb = all.opened.find((o) => JSON.stringify(o).includes('"src":"prod/api[Deployment]"'));
    expect(apiToWeb).toBeDefined();
    expect(bySide.opened).toContainEqual(apiToWeb);
    expect(prodOnly(bySide)).toBe(true);
    const staging = await diffJson(['--base', base, '--head', head, '--overlay', 'staging']);
    expect(staging.opened).toEqual([]);
    expect(staging.closed).toEqual([]);
    for (const glob of [relative(process.cwd(), join(head, 'prod')), join(head, 'prod')]) {
      const r = await runCli(['diff', '--base', base, '--head', head, '--overlay', glob, '--format', 'json']);
      const json = JSON.parse(r.stdout) as DiffJson;
      // The head renders prod only; the base (whose directories the glob does not name) renders nothing.
      expect(r.stderr).toBe('');
      expect(json.diagnostics).toContainEqual({ file: glob, line: 1, severity: 'warning', message: `at base: kustomize.overlays: "${glob}" matches no kustomization directory` });
      expect(json.opened.length).toBeGreaterThan(0);
      expect(prodOnly(json)).toBe(true);
    }
  });

  it('--helm-values stays relative to the working directory and applies to the side whose directory holds the chart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-dirs-h-'));
    for (const side of ['b', 'h']) cpSync('fixtures/helm/web', join(dir, side, 'charts/web'), { recursive: true });
    const tool = mkdtempSync(join(tmpdir(), 'netpol-fake-'));
    const argvFile = join(tool, 'argv');
    writeFileSync(join(tool, 'helm'), `#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done >> "${argvFile}"\necho "--" >> "${argvFile}"\n`, { mode: 0o755 });
    process.env.PATH = tool;
    const chart = relative(process.cwd(), join(dir, 'h/charts/web'));
    const r = await runCli(['diff', '--base', join(dir, 'b'), '--head', join(dir, 'h'), '--helm-values', `${chart}=${chart}/values-prod.yaml`, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const runs = readFileSync(argvFile, 'utf8').split('--\n').filter(Boolean).map((s) => s.trim().split('\n'));
    expect(runs).toHaveLength(2);
    const chartOf = (argv: string[]) => argv.find((a) => a.endsWith('/charts/web'))!;
    const headRun = runs.find((a) => chartOf(a).endsWith('/h/charts/web'))!;
    const baseRun = runs.find((a) => chartOf(a).endsWith('/b/charts/web'))!;
    expect(headRun[headRun.indexOf('-f') + 1]).toMatch(/\/h\/charts\/web\/values-prod\.yaml$/);
    expect(baseRun).not.toContain('-f');
    // A chart in neither side is looked for in both, and said so.
    const other = await runCli(['diff', '--base', join(dir, 'b'), '--head', join(dir, 'h'), '--helm-values', 'nowhere/web=values.yaml', '--format', 'json']);
    expect(other.stderr).toMatch(/helm\.charts: ".*nowhere\/web" is not a chart directory of the input/);
  });
});
