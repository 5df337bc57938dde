// End to end through the real domain: the app exactly as src/index.ts wires it (analyzePullRequest,
// src/explain, src/render), with real manifests, against nock.
import { describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/github/comments.js';
import { DENY, NS, OPEN, WEB } from '../helpers/shopManifests.js';
import { FakeRepo } from './helpers/fakeRepo.js';
import { realApp } from './helpers/realApp.js';
import { GitHubMock, HEAD, MERGE_BASE, OWNER, R, REPO, webhookPayload, freshGitHubMockPerTest } from './helpers/githubMock.js';

function repo(): FakeRepo {
  const r = new FakeRepo(OWNER, REPO);
  r.commit(MERGE_BASE, { 'k8s/ns.yaml': NS, 'k8s/web.yaml': WEB, 'k8s/deny.yaml': DENY, 'README.md': 'x\n' });
  r.commit(HEAD, { 'k8s/ns.yaml': NS, 'k8s/web.yaml': WEB, 'k8s/deny.yaml': DENY, 'k8s/allow-world.yaml': OPEN, 'README.md': 'x\n' });
  return r;
}

let gh: GitHubMock;
freshGitHubMockPerTest((mock) => (gh = mock));

describe('real analysis (src/index.ts wiring)', () => {
  it('a PR opening a workload to the internet: comment posted, check fails on the default failOn', async () => {
    const { probot, app } = await realApp();
    const r = repo();
    gh.createCheck().analysisReads(r, ['k8s/allow-world.yaml']).firstComment();
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    await app.whenIdle();
    gh.done();
    const body: string = gh.body('POST', '/issues/2/comments').body;
    expect(body.startsWith(`${COMMENT_MARKER}\n<!-- netpol-bot:commits ${MERGE_BASE}..${HEAD} -->\n`)).toBe(true);
    expect(body).toMatch(/shop\/web/);
    expect(body.length).toBeLessThan(60_000);
    const check = gh.body('PATCH', '/check-runs/');
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(check.output.title).toMatch(/opened/);
    expect(check.output.annotations.some((a: { path: string }) => a.path === 'k8s/allow-world.yaml')).toBe(true);
  });

  it('/netpol explain and /netpol matrix answer from src/explain and src/render', async () => {
    const { probot, app } = await realApp();
    const r = repo();
    const payload = webhookPayload('issue_comment.created.pr');
    payload.comment.body = '/netpol explain 0.0.0.0/0 shop/web:8080';
    gh.reaction(payload.comment.id).permission('Codertocat', 'write').pull().noConfig().compare().tarball(r, MERGE_BASE).tarball(r, HEAD).createComment().reaction(payload.comment.id);
    await probot.receive({ id: '1', name: 'issue_comment', payload });
    await app.whenIdle();
    gh.done();
    const reply: string = gh.body('POST', '/issues/2/comments').body;
    expect(reply.startsWith(`**Explain** \`0.0.0.0/0\` → \`shop/web:8080\` at ${HEAD}\n\n**At the head commit:**\n\n`)).toBe(true);
    expect(reply).toContain('**allowed**');
    // Denied at the merge base: the answer shows that chain too.
    expect(reply).toContain('**At the merge base** (the verdict was different):\n\n**denied**');
    expect(reply).toContain('`k8s/allow-world.yaml:6`'); // the line of the ingress rule in OPEN
    expect(gh.calls.filter((c) => c.path.endsWith('/reactions')).map((c: any) => c.body.content)).toEqual(['eyes', 'rocket']);

    const gh2 = new GitHubMock();
    const p2 = webhookPayload('issue_comment.created.pr');
    p2.comment.body = '/netpol explain shop/nope shop/web';
    gh2.reaction(p2.comment.id).permission('Codertocat', 'write').pull().noConfig().compare().tree(r, MERGE_BASE).tree(r, HEAD).createComment().reaction(p2.comment.id);
    await probot.receive({ id: '2', name: 'issue_comment', payload: p2 });
    await app.whenIdle();
    gh2.done();
    expect(gh2.calls.filter((c) => c.path.endsWith('/reactions')).map((c: any) => c.body.content)).toEqual(['eyes', 'confused']);

    const gh3 = new GitHubMock();
    const p3 = webhookPayload('issue_comment.created.pr');
    p3.comment.body = '/netpol matrix shop';
    gh3.reaction(p3.comment.id).permission('Codertocat', 'write').pull().noConfig().tree(r, HEAD).createComment().reaction(p3.comment.id);
    await probot.receive({ id: '3', name: 'issue_comment', payload: p3 });
    await app.whenIdle();
    gh3.done();
    expect(gh3.body('POST', '/issues/2/comments').body).toMatch(/shop\/web/);
  });

  it('the Explain button explains the riskiest changed connection at head and at the merge base', async () => {
    const { probot, app } = await realApp();
    const r = repo();
    const payload = webhookPayload('check_run.requested_action');
    payload.requested_action.identifier = 'explain';
    payload.check_run.id = 4001;
    gh.on('GET', `${R}/check-runs/4001`, [200, { id: 4001, head_sha: HEAD, output: { title: 't', summary: 's' } }]);
    gh.pull().noConfig().compare().tarball(r, MERGE_BASE).tarball(r, HEAD).updateCheck();
    await probot.receive({ id: '1', name: 'check_run', payload });
    await app.whenIdle();
    gh.done();
    const text: string = gh.body('PATCH', '/check-runs/').output.text;
    expect(text).toContain('### 0\\.0\\.0\\.0/0 \\-&gt; shop/web on 8080/TCP: now allowed');
    expect(text).toContain('**Now:**\n\n**allowed**: 0\\.0\\.0\\.0/0 \\-&gt; shop/web\\[Deployment\\], TCP 8080');
    expect(text).toContain('**Before (merge base):**\n\n**denied**');
  });
});
