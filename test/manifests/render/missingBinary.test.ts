// The tools are missing (an empty PATH): never a silent pass. Every overlay and chart is listed as skipped
// with the reason, with a warning on its file, and none of their files is read raw. Runs everywhere.
import { describe, expect, it } from 'vitest';
import { buildCluster } from '../../../src/manifests/buildCluster.js';
import { renderManifests, skippedObjects } from '../../../src/manifests/render/index.js';
import { emptyPathDir, readAsCli } from './helpers.js';

describe('renderers missing', () => {
  it('lists exactly which overlays and charts were skipped and why', async () => {
    const { files } = await readAsCli(['fixtures/kustomize/app', 'fixtures/helm/web', 'fixtures/backend-policy']);
    const r = await renderManifests(files, { env: { PATH: emptyPathDir() } });
    expect(r.skipped).toEqual([
      { path: 'fixtures/kustomize/app/overlays/prod', kind: 'kustomization', reason: 'neither kustomize nor kubectl is on PATH', file: 'fixtures/kustomize/app/overlays/prod/kustomization.yaml' },
      { path: 'fixtures/kustomize/app/overlays/staging', kind: 'kustomization', reason: 'neither kustomize nor kubectl is on PATH', file: 'fixtures/kustomize/app/overlays/staging/kustomization.yaml' },
      { path: 'fixtures/helm/web', kind: 'helm-chart', reason: 'helm is not on PATH', file: 'fixtures/helm/web/Chart.yaml' },
    ]);
    expect(r.diagnostics).toEqual([
      { file: 'fixtures/kustomize/app/overlays/prod/kustomization.yaml', line: 1, severity: 'warning', message: 'fixtures/kustomize/app/overlays/prod not rendered, so not analysed: neither kustomize nor kubectl is on PATH' },
      { file: 'fixtures/kustomize/app/overlays/staging/kustomization.yaml', line: 1, severity: 'warning', message: 'fixtures/kustomize/app/overlays/staging not rendered, so not analysed: neither kustomize nor kubectl is on PATH' },
      { file: 'fixtures/helm/web/Chart.yaml', line: 1, severity: 'warning', message: 'fixtures/helm/web not rendered, so not analysed: helm is not on PATH' },
    ]);
    expect(r.units).toEqual([]);
    expect(r.files.map((f) => f.path)).toEqual([
      'fixtures/backend-policy/backend-policy.yaml',
      'fixtures/backend-policy/namespaces.yaml',
      'fixtures/backend-policy/workloads.yaml',
    ]);
    // As SkippedObjects, for every summary of what was not analysed.
    expect(skippedObjects(r.skipped).map((s) => [s.kind, s.name, s.reason, s.source.file])).toEqual([
      ['Kustomization', 'fixtures/kustomize/app/overlays/prod', 'not rendered: neither kustomize nor kubectl is on PATH', 'fixtures/kustomize/app/overlays/prod/kustomization.yaml'],
      ['Kustomization', 'fixtures/kustomize/app/overlays/staging', 'not rendered: neither kustomize nor kubectl is on PATH', 'fixtures/kustomize/app/overlays/staging/kustomization.yaml'],
      ['HelmChart', 'fixtures/helm/web', 'not rendered: helm is not on PATH', 'fixtures/helm/web/Chart.yaml'],
    ]);
    expect(buildCluster(r.files).workloads.some((w) => w.namespace === 'prod' || w.namespace === 'staging')).toBe(false);
  });

  it('names the configured tool paths that do not exist', async () => {
    const { files } = await readAsCli(['fixtures/kustomize/app/overlays/prod', 'fixtures/helm/web']);
    const r = await renderManifests(files, { env: { PATH: emptyPathDir() }, tools: { kustomize: '/opt/none/kustomize', kubectl: '/opt/none/kubectl', helm: '/opt/none/helm' } });
    expect(r.skipped.map((s) => s.reason)).toEqual(['kustomize tool not found (/opt/none/kustomize, /opt/none/kubectl)', 'helm not found (/opt/none/helm)']);
  });

  it('refuses remote resources before running anything, on the line of the entry', async () => {
    const { files } = await readAsCli(['fixtures/kustomize/remote']);
    const r = await renderManifests(files, { env: { PATH: emptyPathDir() } });
    expect(r.diagnostics).toEqual([
      {
        file: 'fixtures/kustomize/remote/kustomization.yaml',
        line: 5,
        severity: 'error',
        message: 'resources entry "https://github.com/kubernetes-sigs/kustomize//examples/helloWorld/?ref=v5.5.0" is remote (a URL or git repository); netpol never fetches over the network, so fixtures/kustomize/remote is not rendered. Vendor it into the repository.',
      },
    ]);
    expect(r.skipped).toEqual([
      { path: 'fixtures/kustomize/remote', kind: 'kustomization', reason: 'resources entry "https://github.com/kubernetes-sigs/kustomize//examples/helloWorld/?ref=v5.5.0" of fixtures/kustomize/remote/kustomization.yaml is remote; remote resources are disabled', file: 'fixtures/kustomize/remote/kustomization.yaml' },
    ]);
    expect(r.files).toEqual([]);
  });
});
