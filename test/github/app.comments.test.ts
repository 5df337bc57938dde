import { describe, expect, it } from 'vitest';
import { ANNOTATION_BATCH } from '../../src/github/checkRun.js';
import { COMMENT_MARKER, hasMarker, isFromApp, normalizeBody } from '../../src/github/comments.js';
import { APP, CHECK_ID, GitHubMock, HEAD, MERGE_BASE, R, fakeDomain, helloWorld, startApp, webhookPayload, freshGitHubMockPerTest } from './helpers/githubMock.js';

const own = (id: number, body: string) => ({
  id,
  node_id: `IC_${id}`,
  body,
  user: { login: 'netpol-bot[bot]', type: 'Bot' },
  performed_via_github_app: { id: APP.id, slug: APP.slug },
});
const OLD = `${COMMENT_MARKER}\nold report`;

let gh: GitHubMock;
freshGitHubMockPerTest((mock) => (gh = mock));

/** Everything up to (and including) listing comments, for a PR with changes. */
function upToComments(config: string | undefined, comments: unknown[]) {
  const repo = helloWorld();
  gh.createCheck();
  if (config === undefined) gh.noConfig();
  else gh.config(config);
  gh.prFiles(['k8s/web.yaml']).compare().tarball(repo, MERGE_BASE).tarball(repo, HEAD).pull();
  if (comments) gh.comments(comments);
}

async function run(domain = fakeDomain()) {
  const { probot, app } = await startApp(domain);
  await probot.receive({ id: '1', name: 'pull_request', payload: webhookPayload('pull_request.opened') });
  await app.whenIdle();
  gh.done();
}

describe('comment identity', () => {
  it('the marker must be the exact first line', () => {
    expect(hasMarker(`${COMMENT_MARKER}\nx`)).toBe(true);
    expect(hasMarker(`${COMMENT_MARKER}\r\nx`)).toBe(true);
    expect(hasMarker(`  ${COMMENT_MARKER}  \nx`)).toBe(true);
    expect(hasMarker(`quote:\n${COMMENT_MARKER}`)).toBe(false);
    expect(hasMarker(`<!-- netpol-bot:comment-prod -->\nx`)).toBe(false);
    expect(hasMarker(`> ${COMMENT_MARKER}`)).toBe(false);
    expect(hasMarker(null)).toBe(false);
  });
  it('the author must be this app', () => {
    const id = { id: APP.id, slug: APP.slug };
    expect(isFromApp(own(1, ''), id)).toBe(true);
    expect(isFromApp({ id: 1, node_id: '', user: { login: 'netpol-bot[bot]', type: 'Bot' } }, id)).toBe(true);
    expect(isFromApp({ id: 1, node_id: '', user: { login: 'mallory', type: 'User' } }, id)).toBe(false);
    expect(isFromApp({ id: 1, node_id: '', user: { login: 'other-bot[bot]', type: 'Bot' }, performed_via_github_app: { id: 7 } }, id)).toBe(false);
    expect(isFromApp({ id: 1, node_id: '', user: { login: 'netpol-bot[bot]', type: 'User' } }, { slug: APP.slug })).toBe(false);
  });
  it('normalises line endings and trailing spaces only', () => {
    expect(normalizeBody('a  \r\nb\r\n\r\n')).toBe('a\nb');
    expect(normalizeBody('a\n b')).toBe('a\n b');
  });
});

describe('comment modes and limits', () => {
  it('ignores a forged marker comment by a user and finds our comment on page 2', async () => {
    const forged = { id: 1, node_id: 'IC_1', body: OLD, user: { login: 'mallory', type: 'User' }, performed_via_github_app: null };
    const repo = helloWorld();
    gh.createCheck().analysisReads(repo, ['k8s/web.yaml']);
    gh.on('GET', `${R}/issues/2/comments?per_page=100`, [
      200,
      [forged],
      { link: `<https://api.github.com${R}/issues/2/comments?per_page=100&page=2>; rel="next", <https://api.github.com${R}/issues/2/comments?per_page=100&page=2>; rel="last"` },
    ]);
    gh.on('GET', `${R}/issues/2/comments?per_page=100&page=2`, [200, [own(77, OLD)]]);
    gh.updateComment(77).updateCheck();
    await run();
    expect(gh.trace).toContain(`PATCH ${R}/issues/comments/77`);
    expect(gh.trace).not.toContain(`PATCH ${R}/issues/comments/1`);
  });

  it('hide-and-new: posts a new comment and minimizes the old one as OUTDATED via GraphQL', async () => {
    upToComments('comment: hide-and-new\n', [own(77, OLD)]);
    gh.createComment().on('POST', '/graphql', [200, { data: { minimizeComment: { minimizedComment: { isMinimized: true } } } }]).updateCheck();
    await run();
    const gql = gh.body('POST', '/graphql');
    expect(gql.query).toContain('minimizeComment(input: { subjectId: $id, classifier: OUTDATED })');
    expect(gql.variables).toEqual({ id: 'IC_77' });
  });

  it('delete-and-new: posts a new comment and deletes the old ones', async () => {
    upToComments('comment: delete-and-new\n', [own(76, OLD), own(77, OLD)]);
    gh.createComment().on('DELETE', `${R}/issues/comments/76`, [204]).on('DELETE', `${R}/issues/comments/77`, [204]).updateCheck();
    await run();
    expect(gh.trace.filter((t) => /POST .*issues\/2\/comments|DELETE/.test(t))).toEqual([
      `POST ${R}/issues/2/comments`,
      `DELETE ${R}/issues/comments/76`,
      `DELETE ${R}/issues/comments/77`,
    ]);
  });

  it('new: always a new comment (unless identical to the latest)', async () => {
    upToComments('comment: new\n', [own(77, OLD)]);
    gh.createComment().updateCheck();
    await run();
  });

  it('off: no comment is read or written, the check is still completed', async () => {
    const repo = helloWorld();
    gh.createCheck().analysisReads(repo, ['k8s/web.yaml'], 'comment: "off"\n').updateCheck();
    await run();
    expect(gh.trace.some((t) => t.includes('/comments'))).toBe(false);
  });

  it('commentWhen: always comments also without changes', async () => {
    const repo = helloWorld();
    repo.commit(HEAD, repo.files(MERGE_BASE));
    gh.createCheck().analysisReads(repo, ['k8s/web.yaml'], 'commentWhen: always\n').firstComment();
    await run();
    expect(gh.body('POST', '/issues/2/comments').body).toContain('### netpol: no reachability changes');
  });

  it('a comment over 60,000 characters is cut; the rest goes to the check run text', async () => {
    const long = Array.from({ length: 2000 }, (_, i) => `- line ${i} ${'x'.repeat(40)}`).join('\n');
    upToComments(undefined, []);
    gh.createComment().updateCheck();
    await run(fakeDomain({ comment: () => long, text: 'analysis text' }));
    const body: string = gh.body('POST', '/issues/2/comments').body;
    expect(body.length).toBeLessThanOrEqual(60_000);
    expect(body).toContain('The rest of this report is in the `netpol` check run.');
    const text: string = gh.body('PATCH', '/check-runs/').output.text;
    expect(text.startsWith('analysis text\n\n## Rest of the pull-request comment\n\n')).toBe(true);
    const shown = body.split('\n').filter((l) => l.startsWith('- line ')).length;
    expect(text).toContain(`- line ${shown} `);
    expect(text).toContain('- line 1999 ');
  });

  it('annotations go in batches of 50; further PATCHes append', async () => {
    const annotations = Array.from({ length: 120 }, (_, i) => ({
      path: 'k8s/web.yaml',
      start_line: i + 1,
      end_line: i + 1,
      annotation_level: 'warning' as const,
      message: `m${i}`,
    }));
    upToComments(undefined, []);
    gh.createComment().updateCheck(CHECK_ID, 3);
    await run(fakeDomain({ annotations }));
    const patches = gh.calls.filter((c) => c.method === 'PATCH' && c.path.includes('/check-runs/'));
    expect(patches.map((p: any) => p.body.output.annotations.length)).toEqual([ANNOTATION_BATCH, ANNOTATION_BATCH, 20]);
    expect((patches[0]!.body as any).status).toBe('completed');
    expect((patches[1]!.body as any).status).toBeUndefined();
    expect((patches[2]!.body as any).output.annotations[19].message).toBe('m119');
  });
});
