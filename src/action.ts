// GitHub Action entry point (action.yml): the same app (same handlers, comment, check run and config) driven by
// the workflow's event instead of a webhook, authenticated with the workflow token.
//
// Not @probot/adapter-github-actions: its 4.x depends on Probot 13 (a second Probot in the bundle), maps no
// `pull_request_target` event (adapter-github-actions#86), and returns before background work finishes,
// while this app acknowledges first and analyses in a queue. So: read GITHUB_EVENT_NAME / GITHUB_EVENT_PATH,
// build a Probot with the token, `receive` the event, wait for the queue, write a job summary.
import { appendFile, readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { Probot, type Options as ProbotOptions } from 'probot';
import { analyzePullRequest } from './analysis.js';
import { createNetpolApp } from './github/app.js';
import { CHECK_NAME } from './github/checkRun.js';
import { CONFIG_PATH } from './github/runtime.js';
import { explain, matrix } from './index.js';

export interface ActionResult {
  readonly exitCode: number;
  /** Markdown written to GITHUB_STEP_SUMMARY (also returned for tests). */
  readonly summary: string;
}

type Env = Record<string, string | undefined>;

/** Events the app handles; `pull_request_target` is `pull_request` with a base-repository token. */
const EVENT_NAMES: Record<string, 'pull_request' | 'issue_comment' | 'check_run'> = {
  pull_request: 'pull_request',
  pull_request_target: 'pull_request',
  issue_comment: 'issue_comment',
  check_run: 'check_run',
};

function input(env: Env, name: string): string | undefined {
  // `uses:` with a node runtime passes inputs as INPUT_<NAME> (hyphens kept); the composite action.yml
  // passes them as plain variables.
  const value = env[`INPUT_${name.toUpperCase()}`]?.trim();
  return value ? value : undefined;
}

interface PullPayload {
  pull_request?: { number: number; head: { sha: string; repo: { full_name: string } | null } };
  repository?: { full_name: string };
  installation?: { id: number };
}

export async function runAction(env: Env = process.env, probotOptions: Partial<ProbotOptions> = {}): Promise<ActionResult> {
  const token = env.GITHUB_TOKEN || input(env, 'github-token');
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const configPath = env.NETPOL_CONFIG_PATH || input(env, 'config') || CONFIG_PATH;
  const finish = async (exitCode: number, lines: string[]): Promise<ActionResult> => {
    const summary = `## ${CHECK_NAME}\n\n${lines.join('\n\n')}\n`;
    if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, summary);
    return { exitCode, summary };
  };

  if (!token) return finish(1, ['No token: set the `github-token` input (default `${{ github.token }}`).']);
  if (!env.GITHUB_EVENT_PATH) return finish(1, ['GITHUB_EVENT_PATH is not set: this entry point runs inside GitHub Actions.']);
  const name = EVENT_NAMES[eventName];
  if (!name) {
    return finish(0, [`Nothing to do for the \`${eventName || '?'}\` event: run this action on \`pull_request\`, \`pull_request_target\` or \`issue_comment\`.`]);
  }
  const payload = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) as PullPayload & Record<string, unknown>;

  // A fork's `pull_request` run gets a read-only token: creating the check run and the comment would fail.
  const pr = payload.pull_request;
  if (eventName === 'pull_request' && pr && pr.head.repo?.full_name !== payload.repository?.full_name) {
    return finish(0, [
      `Pull request #${pr.number} comes from a fork (\`${pr.head.repo?.full_name ?? 'deleted repository'}\`): on \`pull_request\` its token is read-only, so no check run and no comment can be written. Nothing was analysed.`,
      'Run this action on `pull_request_target` instead: it gets a token of the base repository, and it is safe here because netpol-bot reads the pull request through the API and never checks out or runs its code (do not add a checkout of the PR head to that job).',
    ]);
  }

  // No installation in Actions payloads; the handlers only need one to exist (the token is the auth).
  payload.installation ??= { id: 0 };
  const app = createNetpolApp({ analyze: analyzePullRequest, explain, matrix, configPath, concurrency: 1, processMetrics: false });
  const probot = new Probot({
    githubToken: token,
    ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}),
    ...probotOptions,
  });
  await probot.load(app, { cwd: process.cwd(), addHandler: () => undefined }); // no HTTP server in a job
  try {
    await probot.receive({ id: env.GITHUB_RUN_ID ?? 'github-action', name, payload } as Parameters<Probot['receive']>[0]);
    await app.whenIdle();
  } catch (error) {
    const status = (error as { status?: number }).status ?? (error as { errors?: { status?: number }[] }).errors?.[0]?.status;
    const message = error instanceof Error ? error.message : String(error);
    const hint =
      status === 403
        ? 'The token may not write: give the job `permissions: { checks: write, pull-requests: write, issues: write, contents: read }`; a fork on `pull_request` or a Dependabot PR only gets a read-only token.'
        : 'See the log of this step.';
    probot.log.error({ err: error }, 'netpol action failed');
    return finish(1, [`netpol-bot could not run${status ? ` (GitHub API ${status})` : ''}: ${message.split('\n')[0]}`, hint]);
  }

  // What happened, from the app's own counters: one analysis per pull-request event.
  const counts = (await app.runtime.metrics?.analyses.get())?.values.filter((v) => v.value > 0) ?? [];
  const outcomes = counts.map((v) => String(v.labels.conclusion));
  const where = pr ? ` for #${pr.number} at \`${pr.head.sha}\`` : '';
  const lines = outcomes.length
    ? [`The \`${CHECK_NAME}\` check run${where} completed: **${outcomes.join(', ')}**. The report is in the check run and the pull-request comment.`]
    : [`No analysis ran for this \`${eventName}\` event${where} (nothing to do for this action or command).`];
  lines.push(`Configuration: \`${configPath}\` on the default branch.`);
  return finish(outcomes.includes('error') ? 1 : 0, lines);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runAction().then(
    (r) => {
      process.exitCode = r.exitCode;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
