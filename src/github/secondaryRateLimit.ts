// Probot's production client retries 5xx (plugin-retry: 3 times, after 1, 4 and 9 s) and primary rate limits,
// but its throttling options deliberately do not retry a secondary rate limit (403/429 "secondary rate limit",
// with `retry-after`): it only logs, and plugin-retry never retries a 403. One analysis then fails for a limit
// that lifts in seconds. This hook on the client the runtime uses waits `retry-after` (bounded) and tries again.
import type { Octokit } from './octokit.js';

export interface SecondaryRetryOptions {
  readonly maxRetries?: number;
  /** Longest wait honoured; a longer `retry-after` fails at once (the Re-analyze button is there). */
  readonly maxWaitSeconds?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onRetry?: (info: { method: string; url: string; retryAfter: number; attempt: number }) => void;
}

const wrapped = new WeakSet<object>();

export function isSecondaryRateLimit(error: unknown): boolean {
  const e = error as { status?: number; message?: string };
  return (e?.status === 403 || e?.status === 429) && /\bsecondary rate\b/i.test(e.message ?? '');
}

/** Install the retry once per client instance; returns the same client. */
export function retrySecondaryRateLimits<T extends Octokit>(octokit: T, options: SecondaryRetryOptions = {}): T {
  if (wrapped.has(octokit) || !octokit.hook) return octokit;
  wrapped.add(octokit);
  const maxRetries = options.maxRetries ?? 2;
  const maxWait = options.maxWaitSeconds ?? 60;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  octokit.hook.wrap('request', async (request, requestOptions) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        if (!isSecondaryRateLimit(error) || attempt >= maxRetries) throw error;
        const header = (error as { response?: { headers?: Record<string, string | undefined> } }).response?.headers?.['retry-after'];
        const retryAfter = Number(header) || 60;
        if (retryAfter > maxWait) throw error;
        options.onRetry?.({ method: String(requestOptions.method), url: String(requestOptions.url), retryAfter, attempt: attempt + 1 });
        await sleep(retryAfter * 1000);
      }
    }
  });
  return octokit;
}
