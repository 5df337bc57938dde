// The Action entry point (src/action.ts) with recorded event payloads as GitHub Actions hands them over (no
// `installation`; event name and payload path in the environment), against nock: the exact API calls and
// bodies, the same comment and check run as the app, pull_request_target mapped to pull_request, forks on
// pull_request refused with a summary, a read-only token explained.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { ProbotOctokit } from 'probot';
import { parse } from 'yaml';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAction } from '../../src/action.js';
import { COMMENT_MARKER } from '../../src/github/comments.js';
import { FakeRepo } from '../github/helpers/fakeRepo.js';
import { GitHubMock, HEAD, MERGE_BASE, OWNER, R, REPO } from '../github/helpers/githubMock.js';
import { root } from './spawnProbot.js';
import { DENY, OPEN, WEB } from '../helpers/shopManifests.js';


function repo(): FakeRepo {
  const r = new FakeRepo(OWNER, REPO);
  r.commit(MERGE_BASE, { 'k8s/web.yaml': WEB, 'k8s/deny.yaml': DENY });
  r.commit(HEAD, { 'k8s/web.yaml': WEB, 'k8s/deny.yaml': DENY, 'k8s/open.yaml': OPEN });
  return r;
}

/** The recorded webhook payload as Actions writes it to GITHUB_EVENT_PATH: without `installation`. */
function actionsEvent(mutate: (p: any) => void = () => undefined): string {
  const p = JSON.parse(readFileSync(join(root, 'test/fixtures/github/pull_request.opened.json'), 'utf8'));
  delete p.installation;
  mutate(p);
  const file = join(dir, `event-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(p));
  return file;
}

const quiet = {
  logLevel: 'fatal' as const,
  Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })),
};

let dir = '';
let gh: GitHubMock;
beforeAll(() => {
  nock.disableNetConnect();
  dir = mkdtempSync(join(tmpdir(), 'netpol-action-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  gh = new GitHubMock();
});
afterEach(() => GitHubMock.disposeAll());

function env(eventName: string, eventPath: string, extra: Record<string, string> = {}): Record<string, string> {
  return { GITHUB_EVENT_NAME: eventName, GITHUB_EVENT_PATH: eventPath, GITHUB_STEP_SUMMARY: join(dir, 'summary.md'), GITHUB_RUN_ID: '77', ...extra };
}

describe('action entry point', () => {
  it('pull_request_target: the same calls, comment and check run as the app, with the workflow token', async () => {
    const r = repo();
    let auth = '';
    gh.api.matchHeader('authorization', (v: string) => ((auth = v), true));
    gh.createCheck().analysisReads(r, ['k8s/open.yaml']).firstComment();
    writeFileSync(join(dir, 'summary.md'), '');
    const result = await runAction(env('pull_request_target', actionsEvent(), { INPUT_GITHUB_TOKEN: '', GITHUB_TOKEN: 'ghs_workflow' }), quiet);
    gh.done();
    expect(auth).toBe('token ghs_workflow');
    expect(gh.trace).toEqual([
      `POST ${R}/check-runs`,
      `GET ${R}/contents/.github/netpol.yml`,
      `GET /repos/${OWNER}/.github/contents/.github/netpol.yml`,
      `GET ${R}/pulls/2/files?per_page=100`,
      `GET ${R}/compare/f95f852bd8fca8fcc58a9a2d6c842781e32a215e...${HEAD}?per_page=1`,
      `GET ${R}/tarball/${MERGE_BASE}`,
      `GET codeload:/${OWNER}/${REPO}/legacy.tar.gz/${MERGE_BASE}`,
      `GET ${R}/tarball/${HEAD}`,
      `GET codeload:/${OWNER}/${REPO}/legacy.tar.gz/${HEAD}`,
      `GET ${R}/pulls/2`,
      `GET ${R}/issues/2/comments?per_page=100`,
      `POST ${R}/issues/2/comments`,
      `PATCH ${R}/check-runs/4001`,
    ]);
    expect(gh.body('POST', '/check-runs')).toMatchObject({ name: 'netpol', head_sha: HEAD, status: 'in_progress', external_id: '2' });
    const comment: string = gh.body('POST', '/issues/2/comments').body;
    expect(comment.startsWith(`${COMMENT_MARKER}\n<!-- netpol-bot:commits ${MERGE_BASE}..${HEAD} -->\n`)).toBe(true);
    expect(comment).toMatch(/shop\/web/);
    const check = gh.body('PATCH', '/check-runs/4001');
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(check.output.annotations.some((a: { path: string }) => a.path === 'k8s/open.yaml')).toBe(true);
    expect(result.exitCode).toBe(0);
    expect(result.summary).toContain(`The \`netpol\` check run for #2 at \`${HEAD}\` completed: **failure**.`);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toBe(result.summary);
  });

  it('the config input changes where the configuration is read (default branch, like the app)', async () => {
    gh.createCheck()
      .on('GET', `${R}/contents/ci%2Fnetpol.yml`, [200, 'paths: ["deploy/**"]\n', { 'content-type': 'application/vnd.github.raw+json; charset=utf-8' }])
      .prFiles(['k8s/open.yaml'])
      .compare()
      .pull()
      .comments([])
      .updateCheck();
    const result = await runAction(env('pull_request', actionsEvent(), { GITHUB_TOKEN: 't', NETPOL_CONFIG_PATH: 'ci/netpol.yml' }), quiet);
    gh.done();
    expect(gh.body('PATCH', '/check-runs/4001')).toMatchObject({ conclusion: 'success', output: { title: 'No manifest changes' } });
    expect(result.summary).toContain('Configuration: `ci/netpol.yml` on the default branch.');
  });

  it('a fork on pull_request: no API call, the summary says the token is read-only', async () => {
    const path = actionsEvent((p) => (p.pull_request.head.repo.full_name = 'forker/Hello-World'));
    const result = await runAction(env('pull_request', path, { GITHUB_TOKEN: 't' }), quiet);
    gh.done();
    expect(gh.calls).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.summary).toMatch(/comes from a fork \(`forker\/Hello-World`\): on `pull_request` its token is read-only/);
    expect(result.summary).toContain('pull_request_target');
  });

  it('a read-only token (403 on the check run) fails the step with the permissions to grant', async () => {
    gh.on('POST', `${R}/check-runs`, [403, { message: 'Resource not accessible by integration' }]);
    const result = await runAction(env('pull_request', actionsEvent(), { GITHUB_TOKEN: 't' }), quiet);
    gh.done();
    expect(result.exitCode).toBe(1);
    expect(result.summary).toContain('(GitHub API 403)');
    expect(result.summary).toContain('permissions: { checks: write, pull-requests: write, issues: write, contents: read }');
  });

  it('other events and a missing token', async () => {
    expect((await runAction(env('push', actionsEvent(), { GITHUB_TOKEN: 't' }), quiet)).summary).toContain('Nothing to do for the `push` event');
    expect((await runAction(env('pull_request', actionsEvent()), quiet)).exitCode).toBe(1);
    gh.done();
  });
});

describe('action.yml', () => {
  const action = parse(readFileSync(join(root, 'action.yml'), 'utf8'));
  it('declares the inputs and runs the built entry point with them', () => {
    expect(action.inputs['github-token'].default).toBe('${{ github.token }}');
    expect(action.inputs.config.required).toBe(false);
    expect(action.runs.using).toBe('composite');
    const steps = action.runs.steps as { run?: string; uses?: string; with?: Record<string, string>; env?: Record<string, string> }[];
    expect(steps[0]).toMatchObject({ uses: 'actions/setup-node@v4', with: { 'node-version': '20' } });
    expect(steps[1]!.run).toContain('npx tsc -p tsconfig.build.json');
    expect(steps[2]!.run).toBe('node "$GITHUB_ACTION_PATH/lib/action.js"');
    expect(steps[2]!.env).toEqual({ GITHUB_TOKEN: '${{ inputs.github-token }}', NETPOL_CONFIG_PATH: '${{ inputs.config }}' });
  });
});
