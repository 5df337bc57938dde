// Prometheus metrics of the app, served on `/metrics` (src/github/app.ts). One registry per loaded app, so
// tests (and several Probot instances in one process) never share counters or trip over duplicate names.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CommentOutcome } from './comments.js';
import type { Octokit } from './octokit.js';
import type { QueueStats } from './queue.js';

export interface MetricsOptions {
  /** Process metrics (CPU, memory, event-loop lag, GC), collected once per process. Default true. */
  readonly defaultMetrics?: boolean;
  /** Read at scrape time for the queue gauges. */
  readonly queueStats?: () => QueueStats;
}

/** Outcome of one analysis job: the check-run conclusion, or `error` (failed closed) / `superseded`. */
export type AnalysisOutcome = 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | 'error';

export class NetpolMetrics {
  readonly registry = new Registry();
  readonly analyses: Counter<'conclusion'>;
  readonly analysisDuration: Histogram<'conclusion'>;
  readonly githubRequests: Counter<'method' | 'route' | 'status'>;
  readonly githubErrors: Counter<'method' | 'route' | 'status'>;
  readonly commentWrites: Counter<'outcome'>;
  readonly #instrumented = new WeakSet<object>();

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    this.analyses = new Counter({
      name: 'netpol_analyses_total',
      help: 'Pull-request analyses completed, by check-run conclusion (error: the analysis failed and the check failed closed).',
      labelNames: ['conclusion'],
      registers,
    });
    this.analysisDuration = new Histogram({
      name: 'netpol_analysis_duration_seconds',
      help: 'Duration of one pull-request analysis job (config, fetch, analysis, comment, check run).',
      labelNames: ['conclusion'],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.githubRequests = new Counter({
      name: 'netpol_github_requests_total',
      help: 'GitHub API requests made with installation tokens, by method, route template and HTTP status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.githubErrors = new Counter({
      name: 'netpol_github_request_errors_total',
      help: 'GitHub API requests that failed (HTTP status >= 400, or 0 for network errors), by method, route template and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.commentWrites = new Counter({
      name: 'netpol_comment_writes_total',
      help: 'Pull-request comment writes by outcome: created, updated, unchanged (identical text, not written) or skipped (comment: off, or nothing to edit).',
      labelNames: ['outcome'],
      registers,
    });
    const queueStats = options.queueStats;
    if (queueStats) {
      new Gauge({
        name: 'netpol_queue_jobs',
        help: 'Background jobs (analyses, explanations, command replies) by state: running or waiting.',
        labelNames: ['state'],
        registers,
        collect() {
          const s = queueStats();
          this.set({ state: 'running' }, s.running);
          this.set({ state: 'waiting' }, s.waiting);
        },
      });
    }
    this.#withProcess = options.defaultMetrics ?? true;
  }

  readonly #withProcess: boolean;

  /** Record each request of this client (once per client: Probot creates one per event). */
  instrument<T extends Octokit>(octokit: T): T {
    if (this.#instrumented.has(octokit)) return octokit;
    this.#instrumented.add(octokit);
    octokit.hook.wrap('request', async (request, options) => {
      const method = String(options.method ?? 'GET');
      // The route template (`/repos/{owner}/{repo}/pulls/{pull_number}`), never the expanded URL: bounded labels.
      const route = routeLabel(String(options.url ?? ''));
      try {
        const response = await request(options);
        this.githubRequests.inc({ method, route, status: String(response.status) });
        return response;
      } catch (error) {
        const status = String((error as { status?: number }).status ?? 0);
        this.githubRequests.inc({ method, route, status });
        this.githubErrors.inc({ method, route, status });
        throw error;
      }
    });
    return octokit;
  }

  comment(outcome: CommentOutcome): void {
    this.commentWrites.inc({ outcome });
  }

  analysis(conclusion: AnalysisOutcome, seconds: number): void {
    this.analyses.inc({ conclusion });
    this.analysisDuration.observe({ conclusion }, seconds);
  }

  contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text: process metrics (shared by every app in the process) then this app's. */
  async text(): Promise<string> {
    const own = await this.registry.metrics();
    return this.#withProcess ? `${await processRegistry().metrics()}\n${own}` : own;
  }
}

let processMetrics: Registry | undefined;

/** Process-wide metrics are registered once, whatever the number of loaded apps. */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

/**
 * A template stays as is. An expanded path (`octokit.paginate` requests the expanded URL, and follows `link`
 * URLs) gets the template's names back for the parts that vary: owner, repository, numbers and shas, so the
 * label never grows with the number of repositories or pull requests.
 */
export function routeLabel(url: string): string {
  let path = url;
  if (/^https?:\/\//i.test(path)) {
    try {
      path = new URL(path).pathname.replace(/^\/api\/v3(?=\/)/, '');
    } catch {
      return '?';
    }
  }
  path = path.split('?')[0] ?? '';
  if (path.includes('{')) return path;
  return path
    .replace(/^\/repos\/[^/]+\/[^/]+/, '/repos/{owner}/{repo}')
    .replace(/^\/repositories\/\d+/, '/repositories/{repository_id}')
    .replace(/\/pulls\/\d+(?=\/|$)/, '/pulls/{pull_number}')
    .replace(/\/issues\/\d+(?=\/|$)/, '/issues/{issue_number}')
    .replace(/\/issues\/comments\/\d+(?=\/|$)/, '/issues/comments/{comment_id}')
    .replace(/\/check-runs\/\d+(?=\/|$)/, '/check-runs/{check_run_id}')
    .replace(/\/git\/trees\/[^/]+$/, '/git/trees/{tree_sha}')
    .replace(/\/git\/blobs\/[^/]+$/, '/git/blobs/{file_sha}')
    .replace(/\/[0-9a-f]{40}(?=\/|$)/gi, '/{sha}')
    .replace(/\/\d+(?=\/|$)/g, '/{id}');
}
