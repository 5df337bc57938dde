// The pure parts of rendering: which entries are remote, which kustomizations are leaves, what the app
// must fetch besides manifests.
import { describe, expect, it } from 'vitest';
import { findKustomizations } from '../../../src/manifests/render/findKustomizations.js';
import { includeGraph } from '../../../src/manifests/render/includeGraph.js';
import { isRemoteRef } from '../../../src/manifests/render/isRemoteRef.js';
import { isRenderInput } from '../../../src/manifests/render/isRenderInput.js';
import { kustomizeArgs } from '../../../src/manifests/render/kustomizeBuild.js';
import { selectOverlays } from '../../../src/manifests/render/selectOverlays.js';

describe('isRemoteRef', () => {
  it.each([
    ['https://github.com/org/repo//deploy?ref=v1', false, true],
    ['git@github.com:org/repo.git//deploy', false, true],
    ['git::https://example.com/repo', false, true],
    ['ssh://git@host/repo', false, true],
    ['github.com/org/repo/deploy?ref=main', false, true],
    ['example.com/deploy', false, true],
    ['example.com/deploy', true, false],
    ['../base', true, false],
    ['deployment.yaml', false, false],
  ])('%s (local: %s) -> %s', (entry, local, remote) => {
    expect(isRemoteRef(entry, local)).toBe(remote);
  });
});

describe('leaves', () => {
  const k = (path: string, text: string) => ({ path, text });
  const files = [
    k('base/kustomization.yaml', 'resources: [a.yaml]\n'),
    k('components/debug/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n'),
    k('overlays/a/kustomization.yaml', 'resources: [../../base]\ncomponents: [../../components/debug]\n'),
    k('overlays/b/kustomization.yml', 'bases: [../../base]\n'),
    k('overlays/b/sub/Kustomization', 'resources: [..]\n'),
    k('lonely/kustomization.yaml', 'resources: [x.yaml]\n'),
  ];
  const { roots, diagnostics } = findKustomizations(files, '/r');
  const graph = includeGraph(roots);

  it('are the kustomizations nothing includes (components never are)', () => {
    expect(diagnostics).toEqual([]);
    expect(selectOverlays(roots, graph, undefined, (r) => [r.dir]).selected.map((r) => r.dir)).toEqual(['lonely', 'overlays/a', 'overlays/b/sub']);
  });

  it('globs replace the leaves; a glob that matches nothing is a warning', () => {
    const s = selectOverlays(roots, graph, ['overlays/*', 'nowhere/**'], (r) => [r.dir]);
    expect(s.selected.map((r) => r.dir)).toEqual(['overlays/a', 'overlays/b']);
    expect(s.unselected.map((r) => r.dir)).toEqual(['lonely', 'overlays/b/sub']);
    expect(s.diagnostics).toEqual([{ file: 'nowhere/**', line: 1, severity: 'warning', message: 'kustomize.overlays: "nowhere/**" matches no kustomization directory' }]);
  });

  it('entries keep their lines', () => {
    expect(roots.find((r) => r.dir === 'overlays/a')!.refs).toEqual([
      { field: 'resources', entry: '../../base', line: 1 },
      { field: 'components', entry: '../../components/debug', line: 2 },
    ]);
  });
});

describe('tool arguments', () => {
  it('never enable plugins, helm or loading outside the root', () => {
    expect(kustomizeArgs({ command: '/x/kustomize', via: 'kustomize' }, '/t/o')).toEqual(['build', '/t/o', '--load-restrictor', 'LoadRestrictionsRootOnly']);
    expect(kustomizeArgs({ command: '/x/kubectl', via: 'kubectl' }, '/t/o')).toEqual(['kustomize', '/t/o', '--load-restrictor', 'LoadRestrictionsRootOnly']);
  });
});

describe('isRenderInput (the app fetches these besides its manifest paths)', () => {
  it.each([
    ['k/overlays/prod/Kustomization', true],
    ['k/overlays/prod/kustomization.yaml', true],
    ['charts/web/Chart.yaml', true],
    ['charts/web/templates/_helpers.tpl', true],
    ['charts/web/templates/NOTES.txt', true],
    ['charts/web/charts/redis-19.0.0.tgz', true],
    ['charts/web/.helmignore', true],
    ['k/app.env', false],
    ['README.md', false],
  ])('%s -> %s', (path, expected) => {
    expect(isRenderInput(path)).toBe(expected);
  });
});
