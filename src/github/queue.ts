// Background work queue: bounded concurrency overall, one job at a time per key (a pull request), and a
// newer job of the same `group` supersedes an older one still waiting (a newer head replaces a queued
// older analysis). Webhook handlers enqueue and return at once; tests await `whenIdle()`.
// Two implementations of `JobQueue`: `KeyedQueue` here (one process) and `RedisKeyedQueue` (redisQueue.ts,
// several replicas sharing one Redis).

/**
 * The running job's hold on its key. In one process the hold cannot be lost; across replicas it is a Redis
 * lock with an expiry, so a job checks it (and extends it) right before a write that must not happen twice.
 */
export interface Lease {
  /** Resolves while this job still holds its key; rejects with `LeaseLostError` once another may hold it. */
  assertHeld(): Promise<void>;
}

export class LeaseLostError extends Error {}

/** The in-process lease: nobody else can run a job of the same key. */
export const LOCAL_LEASE: Lease = { assertHeld: () => Promise.resolve() };

export interface QueueJob {
  /** Serialisation key, e.g. `owner/repo#12`. */
  readonly key: string;
  /** Jobs of the same group and key replace each other while waiting (e.g. 'analysis'). */
  readonly group?: string;
  /**
   * The work. Other own data fields of the job (e.g. `checkRunId`) are what `superseded(by)` sees of a newer
   * job; across replicas they travel as JSON, so keep them plain.
   */
  run(lease: Lease): Promise<void>;
  /** Called (awaited by the queue's idle state) when a newer job of the same group replaced this one. */
  superseded?(by: QueueJob): Promise<void> | void;
}

export interface QueueStats {
  readonly running: number;
  readonly waiting: number;
  readonly superseded: number;
  readonly completed: number;
  readonly failed: number;
}

/** What the runtime needs of a queue (see KeyedQueue for the contract). */
export interface JobQueue {
  readonly stats: QueueStats;
  enqueue(job: QueueJob): void;
  /** Resolves when this process has nothing running or waiting (including superseded callbacks). */
  whenIdle(): Promise<void>;
  /** Stop scheduling (timers); running jobs finish on their own. */
  close(): Promise<void>;
}

export class KeyedQueue implements JobQueue {
  readonly #waiting = new Map<string, QueueJob[]>();
  readonly #runningKeys = new Set<string>();
  readonly #ready: string[] = [];
  readonly #side = new Set<Promise<unknown>>();
  #active = 0;
  #idleWaiters: (() => void)[] = [];
  #superseded = 0;
  #completed = 0;
  #failed = 0;

  constructor(
    readonly maxConcurrent = 4,
    private readonly onError: (error: unknown, job: QueueJob) => void = () => undefined,
  ) {}

  get stats(): QueueStats {
    let waiting = 0;
    for (const jobs of this.#waiting.values()) waiting += jobs.length;
    return { running: this.#active, waiting, superseded: this.#superseded, completed: this.#completed, failed: this.#failed };
  }

  enqueue(job: QueueJob): void {
    const list = this.#waiting.get(job.key) ?? [];
    if (job.group !== undefined) {
      for (let i = list.length - 1; i >= 0; i--) {
        const old = list[i]!;
        if (old.group === job.group) {
          list.splice(i, 1);
          this.#superseded++;
          this.#track(Promise.resolve().then(() => old.superseded?.(job)));
        }
      }
    }
    list.push(job);
    this.#waiting.set(job.key, list);
    if (!this.#runningKeys.has(job.key) && !this.#ready.includes(job.key)) this.#ready.push(job.key);
    this.#pump();
  }

  /** Resolves when nothing runs and nothing waits (including superseded callbacks). */
  whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  #isIdle(): boolean {
    return this.#active === 0 && this.#ready.length === 0 && this.#side.size === 0 && this.stats.waiting === 0;
  }

  #track(p: Promise<unknown>): void {
    const tracked = p.catch((e: unknown) => this.onError(e, { key: '?', run: async () => undefined }));
    this.#side.add(tracked);
    void tracked.finally(() => {
      this.#side.delete(tracked);
      this.#checkIdle();
    });
  }

  #pump(): void {
    while (this.#active < this.maxConcurrent && this.#ready.length > 0) {
      const key = this.#ready.shift()!;
      const list = this.#waiting.get(key);
      const job = list?.shift();
      if (list && list.length === 0) this.#waiting.delete(key);
      if (!job) continue;
      this.#active++;
      this.#runningKeys.add(key);
      void job
        .run(LOCAL_LEASE)
        .then(
          () => void this.#completed++,
          (error: unknown) => {
            this.#failed++;
            this.onError(error, job);
          },
        )
        .finally(() => {
          this.#active--;
          this.#runningKeys.delete(key);
          if (this.#waiting.has(key)) this.#ready.push(key);
          this.#pump();
          this.#checkIdle();
        });
    }
  }

  #checkIdle(): void {
    if (!this.#isIdle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }
}

/** In-memory sliding-window limiter (e.g. 10 commands per minute per pull request). */
export class RateLimiter {
  readonly #hits = new Map<string, number[]>();
  constructor(
    readonly limit = 10,
    readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a hit and says whether it is within the limit. */
  take(key: string): boolean {
    const t = this.now();
    const recent = (this.#hits.get(key) ?? []).filter((h) => t - h < this.windowMs);
    if (recent.length >= this.limit) {
      this.#hits.set(key, recent);
      return false;
    }
    recent.push(t);
    this.#hits.set(key, recent);
    if (this.#hits.size > 10_000) {
      for (const [k, v] of this.#hits) if (v.every((h) => t - h >= this.windowMs)) this.#hits.delete(k);
    }
    return true;
  }
}

export interface Acknowledgement {
  readonly login: string;
  readonly at: string;
}

/** Where acknowledgements live: in memory (AckStore) or in Redis (RedisAckStore, shared and kept over restarts). */
export interface AckStorage {
  get(owner: string, repo: string, pr: number, sha: string): Acknowledgement | undefined | Promise<Acknowledgement | undefined>;
  set(owner: string, repo: string, pr: number, sha: string, ack: Acknowledgement): void | Promise<void>;
}

/**
 * Acknowledgements keyed by repository + PR + head sha. In memory: a restart forgets them (the check then
 * asks again on the next analysis); with REDIS_URL, RedisAckStore keeps them for every replica.
 */
export class AckStore implements AckStorage {
  readonly #acks = new Map<string, Acknowledgement>();
  static key(owner: string, repo: string, pr: number, sha: string): string {
    return `${owner}/${repo}#${pr}@${sha}`.toLowerCase();
  }
  get(owner: string, repo: string, pr: number, sha: string): Acknowledgement | undefined {
    return this.#acks.get(AckStore.key(owner, repo, pr, sha));
  }
  set(owner: string, repo: string, pr: number, sha: string, ack: Acknowledgement): void {
    this.#acks.set(AckStore.key(owner, repo, pr, sha), ack);
  }
}
