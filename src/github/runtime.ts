// The background work of the app: analyse a pull request, answer commands, handle check-run buttons.
// Everything GitHub-specific (fetching, comments, check runs, staleness) lives here; every policy decision
// comes from the injected domain functions.
import picomatch from 'picomatch';
import type { Logger } from 'probot';
import type { AnalysisResult } from '../analysis.js';
import { DEFAULT_LIMITS, parseConfig, type NetpolConfig, type ParseConfigResult } from '../config/schema.js';
import { codeBlock, codeSpan, escapeMarkdown } from '../render/escapeMarkdown.js';
import { completeCheckRun, createCheckRun, cut, MAX_OUTPUT_CHARS, type ActionId, type Completion } from './checkRun.js';
import {
  COMMENT_MARKER,
  MAX_COMMENT_CHARS,
  editExistingComment,
  findOwnComments,
  writeComment,
  type AppIdentity,
  type CommentOutcome,
  type PullRef,
} from './comments.js';
import type { DomainFunctions, ExplainQuery, RepoSnapshot } from './deps.js';
import { ManifestFetcher, type SkippedFile, type Snapshot } from './fetchManifests.js';
import { renderSnapshot } from './renderSnapshot.js';
import { mergeOverlayResults, overlayNames, type OverlayResult } from '../analysisOverlays.js';
import { isRenderInput } from '../manifests/render/isRenderInput.js';
import type { AnalysisOutcome, NetpolMetrics } from './metrics.js';
import type { Octokit } from './octokit.js';
import { redactSecrets } from './redact.js';
import { retrySecondaryRateLimits } from './secondaryRateLimit.js';
import { AckStore, KeyedQueue, LOCAL_LEASE, RateLimiter, type AckStorage, type JobQueue, type Lease, type QueueJob } from './queue.js';
import { RedisKeyedQueue } from './redisQueue.js';
import { connectRedis, DeliveryLog, RedisAckStore, RedisBlobStore, type RedisClient } from './sharedState.js';

export const CONFIG_PATH = '.github/netpol.yml';

export interface PullInfo extends PullRef {
  readonly headSha: string;
  /** Tip of the base branch when the event was sent; the analysis uses the merge base with the head. */
  readonly baseSha: string;
}

export interface RuntimeOptions extends DomainFunctions {
  readonly concurrency?: number;
  readonly cacheBytes?: number;
  readonly identity?: AppIdentity;
  readonly commandsPerMinute?: number;
  readonly now?: () => number;
  readonly log?: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
  /** Prometheus counters (src/github/metrics.ts); none in unit tests that do not need them. */
  readonly metrics?: NetpolMetrics;
  /** Where the config is read on the default branch (the Action's `config` input); default CONFIG_PATH. */
  readonly configPath?: string;
  /**
   * Share the queue, the file cache, acknowledgements and taken deliveries with other replicas through this
   * Redis (REDIS_URL). Without it, everything stays in this process.
   */
  readonly redisUrl?: string;
  /** Key prefix in Redis (default `netpol:`). */
  readonly redisPrefix?: string;
  /** Expiry of a text cached in Redis, refreshed on read (NETPOL_CACHE_TTL_SECONDS; default one day). */
  readonly cacheTtlSeconds?: number;
  /** Redis lock expiry of a running job (default 30 s; extended while it runs). */
  readonly lockMs?: number;
}

/** What one analysis did, for the structured log line and the metrics. */
interface AnalysisStats {
  changedFiles?: number;
  prFiles?: number;
  baseFiles?: number;
  headFiles?: number;
  skippedFiles?: number;
  hasChanges?: boolean;
  comment?: string;
  mergeBase?: string;
}

type Log = Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

export function prKey(pr: PullRef): string {
  return `${pr.owner}/${pr.repo}#${pr.number}`.toLowerCase();
}

/** The message of an error as shown in a check run, a reply or a log line: never a token or a key. */
export function errorMessage(error: unknown): string {
  const known = [process.env.GITHUB_TOKEN, process.env.WEBHOOK_SECRET, process.env.PRIVATE_KEY];
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    const status = (error as { status?: number }).status;
    return redactSecrets(`${status ? `GitHub API error ${status}: ` : ''}${error.message}${cause}`, known);
  }
  return redactSecrets(String(error), known);
}

/** What an error log line carries: type, status, redacted message and stack (never the request headers). */
function loggableError(error: unknown): Record<string, unknown> {
  const status = (error as { status?: number } | undefined)?.status;
  const stack = error instanceof Error && error.stack ? redactSecrets(error.stack) : undefined;
  return {
    type: error instanceof Error ? error.constructor.name : typeof error,
    message: errorMessage(error),
    ...(status !== undefined ? { status } : {}),
    ...(stack ? { stack } : {}),
  };
}

/** Mutable state of one analysis job: when it started, its config once read, and whether it gave up. */
interface JobControl {
  readonly started: number;
  /** The job's hold on its pull request, checked right before the comment is written. */
  readonly lease: Lease;
  config?: NetpolConfig;
  cancelled: boolean;
}

const RANK: Record<Completion['conclusion'], number> = { success: 0, neutral: 1, failure: 2 };
function worst(a: Completion['conclusion'], b: Completion['conclusion']): Completion['conclusion'] {
  return RANK[a] >= RANK[b] ? a : b;
}
const TOO_LARGE = 'larger than limits.maxFileBytes';

class TimeoutError extends Error {}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} took longer than ${ms / 1000} s (limits.timeoutSeconds)`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function commitsLine(base: string, head: string): string {
  return `<!-- netpol-bot:commits ${base}..${head} -->`;
}

function frame(content: string, base: string, head: string, extra: string[] = []): string {
  return [
    COMMENT_MARKER,
    commitsLine(base, head),
    content.trimEnd(),
    ...extra,
    '',
    `<sub>netpol-bot compared ${base} (merge base) with ${head} (head).</sub>`,
  ].join('\n');
}

/** "No reachability changes as of <sha>" (also used when a later push removes all changes). */
export function noChangesBody(base: string, head: string, what: 'reachability' | 'manifest'): string {
  return frame(`No ${what} changes as of ${head}.`, base, head);
}

function skippedSection(skipped: readonly SkippedFile[]): string {
  if (skipped.length === 0) return '';
  const lines = skipped.slice(0, 50).map((s) => `- ${codeSpan(s.path)}: ${escapeMarkdown(s.reason)}`);
  if (skipped.length > 50) lines.push(`- … and ${skipped.length - 50} more`);
  return `\n\n**Not read (${skipped.length}):**\n${lines.join('\n')}`;
}

export class NetpolRuntime {
  readonly fetcher: ManifestFetcher;
  readonly queue: JobQueue;
  readonly acks: AckStorage;
  /** With REDIS_URL: the shared connection, and the deliveries any replica already took. */
  readonly redis: RedisClient | undefined;
  readonly deliveries: DeliveryLog | undefined;
  readonly limiter: RateLimiter;
  readonly identity: AppIdentity;
  readonly domain: DomainFunctions;
  readonly metrics: NetpolMetrics | undefined;
  readonly configPath: string;
  log: Log;

  constructor(options: RuntimeOptions) {
    this.domain = { analyze: options.analyze, explain: options.explain, matrix: options.matrix };
    this.log = options.log ?? silent;
    const onJobError = (error: unknown, job: QueueJob): void =>
      this.log.error({ err: loggableError(error), key: job.key }, 'netpol background job failed');
    if (options.redisUrl) {
      const prefix = options.redisPrefix;
      const shared = { ...(prefix ? { prefix } : {}) };
      const redis = connectRedis(options.redisUrl, (error) => this.log.warn({ err: loggableError(error) }, 'redis connection error'));
      this.redis = redis;
      this.fetcher = new ManifestFetcher({
        store: new RedisBlobStore(redis, {
          ...shared,
          ...(options.cacheTtlSeconds ? { cacheTtlSeconds: options.cacheTtlSeconds } : {}),
          onError: (error, what) => this.log.warn({ err: loggableError(error) }, `redis cache: ${what} failed; reading from GitHub instead`),
        }),
      });
      this.queue = new RedisKeyedQueue(redis, {
        ...shared,
        maxConcurrent: options.concurrency ?? 4,
        onError: onJobError,
        ...(options.lockMs ? { lockMs: options.lockMs } : {}),
      });
      this.acks = new RedisAckStore(redis, shared);
      this.deliveries = new DeliveryLog(redis, shared);
    } else {
      this.redis = undefined;
      this.deliveries = undefined;
      this.fetcher = new ManifestFetcher(options.cacheBytes !== undefined ? { cacheBytes: options.cacheBytes } : {});
      this.queue = new KeyedQueue(options.concurrency ?? 4, (error, job) =>
        this.log.error({ err: error, key: job.key }, 'netpol background job failed'),
      );
      this.acks = new AckStore();
    }
    this.limiter = new RateLimiter(options.commandsPerMinute ?? 10, 60_000, options.now ?? Date.now);
    this.identity = { ...(options.identity ?? {}) };
    this.metrics = options.metrics;
    this.configPath = options.configPath || CONFIG_PATH;
  }

  /** Wait out secondary rate limits on this client (Probot's defaults give up on them; see secondaryRateLimit.ts). */
  guard(octokit: Octokit): Octokit {
    return retrySecondaryRateLimits(octokit, {
      onRetry: (info) => this.log.warn({ ...info }, 'secondary rate limit: waiting retry-after, then trying again'),
    });
  }

  learnIdentity(app: AppIdentity | null | undefined): void {
    if (!app) return;
    if (this.identity.id === undefined && app.id !== undefined) this.identity.id = app.id;
    if (this.identity.slug === undefined && app.slug) this.identity.slug = app.slug;
  }

  whenIdle(): Promise<void> {
    return this.queue.whenIdle();
  }

  /**
   * Run a webhook handler once per delivery id across replicas (with REDIS_URL; in one process GitHub's single
   * delivery is trusted as before). A handler that throws gives the delivery back, so a redelivery runs again.
   */
  async oncePerDelivery(id: string, handler: () => Promise<void>): Promise<void> {
    const log = this.deliveries;
    if (!log || !id) return handler();
    if (!(await log.claim(id))) {
      this.log.info({ delivery: id }, 'delivery already taken by a replica: ignored');
      return;
    }
    try {
      await handler();
    } catch (error) {
      await log.release(id).catch(() => undefined);
      throw error;
    }
  }

  /** Stop the queue's timers and close the Redis connection (after the running jobs, when idle). */
  async close(): Promise<void> {
    await this.queue.close();
    await this.redis?.quit().catch(() => undefined);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Shared steps

  async loadConfig(octokit: Octokit, pr: PullRef): Promise<ParseConfigResult> {
    let raw: unknown;
    try {
      // Default branch only (no `branch`): a pull request cannot relax its own gate. Falls back to the
      // owner's `.github` repository and follows `_extends`, like `context.config`.
      const { config } = await octokit.config.get({ owner: pr.owner, repo: pr.repo, path: this.configPath });
      raw = config;
    } catch (error) {
      if ((error as { status?: number }).status !== undefined) throw error; // an API failure, not a config error
      return { ok: false, error: errorMessage(error).replace(/^\[@probot\/octokit-plugin-config\] /, '') };
    }
    return parseConfig(raw);
  }

  async mergeBase(octokit: Octokit, pr: PullInfo): Promise<string> {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: pr.owner,
      repo: pr.repo,
      basehead: `${pr.baseSha}...${pr.headSha}`,
      per_page: 1,
    });
    return data.merge_base_commit.sha;
  }

  matcher(config: NetpolConfig): (path: string) => boolean {
    // dot: false, so CI workflows under .github/ are not mistaken for manifests unless a glob names them.
    const include = picomatch(config.paths, { dot: false });
    const exclude = config.ignore.length > 0 ? picomatch(config.ignore, { dot: true }) : () => false;
    // Files rendering needs (Kustomization, Chart.yaml, templates, *.tpl) even when `paths` would miss them.
    return (path) => (include(path) || isRenderInput(path)) && !exclude(path);
  }

  async currentHead(octokit: Octokit, pr: PullRef): Promise<string> {
    const { data } = await octokit.rest.pulls.get({ owner: pr.owner, repo: pr.repo, pull_number: pr.number });
    return data.head.sha;
  }

  async pullInfo(octokit: Octokit, pr: PullRef): Promise<PullInfo & { state: string }> {
    const { data } = await octokit.rest.pulls.get({ owner: pr.owner, repo: pr.repo, pull_number: pr.number });
    return { ...pr, headSha: data.head.sha, baseSha: data.base.sha, state: data.state };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Analysis

  /**
   * Create the `in_progress` check run (unless `checkRunId` is given) and queue the analysis. Returns as soon
   * as the check run exists, so the webhook is acknowledged at once.
   */
  async startAnalysis(octokit: Octokit, pr: PullInfo, checkRunId?: number): Promise<number> {
    this.guard(octokit);
    let id = checkRunId;
    if (id === undefined) {
      const created = await createCheckRun(octokit, pr, pr.headSha, pr.number);
      this.learnIdentity(created.app);
      id = created.id;
    }
    const runId = id;
    const job: QueueJob & { checkRunId: number } = {
      key: prKey(pr),
      group: 'analysis',
      checkRunId: runId,
      run: (lease) => this.analyze(octokit, pr, runId, lease),
      superseded: async (by) => {
        if ((by as { checkRunId?: number }).checkRunId === runId) return;
        await completeCheckRun(octokit, { owner: pr.owner, repo: pr.repo, id: runId }, {
          conclusion: 'neutral',
          title: 'Superseded',
          summary: 'A newer analysis of this pull request was queued before this one started.',
        });
      },
    };
    this.queue.enqueue(job);
    return runId;
  }

  async analyze(octokit: Octokit, pr: PullInfo, checkRunId: number, lease: Lease = LOCAL_LEASE): Promise<void> {
    const run = { owner: pr.owner, repo: pr.repo, id: checkRunId };
    const started = performance.now();
    const stats: AnalysisStats = {};
    // One structured line per analysis (LOG_FORMAT=json): who, what, how long, how much. Never a token or body.
    const done = (outcome: AnalysisOutcome, title: string): void => {
      const seconds = (performance.now() - started) / 1000;
      this.metrics?.analysis(outcome, seconds);
      this.log.info(
        {
          event: 'analysis',
          repo: `${pr.owner}/${pr.repo}`,
          pr: pr.number,
          headSha: pr.headSha,
          checkRunId,
          outcome,
          title,
          durationMs: Math.round(seconds * 1000),
          ...stats,
        },
        `analysed ${prKey(pr)} at ${pr.headSha.slice(0, 7)}: ${outcome}`,
      );
    };
    const context = { pr: prKey(pr), headSha: pr.headSha, checkRunId };
    const ctl: JobControl = { started: Date.now(), lease, cancelled: false };
    let completion: Completion;
    let outcome: AnalysisOutcome;
    try {
      completion = await this.#analyze(octokit, pr, stats, ctl);
      outcome = completion.conclusion;
    } catch (error) {
      outcome = 'error';
      this.log.warn({ err: loggableError(error), ...context }, 'analysis failed');
      const message = errorMessage(error);
      const timedOut = error instanceof TimeoutError;
      // Fail closed: a gate that passes when it could not look is a hole. The button tries again.
      completion = {
        conclusion: 'failure',
        title: timedOut ? 'Analysis timed out' : 'Analysis failed',
        summary: `netpol-bot could not analyse ${pr.headSha}:\n\n${codeBlock(message, 'text')}\n\nPress **Re-analyze** to try again.`,
        actions: ['reanalyze'],
      };
    }
    try {
      await this.#complete(octokit, run, completion, context);
    } finally {
      // After the check run is written, so the duration covers the whole job.
      done(outcome, completion.title);
    }
  }

  /**
   * Complete the check run; if GitHub rejects the full output (after the client's own retries), complete it
   * once more with a minimal one, so a run is never left in progress for want of a smaller body.
   */
  async #complete(octokit: Octokit, run: { owner: string; repo: string; id: number }, c: Completion, context: Record<string, unknown>): Promise<void> {
    try {
      await completeCheckRun(octokit, run, c);
    } catch (error) {
      this.log.error({ err: loggableError(error), ...context }, 'could not complete the check run; completing it with a minimal output');
      await completeCheckRun(octokit, run, {
        conclusion: c.conclusion,
        title: c.title,
        summary: `The full report could not be written to this check run:\n\n${codeBlock(errorMessage(error), 'text')}\n\nPress **Re-analyze** to try again.`,
        actions: ['reanalyze'],
      });
    }
  }

  async #analyze(octokit: Octokit, pr: PullInfo, stats: AnalysisStats, ctl: JobControl): Promise<Completion> {
    // Until the config says otherwise, the default time limit applies (also to reading the config).
    const parsed = await withTimeout(this.loadConfig(octokit, pr), DEFAULT_LIMITS.timeoutSeconds * 1000, 'reading the configuration');
    if (!parsed.ok) {
      return {
        conclusion: 'failure',
        title: `Invalid ${this.configPath}`,
        summary: `${codeSpan(this.configPath)} on the default branch is invalid:\n\n${codeBlock(parsed.error, 'text')}\n\nSee docs/config.md for the keys.`,
        actions: ['reanalyze'],
      };
    }
    const config = parsed.config;
    ctl.config = config;
    // Everything after the config (listing files, fetching, analysing, writing) is under limits.timeoutSeconds,
    // counted from the start of the job. A timed-out job is cancelled: it writes nothing afterwards.
    const left = ctl.started + config.limits.timeoutSeconds * 1000 - Date.now();
    try {
      return await withTimeout(this.#analyzeWith(octokit, pr, stats, ctl, config), Math.max(1, left), 'the analysis');
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
      ctl.cancelled = true;
      this.log.warn({ pr: prKey(pr), headSha: pr.headSha, limit: 'timeoutSeconds', seconds: config.limits.timeoutSeconds }, 'analysis stopped by limits.timeoutSeconds');
      return {
        conclusion: config.limits.onExceeded,
        title: 'Limit exceeded: limits.timeoutSeconds',
        summary: `**Limit exceeded: ${codeSpan('limits.timeoutSeconds')}.** The analysis of ${pr.headSha} took longer than ${config.limits.timeoutSeconds} s and was stopped; nothing was written to the pull request.\n\nPress **Re-analyze** to try again, or raise the limit in ${codeSpan(this.configPath)} on the default branch.`,
        actions: ['reanalyze'],
      };
    }
  }

  async #analyzeWith(octokit: Octokit, pr: PullInfo, stats: AnalysisStats, ctl: JobControl, config: NetpolConfig): Promise<Completion> {
    const accept = this.matcher(config);
    const writable = (): void => {
      if (ctl.cancelled) throw new TimeoutError('the analysis was stopped by limits.timeoutSeconds');
    };

    const prFiles = await octokit.paginate(octokit.rest.pulls.listFiles, {
      owner: pr.owner,
      repo: pr.repo,
      pull_number: pr.number,
      per_page: 100,
    });
    const changed = [
      ...new Set(prFiles.flatMap((f) => [f.filename, ...(f.previous_filename ? [f.previous_filename] : [])]).filter(accept)),
    ].sort();
    stats.prFiles = prFiles.length;
    stats.changedFiles = changed.length;
    const base = await this.mergeBase(octokit, pr);
    stats.mergeBase = base;

    if (changed.length === 0) {
      const moved = await this.#moved(octokit, pr);
      if (moved) return moved;
      writable();
      if (config.comment !== 'off') {
        // Listing and writing under this job's hold on the PR: another replica cannot create a second comment.
        await ctl.lease.assertHeld();
        const thread = { pr, mode: config.comment, existing: await findOwnComments(octokit, pr, this.identity) };
        this.#commented(stats, await editExistingComment(octokit, thread, noChangesBody(base, pr.headSha, 'manifest')));
      }
      return {
        conclusion: 'success',
        title: 'No manifest changes',
        summary: `None of the ${prFiles.length} changed file(s) matches ${codeSpan(`paths: ${JSON.stringify(config.paths)}`)}${
          config.ignore.length ? ` minus ${codeSpan(`ignore: ${JSON.stringify(config.ignore)}`)}` : ''
        }; nothing to analyse at ${pr.headSha}.`,
        actions: ['reanalyze'],
      };
    }

    const work = async (): Promise<{ result: AnalysisResult; snapshots: Snapshot[] }> => {
      const snapshots = await this.fetcher.fetch(octokit, {
        owner: pr.owner,
        repo: pr.repo,
        shas: [base, pr.headSha],
        accept,
        maxFileBytes: config.limits.maxFileBytes,
      });
      const [b, h] = snapshots as [Snapshot, Snapshot];
      const frameChars = frame('', base, pr.headSha, ['', 'x'.repeat(200)]).length;
      // Overlays and charts are rendered here, at the edge; the analysis stays a pure function of files.
      const renderMs = ctl.started + config.limits.timeoutSeconds * 1000 - Date.now();
      const [rb, rh] = await Promise.all([renderSnapshot(b.files, config, renderMs), renderSnapshot(h.files, config, renderMs)]);
      writable();
      // kustomize.mode per-overlay: one analysis per overlay, each its own cluster, merged into one answer.
      const perOverlay = config.kustomize?.mode === 'per-overlay' && [...rb.sets, ...rh.sets].some((x) => x.overlay !== undefined);
      const names = perOverlay ? overlayNames(rb.sets, rh.sets) : [undefined];
      const results: OverlayResult[] = [];
      for (const overlay of names) {
        const filesOf = (r: typeof rb) => (perOverlay ? (r.sets.find((x) => x.overlay === overlay)?.files ?? []) : r.files);
        results.push({
          overlay,
          result: await this.domain.analyze({
            base: { files: filesOf(rb), sha: base, notes: rb.notes },
            head: { files: filesOf(rh), sha: pr.headSha, notes: rh.notes },
            config,
            changedFiles: changed,
            maxChars: Math.floor((MAX_COMMENT_CHARS - frameChars) / names.length) - 100,
            deadline: ctl.started + config.limits.timeoutSeconds * 1000,
          }),
        });
        writable();
      }
      const analysed = mergeOverlayResults(results);
      // Rendered objects live in synthetic files ("overlays/prod (kustomize)"): annotate repository files only.
      const realPaths = new Set(h.files.map((f) => f.path));
      const annotations = analysed.check.annotations.filter((a) => realPaths.has(a.path));
      const result = { ...analysed, check: { ...analysed.check, annotations } };
      return { result, snapshots };
    };
    const { result, snapshots } = await work();
    stats.baseFiles = snapshots[0]?.files.length;
    stats.headFiles = snapshots[1]?.files.length;
    stats.skippedFiles = snapshots.reduce((n, s) => n + s.skipped.length, 0);
    stats.hasChanges = result.hasChanges;

    // A newer head arrived (or the PR was closed) while we worked: this run writes nothing.
    const moved = await this.#moved(octokit, pr);
    if (moved) return moved;
    writable();

    // Files over limits.maxFileBytes were not read: the rest is analysed, and the check says which limit.
    const tooLarge = snapshots.flatMap((s) => s.skipped.filter((f) => f.reason.startsWith(TOO_LARGE)));
    const ack = await this.acks.get(pr.owner, pr.repo, pr.number, pr.headSha);
    const ackLine = [
      ...(ack ? [`\n✅ Acknowledged by ${codeSpan(ack.login)} for ${pr.headSha}.`] : []),
      ...(tooLarge.length > 0
        ? [`\n⚠️ ${tooLarge.length} ${tooLarge.length === 1 ? 'file was' : 'files were'} not read: larger than ${codeSpan('limits.maxFileBytes')} (${config.limits.maxFileBytes} bytes); see the check run.`]
        : []),
    ];

    // Comment: cut to the bound, the rest goes to the check run text.
    const budget = MAX_COMMENT_CHARS - frame('', base, pr.headSha, ackLine).length - 200;
    let content = result.comment;
    let overflow = '';
    if (content.length > budget) {
      const nl = content.lastIndexOf('\n', budget);
      const at = nl > budget * 0.8 ? nl : budget;
      overflow = content.slice(at);
      content = `${content.slice(0, at)}\n\n… The rest of this report is in the ${codeSpan('netpol')} check run.`;
    }
    const mode = config.comment;
    if (mode !== 'off') {
      // Listing and writing under this job's hold on the PR: another replica cannot create a second comment.
      await ctl.lease.assertHeld();
      const thread = { pr, mode, existing: await findOwnComments(octokit, pr, this.identity) };
      writable();
      if (result.limit) {
        // Not analysed: say so in an existing comment (its old report is out of date), never start one.
        this.#commented(stats, await editExistingComment(octokit, thread, frame(content, base, pr.headSha)));
      } else if (result.hasChanges || config.commentWhen === 'always') {
        this.#commented(stats, await writeComment(octokit, thread, frame(content, base, pr.headSha, ackLine)));
      } else {
        this.#commented(stats, await editExistingComment(octokit, thread, noChangesBody(base, pr.headSha, 'reachability')));
      }
    }

    const skipped = snapshots.flatMap((s) => s.skipped.map((f) => ({ path: `${f.path} @ ${s.sha.slice(0, 7)}`, reason: f.reason })));
    const limited = tooLarge.length > 0 && !result.limit;
    const check = limited
      ? {
          ...result.check,
          conclusion: worst(result.check.conclusion, config.limits.onExceeded),
          title: `Limit exceeded: limits.maxFileBytes (${tooLarge.length} ${tooLarge.length === 1 ? 'file' : 'files'} not read); ${result.check.title}`,
        }
      : result.check;
    const acknowledged = ack !== undefined && check.conclusion !== 'success';
    const textParts = [check.text ?? '', overflow ? `## Rest of the pull-request comment\n\n${overflow}` : ''].filter((t) => t);
    const actions: ActionId[] = ['reanalyze'];
    if (result.hasChanges) actions.push('explain');
    if (check.conclusion === 'failure' && !ack) actions.push('acknowledge');
    return {
      conclusion: acknowledged ? 'success' : check.conclusion,
      title: acknowledged ? `Acknowledged by ${ack.login}: ${check.title}` : check.title,
      summary: cut(
        `${acknowledged ? `Acknowledged by ${codeSpan(ack.login)} at ${ack.at} for ${pr.headSha}.\n\n` : ''}${check.summary}${skippedSection(skipped)}`,
        MAX_OUTPUT_CHARS,
      ),
      ...(textParts.length ? { text: cut(textParts.join('\n\n'), MAX_OUTPUT_CHARS) } : {}),
      annotations: check.annotations,
      actions,
    };
  }

  #commented(stats: AnalysisStats, outcome: CommentOutcome): void {
    stats.comment = outcome;
    this.metrics?.comment(outcome);
  }

  /** A completion when the PR moved on (a newer head, a force-push) or was closed meanwhile; else undefined. */
  async #moved(octokit: Octokit, pr: PullInfo): Promise<Completion | undefined> {
    const now = await this.pullInfo(octokit, pr);
    if (now.headSha !== pr.headSha) {
      this.log.info({ pr: prKey(pr), analysed: pr.headSha, current: now.headSha }, 'stale analysis: writing nothing');
      return this.#superseded();
    }
    if (now.state !== 'open') {
      this.log.info({ pr: prKey(pr), analysed: pr.headSha, state: now.state }, 'pull request closed during the analysis: writing nothing');
      return {
        conclusion: 'neutral',
        title: 'Pull request closed',
        summary: `The pull request was closed while ${pr.headSha} was analysed; nothing was written to it.`,
      };
    }
    return undefined;
  }

  #superseded(): Completion {
    return {
      conclusion: 'neutral',
      title: 'Superseded by a newer commit',
      summary: 'The pull request moved on while this commit was analysed; see the check run of the newer head.',
    };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Check-run buttons

  /** "Explain": put the explanation of every opened/closed connection in the check run's text. */
  enqueueExplainChanges(octokit: Octokit, pr: PullRef, checkRunId: number): void {
    this.guard(octokit);
    this.queue.enqueue({
      key: prKey(pr),
      run: async () => {
        const run = { owner: pr.owner, repo: pr.repo, check_run_id: checkRunId };
        const { data: current } = await octokit.rest.checks.get(run);
        let text: string;
        try {
          const info = await this.pullInfo(octokit, pr);
          const parsed = await this.loadConfig(octokit, pr);
          if (!parsed.ok) throw new Error(`${this.configPath} is invalid: ${parsed.error}`);
          const base = await this.mergeBase(octokit, { ...info, headSha: current.head_sha });
          const [b, h] = (await this.fetcher.fetch(octokit, {
            owner: pr.owner,
            repo: pr.repo,
            shas: [base, current.head_sha],
            accept: this.matcher(parsed.config),
            maxFileBytes: parsed.config.limits.maxFileBytes,
          })) as [Snapshot, Snapshot];
          const renderMs = parsed.config.limits.timeoutSeconds * 1000;
          const [rb, rh] = await Promise.all([renderSnapshot(b.files, parsed.config, renderMs), renderSnapshot(h.files, parsed.config, renderMs)]);
          const answer = await this.domain.explain({
            base: { sha: base, files: rb.files },
            head: { sha: current.head_sha, files: rh.files },
            config: parsed.config,
            query: { kind: 'changes' },
            maxChars: MAX_OUTPUT_CHARS - 200,
          });
          text = typeof answer === 'string' ? answer : answer.markdown;
        } catch (error) {
          text = `Could not explain the changes:\n\n${codeBlock(errorMessage(error), 'text')}`;
        }
        await octokit.rest.checks.update({
          ...run,
          output: {
            title: current.output.title ?? 'netpol',
            summary: current.output.summary ?? '',
            text: cut(`## Explanation\n\n${text}`, MAX_OUTPUT_CHARS),
          },
        });
      },
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // Commands

  /** Answer `explain` / `matrix` with a reply comment, then react `rocket` (or `confused` on failure). */
  enqueueQuery(
    octokit: Octokit,
    pr: PullRef,
    commentId: number,
    query: { kind: 'explain'; query: ExplainQuery; heading: string } | { kind: 'matrix'; namespace?: string; heading: string },
  ): void {
    this.guard(octokit);
    this.queue.enqueue({
      key: prKey(pr),
      run: async () => {
        let reply: string;
        let ok = true;
        try {
          const info = await this.pullInfo(octokit, pr);
          const parsed = await this.loadConfig(octokit, pr);
          if (!parsed.ok) throw new Error(`${this.configPath} is invalid: ${parsed.error}`);
          // A connection is explained at the merge base too, so the answer can say what the PR changed for it.
          const withBase = query.kind === 'explain' && query.query.kind === 'connection';
          const baseSha = withBase ? await this.mergeBase(octokit, info) : undefined;
          const snapshots = (await this.fetcher.fetch(octokit, {
            owner: pr.owner,
            repo: pr.repo,
            shas: baseSha ? [baseSha, info.headSha] : [info.headSha],
            accept: this.matcher(parsed.config),
            maxFileBytes: parsed.config.limits.maxFileBytes,
          })) as Snapshot[];
          // Overlays and charts rendered as for the pull-request analysis, so answers are about the same objects.
          const renderMs = parsed.config.limits.timeoutSeconds * 1000;
          const rendered = await Promise.all(snapshots.map((s) => renderSnapshot(s.files, parsed.config, renderMs)));
          const head: RepoSnapshot = { sha: info.headSha, files: rendered.at(-1)!.files };
          const base: RepoSnapshot | undefined = baseSha ? { sha: baseSha, files: rendered[0]!.files } : undefined;
          const maxChars = MAX_COMMENT_CHARS - query.heading.length - 200;
          const answer =
            query.kind === 'explain'
              ? await this.domain.explain({ head, ...(base ? { base } : {}), config: parsed.config, query: query.query, maxChars })
              : await this.domain.matrix({
                  head,
                  config: parsed.config,
                  maxChars,
                  ...(query.namespace ? { namespace: query.namespace } : {}),
                });
          const markdown = typeof answer === 'string' ? answer : answer.markdown;
          if (typeof answer !== 'string') ok = answer.ok;
          reply = `${query.heading} at ${info.headSha}\n\n${cut(markdown, maxChars)}`;
        } catch (error) {
          ok = false;
          reply = `${query.heading}: could not answer.\n\n${codeBlock(errorMessage(error), 'text')}`;
        }
        await octokit.rest.issues.createComment({ owner: pr.owner, repo: pr.repo, issue_number: pr.number, body: reply });
        await this.react(octokit, pr, commentId, ok ? 'rocket' : 'confused');
      },
    });
  }

  async react(octokit: Octokit, pr: PullRef, commentId: number, content: 'eyes' | 'rocket' | 'confused'): Promise<void> {
    await octokit.rest.reactions.createForIssueComment({ owner: pr.owner, repo: pr.repo, comment_id: commentId, content });
  }

  async canWrite(octokit: Octokit, pr: PullRef, username: string): Promise<boolean> {
    try {
      const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: pr.owner, repo: pr.repo, username });
      const role = (data as { role_name?: string }).role_name;
      return data.permission === 'admin' || data.permission === 'write' || role === 'maintain' || role === 'write' || role === 'admin';
    } catch (error) {
      if ((error as { status?: number }).status === 404) return false;
      throw error;
    }
  }
}
