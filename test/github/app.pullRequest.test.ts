import { describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/github/comments.js';
import { ACTIONS } from '../../src/github/checkRun.js';
import {
  APP,
  BASE_TIP,
  CHECK_ID,
  GitHubMock,
  HEAD,
  MERGE_BASE,
  R,
  fakeDomain,
  helloWorld,
  startApp,
  webhookPayload,
  freshGitHubMockPerTest,
} from './helpers/githubMock.js';
import { fakeSha } from './helpers/fakeRepo.js';

const expectedBody = (content: string, base = MERGE_BASE, head = HEAD, extra: string[] = []) =>
  [
    COMMENT_MARKER,
    `<!-- netpol-bot:commits ${base}..${head} -->`,
    content,
    ...extra,
    '',
    `<sub>netpol-bot compared ${base} (merge base) with ${head} (head).</sub>`,
  ].join('\n');

const CHANGES = '### netpol: reachability changes\n\n- opened by `k8s/web.yaml`';

function ownComment(id: number, body: string) {
  return { id, node_id: `IC_${id}`, body, user: { login: 'netpol-bot[bot]', type: 'Bot' }, performed_via_github_app: { id: APP.id, slug: APP.slug } };
}

let gh: GitHubMock;
freshGitHubMockPerTest((mock) => (gh = mock));

describe('pull_request', () => {
  it('first run: check created in_progress, comment created, check completed (exact calls and bodies)', async () => {
    const { probot, app, domain } = await startApp();
    const repo = helloWorld();
    gh.createCheck().analysisReads(repo, ['README.md', 'k8s/web.yaml']).firstComment();

    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    // acknowledged at once: only the check run exists when the handler returns
    expect(gh.trace).toEqual([`POST ${R}/check-runs`]);
    await app.whenIdle();
    gh.done();

    expect(gh.trace).toEqual([
      `POST ${R}/check-runs`,
      `GET ${R}/contents/.github/netpol.yml`,
      `GET /repos/Codertocat/.github/contents/.github/netpol.yml`,
      `GET ${R}/pulls/2/files?per_page=100`,
      `GET ${R}/compare/${BASE_TIP}...${HEAD}?per_page=1`,
      `GET ${R}/tarball/${MERGE_BASE}`,
      `GET codeload:/Codertocat/Hello-World/legacy.tar.gz/${MERGE_BASE}`,
      `GET ${R}/tarball/${HEAD}`,
      `GET codeload:/Codertocat/Hello-World/legacy.tar.gz/${HEAD}`,
      `GET ${R}/pulls/2`,
      `GET ${R}/issues/2/comments?per_page=100`,
      `POST ${R}/issues/2/comments`,
      `PATCH ${R}/check-runs/${CHECK_ID}`,
    ]);
    expect(gh.body('POST', '/check-runs')).toEqual({
      name: 'netpol',
      head_sha: HEAD,
      status: 'in_progress',
      external_id: '2',
      started_at: expect.any(String),
      output: { title: 'Analysing reachability…', summary: expect.any(String) },
    });
    expect(gh.body('POST', '/issues/2/comments')).toEqual({ body: expectedBody(CHANGES) });
    expect(gh.body('PATCH', '/check-runs/')).toEqual({
      status: 'completed',
      conclusion: 'failure',
      completed_at: expect.any(String),
      output: { title: '1 opened', summary: 'Analysed 2 files.', annotations: [] },
      actions: [ACTIONS.reanalyze, ACTIONS.explain, ACTIONS.acknowledge],
    });
    // the analysis got the merge base and the head, manifests only, and the default config
    const call = domain.analyze.calls[0]!;
    expect(call.base.sha).toBe(MERGE_BASE);
    expect(call.head.sha).toBe(HEAD);
    expect(call.head.files.map((f) => f.path)).toEqual(['k8s/db.yaml', 'k8s/web.yaml']);
    expect(call.changedFiles).toEqual(['k8s/web.yaml']);
    expect(call.config.failOn).toEqual(['opened-from-outside-cluster']);
    expect(call.maxChars).toBeLessThan(60_000);
  });

  it('update run on a warm cache: trees + changed blobs only, comment PATCHed in place', async () => {
    const { probot, app } = await startApp();
    const repo = helloWorld();
    const NEXT = fakeSha('next-head');
    repo.commit(NEXT, { ...repo.files(HEAD), 'k8s/db.yaml': 'kind: NetworkPolicy\nmetadata: { name: db }\nspec: {}\n' });
    // first run (cold)
    gh.createCheck().analysisReads(repo, ['k8s/web.yaml']).firstComment();
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    await app.whenIdle();
    gh.done();
    const firstBody = gh.body('POST', '/issues/2/comments').body as string;

    // synchronize to NEXT
    const gh2 = new GitHubMock();
    const { blobSha } = await import('./helpers/fakeRepo.js');
    gh2
      .createCheck(4002)
      .noConfig()
      .prFiles(['k8s/web.yaml', 'k8s/db.yaml'])
      .compare(BASE_TIP, NEXT)
      .tree(repo, MERGE_BASE)
      .tree(repo, NEXT)
      .blob(repo, blobSha(repo.files(NEXT)['k8s/db.yaml']!))
      .pull(NEXT)
      .comments([ownComment(555, firstBody)])
      .updateComment(555)
      .updateCheck(4002);
    const sync = webhookPayload('pull_request.synchronize');
    sync.pull_request.head.sha = NEXT;
    sync.after = NEXT;
    await probot.receive({ id: '2', name: 'pull_request', payload: sync });
    await app.whenIdle();
    gh2.done();
    const fetchCalls = gh2.trace.filter((t) => /git\/(trees|blobs)|tarball|codeload/.test(t));
    expect(fetchCalls).toHaveLength(2 + 1);
    expect(gh2.body('PATCH', '/issues/comments/555')).toEqual({
      body: expectedBody('### netpol: reachability changes\n\n- opened by `k8s/db.yaml`\n- opened by `k8s/web.yaml`', MERGE_BASE, NEXT),
    });
    expect(gh2.trace.some((t) => t.startsWith('POST') && t.includes('/comments'))).toBe(false);
  });

  it('unchanged re-run: the comment is not PATCHed (normalised comparison)', async () => {
    const { probot, app } = await startApp();
    const repo = helloWorld();
    // GitHub hands the body back with CRLF and trailing spaces
    const existing = expectedBody(CHANGES).replace(/\n/g, '  \r\n');
    gh.createCheck().analysisReads(repo, ['k8s/web.yaml']).comments([ownComment(555, existing)]).updateCheck();
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.synchronize') });
    await app.whenIdle();
    gh.done();
    expect(gh.trace.filter((t) => t.includes('/issues/comments') || t.startsWith('POST') && t.includes('/issues/'))).toEqual([]);
  });

  it('no manifest changes: check success "No manifest changes", no comment created, an existing one updated', async () => {
    const { probot, app } = await startApp();
    gh.createCheck().noConfig().prFiles(['README.md', 'src/main.go']).compare().pull().comments([]).updateCheck();
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    await app.whenIdle();
    gh.done();
    expect(gh.trace.some((t) => t.includes('tarball') || t.includes('/issues/2/comments') && t.startsWith('POST'))).toBe(false);
    expect(gh.body('PATCH', '/check-runs/')).toMatchObject({
      status: 'completed',
      conclusion: 'success',
      output: { title: 'No manifest changes' },
      actions: [ACTIONS.reanalyze],
    });

    // with an existing comment from an earlier push: edited to say so
    const gh2 = new GitHubMock();
    gh2.createCheck().noConfig().prFiles(['README.md']).compare().pull().comments([ownComment(555, expectedBody(CHANGES))]).updateComment(555).updateCheck();
    await probot.receive({ id: '2', name: 'pull_request', payload: webhookPayload('pull_request.synchronize') });
    await app.whenIdle();
    gh2.done();
    expect(gh2.body('PATCH', '/issues/comments/555')).toEqual({
      body: expectedBody(`No manifest changes as of ${HEAD}.`),
    });
  });

  it('a later push that removes all reachability changes edits the comment to "No reachability changes as of <sha>"', async () => {
    const { probot, app } = await startApp();
    const repo = helloWorld();
    repo.commit(HEAD, repo.files(MERGE_BASE)); // head == base content
    gh.createCheck().analysisReads(repo, ['k8s/web.yaml']).comments([ownComment(555, expectedBody(CHANGES))]).updateComment(555).updateCheck();
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.synchronize') });
    await app.whenIdle();
    gh.done();
    expect(gh.body('PATCH', '/issues/comments/555')).toEqual({ body: expectedBody(`No reachability changes as of ${HEAD}.`) });
    expect(gh.body('PATCH', '/check-runs/')).toMatchObject({ conclusion: 'success', output: { title: 'No changes' } });
  });

  it('no changes and no earlier comment: nothing is posted (commentWhen: changes)', async () => {
    const { probot, app } = await startApp();
    const repo = helloWorld();
    repo.commit(HEAD, repo.files(MERGE_BASE));
    gh.createCheck().analysisReads(repo, ['k8s/web.yaml']).comments([]).updateCheck();
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    await app.whenIdle();
    gh.done();
  });

  it('config error: the check fails with the exact error, nothing is fetched, nothing crashes', async () => {
    const { probot, app, domain } = await startApp();
    gh.createCheck().config('comment: sometimes\nfailOn:\n  - openedTo: { podSelector: { matchLabel: { a: b } } }\n').updateCheck();
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    await app.whenIdle();
    gh.done();
    expect(domain.analyze.calls).toHaveLength(0);
    const patch = gh.body('PATCH', '/check-runs/');
    expect(patch).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: 'Invalid .github/netpol.yml' } });
    expect(patch.output.summary).toContain(
      `comment: expected one of 'update', 'hide-and-new', 'delete-and-new', 'new', 'off', got "sometimes"; failOn[0].openedTo.podSelector: unknown key "matchLabel"`,
    );
  });

  it('config that is not YAML: the check fails with the parser error', async () => {
    const { probot, app } = await startApp();
    gh.createCheck().config('paths: [unclosed\n').updateCheck();
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    await app.whenIdle();
    gh.done();
    const patch = gh.body('PATCH', '/check-runs/');
    expect(patch).toMatchObject({ conclusion: 'failure', output: { title: 'Invalid .github/netpol.yml' } });
    expect(patch.output.summary).toContain('invalid YAML');
  });

  it('config from the default branch is applied (paths, ignore, defaultNamespace)', async () => {
    const { probot, app, domain } = await startApp();
    const repo = helloWorld();
    gh.createCheck().analysisReads(repo, ['k8s/web.yaml'], 'paths: ["k8s/**"]\nignore: ["k8s/db.yaml"]\ndefaultNamespace: apps\n').firstComment();
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    await app.whenIdle();
    gh.done();
    expect(domain.analyze.calls[0]!.head.files.map((f) => f.path)).toEqual(['k8s/web.yaml']);
    expect(domain.analyze.calls[0]!.config.defaultNamespace).toBe('apps');
    // the config is read without a ref: the default branch
    expect(gh.trace[1]).toBe(`GET ${R}/contents/.github/netpol.yml`);
  });

  it('fork PR: everything is read from the base repository by sha', async () => {
    const { probot, app } = await startApp();
    const repo = helloWorld();
    gh.createCheck().analysisReads(repo, ['k8s/web.yaml']).firstComment();
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened.fork') });
    await app.whenIdle();
    gh.done();
    expect(gh.trace.every((t) => t.includes(R) || t.includes('Codertocat/.github') || t.startsWith('GET codeload:/Codertocat/Hello-World'))).toBe(true);
    expect(gh.body('POST', '/check-runs')).toMatchObject({ head_sha: HEAD, external_id: '2' });
  });

  it('base branch changed (edited with changes.base): re-analysed against the new merge base; other edits ignored', async () => {
    const { probot, app } = await startApp();
    const repo = helloWorld();
    const NEW_BASE_TIP = fakeSha('develop-tip');
    const NEW_MB = fakeSha('develop-mb');
    repo.commit(NEW_MB, repo.files(MERGE_BASE));
    const payload = webhookPayload('pull_request.edited.base');
    payload.pull_request.base.sha = NEW_BASE_TIP;
    payload.pull_request.base.ref = 'develop';
    gh.createCheck().noConfig().prFiles(['k8s/web.yaml']).compare(NEW_BASE_TIP, HEAD, NEW_MB).tarball(repo, NEW_MB).tarball(repo, HEAD).pull(HEAD, 2, NEW_BASE_TIP).firstComment();
    await probot.receive({ id: '1', name: 'pull_request', payload });
    await app.whenIdle();
    gh.done();
    expect(gh.body('POST', '/issues/2/comments').body).toContain(`<!-- netpol-bot:commits ${NEW_MB}..${HEAD} -->`);

    const before = gh.calls.length;
    await probot.receive({ id: '2', name: 'pull_request', payload: webhookPayload('pull_request.edited.title') });
    await app.whenIdle();
    expect(gh.calls.length).toBe(before);
  });

  it('stale head: an older run writes no comment and completes its check as superseded', async () => {
    const { probot, app } = await startApp();
    const repo = helloWorld();
    gh.createCheck().noConfig().prFiles(['k8s/web.yaml']).compare().tarball(repo, MERGE_BASE).tarball(repo, HEAD).pull(fakeSha('newer')).updateCheck();
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    await app.whenIdle();
    gh.done();
    expect(gh.trace.some((t) => t.includes('/comments'))).toBe(false);
    expect(gh.body('PATCH', '/check-runs/')).toMatchObject({
      status: 'completed',
      conclusion: 'neutral',
      output: { title: 'Superseded by a newer commit' },
    });
  });

  it('concurrent deliveries for the same PR produce one comment; a queued older head is superseded', async () => {
    const { probot, app } = await startApp();
    const repo = helloWorld();
    const H2 = fakeSha('h2');
    const H3 = fakeSha('h3');
    repo.commit(H2, repo.files(HEAD));
    repo.commit(H3, { ...repo.files(HEAD), 'k8s/db.yaml': 'changed: true\n' });
    const { blobSha } = await import('./helpers/fakeRepo.js');
    // 3 deliveries at once: HEAD runs, H2 waits and is superseded by H3.
    gh.createCheck(1).createCheck(2).createCheck(3);
    gh.noConfig().prFiles(['k8s/web.yaml']).compare().tarball(repo, MERGE_BASE).tarball(repo, HEAD).pull(H3);
    gh.updateCheck(1); // HEAD: stale (H3 is the head) -> superseded, no comment
    gh.updateCheck(2); // H2: superseded while queued
    gh.noConfig().prFiles(['k8s/web.yaml', 'k8s/db.yaml']).compare(BASE_TIP, H3).tree(repo, MERGE_BASE).tree(repo, H3);
    gh.blob(repo, blobSha('changed: true\n')).pull(H3).firstComment(3);
    const p1 = webhookPayload('pull_request.opened');
    const p2 = webhookPayload('pull_request.synchronize');
    p2.pull_request.head.sha = H2;
    const p3 = webhookPayload('pull_request.synchronize');
    p3.pull_request.head.sha = H3;
    await Promise.all([
      probot.receive({ id: '1', name: 'pull_request', payload: p1 }),
      probot.receive({ id: '2', name: 'pull_request', payload: p2 }),
      probot.receive({ id: '3', name: 'pull_request', payload: p3 }),
    ]);
    await app.whenIdle();
    gh.done();
    expect(gh.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/issues/2/comments'))).toHaveLength(1);
    expect(gh.body('PATCH', '/check-runs/2')).toMatchObject({ conclusion: 'neutral', output: { title: 'Superseded' } });
    expect(gh.body('PATCH', '/check-runs/1')).toMatchObject({ conclusion: 'neutral', output: { title: 'Superseded by a newer commit' } });
    expect(gh.body('PATCH', '/check-runs/3')).toMatchObject({ conclusion: 'failure' });
  });

  it('API 5xx on one call: the check is still completed, with the error', async () => {
    const { probot, app } = await startApp();
    gh.createCheck().noConfig().prFiles(['k8s/web.yaml']).on('GET', `${R}/compare/${BASE_TIP}...${HEAD}?per_page=1`, [502, { message: 'Server Error' }]).updateCheck();
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    await app.whenIdle();
    gh.done();
    const patch = gh.body('PATCH', '/check-runs/');
    expect(patch).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: 'Analysis failed' }, actions: [ACTIONS.reanalyze] });
    expect(patch.output.summary).toContain('GitHub API error 502');
  });

  it('an analysis that throws: the check is completed with the error message', async () => {
    const domain = fakeDomain();
    const { probot, app } = await startApp({
      ...domain,
      analyze: Object.assign(() => {
        throw new Error('analyzePullRequest: not implemented yet');
      }, { calls: [] }),
    });
    const repo = helloWorld();
    gh.createCheck().noConfig().prFiles(['k8s/web.yaml']).compare().tarball(repo, MERGE_BASE).tarball(repo, HEAD).updateCheck();
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    await app.whenIdle();
    gh.done();
    expect(gh.body('PATCH', '/check-runs/').output.summary).toContain('analyzePullRequest: not implemented yet');
  });

  it('closed PRs and other actions are ignored', async () => {
    const { probot, app } = await startApp();
    const closed = webhookPayload('pull_request.opened');
    closed.pull_request.state = 'closed';
    await probot.receive({ id: '1', name: 'pull_request', payload: closed });
    await app.whenIdle();
    expect(gh.calls).toEqual([]);
  });
});

describe('path selection', () => {
  it('default paths skip hidden folders (CI workflows) unless a glob names them', async () => {
    const { NetpolRuntime } = await import('../../src/github/runtime.js');
    const { defaultConfig, parseConfig } = await import('../../src/config/schema.js');
    const d = fakeDomain();
    const rt = new NetpolRuntime(d);
    const accept = rt.matcher(defaultConfig());
    expect(['a.yaml', 'k8s/b.yml', 'c/d.json', '.github/workflows/ci.yml', 'README.md'].filter(accept)).toEqual(['a.yaml', 'k8s/b.yml', 'c/d.json']);
    const explicit = parseConfig({ paths: ['.deploy/**/*.yaml'], ignore: ['**/.tmp/**'] });
    if (!explicit.ok) throw new Error(explicit.error);
    const accept2 = rt.matcher(explicit.config);
    expect(['.deploy/x.yaml', '.deploy/.tmp/y.yaml', 'k8s/b.yaml'].filter(accept2)).toEqual(['.deploy/x.yaml']);
  });
});
