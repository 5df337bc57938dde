// /metrics, /healthz and /readyz over HTTP: the app's own routes mounted the way Probot mounts them
// (createNodeMiddleware -> addHandler) on a real server on a random port, a signed webhook replayed from a
// recorded payload, and the counters read back from the Prometheus text before and after.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { createNodeMiddleware } from 'probot';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNetpolApp, type NetpolApp } from '../../src/github/app.js';
import { routeLabel } from '../../src/github/metrics.js';
import { GitHubMock, HEAD, MERGE_BASE, fakeDomain, helloWorld, testProbot } from '../github/helpers/githubMock.js';
import { deliverSignedWebhook } from '../helpers/signedWebhook.js';

const SECRET = 'metrics-test-secret';
const payload = readFileSync(new URL('../fixtures/github/pull_request.opened.json', import.meta.url), 'utf8');

/** The value of one sample, e.g. `sample(text, 'netpol_analyses_total', { conclusion: 'failure' })`; 0 if absent. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return 0;
}

let server: Server;
let base = '';
let app: NetpolApp;
let gh: GitHubMock;

async function metrics(): Promise<string> {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

function deliver(id: string): Promise<Response> {
  return deliverSignedWebhook({ server: base, secret: SECRET, id, payload });
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  const probot = testProbot({ secret: SECRET });
  app = createNetpolApp({ ...fakeDomain(), concurrency: 1 });
  const middleware = await createNodeMiddleware(app, { probot });
  server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  nock.enableNetConnect();
});
beforeEach(() => {
  gh = new GitHubMock();
});
afterEach(() => GitHubMock.disposeAll());

/** Only GitHub calls count: the test's own requests to 127.0.0.1 pass through nock unmatched by design. */
function githubDone(): void {
  expect(gh.unmatched.filter((u) => !u.includes('127.0.0.1'))).toEqual([]);
  expect(gh.api.pendingMocks()).toEqual([]);
  expect(gh.codeload.pendingMocks()).toEqual([]);
}

describe('health and readiness', () => {
  it('/healthz answers ok; /readyz reports the queue and the cache; POST is not routed there', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      queue: { running: 0, waiting: 0, superseded: 0, completed: 0, failed: 0 },
      cache: { entries: 0, bytes: 0 },
    });
    expect((await fetch(`${base}/healthz`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(404);
  });
});

describe('/metrics', () => {
  it('exposes every metric, with help texts, before any event', async () => {
    const text = await metrics();
    for (const name of [
      'netpol_analyses_total',
      'netpol_analysis_duration_seconds',
      'netpol_github_requests_total',
      'netpol_github_request_errors_total',
      'netpol_comment_writes_total',
      'netpol_queue_jobs',
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(text).toContain(`# HELP ${name} `);
    }
    expect(sample(text, 'netpol_queue_jobs', { state: 'waiting' })).toBe(0);
  });

  it('counts the analysis, its duration, every GitHub call by route and status, and a comment left unchanged', async () => {
    const before = await metrics();
    const repo = helloWorld();
    gh.createCheck().analysisReads(repo, ['README.md', 'k8s/web.yaml']).firstComment();
    const res = await deliver('m-1');
    expect(res.status).toBe(200);
    await app.whenIdle();
    githubDone();

    const after = await metrics();
    const delta = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta('netpol_analyses_total', { conclusion: 'failure' })).toBe(1);
    expect(delta('netpol_analysis_duration_seconds_count', { conclusion: 'failure' })).toBe(1);
    expect(delta('netpol_analysis_duration_seconds_sum', { conclusion: 'failure' })).toBeGreaterThan(0);
    expect(delta('netpol_comment_writes_total', { outcome: 'created' })).toBe(1);
    const call = (method: string, route: string, status: string) => delta('netpol_github_requests_total', { method, route, status });
    expect(call('POST', '/repos/{owner}/{repo}/check-runs', '201')).toBe(1);
    expect(call('GET', '/repos/{owner}/{repo}/contents/{path}', '404')).toBe(2); // repo + owner's .github
    expect(call('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/files', '200')).toBe(1);
    expect(call('GET', '/repos/{owner}/{repo}/compare/{basehead}', '200')).toBe(1);
    expect(call('GET', '/repos/{owner}/{repo}/tarball/{ref}', '200')).toBe(2); // fetch follows the redirect
    expect(call('GET', '/repos/{owner}/{repo}/pulls/{pull_number}', '200')).toBe(1);
    expect(call('GET', '/repos/{owner}/{repo}/issues/{issue_number}/comments', '200')).toBe(1);
    expect(call('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', '201')).toBe(1);
    expect(call('PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}', '200')).toBe(1);
    expect(delta('netpol_github_request_errors_total', { method: 'GET', route: '/repos/{owner}/{repo}/contents/{path}', status: '404' })).toBe(2);

    // The same push delivered again: identical comment text is not written again, and the metric says so.
    const existing = { id: 9001, node_id: 'IC_1', body: gh.body('POST', '/issues/2/comments').body, user: { login: 'netpol-bot[bot]', type: 'Bot' }, performed_via_github_app: { id: 424242 } };
    GitHubMock.disposeAll();
    gh = new GitHubMock();
    gh.createCheck(4002).noConfig().prFiles(['README.md', 'k8s/web.yaml']).compare().tree(repo, MERGE_BASE).tree(repo, HEAD).pull().comments([existing]).updateCheck(4002);
    expect((await deliver('m-2')).status).toBe(200);
    await app.whenIdle();
    githubDone();
    const again = await metrics();
    expect(sample(again, 'netpol_comment_writes_total', { outcome: 'unchanged' }) - sample(after, 'netpol_comment_writes_total', { outcome: 'unchanged' })).toBe(1);
    expect(sample(again, 'netpol_analyses_total', { conclusion: 'failure' }) - sample(before, 'netpol_analyses_total', { conclusion: 'failure' })).toBe(2);
  });

  it('a failing analysis is counted as error, with the failed call under its route and status', async () => {
    const before = await metrics();
    gh.createCheck().noConfig().on('GET', /\/pulls\/2\/files/, [502, { message: 'Bad Gateway' }]).updateCheck();
    expect((await deliver('m-3')).status).toBe(200);
    await app.whenIdle();
    githubDone();
    const after = await metrics();
    expect(sample(after, 'netpol_analyses_total', { conclusion: 'error' }) - sample(before, 'netpol_analyses_total', { conclusion: 'error' })).toBe(1);
    const labels = { method: 'GET', route: '/repos/{owner}/{repo}/pulls/{pull_number}/files', status: '502' };
    expect(sample(after, 'netpol_github_request_errors_total', labels) - sample(before, 'netpol_github_request_errors_total', labels)).toBe(1);
    expect(gh.body('PATCH', '/check-runs/')).toMatchObject({ conclusion: 'failure' });
  });
});

describe('routeLabel', () => {
  it('keeps templates, strips hosts, queries, numbers and shas from full URLs (pagination links)', () => {
    expect(routeLabel('/repos/{owner}/{repo}/pulls/{pull_number}')).toBe('/repos/{owner}/{repo}/pulls/{pull_number}');
    expect(routeLabel('/repos/Codertocat/Hello-World/pulls/2/files')).toBe('/repos/{owner}/{repo}/pulls/{pull_number}/files');
    expect(routeLabel('https://api.github.com/repositories/1296269/issues/2/comments?per_page=100&page=2')).toBe(
      '/repositories/{repository_id}/issues/{issue_number}/comments',
    );
    expect(routeLabel(`https://ghe.example.com/api/v3/repos/o/r/git/trees/${HEAD}?recursive=1`)).toBe('/repos/{owner}/{repo}/git/trees/{tree_sha}');
    expect(routeLabel('/app/installations/77/access_tokens')).toBe('/app/installations/{id}/access_tokens');
  });
});
