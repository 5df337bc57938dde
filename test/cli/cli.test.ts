import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasKubectl } from '../manifests/render/helpers.js';
import { runCli } from '../helpers/runCli.js';
import { deploymentYaml, docs, namespaceYaml, policyYaml } from '../helpers/yamlWorld.js';

describe('netpol matrix', () => {
  it('JSON is the public contract: workloads, connections with all or ports, diagnostics', async () => {
    const r = await runCli(['matrix', 'fixtures/backend-policy', '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.workloads.map((w: { id: string }) => w.id)).toEqual([
      'default/backend[Deployment]',
      'default/db[Deployment]',
      'default/frontend[Deployment]',
      'mywebapp/webapp[Deployment]',
    ]);
    expect(json.workloads[0]).toMatchObject({ id: 'default/backend[Deployment]', namespace: 'default', name: 'backend', kind: 'Deployment' });
    const into = json.connections.filter((c: { dst: string }) => c.dst === 'default/backend[Deployment]');
    expect(into).toEqual([
      { src: '182.213.0.0/24,182.213.2.0/23,182.213.4.0/22,182.213.8.0/21,182.213.16.0/20,182.213.32.0/19,182.213.64.0/18,182.213.128.0/17', dst: 'default/backend[Deployment]', ports: { TCP: [[3000, 3000]], UDP: [], SCTP: [] } },
      { src: 'default/frontend[Deployment]', dst: 'default/backend[Deployment]', ports: { TCP: [[3000, 3000]], UDP: [], SCTP: [] } },
      { src: 'mywebapp/webapp[Deployment]', dst: 'default/backend[Deployment]', ports: { TCP: [[3000, 3000]], UDP: [], SCTP: [] } },
    ]);
    const outOf = json.connections.filter((c: { src: string }) => c.src === 'default/backend[Deployment]');
    expect(outOf).toEqual([{ src: 'default/backend[Deployment]', dst: '30.204.218.0/24', ports: { TCP: [[80, 80]], UDP: [], SCTP: [] } }]);
    expect(json.connections.find((c: { src: string; dst: string }) => c.src === 'default/frontend[Deployment]' && c.dst === 'default/db[Deployment]')).toEqual({
      src: 'default/frontend[Deployment]',
      dst: 'default/db[Deployment]',
      all: true,
    });
    expect(json.diagnostics).toEqual([]);
  });

  it('reads stdin with "-", and reports diagnostics with file and line while still analysing the rest', async () => {
    const text = docs(deploymentYaml('a', 'x', { app: 'x' }), 'kind: NetworkPolicy\napiVersion: networking.k8s.io/v1\nmetadata: {name: bad, namespace: a}\nspec:\n  podSelector: {}\n  ingress:\n    - from:\n        - ipBlock: {cidr: 10.0.0.0/33}\n');
    const r = await runCli(['matrix', '-', '--format', 'json'], { stdin: text });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.workloads.map((w: { id: string }) => w.id)).toEqual(['a/x[Deployment]']);
    expect(json.diagnostics).toHaveLength(1);
    expect(json.diagnostics[0]).toMatchObject({ file: '<stdin>', line: 25, severity: 'error' });
    expect(r.stderr).toContain('<stdin>:25: error:');
  });

  it('usage errors exit 2 with the usage text', async () => {
    expect((await runCli(['matrix'])).code).toBe(2);
    const r = await runCli(['matrix', 'x', '--format', 'yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format must be one of text, json, csv, md, markdown, dot (got "yaml")');
    expect((await runCli(['frobnicate'])).stderr).toContain('unknown command "frobnicate"');
    expect((await runCli(['matrix', 'x', '--bogus'])).stderr).toContain('unknown option --bogus');
    expect((await runCli(['matrix', 'x', '--from', 'a'])).stderr).toContain('--from is not an option of "matrix"');
  });

  it('--help prints usage and exits 0; --version prints the version', async () => {
    const h = await runCli(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('netpol diff --git <base-ref>..<head-ref>');
    expect((await runCli(['--version'])).stdout).toMatch(/^netpol \d+\.\d+\.\d+\n$/);
  });
});

const world = docs(
  namespaceYaml('shop'),
  deploymentYaml('shop', 'frontend', { app: 'frontend' }),
  deploymentYaml('shop', 'backend', { app: 'backend' }, [{ name: 'http', port: 3000 }]),
);
const tight = policyYaml('shop', 'backend', 'podSelector: {matchLabels: {app: backend}}\ningress:\n  - from:\n      - podSelector: {matchLabels: {app: frontend}}\n    ports: [{port: 3000}]');
const open = tight.replace('- podSelector: {matchLabels: {app: frontend}}', '- namespaceSelector: {}');

describe('netpol diff', () => {
  it('--base/--head: text lines, JSON contract, and --exit-code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-'));
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a/world.yaml'), world);
    writeFileSync(join(dir, 'a/policy.yaml'), tight);
    writeFileSync(join(dir, 'b/world.yaml'), world);
    writeFileSync(join(dir, 'b/policy.yaml'), open);
    const r = await runCli(['diff', '--base', join(dir, 'a'), '--head', join(dir, 'b'), '--format', 'json', '--exit-code']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.opened).toEqual([
      { src: 'shop/backend[Deployment]', dst: 'shop/backend[Deployment]', ports: { TCP: [[3000, 3000]], UDP: [], SCTP: [] } },
    ]);
    expect(json.closed).toEqual([]);
    expect(json.summary[0]).toMatchObject({ risk: 'low', direction: 'opened' });
    const same = await runCli(['diff', '--base', join(dir, 'a'), '--head', join(dir, 'a'), '--exit-code']);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('No reachability changes');
  });

  it('--git A..B reads both trees from git objects at the merge base, without touching the working tree', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-git-'));
    const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    git('init', '-q', '-b', 'main');
    mkdirSync(join(dir, 'k8s'));
    writeFileSync(join(dir, 'k8s/world.yaml'), world);
    writeFileSync(join(dir, 'k8s/policy.yaml'), tight);
    writeFileSync(join(dir, 'README.yaml'), 'not: kubernetes\n');
    git('add', '.');
    git('commit', '-qm', 'base');
    git('checkout', '-qb', 'feature');
    writeFileSync(join(dir, 'k8s/policy.yaml'), open);
    git('commit', '-qam', 'open backend');
    git('checkout', '-q', 'main');
    // main moves on after the branch point: the merge base, not main's tip, is the base.
    writeFileSync(join(dir, 'k8s/extra.yaml'), deploymentYaml('shop', 'extra', { app: 'extra' }));
    git('add', '.');
    git('commit', '-qm', 'main moves');
    writeFileSync(join(dir, 'k8s/policy.yaml'), 'garbage: [unclosed\n'); // working tree must not matter
    const r = await runCli(['diff', '--git', 'main..feature', '--format', 'json', '--', 'k8s'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.head.workloads).toBe(2);
    expect(json.opened.map((p: { src: string; dst: string }) => `${p.src}>${p.dst}`)).toEqual(['shop/backend[Deployment]>shop/backend[Deployment]']);
    expect(json.base.ref).toMatch(/^main \(merge base [0-9a-f]{12}\)$/);
  });

  it('needs --base and --head, or --git', async () => {
    const r = await runCli(['diff', '--base', 'a']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('diff needs --base <paths...> and --head <paths...>');
  });
});

describe('netpol explain', () => {
  it('explains a connection of the bundled example and exits 0', async () => {
    const r = await runCli(['explain', 'fixtures/backend-policy', '--from', 'default/frontend', '--to', 'default/backend:3000']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('allowed');
    expect(r.stdout).toContain('default/backend-policy');
  });

  it('an unknown endpoint exits 2 and says what was not found', async () => {
    const r = await runCli(['explain', 'fixtures/backend-policy', '--from', 'nope', '--to', 'default/backend']);
    expect(r.code).toBe(2);
    expect(r.stdout.toLowerCase()).toContain('nope');
  });
});

describe('formats that carry no prose', () => {
  it('matrix --format csv: data on stdout, what was analysed on stderr', async () => {
    const r = await runCli(['matrix', 'fixtures/backend-policy', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\r\n')[0]).toBe('src,dst,ports');
    expect(r.stderr).toBe('analysed: 3 files (6 documents), 2 namespaces, 4 workloads, 1 policy; skipped: nothing\n');
    expect((await runCli(['matrix', 'fixtures/backend-policy', '--format', 'csv', '--quiet'])).stderr).toBe('');
  });

  it('diff --format mermaid: the graph of changed edges', async () => {
    const r = await runCli(['diff', '--base', 'examples/shop/base', '--head', 'examples/shop/head', '--format', 'mermaid']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('flowchart LR\n')).toBe(true);
    expect(r.stdout).toContain('-.->|"9187/TCP"|');
  });
});

describe('--config and --check: the configuration and gate of the app on the command line', () => {
  it('diff --check fails with the config failOn rules and says which; passes without them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-check-'));
    writeFileSync(join(dir, 'netpol.yml'), 'failOn:\n  - opened-cross-namespace\n');
    writeFileSync(join(dir, 'lenient.yml'), 'failOn: []\n');
    const args = ['diff', '--base', 'examples/shop/base', '--head', 'examples/shop/head', '--format', 'json', '--check'];
    const strict = await runCli([...args, '--config', join(dir, 'netpol.yml')]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('netpol: check failed: ');
    expect(strict.stderr).toContain('opened-cross-namespace');
    const lenient = await runCli([...args, '--config', join(dir, 'lenient.yml')]);
    expect(lenient.code).toBe(0);
    // Without --config the default gate (opened-from-outside-cluster) applies: this change opens nothing from outside.
    expect((await runCli(args)).code).toBe(0);
  });

  it('the config file applies defaultNamespace; a flag overrides it; a bad file is a usage error naming the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-config-'));
    writeFileSync(join(dir, 'ns.yml'), 'defaultNamespace: team-a\n');
    writeFileSync(join(dir, 'bad.yml'), 'failOn: [sometimes]\n');
    writeFileSync(join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x}]}\n');
    const fromFile = JSON.parse((await runCli(['matrix', join(dir, 'pod.yaml'), '--format', 'json', '--config', join(dir, 'ns.yml')])).stdout);
    expect(fromFile.workloads[0].id).toBe('team-a/p[Pod]');
    const overridden = JSON.parse((await runCli(['matrix', join(dir, 'pod.yaml'), '--format', 'json', '--config', join(dir, 'ns.yml'), '--default-namespace', 'b'])).stdout);
    expect(overridden.workloads[0].id).toBe('b/p[Pod]');
    const bad = await runCli(['matrix', join(dir, 'pod.yaml'), '--config', join(dir, 'bad.yml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`--config ${join(dir, 'bad.yml')}: failOn[0]`);
  });
});

describe('a named port that resolves nowhere is reported (issue: "matches nothing (and is reported)")', () => {
  const text = docs(
    deploymentYaml('x', 'web', { app: 'web' }, [{ name: 'http', port: 80 }]),
    policyYaml('x', 'p', 'podSelector: {matchLabels: {app: web}}\ningress:\n  - ports: [{port: htp}]'),
  );
  it('matrix: a warning with the rule line, in JSON and on stderr; the port allows nothing', async () => {
    const r = await runCli(['matrix', '-', '--format', 'json'], { stdin: text });
    const json = JSON.parse(r.stdout);
    expect(json.diagnostics).toEqual([
      {
        file: '<stdin>',
        line: 26,
        severity: 'warning',
        message: 'ingress rule 1 of x/p: TCP port named htp resolves on no destination (none of the 1 workload it protects declares a TCP container port named htp)',
      },
    ]);
    expect(r.stderr).toContain('<stdin>:26: warning: ingress rule 1 of x/p: TCP port named htp resolves on no destination');
    expect(json.connections.filter((c: { dst: string }) => c.dst === 'x/web[Deployment]')).toEqual([]);
  });
  it('diff: the head warning is among the diagnostics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-np-'));
    writeFileSync(join(dir, 'head.yaml'), text);
    writeFileSync(join(dir, 'base.yaml'), deploymentYaml('x', 'web', { app: 'web' }, [{ name: 'http', port: 80 }]));
    const r = await runCli(['diff', '--base', join(dir, 'base.yaml'), '--head', join(dir, 'head.yaml'), '--format', 'json']);
    expect(JSON.parse(r.stdout).diagnostics.map((d: { message: string }) => d.message)).toContain(
      'ingress rule 1 of x/p: TCP port named htp resolves on no destination (none of the 1 workload it protects declares a TCP container port named htp)',
    );
  });
});

describe('terminal behaviour: progress, --quiet, --verbose, colours', () => {
  const args = ['diff', '--base', 'examples/shop/base', '--head', 'examples/shop/head'];
  it('on a terminal: progress on stderr and colours on stdout', async () => {
    const r = await runCli(args, { tty: true });
    expect(r.stderr).toMatch(/\[\d+\.\ds\] read 3 \+ 3 files/);
    expect(r.stdout).toContain('\x1b[');
  });
  it('NO_COLOR and --no-color: no escape codes, even on a terminal', async () => {
    expect((await runCli(args, { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\x1b[');
    expect((await runCli([...args, '--no-color'], { tty: true })).stdout).not.toContain('\x1b[');
  });
  it('not a terminal: quiet stderr and plain stdout; --verbose prints progress anyway; --quiet silences it', async () => {
    const plain = await runCli(args);
    expect(plain.stderr).toBe('');
    expect(plain.stdout).not.toContain('\x1b[');
    expect((await runCli([...args, '--verbose'])).stderr).toMatch(/\[\d+\.\ds\] diff: \d+ pairs opened/);
    expect((await runCli([...args, '--quiet'], { tty: true })).stderr).toBe('');
  });
});

describe('kustomize.mode per-overlay from --config: one diff per overlay', () => {
  it.runIf(hasKubectl)('each overlay is diffed as its own cluster; JSON carries one entry per overlay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-overlays-'));
    execFileSync('cp', ['-r', 'fixtures/kustomize/app', join(dir, 'base')]);
    execFileSync('cp', ['-r', 'fixtures/kustomize/app', join(dir, 'head')]);
    // The head drops prod's default deny: prod changes, staging does not.
    writeFileSync(join(dir, 'head/overlays/prod/default-deny.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: unused}\n');
    writeFileSync(join(dir, 'netpol.yml'), 'kustomize:\n  mode: per-overlay\n');
    const r = await runCli(['diff', '--base', join(dir, 'base'), '--head', join(dir, 'head'), '--config', join(dir, 'netpol.yml'), '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    // Overlays are named relative to each side's path, so the two sides pair up.
    expect(json.overlays.map((o: { overlay: string }) => o.overlay)).toEqual(['overlays/prod', 'overlays/staging']);
    const [prod, staging] = json.overlays;
    expect(prod.opened.length).toBeGreaterThan(0);
    expect(staging.opened).toEqual([]);
    expect(staging.closed).toEqual([]);
    const text = await runCli(['diff', '--base', join(dir, 'base'), '--head', join(dir, 'head'), '--config', join(dir, 'netpol.yml')]);
    expect(text.stdout).toContain('== overlay overlays/prod ==');
    expect(text.stdout).toMatch(/== overlay overlays\/staging ==\n\nnetpol: No reachability changes/);
  });
});
