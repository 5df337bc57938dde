// The state replicas share through Redis when REDIS_URL is set: file texts by blob sha (and which repositories
// were read once), acknowledgements, and the deliveries already taken. Without REDIS_URL each of these lives
// in the process (BlobCache, AckStore; deliveries are not de-duplicated) exactly as before.
//
// Memory: every key written here has an expiry (texts: NETPOL_CACHE_TTL_SECONDS, default one day, refreshed on
// read; acknowledgements: 30 days; deliveries: one day), so Redis configured with `maxmemory` and
// `maxmemory-policy volatile-lru` evicts idle texts first and never needs to touch anything without one.
import { Redis } from 'ioredis';
import type { BlobStore } from './blobCache.js';
import { AckStore, type AckStorage, type Acknowledgement } from './queue.js';

export type RedisClient = Redis;

export interface SharedStateOptions {
  /** Prefix of every key (default `netpol:`): several deployments (or tests) can share one Redis. */
  readonly prefix?: string;
  /** Expiry of a cached text, refreshed when it is read. Default 86,400 s. */
  readonly cacheTtlSeconds?: number;
  readonly onError?: (error: unknown, what: string) => void;
}

export const DEFAULT_PREFIX = 'netpol:';
const ACK_TTL_SECONDS = 30 * 24 * 3600;
const DELIVERY_TTL_SECONDS = 24 * 3600;
/** Texts beyond this are not shared (a manifest this large is read again rather than held in Redis). */
const MAX_SHARED_TEXT_CHARS = 8 * 1024 * 1024;
const BATCH = 500;

/**
 * One connection per replica. Commands wait (offline queue) while Redis reconnects; a command that cannot be
 * sent after a few tries fails, so a job fails visibly instead of hanging.
 */
export function connectRedis(url: string, onError: (error: unknown) => void = () => undefined): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 3, connectionName: 'netpol-bot', enableAutoPipelining: true });
  redis.on('error', onError);
  return redis;
}

export class RedisBlobStore implements BlobStore {
  readonly #prefix: string;
  readonly #ttl: number;
  readonly #onError: (error: unknown, what: string) => void;

  constructor(
    private readonly redis: Redis,
    options: SharedStateOptions = {},
  ) {
    this.#prefix = options.prefix ?? DEFAULT_PREFIX;
    this.#ttl = options.cacheTtlSeconds ?? 86_400;
    this.#onError = options.onError ?? (() => undefined);
  }

  #blob(sha: string): string {
    return `${this.#prefix}blob:${sha}`;
  }

  #seen(repoKey: string): string {
    return `${this.#prefix}seen:${repoKey}`;
  }

  /** A failing Redis costs requests to GitHub, not the analysis: every error is a miss. */
  async lookup(shas: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    try {
      for (let i = 0; i < shas.length; i += BATCH) {
        const batch = shas.slice(i, i + BATCH);
        const pipeline = this.redis.pipeline();
        for (const sha of batch) pipeline.getex(this.#blob(sha), 'EX', this.#ttl);
        const results = (await pipeline.exec()) ?? [];
        results.forEach(([error, text], j) => {
          if (!error && typeof text === 'string') found.set(batch[j]!, text);
        });
        const failed = results.find(([error]) => error)?.[0];
        if (failed) throw failed;
      }
    } catch (error) {
      this.#onError(error, 'reading cached texts');
    }
    return found;
  }

  async put(entries: readonly (readonly [string, string])[]): Promise<void> {
    const kept = entries.filter(([, text]) => text.length <= MAX_SHARED_TEXT_CHARS);
    try {
      for (let i = 0; i < kept.length; i += BATCH) {
        const pipeline = this.redis.pipeline();
        for (const [sha, text] of kept.slice(i, i + BATCH)) pipeline.set(this.#blob(sha), text, 'EX', this.#ttl);
        const failed = ((await pipeline.exec()) ?? []).find(([error]) => error)?.[0];
        if (failed) throw failed;
      }
    } catch (error) {
      this.#onError(error, 'caching texts');
    }
  }

  async isSeen(repoKey: string): Promise<boolean> {
    try {
      return (await this.redis.exists(this.#seen(repoKey))) === 1;
    } catch (error) {
      this.#onError(error, 'reading which repositories were read');
      return false;
    }
  }

  async markSeen(repoKey: string): Promise<void> {
    try {
      await this.redis.set(this.#seen(repoKey), '1', 'EX', this.#ttl);
    } catch (error) {
      this.#onError(error, 'recording a repository as read');
    }
  }
}

/** Acknowledgements in Redis: every replica sees them, and a restart keeps them (30 days). */
export class RedisAckStore implements AckStorage {
  readonly #prefix: string;
  constructor(
    private readonly redis: Redis,
    options: Pick<SharedStateOptions, 'prefix'> = {},
  ) {
    this.#prefix = options.prefix ?? DEFAULT_PREFIX;
  }

  #key(owner: string, repo: string, pr: number, sha: string): string {
    return `${this.#prefix}ack:${AckStore.key(owner, repo, pr, sha)}`;
  }

  async get(owner: string, repo: string, pr: number, sha: string): Promise<Acknowledgement | undefined> {
    const raw = await this.redis.get(this.#key(owner, repo, pr, sha));
    if (raw === null) return undefined;
    const parsed = JSON.parse(raw) as Partial<Acknowledgement>;
    return typeof parsed.login === 'string' && typeof parsed.at === 'string' ? { login: parsed.login, at: parsed.at } : undefined;
  }

  async set(owner: string, repo: string, pr: number, sha: string, ack: Acknowledgement): Promise<void> {
    await this.redis.set(this.#key(owner, repo, pr, sha), JSON.stringify({ login: ack.login, at: ack.at }), 'EX', ACK_TTL_SECONDS);
  }
}

/**
 * Webhook deliveries already taken by a replica (by X-GitHub-Delivery): the same delivery arriving twice (a
 * redelivery while the first is handled, a load balancer retrying) is handled once. A handler that fails
 * gives its delivery back, so a manual redelivery runs again.
 */
export class DeliveryLog {
  readonly #prefix: string;
  constructor(
    private readonly redis: Redis,
    options: Pick<SharedStateOptions, 'prefix'> = {},
  ) {
    this.#prefix = options.prefix ?? DEFAULT_PREFIX;
  }

  async claim(id: string): Promise<boolean> {
    return (await this.redis.set(`${this.#prefix}delivery:${id}`, '1', 'EX', DELIVERY_TTL_SECONDS, 'NX')) === 'OK';
  }

  async release(id: string): Promise<void> {
    await this.redis.del(`${this.#prefix}delivery:${id}`);
  }
}
