import { describe, expect, it } from 'vitest';
import { USAGE } from '../../src/github/parseCommand.js';
import { ACTIONS } from '../../src/github/checkRun.js';
import { APP, BASE_TIP, CHECK_ID, GitHubMock, HEAD, MERGE_BASE, R, fakeDomain, helloWorld, startApp, webhookPayload, freshGitHubMockPerTest } from './helpers/githubMock.js';
import { fakeSha } from './helpers/fakeRepo.js';

const COMMENT_ID = 492700400;
const USER = 'Codertocat';

function commandPayload(body: string): any {
  const p = webhookPayload('issue_comment.created.pr');
  p.comment.body = body;
  return p;
}

let gh: GitHubMock;
freshGitHubMockPerTest((mock) => (gh = mock));

const reactions = () => gh.calls.filter((c) => c.path.endsWith('/reactions')).map((c) => (c.body as { content: string }).content);
const replies = () => gh.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/issues/2/comments')).map((c) => (c.body as { body: string }).body);

describe('issue_comment commands', () => {
  it('/netpol help: 👀, permission check, usage reply, 🚀', async () => {
    const { probot, app } = await startApp();
    gh.reaction(COMMENT_ID).permission(USER, 'write').createComment().reaction(COMMENT_ID);
    await probot.receive({ id: '1', name: 'issue_comment', payload: commandPayload('/netpol help') });
    await app.whenIdle();
    gh.done();
    expect(gh.trace).toEqual([
      `POST ${R}/issues/comments/${COMMENT_ID}/reactions`,
      `GET ${R}/collaborators/${USER}/permission`,
      `POST ${R}/issues/2/comments`,
      `POST ${R}/issues/comments/${COMMENT_ID}/reactions`,
    ]);
    expect(reactions()).toEqual(['eyes', 'rocket']);
    expect(replies()).toEqual([USAGE]);
  });

  it('permission refusal: a read-only user gets a short refusal and 😕, nothing runs', async () => {
    const { probot, app, domain } = await startApp();
    gh.reaction(COMMENT_ID).permission(USER, 'read').createComment().reaction(COMMENT_ID);
    await probot.receive({ id: '1', name: 'issue_comment', payload: commandPayload('/netpol diff') });
    await app.whenIdle();
    gh.done();
    expect(reactions()).toEqual(['eyes', 'confused']);
    expect(replies()).toEqual(['Sorry, only collaborators with write access can run `/netpol` commands.']);
    expect(domain.analyze.calls).toHaveLength(0);
  });

  it('a non-collaborator (404) is refused too; maintain role is accepted', async () => {
    const { probot, app } = await startApp();
    gh.reaction(COMMENT_ID).on('GET', `${R}/collaborators/${USER}/permission`, [404, { message: 'Not Found' }]).createComment().reaction(COMMENT_ID);
    await probot.receive({ id: '1', name: 'issue_comment', payload: commandPayload('/netpol help') });
    await app.whenIdle();
    gh.done();
    expect(reactions()).toEqual(['eyes', 'confused']);

    const gh2 = new GitHubMock();
    gh2.reaction(COMMENT_ID).permission(USER, 'read', 'maintain').createComment().reaction(COMMENT_ID);
    await probot.receive({ id: '2', name: 'issue_comment', payload: commandPayload('/netpol help') });
    await app.whenIdle();
    gh2.done();
    expect(gh2.calls.filter((c) => c.path.endsWith('/reactions')).map((c: any) => c.body.content)).toEqual(['eyes', 'rocket']);
  });

  it('unknown or malformed command: usage text and 😕', async () => {
    const { probot, app } = await startApp();
    gh.reaction(COMMENT_ID).permission(USER, 'admin').createComment().reaction(COMMENT_ID);
    await probot.receive({ id: '1', name: 'issue_comment', payload: commandPayload('/netpol explain `x` a/b') });
    await app.whenIdle();
    gh.done();
    expect(reactions()).toEqual(['eyes', 'confused']);
    expect(replies()).toEqual([`I did not understand that: the source has unexpected characters.\n\n${USAGE}`]);
  });

  it('/netpol diff: re-runs the analysis (new check run) and reacts 🚀', async () => {
    const { probot, app, domain } = await startApp();
    const repo = helloWorld();
    gh.reaction(COMMENT_ID).permission(USER, 'write').pull().createCheck().reaction(COMMENT_ID);
    gh.analysisReads(repo, ['k8s/web.yaml']).firstComment();
    await probot.receive({ id: '1', name: 'issue_comment', payload: commandPayload('/netpol diff') });
    await app.whenIdle();
    gh.done();
    expect(reactions()).toEqual(['eyes', 'rocket']);
    expect(domain.analyze.calls).toHaveLength(1);
    expect(gh.body('POST', '/check-runs')).toMatchObject({ head_sha: HEAD, external_id: '2', status: 'in_progress' });
  });

  it('/netpol explain <src> -> <dst>:port/proto: answers from the injected explain at the head commit', async () => {
    const { probot, app, domain } = await startApp();
    const repo = helloWorld();
    gh.reaction(COMMENT_ID).permission(USER, 'write').pull().noConfig().compare().tarball(repo, MERGE_BASE).tarball(repo, HEAD).createComment().reaction(COMMENT_ID);
    await probot.receive({ id: '1', name: 'issue_comment', payload: commandPayload('/netpol explain web/frontend -> api/backend:8080/udp') });
    await app.whenIdle();
    gh.done();
    expect(domain.explain.calls[0]!.query).toEqual({ kind: 'connection', src: 'web/frontend', dst: 'api/backend', port: 8080, protocol: 'UDP' });
    expect(domain.explain.calls[0]!.head).toMatchObject({ sha: HEAD });
    expect(domain.explain.calls[0]!.base).toMatchObject({ sha: MERGE_BASE });
    expect(replies()).toEqual([
      `**Explain** \`web/frontend\` → \`api/backend:8080/UDP\` at ${HEAD}\n\nEXPLAIN ${JSON.stringify(domain.explain.calls[0]!.query)} over 2 files`,
    ]);
    expect(reactions()).toEqual(['eyes', 'rocket']);
  });

  it('/netpol explain: a domain error is echoed escaped, with 😕', async () => {
    const { probot, app } = await startApp();
    const repo = helloWorld();
    gh.reaction(COMMENT_ID).permission(USER, 'write').pull().noConfig().compare().tarball(repo, MERGE_BASE).tarball(repo, HEAD).createComment().reaction(COMMENT_ID);
    await probot.receive({ id: '1', name: 'issue_comment', payload: commandPayload('/netpol explain missing/app api/backend') });
    await app.whenIdle();
    gh.done();
    expect(replies()[0]).toBe('**Explain** `missing/app` → `api/backend`: could not answer.\n\n```text\nno workload `missing/app` @here\n```');
    expect(reactions()).toEqual(['eyes', 'confused']);
  });

  it('/netpol explain policy <ns/name>', async () => {
    const { probot, app, domain } = await startApp();
    const repo = helloWorld();
    gh.reaction(COMMENT_ID).permission(USER, 'write').pull().noConfig().tarball(repo, HEAD).createComment().reaction(COMMENT_ID);
    await probot.receive({ id: '1', name: 'issue_comment', payload: commandPayload('/netpol explain policy prod/deny-all') });
    await app.whenIdle();
    gh.done();
    expect(domain.explain.calls[0]!.query).toEqual({ kind: 'policy', policy: 'prod/deny-all' });
    expect(replies()[0]).toMatch(/^\*\*Explain policy\*\* `prod\/deny-all` at [0-9a-f]{40}\n\nEXPLAIN/);
  });

  it('/netpol matrix [namespace]', async () => {
    const { probot, app, domain } = await startApp();
    const repo = helloWorld();
    gh.reaction(COMMENT_ID).permission(USER, 'write').pull().noConfig().tarball(repo, HEAD).createComment().reaction(COMMENT_ID);
    await probot.receive({ id: '1', name: 'issue_comment', payload: commandPayload('/netpol matrix payments') });
    await app.whenIdle();
    gh.done();
    expect(domain.matrix.calls[0]).toMatchObject({ namespace: 'payments', head: { sha: HEAD } });
    expect(replies()).toEqual([`**Reachability matrix** of namespace \`payments\` at ${HEAD}\n\nMATRIX payments over 2 files`]);

    // second command on a warm cache: one tree, no blob
    const gh2 = new GitHubMock();
    gh2.reaction(COMMENT_ID).permission(USER, 'write').pull().noConfig().tree(repo, HEAD).createComment().reaction(COMMENT_ID);
    await probot.receive({ id: '2', name: 'issue_comment', payload: commandPayload('/netpol matrix') });
    await app.whenIdle();
    gh2.done();
    expect(domain.matrix.calls[1]!.namespace).toBeUndefined();
  });

  it('rate limit: the 11th command within a minute on a PR only gets 👀 and 😕', async () => {
    const { probot, app } = await startApp(fakeDomain(), { commandsPerMinute: 10, now: () => 1_000 });
    gh.reaction(COMMENT_ID, 22).permission(USER, 'write').on('GET', `${R}/collaborators/${USER}/permission`, [200, { permission: 'write' }], 10).createComment(2, 9001);
    gh.on('POST', `${R}/issues/2/comments`, [201, { id: 1 }], 9);
    for (let i = 0; i < 11; i++) {
      await probot.receive({ id: String(i), name: 'issue_comment', payload: commandPayload('/netpol help') });
    }
    await app.whenIdle();
    gh.done();
    expect(replies()).toHaveLength(10);
    expect(reactions().slice(-2)).toEqual(['eyes', 'confused']);
  });

  it('ignores bots, plain issues, non-commands', async () => {
    const { probot, app } = await startApp();
    const bot = commandPayload('/netpol diff');
    bot.sender.type = 'Bot';
    await probot.receive({ id: '1', name: 'issue_comment', payload: bot });
    const issue = webhookPayload('issue_comment.created.issue');
    issue.comment.body = '/netpol diff';
    await probot.receive({ id: '2', name: 'issue_comment', payload: issue });
    await probot.receive({ id: '3', name: 'issue_comment', payload: commandPayload('thanks! /netpol diff later') });
    await app.whenIdle();
    expect(gh.calls).toEqual([]);
    expect(gh.unmatched).toEqual([]);
  });
});

describe('check_run events', () => {
  function actionPayload(identifier: string, sender = USER): any {
    const p = webhookPayload('check_run.requested_action');
    p.requested_action.identifier = identifier;
    p.check_run.id = CHECK_ID;
    p.sender.login = sender;
    return p;
  }
  const RUN_ID = 4002;

  // Both start over: the pull request read for its head, a new check run there, the whole analysis again.
  it.each([
    ['rerequested: a new check run on the PR head (PR number from external_id), analysed again', () => webhookPayload('check_run.rerequested')],
    ['requested_action "reanalyze": a new check run and analysis', () => actionPayload('reanalyze')],
  ])('%s', async (_name, payload) => {
    const { probot, app } = await startApp();
    const repo = helloWorld();
    gh.pull().createCheck(RUN_ID);
    gh.analysisReads(repo, ['k8s/web.yaml']).firstComment(RUN_ID);
    await probot.receive({ id: '1', name: 'check_run', payload: payload() });
    await app.whenIdle();
    gh.done();
    expect(gh.trace.slice(0, 2)).toEqual([`GET ${R}/pulls/2`, `POST ${R}/check-runs`]);
  });

  it('check runs of other apps or names are ignored', async () => {
    const { probot, app } = await startApp(fakeDomain(), { identity: { id: APP.id } });
    const other = webhookPayload('check_run.rerequested');
    other.check_run.app.id = 1;
    await probot.receive({ id: '1', name: 'check_run', payload: other });
    const named = webhookPayload('check_run.rerequested');
    named.check_run.name = 'lint';
    await probot.receive({ id: '2', name: 'check_run', payload: named });
    await app.whenIdle();
    expect(gh.calls).toEqual([]);
  });

  it('requested_action "explain": the explanation of the changes goes to the check run text', async () => {
    const { probot, app, domain } = await startApp();
    const repo = helloWorld();
    gh.on('GET', `${R}/check-runs/${CHECK_ID}`, [200, { id: CHECK_ID, head_sha: HEAD, output: { title: '1 opened', summary: 'S' } }]);
    gh.pull().noConfig().compare().tarball(repo, MERGE_BASE).tarball(repo, HEAD).updateCheck();
    await probot.receive({ id: '1', name: 'check_run', payload: actionPayload('explain') });
    await app.whenIdle();
    gh.done();
    expect(domain.explain.calls[0]).toMatchObject({ query: { kind: 'changes' }, base: { sha: MERGE_BASE }, head: { sha: HEAD } });
    expect(gh.body('PATCH', '/check-runs/')).toEqual({
      output: { title: '1 opened', summary: 'S', text: `## Explanation\n\nEXPLAIN {"kind":"changes"} over 2 files` },
    });
  });

  it('requested_action "acknowledge" by a writer: check turns success for this head, the comment records who', async () => {
    const { probot, app } = await startApp();
    const repo = helloWorld();
    gh.permission(USER, 'write').pull();
    gh.analysisReads(repo, ['k8s/web.yaml']).firstComment();
    await probot.receive({ id: '1', name: 'check_run', payload: actionPayload('acknowledge') });
    await app.whenIdle();
    gh.done();
    // the clicked run is updated (no new run)
    expect(gh.trace.some((t) => t === `POST ${R}/check-runs`)).toBe(false);
    const patch = gh.body('PATCH', '/check-runs/');
    expect(patch).toMatchObject({ conclusion: 'success', output: { title: `Acknowledged by ${USER}: 1 opened` } });
    expect(patch.actions).toEqual([ACTIONS.reanalyze, ACTIONS.explain]);
    expect(gh.body('POST', '/issues/2/comments').body).toContain(`✅ Acknowledged by \`${USER}\` for ${HEAD}.`);

    // a new push asks again
    const NEXT = fakeSha('after-ack');
    repo.commit(NEXT, { ...repo.files(HEAD), 'k8s/db.yaml': 'x: 1\n' });
    const { blobSha } = await import('./helpers/fakeRepo.js');
    const gh2 = new GitHubMock();
    gh2.createCheck(RUN_ID).noConfig().prFiles(['k8s/web.yaml']).compare(BASE_TIP, NEXT).tree(repo, MERGE_BASE).tree(repo, NEXT).blob(repo, blobSha('x: 1\n'));
    gh2.pull(NEXT).firstComment(RUN_ID);
    const sync = webhookPayload('pull_request.synchronize');
    sync.pull_request.head.sha = NEXT;
    await probot.receive({ id: '2', name: 'pull_request', payload: sync });
    await app.whenIdle();
    gh2.done();
    expect(gh2.body('PATCH', '/check-runs/')).toMatchObject({ conclusion: 'failure' });
    expect(gh2.body('PATCH', '/check-runs/').actions).toContainEqual(ACTIONS.acknowledge);
  });

  it('requested_action "acknowledge" by a read-only user: refused, nothing stored', async () => {
    const { probot, app } = await startApp();
    gh.permission('mallory', 'read').createComment();
    await probot.receive({ id: '1', name: 'check_run', payload: actionPayload('acknowledge', 'mallory') });
    await app.whenIdle();
    gh.done();
    expect(replies()).toEqual(['Only collaborators with write access can acknowledge the `netpol` check; `mallory` cannot.']);
    expect(app.runtime.acks.get('Codertocat', 'Hello-World', 2, HEAD)).toBeUndefined();
  });

  it('button definitions respect GitHub limits', () => {
    for (const a of Object.values(ACTIONS)) {
      expect(a.label.length).toBeLessThanOrEqual(20);
      expect(a.description.length).toBeLessThanOrEqual(40);
      expect(a.identifier.length).toBeLessThanOrEqual(20);
    }
  });
});

describe('health routes', () => {
  async function call(handlers: ((req: any, res: any) => unknown)[], url: string) {
    let status = 0;
    let body = '';
    const res = {
      writeHead(s: number) {
        status = s;
        return res;
      },
      end(b: string) {
        body = b;
        return res;
      },
    };
    for (const h of handlers) if (await h({ method: 'GET', url }, res)) return { status, body: JSON.parse(body) };
    return undefined;
  }
  it('/healthz and /readyz answer; other paths fall through', async () => {
    const { handlers } = await startApp();
    expect(await call(handlers, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await call(handlers, '/readyz?x=1')).toMatchObject({ status: 200, body: { status: 'ready', queue: { running: 0, waiting: 0 } } });
    expect(await call(handlers, '/other')).toBeUndefined();
  });
});
