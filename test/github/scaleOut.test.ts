// Scale-out: two app instances (two Probot instances, each with its own runtime) share one Redis (REDIS_URL)
// and one GitHub (a stateful nock double: comments, check runs and the PR head are remembered). Deliveries
// race between them; each pull request still gets one analysis at a time and exactly one comment.
import { Redis } from 'ioredis';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisResult, AnalyzeParams } from '../../src/analysis.js';
import { COMMENT_MARKER } from '../../src/github/comments.js';
import type { RedisKeyedQueue } from '../../src/github/redisQueue.js';
import { APP, BASE_TIP, HEAD, MERGE_BASE, OWNER, REPO, fakeDomain, helloWorld, startApp, type FakeDomain, type TestApp, webhookPayload } from './helpers/githubMock.js';
import { blobSha, fakeSha, type FakeRepo } from './helpers/fakeRepo.js';
import { testPrefix, testRedis } from './helpers/redisServer.js';

const redis = await testRedis();
const suite = redis.url ? describe : describe.skip;

const API = 'https://api.github.com';
const CODELOAD = 'https://codeload.github.com';
const R = `/repos/${OWNER}/${REPO}`;

function pullEvent(action: 'opened' | 'synchronize' | 'reopened', head: string): any {
  const payload = webhookPayload('pull_request.opened');
  return { ...payload, action, pull_request: { ...payload.pull_request, head: { ...payload.pull_request.head, sha: head } } };
}

interface Comment {
  id: number;
  node_id: string;
  body: string;
  user: { login: string; type: string };
  performed_via_github_app: { id: number; slug: string };
}

/** One GitHub for every replica: remembers the PR's head, its comments and the check runs. */
class StatefulGitHub {
  head = HEAD;
  readonly comments: Comment[] = [];
  readonly checkRuns = new Map<number, { head_sha: string; conclusion?: string; title?: string }>();
  readonly calls: string[] = [];
  /** When set, a listing of the comments is answered only once this many listings arrived (the race window). */
  listBarrier = 0;
  #nextId = 1;

  constructor(readonly repo: FakeRepo) {
    const api = nock(API).persist();
    const rec = (method: string, uri: string) => this.calls.push(`${method} ${decodeURIComponent(uri)}`);
    const self = this;
    api.post(`${R}/check-runs`).reply(function (uri, body: any) {
      rec('POST', uri);
      const id = self.#nextId++;
      self.checkRuns.set(id, { head_sha: body.head_sha });
      return [201, { id, head_sha: body.head_sha, app: { ...APP, name: 'netpol-bot' } }];
    });
    api.patch(new RegExp(`^${R}/check-runs/\\d+$`)).reply(function (uri, body: any) {
      rec('PATCH', uri);
      const id = Number(uri.split('/').pop());
      const run = self.checkRuns.get(id)!;
      Object.assign(run, { conclusion: body.conclusion, title: body.output?.title });
      return [200, { id }];
    });
    api.get(new RegExp(`^/repos/${OWNER}/(${REPO}|\\.github)/contents/\\.github%2Fnetpol\\.yml`)).reply(function (uri) {
      rec('GET', uri);
      return [404, { message: 'Not Found' }];
    });
    api.get(new RegExp(`^${R}/pulls/2/files`)).reply(function (uri) {
      rec('GET', uri);
      return [200, [{ filename: 'k8s/web.yaml', status: 'modified', sha: fakeSha('f'), additions: 1, deletions: 1, changes: 2 }]];
    });
    api.get(new RegExp(`^${R}/compare/`)).reply(function (uri) {
      rec('GET', uri);
      return [200, { merge_base_commit: { sha: MERGE_BASE }, status: 'ahead' }];
    });
    api.get(new RegExp(`^${R}/tarball/[0-9a-f]{40}$`)).reply(function (uri) {
      rec('GET', uri);
      return [302, '', { location: `${CODELOAD}/${OWNER}/${REPO}/legacy.tar.gz/${uri.split('/').pop()}` }];
    });
    nock(CODELOAD)
      .persist()
      .get(new RegExp(`^/${OWNER}/${REPO}/legacy\\.tar\\.gz/[0-9a-f]{40}$`))
      .reply(async function (uri) {
        rec('GET', `codeload:${uri}`);
        return [200, await self.repo.tarball(uri.split('/').pop()!), { 'content-type': 'application/x-gzip' }];
      });
    api.get(new RegExp(`^${R}/git/trees/[0-9a-f]{40}\\?recursive=1$`)).reply(function (uri) {
      rec('GET', uri);
      return [200, self.repo.tree(uri.split('/').pop()!.split('?')[0]!) as object];
    });
    api.get(new RegExp(`^${R}/git/blobs/[0-9a-f]{40}$`)).reply(function (uri) {
      rec('GET', uri);
      return [200, self.repo.blob(uri.split('/').pop()!) as object];
    });
    api.get(`${R}/pulls/2`).reply(function (uri) {
      rec('GET', uri);
      return [200, { number: 2, state: 'open', head: { sha: self.head }, base: { sha: BASE_TIP, ref: 'master' } }];
    });
    api.get(new RegExp(`^${R}/issues/2/comments`)).reply(async function (uri) {
      rec('GET', uri);
      const listed = self.comments.map((c) => ({ ...c })); // the comments as they were when asked
      while (self.count(`GET ${decodeURIComponent(uri)}`) < self.listBarrier) await new Promise((r) => setTimeout(r, 5));
      return [200, listed];
    });
    api.post(`${R}/issues/2/comments`).reply(function (uri, body: any) {
      rec('POST', uri);
      const id = 9000 + self.comments.length;
      const comment: Comment = {
        id,
        node_id: `IC_${id}`,
        body: body.body,
        user: { login: `${APP.slug}[bot]`, type: 'Bot' },
        performed_via_github_app: { id: APP.id, slug: APP.slug },
      };
      self.comments.push(comment);
      return [201, comment];
    });
    api.patch(new RegExp(`^${R}/issues/comments/\\d+$`)).reply(function (uri, body: any) {
      rec('PATCH', uri);
      const comment = self.comments.find((c) => c.id === Number(uri.split('/').pop()));
      if (!comment) return [404, { message: 'Not Found' }];
      comment.body = body.body;
      return [200, comment];
    });
  }

  count(call: string): number {
    return this.calls.filter((c) => c === call).length;
  }
}

interface Record_ {
  running: number;
  maxRunning: number;
  heads: string[];
}

/** The fake analysis, slowed down (so racing analyses would overlap) and gated per head if asked. */
function slowDomain(record: Record_, gates = new Map<string, Promise<void>>()): FakeDomain {
  const base = fakeDomain();
  const analyze = Object.assign(
    async (p: AnalyzeParams): Promise<AnalysisResult> => {
      record.heads.push(p.head.sha);
      record.maxRunning = Math.max(record.maxRunning, ++record.running);
      try {
        await (gates.get(p.head.sha) ?? new Promise((r) => setTimeout(r, 150)));
        return base.analyze(p);
      } finally {
        record.running--;
      }
    },
    { calls: base.analyze.calls },
  );
  return { ...base, analyze };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let apps: TestApp[] = [];

/** Two replicas: same REDIS_URL and prefix, one shared analysis record. */
async function twoReplicas(options: { redis: boolean; gates?: Map<string, Promise<void>> }) {
  const record = { running: 0, maxRunning: 0, heads: [] as string[] };
  const prefix = testPrefix();
  const shared = options.redis ? { redisUrl: redis.url!, redisPrefix: prefix } : {};
  const a = await startApp(slowDomain(record, options.gates), { ...shared, processMetrics: false });
  const b = await startApp(slowDomain(record, options.gates), { ...shared, processMetrics: false });
  apps.push(a, b);
  const idle = () => Promise.all([a.app.whenIdle(), b.app.whenIdle()]);
  return { a, b, record, idle };
}

beforeAll(() => nock.disableNetConnect());
afterEach(async () => {
  for (const t of apps) {
    await t.app.whenIdle();
    await t.app.close();
  }
  apps = [];
  nock.cleanAll();
});
afterAll(() => redis.stop());

suite(`two replicas, one Redis (${redis.reason})`, () => {
  it('the same delivery reaching both replicas at once: one check run, one analysis, one comment', async () => {
    const gh = new StatefulGitHub(helloWorld());
    const { a, b, record, idle } = await twoReplicas({ redis: true });
    const event = { id: 'delivery-1', name: 'pull_request' as const, payload: pullEvent('opened', HEAD) };
    await Promise.all([a.probot.receive(event), b.probot.receive(event)]);
    await idle();

    expect(gh.count(`POST ${R}/check-runs`)).toBe(1);
    expect(record.heads).toEqual([HEAD]);
    expect(gh.count(`POST ${R}/issues/2/comments`)).toBe(1);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body.split('\n')[0]).toBe(COMMENT_MARKER);
    expect([...gh.checkRuns.values()]).toEqual([{ head_sha: HEAD, conclusion: 'failure', title: '1 opened' }]);

    // then a synchronize with a newer head, again to both: analysed once, the comment edited in place
    const next = fakeSha('scale-next');
    gh.repo.commit(next, { ...gh.repo.files(HEAD), 'k8s/web.yaml': 'kind: NetworkPolicy\nmetadata: { name: web }\nspec: {}\n' });
    gh.head = next;
    const sync = { id: 'delivery-2', name: 'pull_request' as const, payload: pullEvent('synchronize', next) };
    await Promise.all([b.probot.receive(sync), a.probot.receive(sync)]);
    await idle();

    expect(gh.count(`POST ${R}/check-runs`)).toBe(2);
    expect(record.heads).toEqual([HEAD, next]);
    expect(record.maxRunning).toBe(1);
    expect(gh.count(`POST ${R}/issues/2/comments`)).toBe(1);
    expect(gh.count(`PATCH ${R}/issues/comments/9000`)).toBe(1);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body).toContain(`..${next} -->`);
    // whichever replica ran it, the second analysis found the texts in Redis: only the changed blob was fetched
    expect(gh.calls.filter((c) => c.includes('/git/blobs/'))).toEqual([`GET ${R}/git/blobs/${blobSha(gh.repo.files(next)['k8s/web.yaml']!)}`]);
    expect(gh.calls.filter((c) => c.includes('/tarball/'))).toHaveLength(2); // the first analysis only
  });

  it('a second delivery for one head while the first is analysed elsewhere: it waits, then finds the comment', async () => {
    const gh = new StatefulGitHub(helloWorld());
    const { a, b, record, idle } = await twoReplicas({ redis: true });
    await a.probot.receive({ id: 'race-1', name: 'pull_request', payload: pullEvent('opened', HEAD) });
    await until(() => record.heads.length === 1, 'the analysis to start on replica A');
    // B's job is the latest of the group (A's is running, so nothing supersedes it): it must wait for the lock.
    await b.probot.receive({ id: 'race-2', name: 'pull_request', payload: pullEvent('reopened', HEAD) });
    await idle();

    expect(gh.count(`POST ${R}/check-runs`)).toBe(2);
    expect(record.heads).toEqual([HEAD, HEAD]);
    expect(record.maxRunning).toBe(1);
    expect(gh.count(`POST ${R}/issues/2/comments`)).toBe(1); // the second analysis found it, unchanged
    expect(gh.comments).toHaveLength(1);
    expect([...gh.checkRuns.values()].map((r) => r.conclusion)).toEqual(['failure', 'failure']);
  });

  it('control: the same sequence without Redis (two in-process queues) overlaps and posts two comments', async () => {
    const gh = new StatefulGitHub(helloWorld());
    const { a, b, record, idle } = await twoReplicas({ redis: false });
    gh.listBarrier = 2; // each listing of the comments is answered once both replicas have asked
    await a.probot.receive({ id: 'race-1', name: 'pull_request', payload: pullEvent('opened', HEAD) });
    await until(() => record.heads.length === 1, 'the analysis to start on replica A');
    await b.probot.receive({ id: 'race-2', name: 'pull_request', payload: pullEvent('reopened', HEAD) });
    await idle();
    expect(record.heads).toEqual([HEAD, HEAD]);
    expect(gh.count(`POST ${R}/issues/2/comments`)).toBe(2);
    expect(gh.comments).toHaveLength(2);
  });

  it('a newer head supersedes the analysis waiting in the other replica; the running one writes nothing', async () => {
    const gh = new StatefulGitHub(helloWorld());
    const h2 = fakeSha('scale-h2');
    const h3 = fakeSha('scale-h3');
    gh.repo.commit(h2, { ...gh.repo.files(HEAD), 'k8s/web.yaml': 'kind: NetworkPolicy\nmetadata: { name: web }\n# h2\n' });
    gh.repo.commit(h3, { ...gh.repo.files(HEAD), 'k8s/web.yaml': 'kind: NetworkPolicy\nmetadata: { name: web }\n# h3\n' });
    const gate = deferred();
    const { a, b, record, idle } = await twoReplicas({ redis: true, gates: new Map([[HEAD, gate.promise]]) });

    await a.probot.receive({ id: 's-1', name: 'pull_request', payload: pullEvent('opened', HEAD) });
    await until(() => record.heads.length === 1, 'the first analysis to start on replica A');
    gh.head = h2;
    await b.probot.receive({ id: 's-2', name: 'pull_request', payload: pullEvent('synchronize', h2) });
    await until(() => b.app.runtime.queue.stats.waiting === 1, 'h2 to wait on replica B');
    gh.head = h3;
    await a.probot.receive({ id: 's-3', name: 'pull_request', payload: pullEvent('synchronize', h3) });
    await until(() => b.app.runtime.queue.stats.superseded === 1, 'h2 to be superseded on replica B');
    gate.resolve();
    await idle();

    expect(record.heads).toEqual([HEAD, h3]); // h2 never analysed
    expect(record.maxRunning).toBe(1);
    const runs = [...gh.checkRuns.values()];
    expect(runs).toEqual([
      { head_sha: HEAD, conclusion: 'neutral', title: 'Superseded by a newer commit' },
      { head_sha: h2, conclusion: 'neutral', title: 'Superseded' },
      { head_sha: h3, conclusion: 'failure', title: '1 opened' },
    ]);
    expect(gh.count(`POST ${R}/issues/2/comments`)).toBe(1);
    expect(gh.comments[0]!.body).toContain(`..${h3} -->`);
  });

  it('a job that lost its lock (paused past the expiry, taken over) writes no comment and fails closed', async () => {
    const gh = new StatefulGitHub(helloWorld());
    const gate = deferred();
    const { a, record, idle } = await twoReplicas({ redis: true, gates: new Map([[HEAD, gate.promise]]) });
    await a.probot.receive({ id: 'lost-1', name: 'pull_request', payload: pullEvent('opened', HEAD) });
    await until(() => record.heads.length === 1, 'the analysis to start');
    const lockKey = (a.app.runtime.queue as RedisKeyedQueue).lockKey('codertocat/hello-world#2');
    const other = new Redis(redis.url!);
    expect(await other.get(lockKey)).toMatch(/^\d+:/);
    await other.set(lockKey, 'another-replica');
    gate.resolve();
    await idle();
    expect(await other.get(lockKey)).toBe('another-replica'); // not released by the job that lost it
    await other.quit();
    expect(gh.count(`GET ${R}/issues/2/comments?per_page=100`)).toBe(0);
    expect(gh.count(`POST ${R}/issues/2/comments`)).toBe(0);
    expect([...gh.checkRuns.values()]).toEqual([{ head_sha: HEAD, conclusion: 'failure', title: 'Analysis failed' }]);
  });

  it('an acknowledgement given through one replica is seen by the other, and by a restarted one', async () => {
    const { a, b } = await twoReplicas({ redis: true });
    await a.app.runtime.acks.set(OWNER, REPO, 2, HEAD, { login: 'octocat', at: '2026-11-01T00:00:00Z' });
    expect(await b.app.runtime.acks.get(OWNER, REPO, 2, HEAD)).toEqual({ login: 'octocat', at: '2026-11-01T00:00:00Z' });
    const prefix = (a.app.runtime as unknown as { queue: { lockKey(k: string): string } }).queue.lockKey('x').replace(/lock:x$/, '');
    const restarted = await startApp(fakeDomain(), { redisUrl: redis.url!, redisPrefix: prefix, processMetrics: false });
    apps.push(restarted);
    expect(await restarted.app.runtime.acks.get(OWNER, REPO, 2, HEAD)).toMatchObject({ login: 'octocat' });
  });
});

if (!redis.url) {
  describe('two replicas, one Redis', () => {
    it.skip(`skipped: ${redis.reason}`, () => undefined);
  });
}
