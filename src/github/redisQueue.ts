// The keyed queue across replicas (REDIS_URL): the same contract as KeyedQueue (queue.ts), with the per-key
// exclusivity and the superseding held in Redis so that N replicas behind a load balancer never run two jobs
// of one pull request at once.
//
// - A job runs in the replica that received its webhook (it holds that installation's client); bounded
//   concurrency per replica.
// - Before it starts, a job takes the key's lock: `SET lock:<key> <fence>:<uuid> NX PX 30000`, extended every
//   10 s while it runs and deleted (only by its holder, in Lua) when it ends. A replica that dies loses the lock
//   after 30 s. The fence is an INCR per key, so a hold is never mistaken for an earlier or later one.
// - Writes that must happen once (the PR comment) call `lease.assertHeld()` first: it extends the lock if and
//   only if this job still holds it, else rejects (LeaseLostError) and the job writes nothing.
// - Superseding: enqueuing a job with a group writes `latest:<group>:<key>` = its token. A waiting job whose
//   token is no longer the latest is superseded (checked before and after taking the lock); a running job is
//   not (the runtime notices a newer head itself).
// - A job waiting for a lock held elsewhere does not take a slot; waiting keys are retried every `pollMs`.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LeaseLostError, type JobQueue, type Lease, type QueueJob, type QueueStats } from './queue.js';
import { DEFAULT_PREFIX } from './sharedState.js';

export interface RedisQueueOptions {
  readonly prefix?: string;
  readonly maxConcurrent?: number;
  readonly onError?: (error: unknown, job: QueueJob) => void;
  /** Lock expiry; extended every third of it while the job runs. Default 30 s. */
  readonly lockMs?: number;
  /** How often a job waiting for a lock held by another replica tries again. Default 100 ms. */
  readonly pollMs?: number;
}

const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const LATEST_TTL_SECONDS = 24 * 3600;

interface Entry {
  readonly job: QueueJob;
  readonly token: string;
  /** The job's `latest` registration (groups only); awaited before the job is considered. */
  readonly registered: Promise<unknown>;
}

class RedisLease implements Lease {
  lost = false;
  constructor(
    private readonly redis: Redis,
    readonly lockKey: string,
    readonly value: string,
    private readonly lockMs: number,
  ) {}

  async extend(): Promise<boolean> {
    const ok = (await this.redis.eval(EXTEND, 1, this.lockKey, this.value, String(this.lockMs))) === 1;
    if (!ok) this.lost = true;
    return ok;
  }

  async assertHeld(): Promise<void> {
    if (this.lost || !(await this.extend())) {
      throw new LeaseLostError(`lost the lock of ${this.lockKey} (another replica may be working on it); nothing was written`);
    }
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.lockKey, this.value);
  }
}

export class RedisKeyedQueue implements JobQueue {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #max: number;
  readonly #onError: (error: unknown, job: QueueJob) => void;
  readonly #lockMs: number;
  readonly #pollMs: number;
  readonly #pending: Entry[] = [];
  readonly #runningKeys = new Set<string>();
  readonly #side = new Set<Promise<unknown>>();
  #active = 0;
  #pumping = false;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #idleWaiters: (() => void)[] = [];
  #superseded = 0;
  #completed = 0;
  #failed = 0;

  constructor(redis: Redis, options: RedisQueueOptions = {}) {
    this.#redis = redis;
    this.#prefix = options.prefix ?? DEFAULT_PREFIX;
    this.#max = options.maxConcurrent ?? 4;
    this.#onError = options.onError ?? (() => undefined);
    this.#lockMs = options.lockMs ?? 30_000;
    this.#pollMs = options.pollMs ?? 100;
  }

  get stats(): QueueStats {
    return {
      running: this.#active,
      waiting: this.#pending.length,
      superseded: this.#superseded,
      completed: this.#completed,
      failed: this.#failed,
    };
  }

  lockKey(key: string): string {
    return `${this.#prefix}lock:${key}`;
  }

  #latestKey(job: QueueJob): string {
    return `${this.#prefix}latest:${job.group}:${job.key}`;
  }

  enqueue(job: QueueJob): void {
    const token = randomUUID();
    // JSON keeps the job's plain fields (key, group, checkRunId, ...) and drops its functions.
    const registered =
      job.group === undefined
        ? Promise.resolve()
        : this.#redis.set(this.#latestKey(job), JSON.stringify({ token, job }), 'EX', LATEST_TTL_SECONDS);
    registered.catch(() => undefined); // reported when the entry is considered
    this.#pending.push({ job, token, registered });
    void this.#pump();
  }

  whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  #isIdle(): boolean {
    return this.#active === 0 && this.#pending.length === 0 && this.#side.size === 0;
  }

  #checkIdle(): void {
    if (!this.#isIdle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }

  #track(p: Promise<unknown>, job: QueueJob): void {
    const tracked = p.catch((e: unknown) => this.#onError(e, job));
    this.#side.add(tracked);
    void tracked.finally(() => {
      this.#side.delete(tracked);
      this.#checkIdle();
    });
  }

  #remove(entry: Entry): void {
    const i = this.#pending.indexOf(entry);
    if (i >= 0) this.#pending.splice(i, 1);
  }

  /** The newer job that replaced this one, or undefined while it is still the latest of its group. */
  async #newer(entry: Entry): Promise<QueueJob | undefined> {
    if (entry.job.group === undefined) return undefined;
    await entry.registered;
    const raw = await this.#redis.get(this.#latestKey(entry.job));
    if (raw === null) return undefined;
    const latest = JSON.parse(raw) as { token: string; job: Omit<QueueJob, 'run'> };
    if (latest.token === entry.token) return undefined;
    return { ...latest.job, run: () => Promise.resolve() };
  }

  #supersede(entry: Entry, by: QueueJob): void {
    this.#remove(entry);
    this.#superseded++;
    this.#track(Promise.resolve().then(() => entry.job.superseded?.(by)), entry.job);
  }

  async #acquire(key: string): Promise<RedisLease | undefined> {
    const lockKey = this.lockKey(key);
    const fenceKey = `${this.#prefix}fence:${key}`;
    const [[, fence] = []] = (await this.#redis.multi().incr(fenceKey).expire(fenceKey, LATEST_TTL_SECONDS * 30).exec()) ?? [];
    if (typeof fence !== 'number') throw new Error(`could not take a fence number for ${key}`);
    const value = `${fence}:${randomUUID()}`;
    const ok = await this.#redis.set(lockKey, value, 'PX', this.#lockMs, 'NX');
    return ok === 'OK' ? new RedisLease(this.#redis, lockKey, value, this.#lockMs) : undefined;
  }

  async #pump(): Promise<void> {
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#again = false;
        const tried = new Set<string>();
        for (const entry of [...this.#pending]) {
          if (this.#closed || this.#active >= this.#max) break;
          const { key } = entry.job;
          // One job per key at a time, in enqueue order within this replica.
          if (this.#runningKeys.has(key) || tried.has(key)) continue;
          tried.add(key);
          try {
            await this.#consider(entry);
          } catch (error) {
            // Redis unreachable (after the client's retries): the job stays and is tried again.
            this.#onError(error, entry.job);
          }
        }
      } while (this.#again && !this.#closed);
    } finally {
      this.#pumping = false;
    }
    clearTimeout(this.#timer);
    if (this.#pending.length > 0 && !this.#closed) {
      this.#timer = setTimeout(() => void this.#pump(), this.#pollMs);
      this.#timer.unref();
    }
    this.#checkIdle();
  }

  async #consider(entry: Entry): Promise<void> {
    const before = await this.#newer(entry);
    if (before) return this.#supersede(entry, before);
    const lease = await this.#acquire(entry.job.key);
    if (!lease) return; // held by another replica: tried again later
    let after: QueueJob | undefined;
    try {
      after = await this.#newer(entry);
    } catch (error) {
      await lease.release().catch(() => undefined);
      throw error;
    }
    if (after) {
      await lease.release();
      return this.#supersede(entry, after);
    }
    this.#remove(entry);
    this.#start(entry, lease);
  }

  #start(entry: Entry, lease: RedisLease): void {
    const { job } = entry;
    this.#active++;
    this.#runningKeys.add(job.key);
    const renew = setInterval(() => {
      lease.extend().catch((error: unknown) => this.#onError(error, job));
    }, Math.max(10, Math.floor(this.#lockMs / 3)));
    renew.unref();
    void job
      .run(lease)
      .then(
        () => void this.#completed++,
        (error: unknown) => {
          this.#failed++;
          this.#onError(error, job);
        },
      )
      .finally(async () => {
        clearInterval(renew);
        await lease.release().catch((error: unknown) => this.#onError(error, job));
        this.#active--;
        this.#runningKeys.delete(job.key);
        await this.#pump();
        this.#checkIdle();
      });
  }
}
