// The CLI renders overlays and charts before analysing (netpol matrix|diff|explain), says what it could
// not render, and --no-render keeps the raw reading.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/runCli.js';
import { emptyPathDir, hasKubectl } from './helpers.js';

const APP = 'fixtures/kustomize/app';
const ids = (stdout: string): string[] => (JSON.parse(stdout) as { workloads: { id: string }[] }).workloads.map((w) => w.id);
const needs = hasKubectl ? '' : ' [SKIPPED: kubectl is not installed]';
const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
});

describe(`netpol CLI with rendering${needs}`, () => {
  it.runIf(hasKubectl)('matrix renders both overlays of a directory', async () => {
    const r = await runCli(['matrix', APP, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(ids(r.stdout)).toEqual(['prod/api[Deployment]', 'prod/web[Deployment]', 'staging/api[Deployment]', 'staging/web[Deployment]']);
  });

  it.runIf(hasKubectl)('--overlay picks one overlay', async () => {
    const r = await runCli(['matrix', APP, '--overlay', '**/staging', '--format', 'json']);
    expect(ids(r.stdout)).toEqual(['staging/api[Deployment]', 'staging/web[Deployment]']);
  });

  it.runIf(hasKubectl)('explain answers on the rendered objects', async () => {
    const r = await runCli(['explain', `${APP}/overlays/prod`, '--from', 'prod/web', '--to', 'prod/api:9090', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('prod/api-ingress');
  });

  it.runIf(hasKubectl)('diff --git renders each side at its commit (a `Kustomization` without extension too)', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'netpol-git-'));
    const git = (...a: string[]) => execFileSync('git', ['-c', 'user.email=t@e', '-c', 'user.name=t', ...a], { cwd: repo, stdio: 'pipe' });
    mkdirSync(join(repo, 'k/base'), { recursive: true });
    mkdirSync(join(repo, 'k/prod'), { recursive: true });
    writeFileSync(join(repo, 'k/base/Kustomization'), 'resources: [apps.yaml, np.yaml]\n');
    writeFileSync(join(repo, 'k/base/apps.yaml'), ['a', 'b'].map((n) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${n}}\nspec:\n  selector: {matchLabels: {app: ${n}}}\n  template:\n    metadata: {labels: {app: ${n}}}\n    spec: {containers: [{name: c, image: x}]}\n`).join('---\n'));
    writeFileSync(join(repo, 'k/base/np.yaml'), 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n');
    writeFileSync(join(repo, 'k/prod/kustomization.yaml'), 'resources: [../base]\nnamespace: prod\n');
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-qm', 'base');
    git('checkout', '-qb', 'open');
    writeFileSync(join(repo, 'k/prod/kustomization.yaml'), 'resources: [../base, allow.yaml]\nnamespace: prod\n');
    writeFileSync(join(repo, 'k/prod/allow.yaml'), 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow-a}\nspec:\n  podSelector: {matchLabels: {app: b}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: a}}}]}]\n');
    git('add', '.');
    git('commit', '-qm', 'open a to b');
    const r = await runCli(['diff', '--git', 'main..open', '--format', 'json'], { cwd: repo });
    expect(r.stderr).toBe('');
    const json = JSON.parse(r.stdout) as { opened: { src: string; dst: string }[]; closed: unknown[] };
    expect(json.opened.map((o) => [o.src, o.dst])).toEqual([['prod/a[Deployment]', 'prod/b[Deployment]']]);
    expect(json.closed).toEqual([]);
  });

  it('without kustomize, kubectl or helm on PATH: says which overlays and charts were not analysed', async () => {
    process.env.PATH = emptyPathDir();
    const r = await runCli(['matrix', APP, 'fixtures/helm/web', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      `${APP}/overlays/prod/kustomization.yaml:1: warning: ${APP}/overlays/prod not rendered, so not analysed: neither kustomize nor kubectl is on PATH`,
      `${APP}/overlays/staging/kustomization.yaml:1: warning: ${APP}/overlays/staging not rendered, so not analysed: neither kustomize nor kubectl is on PATH`,
      'fixtures/helm/web/Chart.yaml:1: warning: fixtures/helm/web not rendered, so not analysed: helm is not on PATH',
    ]);
    const json = JSON.parse(r.stdout) as { workloads: unknown[]; skipped?: unknown };
    expect(json.workloads).toEqual([]);
    expect(JSON.stringify(json)).toContain('not rendered: helm is not on PATH');
  });

  it('--no-render reads the directories raw, as before', async () => {
    process.env.PATH = emptyPathDir();
    const r = await runCli(['matrix', `${APP}/base`, '--no-render', '--format', 'json']);
    // The raw reading does not know kustomization files, as before rendering existed.
    expect(r.stderr).toBe(`${APP}/base/kustomization.yaml:1: error: Kustomization without metadata.name; not analysed\n`);
    expect(ids(r.stdout)).toEqual(['default/api[Deployment]', 'default/web[Deployment]']);
  });

  it('--helm-values needs DIR=FILE', async () => {
    const r = await runCli(['matrix', 'fixtures/helm/web', '--helm-values', 'values.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--helm-values expects CHART_DIR=VALUES_FILE, got "values.yaml"');
  });

  it('--helm-values passes the file to helm, relative to the working directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-fake-'));
    writeFileSync(join(dir, 'helm'), `#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > "${dir}/argv"\n`, { mode: 0o755 });
    process.env.PATH = dir;
    const r = await runCli(['matrix', 'fixtures/helm/web', '--helm-values', 'fixtures/helm/web=fixtures/helm/web/values-prod.yaml', '--format', 'json']);
    expect(r.code).toBe(0);
    const argv = execFileSync('/bin/cat', [join(dir, 'argv')], { encoding: 'utf8' }).trim().split('\n');
    expect(argv.slice(0, 2)).toEqual(['template', 'web']);
    expect(argv.at(-3)).toBe('-f');
    expect(argv.at(-2)).toMatch(/fixtures\/helm\/web\/values-prod\.yaml$/);
  });
});
