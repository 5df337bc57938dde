// Faults from GitHub, with nock: the production client's retries and throttling, time limits, big and
// missing blobs, a PR that moves or closes mid-analysis, a comment deleted between runs, a check run GitHub
// refuses to complete, and secrets inside error messages. (A truncated tree falling back to the tarball is
// tested at the fetcher: test/github/fetchManifests.test.ts, "warm: a truncated tree ...".) In every case the check run ends, there is no
// duplicate comment, and the error is logged with context.
import nock from 'nock';
import { Probot } from 'probot';
import { describe, expect, it } from 'vitest';
import type { NetpolApp } from '../../src/github/app.js';
import { COMMENT_MARKER } from '../../src/github/comments.js';
import type { Octokit } from '../../src/github/octokit.js';
import { retrySecondaryRateLimits } from '../../src/github/secondaryRateLimit.js';
import { blobSha, fakeSha } from './helpers/fakeRepo.js';
import { API, APP, BASE_TIP, CHECK_ID, GitHubMock, HEAD, MERGE_BASE, OWNER, R, REPO, helloWorld, startApp, webhookPayload, freshGitHubMockPerTest } from './helpers/githubMock.js';

interface LogLine {
  level: string;
  obj: Record<string, unknown>;
  msg: string;
}

/** Replace the runtime's logger with one that records (the runtime's `log` is its only sink). */
function captureLogs(app: NetpolApp): LogLine[] {
  const lines: LogLine[] = [];
  const at = (level: string) => (obj: unknown, msg?: string) => void lines.push({ level, obj: (obj ?? {}) as Record<string, unknown>, msg: msg ?? '' });
  app.runtime.log = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
  return lines;
}

let gh: GitHubMock;
freshGitHubMockPerTest((mock) => (gh = mock));

const patches = () => gh.calls.filter((c) => c.method === 'PATCH' && c.path.includes('/check-runs/')).map((c) => c.body as any);
const posted = () => gh.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/comments'));

describe('the production client (Probot defaults: retry and throttling plugins on)', () => {
  async function productionOctokit(): Promise<Octokit> {
    // As src/index.ts runs under `probot run`: no Octokit override, so ProbotOctokit with its plugins.
    const probot = new Probot({ githubToken: 'test', logLevel: 'fatal' });
    return (await probot.auth()) as unknown as Octokit;
  }

  it('retries a 5xx with backoff (1 s, then 4 s) and succeeds on the third attempt', async () => {
    let attempts = 0;
    const scope = nock(API)
      .get(`${R}/pulls/2`)
      .times(3)
      .reply(() => (++attempts < 3 ? [502, { message: 'Bad Gateway' }] : [200, { number: 2, state: 'open', head: { sha: HEAD }, base: { sha: BASE_TIP } }]));
    const started = Date.now();
    const { data } = await (await productionOctokit()).rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 2 });
    expect(data.head.sha).toBe(HEAD);
    expect(attempts).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
    expect(scope.isDone()).toBe(true);
  }, 20_000);

  it('does not retry a 404 (a deleted branch or commit is not transient)', async () => {
    let attempts = 0;
    nock(API)
      .get(`${R}/tarball/${HEAD}`)
      .times(4)
      .reply(() => (attempts++, [404, { message: 'Not Found' }]));
    await expect((await productionOctokit()).request('GET /repos/{owner}/{repo}/tarball/{ref}', { owner: OWNER, repo: REPO, ref: HEAD })).rejects.toMatchObject({ status: 404 });
    expect(attempts).toBe(1);
    nock.cleanAll();
  });

  it('Probot alone gives up on a secondary rate limit (403 with retry-after): one attempt', async () => {
    let attempts = 0;
    nock(API)
      .get(`${R}/pulls/2`)
      .reply(() => (attempts++, [403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '1' }]));
    await expect((await productionOctokit()).rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 2 })).rejects.toMatchObject({ status: 403 });
    expect(attempts).toBe(1);
  });

  it('the runtime\'s client waits out a secondary rate limit (403 with retry-after: 1) and tries again', async () => {
    let attempts = 0;
    nock(API)
      .get(`${R}/compare/${BASE_TIP}...${HEAD}`)
      .query(true)
      .times(2)
      .reply(() =>
        ++attempts === 1
          ? [403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, { 'retry-after': '1' }]
          : [200, { merge_base_commit: { sha: MERGE_BASE } }],
      );
    const started = Date.now();
    const { data } = await retrySecondaryRateLimits(await productionOctokit()).rest.repos.compareCommitsWithBasehead({ owner: OWNER, repo: REPO, basehead: `${BASE_TIP}...${HEAD}`, per_page: 1 });
    expect(data.merge_base_commit.sha).toBe(MERGE_BASE);
    expect(attempts).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  }, 20_000);
});

describe('faults during one analysis (test client: retries off, so each fault is seen once)', () => {
  it('a request slower than limits.timeoutSeconds: the check ends "Limit exceeded" with the configured conclusion, nothing is commented', async () => {
    const { probot, app } = await startApp();
    const logs = captureLogs(app);
    const repo = helloWorld();
    gh.createCheck().config('limits:\n  timeoutSeconds: 1\n  onExceeded: neutral\n').prFiles(['k8s/web.yaml']).updateCheck();
    gh.api.get(`${R}/compare/${BASE_TIP}...${HEAD}?per_page=1`).delay(1_500).reply(200, { merge_base_commit: { sha: MERGE_BASE } });
    // What the abandoned job may still ask for after the deadline: allowed, never required.
    gh.tarball(repo, MERGE_BASE).tarball(repo, HEAD);
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    await app.whenIdle();
    await new Promise((r) => setTimeout(r, 800)); // let the abandoned job run into its cancellation
    const [patch] = patches();
    expect(patch).toMatchObject({ status: 'completed', conclusion: 'neutral', output: { title: 'Limit exceeded: limits.timeoutSeconds' } });
    expect(patch.output.summary).toContain('took longer than 1 s and was stopped');
    expect(patches()).toHaveLength(1);
    expect(posted()).toEqual([]);
    expect(logs.find((l) => l.msg === 'analysis stopped by limits.timeoutSeconds')?.obj).toMatchObject({ pr: 'codertocat/hello-world#2', headSha: HEAD, seconds: 1 });
  });

  it('a secondary rate limit during the analysis: waited out, the analysis completes, one comment', async () => {
    const { probot, app } = await startApp();
    const logs = captureLogs(app);
    const repo = helloWorld();
    gh.createCheck().noConfig().prFiles(['k8s/web.yaml']);
    gh.on('GET', `${R}/compare/${BASE_TIP}...${HEAD}?per_page=1`, [403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '1' }]);
    gh.compare().tarball(repo, MERGE_BASE).tarball(repo, HEAD).pull().firstComment();
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    await app.whenIdle();
    gh.done();
    expect(patches()).toEqual([expect.objectContaining({ status: 'completed', conclusion: 'failure', output: expect.objectContaining({ title: '1 opened' }) })]);
    expect(posted()).toHaveLength(1);
    expect(logs.find((l) => l.msg.startsWith('secondary rate limit'))?.obj).toMatchObject({ retryAfter: 1, attempt: 1 });
  });

  it('a head branch deleted (404 on the tarball): the check fails with the status, no comment, the error is logged with the PR, sha and check run', async () => {
    const { probot, app } = await startApp();
    const logs = captureLogs(app);
    gh.createCheck().noConfig().prFiles(['k8s/web.yaml']).compare().updateCheck();
    gh.on('GET', `${R}/tarball/${MERGE_BASE}`, [404, { message: 'Not Found' }]);
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    await app.whenIdle();
    gh.done();
    expect(patches()).toHaveLength(1);
    expect(patches()[0]).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: 'Analysis failed' } });
    expect(patches()[0].output.summary).toContain('GitHub API error 404: Not Found');
    expect(posted()).toEqual([]);
    const line = logs.find((l) => l.msg === 'analysis failed');
    expect(line?.obj).toMatchObject({ pr: 'codertocat/hello-world#2', headSha: HEAD, checkRunId: CHECK_ID, err: { status: 404 } });
  });

  it('a force-push mid-analysis: superseded, nothing written; the PR closed mid-analysis: neutral, nothing written', async () => {
    for (const [pull, title] of [
      [{ head: fakeSha('force-pushed'), state: 'open' }, 'Superseded by a newer commit'],
      [{ head: HEAD, state: 'closed' }, 'Pull request closed'],
    ] as const) {
      const { probot, app } = await startApp();
      const repo = helloWorld();
      gh = new GitHubMock();
      gh.createCheck().noConfig().prFiles(['k8s/web.yaml']).compare().tarball(repo, MERGE_BASE).tarball(repo, HEAD).pull(pull.head, 2, BASE_TIP, pull.state).updateCheck();
      await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
      await app.whenIdle();
      gh.done();
      expect(patches()).toEqual([expect.objectContaining({ status: 'completed', conclusion: 'neutral', output: expect.objectContaining({ title }) })]);
      expect(posted()).toEqual([]);
    }
  });

  it('a blob over 1 MB (warm repository, limits.maxFileBytes raised) is read through the blobs API', async () => {
    const big = `kind: NetworkPolicy\nmetadata: { name: big }\n# ${'x'.repeat(2 * 1024 * 1024)}\n`;
    const { probot, app } = await startApp();
    const repo = helloWorld();
    const NEXT = fakeSha('next-big');
    repo.commit(NEXT, { ...repo.files(HEAD), 'k8s/big.yaml': big });
    const config = 'limits:\n  maxFileBytes: 5000000\n';
    gh.createCheck().analysisReads(repo, ['k8s/web.yaml'], config).firstComment();
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    await app.whenIdle();
    gh.done();

    gh = new GitHubMock();
    const payload = webhookPayload('pull_request.synchronize');
    payload.pull_request.head.sha = NEXT;
    gh.createCheck(CHECK_ID + 1).config(config).prFiles(['k8s/big.yaml']).compare(BASE_TIP, NEXT).tree(repo, MERGE_BASE).tree(repo, NEXT);
    gh.blob(repo, blobSha(big)).pull(NEXT).firstComment(CHECK_ID + 1);
    await probot.receive({ id: '2', name: 'pull_request', payload });
    await app.whenIdle();
    gh.done();
    const head = app.runtime.domain.analyze as unknown as { calls: { head: { files: { path: string; text: string }[] } }[] };
    expect(head.calls[1]!.head.files.find((f) => f.path === 'k8s/big.yaml')?.text).toBe(big);
  });

  it('a file over limits.maxFileBytes: the rest is analysed, the check names the limit and concludes per onExceeded, the comment says so', async () => {
    const { probot, app } = await startApp();
    const repo = helloWorld();
    repo.commit(HEAD, { ...repo.files(HEAD), 'k8s/huge.yaml': `# ${'x'.repeat(3000)}\n` });
    gh.createCheck().config('limits:\n  maxFileBytes: 2000\n  onExceeded: neutral\n').prFiles(['k8s/web.yaml', 'k8s/huge.yaml']).compare();
    gh.tarball(repo, MERGE_BASE).tarball(repo, HEAD).pull().firstComment();
    // the fake domain fails on changes; neutral must not relax a failure, so make it succeed
    (app.runtime.domain as { analyze: unknown }).analyze = Object.assign(
      (p: { head: { files: unknown[] } }) => ({ hasChanges: true, comment: `analysed ${p.head.files.length} files`, check: { conclusion: 'success', title: '1 opened', summary: 's', annotations: [] }, json: {} }),
      { calls: [] },
    );
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    await app.whenIdle();
    gh.done();
    const [patch] = patches();
    expect(patch).toMatchObject({ conclusion: 'neutral', output: { title: 'Limit exceeded: limits.maxFileBytes (1 file not read); 1 opened' } });
    expect(patch.output.summary).toContain('- `k8s/huge.yaml @ ec26c3e`: larger than limits\\.maxFileBytes \\(3003 &gt; 2000 bytes\\)');
    const body: string = gh.body('POST', '/issues/2/comments').body;
    expect(body).toContain('analysed 2 files');
    expect(body).toContain('⚠️ 1 file was not read: larger than `limits.maxFileBytes` (2000 bytes); see the check run.');
  });

  it('our comment deleted by a user between listing and editing: a new one is created, once', async () => {
    const { probot, app } = await startApp();
    const repo = helloWorld();
    const ours = { id: 77, node_id: 'IC_77', body: `${COMMENT_MARKER}\nold`, user: { login: 'netpol-bot[bot]', type: 'Bot' }, performed_via_github_app: { id: APP.id, slug: APP.slug } };
    gh.createCheck().analysisReads(repo, ['k8s/web.yaml']).comments([ours]);
    gh.on('PATCH', `${R}/issues/comments/77`, [404, { message: 'Not Found' }]).createComment().updateCheck();
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    await app.whenIdle();
    gh.done();
    expect(posted()).toHaveLength(1);
    expect(patches()[0]).toMatchObject({ status: 'completed' });
  });

  it('GitHub refuses the full check output (422): the run is completed again with a minimal output, never left in progress', async () => {
    const { probot, app } = await startApp();
    const logs = captureLogs(app);
    const repo = helloWorld();
    gh.createCheck().analysisReads(repo, ['k8s/web.yaml']).comments([]).createComment();
    gh.on('PATCH', `${R}/check-runs/${CHECK_ID}`, [422, { message: 'Invalid request.\n\nFor \'properties/annotations\', ... is not valid.' }]).updateCheck();
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    await app.whenIdle();
    gh.done();
    expect(patches()).toHaveLength(2);
    expect(patches()[1]).toMatchObject({ status: 'completed', conclusion: 'failure', actions: [expect.objectContaining({ identifier: 'reanalyze' })] });
    expect(patches()[1].output.summary).toContain('GitHub API error 422');
    expect(patches()[1].output.annotations).toEqual([]);
    expect(logs.find((l) => l.level === 'error')?.obj).toMatchObject({ checkRunId: CHECK_ID, headSha: HEAD });
    expect(posted()).toHaveLength(1);
  });

  it('an API error whose message carries a token or a signed URL: redacted in the check run and in the log', async () => {
    const { probot, app } = await startApp();
    const logs = captureLogs(app);
    const token = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
    gh.createCheck().noConfig().prFiles(['k8s/web.yaml']).updateCheck();
    gh.on('GET', `${R}/compare/${BASE_TIP}...${HEAD}?per_page=1`, [
      500,
      { message: `upstream said: Authorization: token ${token} for https://codeload.github.com/o/r/legacy.tar.gz/x?token=AABBCCDDEEFF1122 and https://x-access-token:${token}@github.com/o/r.git` },
    ]);
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    await app.whenIdle();
    gh.done();
    const summary: string = patches()[0].output.summary;
    expect(summary).toContain('GitHub API error 500');
    expect(summary).toContain('[redacted');
    const everything = JSON.stringify(gh.calls) + JSON.stringify(logs);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain('AABBCCDDEEFF1122');
  });
});
