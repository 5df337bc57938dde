// Rendering with the real kustomize (`kubectl kustomize`): skipped, with the reason in the test name, where
// kubectl is not installed; missingBinary.test.ts covers that path and always runs.
import { describe, expect, it } from 'vitest';
import { buildCluster } from '../../../src/manifests/buildCluster.js';
import { computeMatrix } from '../../../src/engine/matrix.js';
import { matrixJson } from '../../../src/render/matrixJson.js';
import { renderManifests } from '../../../src/manifests/render/index.js';
import { hasKubectl, readAsCli } from './helpers.js';

const APP = 'fixtures/kustomize/app';
const needs = hasKubectl ? '' : ' [SKIPPED: kubectl is not installed]';

describe(`kustomize overlays rendered by kubectl kustomize${needs}`, () => {
  it.runIf(hasKubectl)('renders the two leaves (staging, prod), not the base, and never reads their files raw', async () => {
    const { files } = await readAsCli([APP]);
    const r = await renderManifests(files, { tools: { kustomize: '/nonexistent/kustomize' } });
    expect(r.diagnostics).toEqual([]);
    expect(r.skipped).toEqual([]);
    expect(r.units.map((u) => [u.path, u.kind])).toEqual([
      [`${APP}/overlays/prod`, 'kustomization'],
      [`${APP}/overlays/staging`, 'kustomization'],
    ]);
    expect(r.files.map((f) => f.path)).toEqual([`${APP}/overlays/prod (kustomize)`, `${APP}/overlays/staging (kustomize)`]);
    expect(r.sets).toEqual([{ files: r.files }]);
  });

  it.runIf(hasKubectl)('prod: exact workloads, policies and reachability through buildCluster + computeMatrix', async () => {
    const { files } = await readAsCli([`${APP}/overlays/prod`]);
    const r = await renderManifests(files);
    expect(r.diagnostics).toEqual([]);
    // The base was not among the paths given: it was read because the overlay includes it.
    expect(r.units.map((u) => u.path)).toEqual([`${APP}/overlays/prod`]);
    const cluster = buildCluster(r.files);
    expect(cluster.diagnostics).toEqual([]);
    expect(cluster.workloads.map((w) => [w.id, w.labels])).toEqual([
      ['prod/api[Deployment]', { app: 'api', env: 'prod' }],
      ['prod/web[Deployment]', { app: 'web', env: 'prod' }],
    ]);
    expect(cluster.policies.map((p) => p.id)).toEqual(['prod/api-ingress', 'prod/default-deny-ingress']);
    expect(cluster.namespaces.get('prod')?.labels).toEqual({ env: 'prod', tier: 'production', 'kubernetes.io/metadata.name': 'prod' });
    // SourceRef names the overlay; the origin says which input file each object was written in.
    expect(cluster.policies[0]!.source.file).toBe(`${APP}/overlays/prod (kustomize)`);
    expect(r.units[0]!.origins.map((o) => [o.kind, o.name, o.source])).toEqual([
      ['Namespace', 'prod', `${APP}/overlays/prod/namespace.yaml`],
      ['Deployment', 'api', `${APP}/base/api.yaml`],
      ['Deployment', 'web', `${APP}/base/web.yaml`],
      ['NetworkPolicy', 'api-ingress', `${APP}/base/api-ingress.yaml`],
      ['NetworkPolicy', 'default-deny-ingress', `${APP}/overlays/prod/default-deny.yaml`],
    ]);
    expect(r.units[0]!.file.text).not.toContain('config.kubernetes.io/origin');
    const json = matrixJson(computeMatrix(cluster)) as unknown as { connections: { src: string; dst: string; ports?: unknown; all?: boolean }[] };
    // Nothing reaches web (default deny); only web reaches api, on 9090 (the named port http).
    expect(json.connections.filter((c) => c.dst.startsWith('prod/'))).toEqual([
      { src: 'prod/web[Deployment]', dst: 'prod/api[Deployment]', ports: { TCP: [[9090, 9090]], UDP: [], SCTP: [] } },
    ]);
  });

  it.runIf(hasKubectl)('staging: the patched policy lets every pod of the namespace (api itself too) reach the api on any port', async () => {
    const { files } = await readAsCli([`${APP}/overlays/staging`]);
    const r = await renderManifests(files);
    const cluster = buildCluster(r.files);
    expect(cluster.workloads.map((w) => w.id)).toEqual(['staging/api[Deployment]', 'staging/web[Deployment]']);
    const json = matrixJson(computeMatrix(cluster)) as unknown as { connections: { src: string; dst: string; all?: boolean }[] };
    expect(json.connections.filter((c) => c.dst === 'staging/api[Deployment]')).toEqual([
      { src: 'staging/api[Deployment]', dst: 'staging/api[Deployment]', all: true },
      { src: 'staging/web[Deployment]', dst: 'staging/api[Deployment]', all: true },
    ]);
  });

  it.runIf(hasKubectl)('kustomize.overlays selects one overlay; the leaf left out is listed as skipped', async () => {
    const { files } = await readAsCli([APP]);
    const r = await renderManifests(files, { config: { kustomize: { overlays: ['**/overlays/prod'] } } });
    expect(r.units.map((u) => u.path)).toEqual([`${APP}/overlays/prod`]);
    expect(r.skipped).toEqual([
      { path: `${APP}/overlays/staging`, kind: 'kustomization', reason: 'not selected by kustomize.overlays', file: `${APP}/overlays/staging/kustomization.yaml` },
    ]);
  });

  it.runIf(hasKubectl)('per-overlay mode: one set of files per overlay, each a cluster of its own', async () => {
    const { files } = await readAsCli([APP, 'fixtures/backend-policy']);
    const r = await renderManifests(files, { config: { kustomize: { mode: 'per-overlay' } } });
    expect(r.sets.map((s) => [s.overlay, s.files.map((f) => f.path)])).toEqual([
      [`${APP}/overlays/prod`, ['fixtures/backend-policy/backend-policy.yaml', 'fixtures/backend-policy/namespaces.yaml', 'fixtures/backend-policy/workloads.yaml', `${APP}/overlays/prod (kustomize)`]],
      [`${APP}/overlays/staging`, ['fixtures/backend-policy/backend-policy.yaml', 'fixtures/backend-policy/namespaces.yaml', 'fixtures/backend-policy/workloads.yaml', `${APP}/overlays/staging (kustomize)`]],
    ]);
    expect(buildCluster(r.sets[1]!.files).workloads.map((w) => w.id)).toContain('staging/web[Deployment]');
  });

  it.runIf(hasKubectl)('a broken kustomization is diagnosed on the entry that failed, and skipped', async () => {
    const { files } = await readAsCli(['fixtures/kustomize/broken']);
    const r = await renderManifests(files);
    expect(r.units).toEqual([]);
    expect(r.files).toEqual([]);
    expect(r.skipped).toEqual([
      { path: 'fixtures/kustomize/broken', kind: 'kustomization', reason: 'kustomize build failed (fixtures/kustomize/broken/kustomization.yaml:5)', file: 'fixtures/kustomize/broken/kustomization.yaml' },
    ]);
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0]!;
    expect([d.file, d.line, d.severity]).toEqual(['fixtures/kustomize/broken/kustomization.yaml', 5, 'error']);
    expect(d.message).toMatch(/^kustomize build of fixtures\/kustomize\/broken failed: .*missing\.yaml/);
    expect(d.message).not.toMatch(/netpol-render-/); // the temporary directory never leaks into messages
  });

  it.runIf(hasKubectl)('a kustomization that is not YAML is diagnosed with kustomize\'s line', async () => {
    const files = [
      { path: 'k/kustomization.yaml', text: 'resources:\n  - a.yaml\nnamePrefix: [x\n' },
      { path: 'k/a.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' },
    ];
    const r = await renderManifests(files, { baseDir: '/repo' });
    expect(r.diagnostics.map((d) => [d.file, d.severity])).toEqual([['k/kustomization.yaml', 'error']]);
    expect(r.skipped.map((s) => [s.path, s.reason])).toEqual([['k', 'k/kustomization.yaml is not valid YAML']]);
  });

  it.runIf(hasKubectl)('works on in-memory texts (as the app fetches them), with kustomize errors mapped to input paths', async () => {
    const files = [
      { path: 'deploy/base/kustomization.yaml', text: 'resources: [np.yaml]\n' },
      { path: 'deploy/base/np.yaml', text: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec: {podSelector: {}}\n' },
      { path: 'deploy/prod/kustomization.yaml', text: 'resources: [../base]\nnamespace: prod\npatches:\n  - path: nothing.yaml\n' },
      { path: 'deploy/prod/nothing.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ghost}\nspec: {replicas: 2}\n' },
      { path: 'deploy/dev/kustomization.yaml', text: 'resources: [../base]\nnamespace: dev\n' },
      { path: 'other/plain.yaml', text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: plain}\n' },
    ];
    const r = await renderManifests(files, { baseDir: '/srv/repo' });
    expect(r.files.map((f) => f.path)).toEqual(['other/plain.yaml', 'deploy/dev (kustomize)']);
    expect(r.diagnostics).toEqual([
      {
        file: 'deploy/prod/kustomization.yaml',
        line: 4,
        severity: 'error',
        message: expect.stringMatching(/^kustomize build of deploy\/prod failed: .*ghost/),
      },
    ]);
    expect(buildCluster(r.files).policies.map((p) => [p.id, p.source.file])).toEqual([['dev/deny', 'deploy/dev (kustomize)']]);
  });
});
