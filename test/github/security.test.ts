// Security through the real app (src/index.ts wiring, real analysis and rendering) against nock:
// - strings from manifests that reach the output (file paths, label keys quoted in errors) are inert in the
//   comment and the check run: no HTML, no mentions, no links, no second marker outside code;
// - `.github/netpol.yml` changed by the pull request has no effect (read from the default branch only);
// - command arguments never reach the output unescaped;
// - a user comment carrying the marker is never taken for the app's.
// Webhook signatures over HTTP are tested in e2e.test.ts; rate limits and permissions in app.commands.test.ts.
import { describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/github/comments.js';
import { DENY, NS, OPEN, WEB } from '../helpers/shopManifests.js';
import { FakeRepo } from './helpers/fakeRepo.js';
import { realApp } from './helpers/realApp.js';
import { GitHubMock, HEAD, MERGE_BASE, OWNER, REPO, fakeDomain, startApp, webhookPayload, freshGitHubMockPerTest } from './helpers/githubMock.js';

const HOSTILE = '<img src=x onerror=alert(1)>@org/team](javascript:alert(1))`<!-- netpol-bot:comment -->';

/** The markdown outside fenced code blocks and code spans: what GitHub would interpret. */
function outsideCode(markdown: string): string {
  const noFences = markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1[ \t]*$/gm, '');
  return noFences.replace(/(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g, '');
}

function expectInert(markdown: string): void {
  const live = outsideCode(markdown);
  expect(live).not.toMatch(/<img/i);
  expect(live).not.toMatch(/@org/); // a mention needs `@` directly followed by the name
  expect(live).not.toMatch(/\]\(javascript:/i);
  expect(live).not.toContain('onerror=alert(1)>');
  // Only the first line may be the marker.
  expect(live.split(COMMENT_MARKER).length - 1).toBeLessThanOrEqual(markdown.startsWith(COMMENT_MARKER) ? 1 : 0);
}

const HOSTILE_KEY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: hostile, namespace: shop }
spec:
  podSelector:
    matchLabels:
      "${HOSTILE.replace(/"/g, '\\"')}": x
`;
const HOSTILE_PATH = `k8s/${HOSTILE}.yaml`;

let gh: GitHubMock;
freshGitHubMockPerTest((mock) => (gh = mock));

describe('hostile strings from manifests, and a PR that edits the config', () => {
  it('comment and check run are inert; the PR relaxing failOn in .github/netpol.yml changes nothing', async () => {
    const { probot, app } = await realApp();
    const repo = new FakeRepo(OWNER, REPO);
    const base = { 'k8s/ns.yaml': NS, 'k8s/web.yaml': WEB, 'k8s/deny.yaml': DENY };
    repo.commit(MERGE_BASE, base);
    repo.commit(HEAD, {
      ...base,
      'k8s/allow-world.yaml': OPEN,
      'k8s/hostile.yaml': HOSTILE_KEY,
      [HOSTILE_PATH]: 'kind: [unclosed\n',
      // The PR tries to switch the gate off: ignored, the config comes from the default branch (404 here).
      '.github/netpol.yml': 'failOn: []\ncomment: off\n',
    });
    const changed = ['.github/netpol.yml', 'k8s/allow-world.yaml', 'k8s/hostile.yaml', HOSTILE_PATH];
    // noConfig(): the contents API without `ref` (nock matches the query exactly: a `?ref=` would not match).
    gh.createCheck().analysisReads(repo, changed).firstComment();
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    await app.whenIdle();
    gh.done();

    const body: string = gh.body('POST', '/issues/2/comments').body;
    expect(body.split('\n')[0]).toBe(COMMENT_MARKER);
    // The hostile path and key did reach the comment (as diagnostics), only inertly.
    expect(body).toContain('onerror=alert(1)');
    expectInert(body);

    const check = gh.body('PATCH', '/check-runs/');
    expect(check.conclusion).toBe('failure'); // failOn from the default branch (defaults), not the PR's `[]`
    expectInert(check.output.summary);
    if (check.output.text) expectInert(check.output.text);
    expect(check.output.summary).not.toContain('.github/netpol.yml'); // never read as a manifest either
  });
});

describe('commands', () => {
  it('hostile command arguments are refused with fixed text, never echoed', async () => {
    const { probot, app } = await startApp(fakeDomain());
    for (const [i, text] of [
      `/netpol explain ${HOSTILE} shop/web`,
      '/netpol explain shop/web @org/team',
      '/netpol matrix <img src=x onerror=alert(1)>',
      '/netpol explain policy shop/x](javascript:alert(1))',
    ].entries()) {
      gh = new GitHubMock();
      const payload = webhookPayload('issue_comment.created.pr');
      payload.comment.body = text;
      gh.reaction(payload.comment.id).permission('Codertocat', 'write').createComment().reaction(payload.comment.id);
      await probot.receive({ id: String(i), name: 'issue_comment', payload });
      await app.whenIdle();
      gh.done();
      const reply: string = gh.body('POST', '/issues/2/comments').body;
      expect(reply).toMatch(/^I did not understand that: /);
      expectInert(reply);
      expect(reply).not.toContain('onerror');
      expect(reply).not.toContain('@org');
    }
  });

  it('a user comment with the marker as its first line is never edited as if it were the app\'s', async () => {
    const { probot, app } = await startApp(fakeDomain());
    const repo = new FakeRepo(OWNER, REPO);
    repo.commit(MERGE_BASE, { 'k8s/a.yaml': 'a: 1\n' });
    repo.commit(HEAD, { 'k8s/a.yaml': 'a: 2\n' });
    const forged = { id: 5, node_id: 'IC_5', body: `${COMMENT_MARKER}\nforged`, user: { login: 'mallory', type: 'User' }, performed_via_github_app: null };
    const forgedBot = { id: 6, node_id: 'IC_6', body: `${COMMENT_MARKER}\nforged`, user: { login: 'other-app[bot]', type: 'Bot' }, performed_via_github_app: { id: 1, slug: 'other-app' } };
    gh.createCheck().analysisReads(repo, ['k8s/a.yaml']).comments([forged, forgedBot]).createComment().updateCheck();
    await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
    await app.whenIdle();
    gh.done(); // a PATCH of comment 5 or 6 would be an unexpected request
    expect(gh.trace.filter((t) => t.includes('/issues/comments/'))).toEqual([]);
  });
});
