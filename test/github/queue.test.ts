import { describe, expect, it } from 'vitest';
import { AckStore, KeyedQueue, RateLimiter, type QueueJob } from '../../src/github/queue.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('KeyedQueue', () => {
  it('runs one job at a time per key and bounds concurrency overall', async () => {
    const q = new KeyedQueue(2);
    let running = 0;
    let maxRunning = 0;
    const perKey = new Map<string, number>();
    const log: string[] = [];
    const job = (key: string, name: string): QueueJob => ({
      key,
      run: async () => {
        running++;
        perKey.set(key, (perKey.get(key) ?? 0) + 1);
        expect(perKey.get(key)).toBe(1);
        maxRunning = Math.max(maxRunning, running);
        await new Promise((r) => setTimeout(r, 5));
        log.push(name);
        perKey.set(key, perKey.get(key)! - 1);
        running--;
      },
    });
    q.enqueue(job('a', 'a1'));
    q.enqueue(job('a', 'a2'));
    q.enqueue(job('b', 'b1'));
    q.enqueue(job('c', 'c1'));
    await q.whenIdle();
    expect(maxRunning).toBe(2);
    expect(log.indexOf('a1')).toBeLessThan(log.indexOf('a2'));
    expect(log.sort()).toEqual(['a1', 'a2', 'b1', 'c1']);
    expect(q.stats).toMatchObject({ running: 0, waiting: 0, completed: 4 });
  });

  it('a newer job of the same group supersedes a waiting older one, not the running one', async () => {
    const q = new KeyedQueue(1);
    const gate = deferred();
    const ran: string[] = [];
    const superseded: string[] = [];
    const job = (name: string, group: string | undefined, wait?: Promise<void>): QueueJob => ({
      key: 'pr',
      ...(group ? { group } : {}),
      run: async () => {
        ran.push(name);
        if (wait) await wait;
      },
      superseded: (by) => void superseded.push(`${name}<-${(by as unknown as { name: string }).name ?? '?'}`),
    });
    const j1 = Object.assign(job('h1', 'analysis', gate.promise), { name: 'h1' });
    const j2 = Object.assign(job('h2', 'analysis'), { name: 'h2' });
    const cmd = Object.assign(job('cmd', undefined), { name: 'cmd' });
    const j3 = Object.assign(job('h3', 'analysis'), { name: 'h3' });
    q.enqueue(j1);
    q.enqueue(j2);
    q.enqueue(cmd);
    q.enqueue(j3);
    gate.resolve();
    await q.whenIdle();
    expect(ran).toEqual(['h1', 'cmd', 'h3']);
    expect(superseded).toEqual(['h2<-h3']);
    expect(q.stats.superseded).toBe(1);
  });

  it('a failing job is reported and does not stop the queue', async () => {
    const errors: unknown[] = [];
    const q = new KeyedQueue(1, (e) => errors.push(e));
    const ran: string[] = [];
    q.enqueue({ key: 'k', run: async () => Promise.reject(new Error('boom')) });
    q.enqueue({ key: 'k', run: async () => void ran.push('after') });
    await q.whenIdle();
    expect(ran).toEqual(['after']);
    expect(errors).toHaveLength(1);
    expect(q.stats.failed).toBe(1);
  });

  it('whenIdle resolves at once when empty', async () => {
    await new KeyedQueue().whenIdle();
  });
});

describe('RateLimiter', () => {
  it('allows `limit` hits per window per key', () => {
    let t = 0;
    const rl = new RateLimiter(3, 1000, () => t);
    expect([rl.take('a'), rl.take('a'), rl.take('a'), rl.take('a')]).toEqual([true, true, true, false]);
    expect(rl.take('b')).toBe(true);
    t = 999;
    expect(rl.take('a')).toBe(false);
    t = 1000;
    expect(rl.take('a')).toBe(true);
  });
});

describe('AckStore', () => {
  it('is keyed by repository, PR and head sha', () => {
    const s = new AckStore();
    s.set('O', 'r', 1, 'abc', { login: 'u', at: 't' });
    expect(s.get('o', 'r', 1, 'abc')).toEqual({ login: 'u', at: 't' });
    expect(s.get('o', 'r', 1, 'def')).toBeUndefined();
    expect(s.get('o', 'r', 2, 'abc')).toBeUndefined();
  });
});
