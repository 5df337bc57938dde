// The Redis implementations (REDIS_URL) against a real redis-server: the keyed queue across two "replicas"
// (two queues, two connections, one Redis), the shared blob store, acknowledgements and deliveries.
import nock from 'nock';
import { ProbotOctokit } from 'probot';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManifestFetcher } from '../../src/github/fetchManifests.js';
import type { Octokit } from '../../src/github/octokit.js';
import { LeaseLostError, type Lease, type QueueJob } from '../../src/github/queue.js';
import { RedisKeyedQueue } from '../../src/github/redisQueue.js';
import { DeliveryLog, RedisAckStore, RedisBlobStore } from '../../src/github/sharedState.js';
import { blobSha, fakeSha, FakeRepo, manyManifests } from './helpers/fakeRepo.js';
import { testPrefix, testRedis } from './helpers/redisServer.js';

const redis = await testRedis();
const suite = redis.url ? describe : describe.skip;
const clients: Redis[] = [];
const queues: RedisKeyedQueue[] = [];

function client(): Redis {
  const c = new Redis(redis.url!);
  clients.push(c);
  return c;
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await tick(10);
  }
}

/** Two replicas: two queues with their own connections, sharing one prefix in one Redis. */
function replicas(options: { maxConcurrent?: number; lockMs?: number; errors?: unknown[] } = {}) {
  const prefix = testPrefix();
  const make = () => {
    const q = new RedisKeyedQueue(client(), {
      prefix,
      maxConcurrent: options.maxConcurrent ?? 2,
      pollMs: 20,
      ...(options.lockMs ? { lockMs: options.lockMs } : {}),
      onError: (e) => options.errors?.push(e),
    });
    queues.push(q);
    return q;
  };
  return { prefix, a: make(), b: make() };
}

afterEach(async () => {
  for (const q of queues.splice(0)) await q.close();
  for (const c of clients.splice(0)) await c.quit();
  nock.cleanAll();
});
afterAll(() => redis.stop());

suite(`RedisKeyedQueue across two replicas (${redis.reason})`, () => {
  it('never runs two jobs of one key at once across replicas; other keys run beside them', async () => {
    const { a, b } = replicas();
    const running = new Map<string, number>();
    let overlap = 0;
    let maxAll = 0;
    let all = 0;
    const done: string[] = [];
    const job = (key: string, name: string): QueueJob => ({
      key,
      run: async () => {
        const n = (running.get(key) ?? 0) + 1;
        running.set(key, n);
        if (n > 1) overlap++;
        maxAll = Math.max(maxAll, ++all);
        await tick(15);
        running.set(key, running.get(key)! - 1);
        all--;
        done.push(name);
      },
    });
    for (let i = 0; i < 4; i++) {
      a.enqueue(job('pr-1', `a${i}`));
      b.enqueue(job('pr-1', `b${i}`));
      (i % 2 ? a : b).enqueue(job(`pr-${i + 2}`, `other${i}`));
    }
    await Promise.all([a.whenIdle(), b.whenIdle()]);
    expect(overlap).toBe(0);
    expect(done).toHaveLength(12);
    expect(maxAll).toBeGreaterThan(1); // different pull requests did run side by side
    // within one replica, one key's jobs keep their order
    const fromA = done.filter((n) => /^a\d$/.test(n));
    expect(fromA).toEqual(['a0', 'a1', 'a2', 'a3']);
    expect(a.stats.completed + b.stats.completed).toBe(12);
  });

  it('a newer job of a group supersedes one waiting in another replica, never the running one', async () => {
    const { a, b } = replicas();
    const gate = deferred();
    const ran: string[] = [];
    const superseded: string[] = [];
    const job = (name: string, checkRunId: number, wait?: Promise<void>) => ({
      key: 'o/r#2',
      group: 'analysis',
      checkRunId,
      run: async () => {
        ran.push(name);
        if (wait) await wait;
      },
      superseded: (by: QueueJob) => void superseded.push(`${name}<-${(by as unknown as { checkRunId: number }).checkRunId}`),
    });
    a.enqueue(job('h1', 1, gate.promise));
    await until(() => ran.includes('h1'), 'h1 to start');
    b.enqueue(job('h2', 2));
    await until(() => b.stats.waiting === 1 && !ran.includes('h2'), 'h2 to wait');
    await tick(60); // b tried the lock a few times meanwhile
    a.enqueue(job('h3', 3));
    await until(() => superseded.length === 1, 'h2 to be superseded');
    gate.resolve();
    await Promise.all([a.whenIdle(), b.whenIdle()]);
    expect(ran).toEqual(['h1', 'h3']);
    expect(superseded).toEqual(['h2<-3']);
    expect(b.stats).toMatchObject({ superseded: 1, waiting: 0, completed: 0 });
    expect(a.stats).toMatchObject({ completed: 2 });
  });

  it('the lease: held while the job runs, lost once the lock is gone; the lock is released at the end', async () => {
    const { a } = replicas();
    const r = client();
    const seen: string[] = [];
    const gate = deferred();
    let lease!: Lease;
    a.enqueue({
      key: 'k',
      run: async (l) => {
        lease = l;
        seen.push('started');
        await gate.promise;
      },
    });
    await until(() => seen.length === 1, 'the job to start');
    await expect(lease.assertHeld()).resolves.toBeUndefined();
    const value = await r.get(a.lockKey('k'));
    expect(value).toMatch(/^\d+:[0-9a-f-]{36}$/); // fence:uuid
    // Another holder (the lock expired while this one was paused, and someone else took it):
    await r.set(a.lockKey('k'), 'someone-else');
    await expect(lease.assertHeld()).rejects.toBeInstanceOf(LeaseLostError);
    await r.set(a.lockKey('k'), value!);
    gate.resolve();
    await a.whenIdle();
    expect(await r.exists(a.lockKey('k'))).toBe(0);
  });

  it('a lock left by a replica that died expires, and the job then runs', async () => {
    const { a } = replicas({ lockMs: 30_000 });
    const r = client();
    await r.set(a.lockKey('dead'), '1:dead-replica', 'PX', 300);
    const ran: number[] = [];
    const t0 = Date.now();
    a.enqueue({ key: 'dead', run: async () => void ran.push(Date.now() - t0) });
    await a.whenIdle();
    expect(ran).toHaveLength(1);
    expect(ran[0]).toBeGreaterThanOrEqual(200);
  });

  it('a job is renewed past the lock expiry while it runs', async () => {
    const { a, b } = replicas({ lockMs: 150 });
    const log: string[] = [];
    a.enqueue({
      key: 'slow',
      run: async () => {
        log.push('a-start');
        await tick(500); // > 3 lock periods
        log.push('a-end');
      },
    });
    await until(() => log.length === 1, 'a to start');
    b.enqueue({ key: 'slow', run: async () => void log.push('b') });
    await Promise.all([a.whenIdle(), b.whenIdle()]);
    expect(log).toEqual(['a-start', 'a-end', 'b']);
  });

  it('a failing job is reported, releases its lock and does not stop the queue', async () => {
    const errors: unknown[] = [];
    const { a, b } = replicas({ errors });
    const ran: string[] = [];
    a.enqueue({ key: 'k', run: async () => Promise.reject(new Error('boom')) });
    b.enqueue({ key: 'k', run: async () => void ran.push('after') });
    await Promise.all([a.whenIdle(), b.whenIdle()]);
    expect(ran).toEqual(['after']);
    expect(errors.map(String)).toEqual(['Error: boom']);
    expect(a.stats.failed).toBe(1);
  });
});

// ---- the shared blob store, through the real fetcher ---------------------------------------------------

const API = 'https://api.github.com';
const TestOctokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } }));
const octokit = () => new TestOctokit({ auth: 'test' }) as unknown as Octokit;
const accept = (p: string) => p.endsWith('.yaml');

suite(`RedisBlobStore (${redis.reason})`, () => {
  beforeAll(() => nock.disableNetConnect());

  it('texts by blob sha with an expiry; which repositories were read', async () => {
    const prefix = testPrefix();
    const r = client();
    const store = new RedisBlobStore(r, { prefix, cacheTtlSeconds: 120 });
    await store.put([
      ['a', 'text a'],
      ['b', 'ünïcødé b'],
    ]);
    expect(await store.lookup(['a', 'b', 'c'])).toEqual(
      new Map([
        ['a', 'text a'],
        ['b', 'ünïcødé b'],
      ]),
    );
    const ttl = await r.ttl(`${prefix}blob:a`);
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(120);
    expect(await store.isSeen('o/r')).toBe(false);
    await store.markSeen('o/r');
    expect(await store.isSeen('o/r')).toBe(true);
  });

  it('a Redis that is down is a cache miss, not a failure', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    dead.on('error', () => undefined);
    const errors: string[] = [];
    const store = new RedisBlobStore(dead, { onError: (_e, what) => errors.push(what) });
    expect(await store.lookup(['a'])).toEqual(new Map());
    await store.put([['a', 'x']]);
    expect(await store.isSeen('o/r')).toBe(false);
    expect(errors).toEqual(['reading cached texts', 'caching texts', 'reading which repositories were read']);
    dead.disconnect();
  });

  it('a second replica reads a repository the first one read through trees and the cache: no blob fetched', async () => {
    const prefix = testPrefix();
    const repo = new FakeRepo('octo', 'shared');
    const base = repo.commit(fakeSha('s-base'), manyManifests(50));
    const head = repo.commit(fakeSha('s-head'), { ...repo.files(base), 'k8s/app-1/deploy.yaml': 'kind: Deployment\n' });
    for (const sha of [base, head]) {
      nock(API).get(`/repos/octo/shared/tarball/${sha}`).reply(200, await repo.tarball(sha), { 'content-type': 'application/x-gzip' });
    }
    const first = new ManifestFetcher({ store: new RedisBlobStore(client(), { prefix }) });
    const [b1, h1] = await first.fetch(octokit(), { owner: 'octo', repo: 'shared', shas: [base, head], accept, maxFileBytes: 1 << 20 });
    expect(first.stats).toMatchObject({ tarballs: 2, trees: 0, blobs: 0 });

    // the other replica: its own process memory is empty, Redis is not
    for (const sha of [base, head]) nock(API).get(`/repos/octo/shared/git/trees/${sha}?recursive=1`).reply(200, repo.tree(sha) as object);
    const second = new ManifestFetcher({ store: new RedisBlobStore(client(), { prefix }) });
    expect(second.cache.size).toBe(0);
    const [b2, h2] = await second.fetch(octokit(), { owner: 'octo', repo: 'shared', shas: [base, head], accept, maxFileBytes: 1 << 20 });
    expect(nock.isDone()).toBe(true);
    expect(second.stats).toMatchObject({ tarballs: 0, trees: 2, blobs: 0, cached: 100 });
    expect(b2!.files).toEqual(b1!.files);
    expect(h2!.files).toEqual(h1!.files);
    expect(second.cache.size).toBe(0); // nothing held in the replica's memory

    // a blob that expired (or was evicted) is fetched again and shared again
    const changed = blobSha(repo.files(head)['k8s/app-1/deploy.yaml']!);
    const r = client();
    await r.del(`${prefix}blob:${changed}`);
    nock(API).get(`/repos/octo/shared/git/trees/${head}?recursive=1`).reply(200, repo.tree(head) as object);
    nock(API).get(`/repos/octo/shared/git/blobs/${changed}`).reply(200, repo.blob(changed) as object);
    await second.fetch(octokit(), { owner: 'octo', repo: 'shared', shas: [head], accept, maxFileBytes: 1 << 20 });
    expect(nock.isDone()).toBe(true);
    expect(await r.get(`${prefix}blob:${changed}`)).toBe('kind: Deployment\n');
  });
});

suite(`RedisAckStore and DeliveryLog (${redis.reason})`, () => {
  it('an acknowledgement outlives the connection (a replica restart) and is seen by every replica', async () => {
    const prefix = testPrefix();
    const before = client();
    await new RedisAckStore(before, { prefix }).set('O', 'r', 1, 'abc', { login: 'u', at: 't' });
    await before.quit();
    clients.splice(clients.indexOf(before), 1);
    const after = new RedisAckStore(client(), { prefix });
    expect(await after.get('o', 'R', 1, 'abc')).toEqual({ login: 'u', at: 't' });
    expect(await after.get('o', 'r', 1, 'def')).toBeUndefined();
    expect(await after.get('o', 'r', 2, 'abc')).toBeUndefined();
  });

  it('a delivery is taken once; a released one can be taken again', async () => {
    const prefix = testPrefix();
    const [x, y] = [new DeliveryLog(client(), { prefix }), new DeliveryLog(client(), { prefix })];
    const claims = await Promise.all([x.claim('d-1'), y.claim('d-1'), x.claim('d-1'), y.claim('d-1')]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    await x.release('d-1');
    expect(await y.claim('d-1')).toBe(true);
  });
});

if (!redis.url) {
  describe('Redis implementations', () => {
    it.skip(`skipped: ${redis.reason}`, () => undefined);
  });
}
