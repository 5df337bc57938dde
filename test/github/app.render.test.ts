// The app renders Kustomize overlays at the edge before the pure analysis: a pull request that changes an
// overlay is analysed on what the overlay builds, and without the tool the check says what was skipped.
import { describe, expect, it } from 'vitest';
import netpolApp from '../../src/index.js';
import { hasKubectl } from '../manifests/render/helpers.js';
import { denyIngress, deployment, openToWorld } from '../helpers/shopManifests.js';
import { FakeRepo } from './helpers/fakeRepo.js';
import { realApp } from './helpers/realApp.js';
import { GitHubMock, HEAD, MERGE_BASE, OWNER, REPO, webhookPayload, freshGitHubMockPerTest } from './helpers/githubMock.js';

// The base's objects carry no namespace: the overlay sets it.
const BASE_WEB = deployment({ name: 'web', port: 8080 });
const DENY = denyIngress();
const ALLOW_WORLD = openToWorld({ app: 'web', port: 8080 });
const BASE_K = 'resources:\n  - web.yaml\n  - deny.yaml\n';
const PROD_K = (extra: string) => `namespace: prod\nresources:\n  - ../../base\n${extra}`;

function repo(): FakeRepo {
  const r = new FakeRepo(OWNER, REPO);
  const common = { 'k8s/base/web.yaml': BASE_WEB, 'k8s/base/deny.yaml': DENY, 'k8s/base/kustomization.yaml': BASE_K };
  r.commit(MERGE_BASE, { ...common, 'k8s/overlays/prod/kustomization.yaml': PROD_K('') });
  r.commit(HEAD, {
    ...common,
    'k8s/overlays/prod/allow-world.yaml': ALLOW_WORLD,
    'k8s/overlays/prod/kustomization.yaml': PROD_K('  - allow-world.yaml\n'),
  });
  return r;
}


let gh: GitHubMock;
freshGitHubMockPerTest((mock) => (gh = mock));

describe('the app renders Kustomize overlays before analysing', () => {
  it.runIf(hasKubectl)('an overlay that adds a world-open policy: the rendered prod namespace is analysed and the gate fails', async () => {
    const { probot } = await realApp();
    const r = repo();
    gh.createCheck().analysisReads(r, ['k8s/overlays/prod/allow-world.yaml', 'k8s/overlays/prod/kustomization.yaml']).firstComment();
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    await netpolApp.whenIdle();
    gh.done();
    const body: string = gh.body('POST', '/issues/2/comments').body;
    // The overlay's namespace (prod) comes from kustomize, not from the raw files.
    expect(body).toContain('prod/web');
    expect(body).not.toContain('default/web');
    const check = gh.body('PATCH', '/check-runs/');
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(check.output.title).toBe('1 opened (1 from the internet), 0 closed');
    // Rendered objects live in synthetic files: no annotation points at a path that is not in the repository.
    for (const a of check.output.annotations ?? []) expect(a.path).not.toMatch(/\(kustomize\)/);
  });

  it('without kustomize or kubectl on PATH the overlays are reported as not rendered, never silently passed', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const { probot } = await realApp();
      const r = repo();
      gh.createCheck().analysisReads(r, ['k8s/overlays/prod/kustomization.yaml']).comments([]).updateCheck();
      await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
      await netpolApp.whenIdle();
      gh.done();
      const check = gh.body('PATCH', '/check-runs/');
      expect(check.status).toBe('completed');
      expect(check.output.summary).toMatch(/Kustomization/);
      expect(check.output.summary).toMatch(/k8s\/overlays\/prod/);
    } finally {
      process.env.PATH = path;
    }
  });

  it.runIf(hasKubectl)('kustomize.mode per-overlay: each overlay is its own cluster, one section each in the comment', async () => {
    const { probot } = await realApp();
    const r = new FakeRepo(OWNER, REPO);
    const overlay = (extra: string) => `namespace: app\nresources:\n  - ../../base\n${extra}`;
    const common = {
      'k8s/base/web.yaml': BASE_WEB,
      'k8s/base/deny.yaml': DENY,
      'k8s/base/kustomization.yaml': BASE_K,
      'k8s/overlays/staging/kustomization.yaml': overlay(''),
    };
    r.commit(MERGE_BASE, { ...common, 'k8s/overlays/prod/kustomization.yaml': overlay('') });
    r.commit(HEAD, {
      ...common,
      'k8s/overlays/prod/allow-world.yaml': ALLOW_WORLD,
      'k8s/overlays/prod/kustomization.yaml': overlay('  - allow-world.yaml\n'),
    });
    gh.createCheck()
      .analysisReads(r, ['k8s/overlays/prod/allow-world.yaml', 'k8s/overlays/prod/kustomization.yaml'], 'kustomize:\n  mode: per-overlay\n')
      .firstComment();
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    await netpolApp.whenIdle();
    gh.done();
    const body: string = gh.body('POST', '/issues/2/comments').body;
    // Both overlays render app/web: merged, that is a duplicate object; per overlay, two clusters.
    expect(body).toContain('**2 overlays analysed, each as its own cluster** (kustomize.mode: per-overlay)');
    const prod = body.indexOf('### Overlay `k8s/overlays/prod`');
    const staging = body.indexOf('### Overlay `k8s/overlays/staging`');
    expect(prod).toBeGreaterThan(0);
    expect(staging).toBeGreaterThan(prod);
    expect(body.slice(prod, staging)).toContain('app/web on 8080/TCP: now allowed');
    expect(body.slice(staging)).toContain('No reachability changes');
    expect(body).not.toContain('defined twice');
    const check = gh.body('PATCH', '/check-runs/');
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(check.output.title).toBe('k8s/overlays/prod: 1 opened (1 from the internet), 0 closed');
  });
});
