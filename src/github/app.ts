// The Probot app: webhook handlers that acknowledge at once (create the check run, queue the work) and the
// /healthz, /readyz and /metrics routes. `createNetpolApp(domain)` returns the ApplicationFunction; src/index.ts
// wires the real domain functions.
import type { ApplicationFunctionOptions, Context, Probot } from 'probot';
import { codeSpan } from '../render/escapeMarkdown.js';
import { ACTIONS, CHECK_NAME, type ActionId } from './checkRun.js';
import type { AppIdentity, PullRef } from './comments.js';
import type { DomainFunctions } from './deps.js';
import { NetpolMetrics } from './metrics.js';
import type { Octokit } from './octokit.js';
import { COMMAND_PREFIX, USAGE, parseCommand } from './parseCommand.js';
import { NetpolRuntime, prKey, type PullInfo, type RuntimeOptions } from './runtime.js';

export interface NetpolAppOptions extends DomainFunctions, Omit<RuntimeOptions, keyof DomainFunctions | 'log' | 'metrics'> {
  /** Process metrics (CPU, memory, GC) on /metrics besides the app's own. Default true. */
  readonly processMetrics?: boolean;
}

export interface NetpolApp {
  (app: Probot, options?: Partial<ApplicationFunctionOptions>): void;
  /** Available after the app was loaded. */
  readonly runtime: NetpolRuntime;
  /** Resolves when the background queue has nothing running or waiting. */
  whenIdle(): Promise<void>;
  /** Stops the queue and closes the Redis connection, if any. */
  close(): Promise<void>;
}

const PR_ACTIONS = ['opened', 'synchronize', 'reopened', 'ready_for_review', 'edited'] as const;

function identityFromEnv(): AppIdentity {
  const id = Number(process.env.APP_ID);
  return {
    ...(Number.isInteger(id) && id > 0 ? { id } : {}),
    ...(process.env.APP_SLUG ? { slug: process.env.APP_SLUG } : {}),
  };
}

export function createNetpolApp(options: NetpolAppOptions): NetpolApp {
  let runtime: NetpolRuntime | undefined;

  const appFn = (app: Probot, fnOptions: Partial<ApplicationFunctionOptions> = {}): void => {
    const metrics: NetpolMetrics = new NetpolMetrics({
      queueStats: () => rt.queue.stats,
      defaultMetrics: options.processMetrics ?? true,
    });
    const rt = new NetpolRuntime({ ...options, identity: { ...identityFromEnv(), ...(options.identity ?? {}) }, log: app.log, metrics });
    runtime = rt;
    // Every client handed to the runtime counts its GitHub API calls (by route template and status).
    const octo = (context: Context): Octokit => metrics.instrument(context.octokit as unknown as Octokit);

    app.on(
      PR_ACTIONS.map((a) => `pull_request.${a}` as const),
      async (context) => rt.oncePerDelivery(context.id, async () => {
        const { payload } = context;
        // A base-branch change arrives as `edited` with `changes.base`; other edits (title, body) change nothing.
        if (payload.action === 'edited' && !('changes' in payload && payload.changes?.base)) return;
        const pr = payload.pull_request;
        if (pr.state !== 'open') return;
        const info: PullInfo = {
          owner: payload.repository.owner.login,
          repo: payload.repository.name,
          number: pr.number,
          headSha: pr.head.sha,
          baseSha: pr.base.sha,
        };
        await rt.startAnalysis(octo(context), info);
      }),
    );

    app.on(['check_run.rerequested', 'check_run.requested_action'], async (context) => rt.oncePerDelivery(context.id, async () => {
      const { payload } = context;
      const run = payload.check_run;
      if (run.name !== CHECK_NAME) return;
      if (rt.identity.id !== undefined && run.app?.id !== undefined && run.app.id !== rt.identity.id) return;
      rt.learnIdentity(run.app ? { id: run.app.id, ...(run.app.slug ? { slug: run.app.slug } : {}) } : undefined);
      // Fork PRs have an empty `pull_requests`: the PR number travels in external_id.
      const number = Number(run.external_id) || run.pull_requests[0]?.number;
      if (!number) {
        context.log.warn({ checkRun: run.id }, 'check run without a pull request number');
        return;
      }
      const ref: PullRef = { owner: payload.repository.owner.login, repo: payload.repository.name, number };
      const octokit = octo(context);
      const identifier: ActionId | 'rerun' =
        payload.action === 'rerequested' ? 'rerun' : ((payload.requested_action?.identifier ?? '') as ActionId);

      if (identifier === 'rerun' || identifier === 'reanalyze') {
        const info = await rt.pullInfo(octokit, ref);
        if (info.state !== 'open') return;
        await rt.startAnalysis(octokit, info);
        return;
      }
      if (identifier === 'explain') {
        rt.enqueueExplainChanges(octokit, ref, run.id);
        return;
      }
      if (identifier === 'acknowledge') {
        const login = payload.sender.login;
        if (!(await rt.canWrite(octokit, ref, login))) {
          await octokit.rest.issues.createComment({
            owner: ref.owner,
            repo: ref.repo,
            issue_number: ref.number,
            body: `Only collaborators with write access can acknowledge the ${codeSpan(CHECK_NAME)} check; ${codeSpan(login)} cannot.`,
          });
          return;
        }
        await rt.acks.set(ref.owner, ref.repo, ref.number, run.head_sha, { login, at: new Date().toISOString() });
        const info = await rt.pullInfo(octokit, ref);
        // The ack is for the clicked commit; re-run on it (a newer head asks again).
        await rt.startAnalysis(octokit, info, info.headSha === run.head_sha ? run.id : undefined);
        return;
      }
      context.log.warn({ identifier }, 'unknown check run action');
    }));

    app.on('issue_comment.created', async (context) => rt.oncePerDelivery(context.id, async () => {
      const { payload } = context;
      if (!payload.issue.pull_request || !payload.installation) return;
      const body = payload.comment.body ?? '';
      if (parseCommand(body) === undefined) return;
      if (payload.sender.type === 'Bot' || payload.comment.user?.type === 'Bot') return;
      const octokit = octo(context);
      const ref: PullRef = { owner: payload.repository.owner.login, repo: payload.repository.name, number: payload.issue.number };
      const commentId = payload.comment.id;
      await rt.react(octokit, ref, commentId, 'eyes');

      const reply = async (text: string, reaction: 'rocket' | 'confused') => {
        await octokit.rest.issues.createComment({ owner: ref.owner, repo: ref.repo, issue_number: ref.number, body: text });
        await rt.react(octokit, ref, commentId, reaction);
      };

      if (!(await rt.canWrite(octokit, ref, payload.sender.login))) {
        await reply(`Sorry, only collaborators with write access can run ${codeSpan(COMMAND_PREFIX)} commands.`, 'confused');
        return;
      }
      if (!rt.limiter.take(prKey(ref))) {
        await rt.react(octokit, ref, commentId, 'confused');
        context.log.info({ pr: prKey(ref) }, 'command rate limit reached');
        return;
      }
      const command = parseCommand(body)!;
      switch (command.kind) {
        case 'help':
          await reply(USAGE, 'rocket');
          return;
        case 'usage':
          await reply(`I did not understand that: ${command.error}.\n\n${USAGE}`, 'confused');
          return;
        case 'diff': {
          const info = await rt.pullInfo(octokit, ref);
          if (info.state !== 'open') {
            await reply('This pull request is closed; nothing to analyse.', 'confused');
            return;
          }
          await rt.startAnalysis(octokit, info);
          await rt.react(octokit, ref, commentId, 'rocket');
          return;
        }
        case 'explain-connection': {
          const dst = `${command.dst}${command.port !== undefined ? `:${command.port}` : ''}${command.protocol ? `/${command.protocol}` : ''}`;
          rt.enqueueQuery(octokit, ref, commentId, {
            kind: 'explain',
            heading: `**Explain** ${codeSpan(command.src)} → ${codeSpan(dst)}`,
            query: {
              kind: 'connection',
              src: command.src,
              dst: command.dst,
              ...(command.port !== undefined ? { port: command.port } : {}),
              ...(command.protocol ? { protocol: command.protocol } : {}),
            },
          });
          return;
        }
        case 'explain-policy':
          rt.enqueueQuery(octokit, ref, commentId, {
            kind: 'explain',
            heading: `**Explain policy** ${codeSpan(command.policy)}`,
            query: { kind: 'policy', policy: command.policy },
          });
          return;
        case 'matrix':
          rt.enqueueQuery(octokit, ref, commentId, {
            kind: 'matrix',
            heading: `**Reachability matrix**${command.namespace ? ` of namespace ${codeSpan(command.namespace)}` : ''}`,
            ...(command.namespace ? { namespace: command.namespace } : {}),
          });
          return;
      }
    }));

    fnOptions.addHandler?.(async (req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      if (path === '/healthz') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
        return true;
      }
      if (path === '/readyz') {
        const queue = rt.queue.stats;
        const ready = queue.waiting < 1000;
        res
          .writeHead(ready ? 200 : 503, { 'content-type': 'application/json' })
          .end(
            JSON.stringify({
              status: ready ? 'ready' : 'overloaded',
              // With REDIS_URL the queue figures are this replica's; the texts are in Redis.
              queue,
              cache: rt.redis ? { shared: 'redis' } : { entries: rt.fetcher.cache.size, bytes: rt.fetcher.cache.bytes },
            }),
          );
        return true;
      }
      if (path === '/metrics') {
        const text = await metrics.text();
        res.writeHead(200, { 'content-type': metrics.contentType() }).end(text);
        return true;
      }
      return false;
    });
  };

  Object.defineProperty(appFn, 'runtime', {
    get(): NetpolRuntime {
      if (!runtime) throw new Error('the netpol app has not been loaded yet');
      return runtime;
    },
  });
  Object.defineProperty(appFn, 'whenIdle', { value: () => runtime?.whenIdle() ?? Promise.resolve() });
  Object.defineProperty(appFn, 'close', { value: () => runtime?.close() ?? Promise.resolve() });
  return appFn as NetpolApp;
}

export { ACTIONS };
