// The one pull-request comment of the app: found by an exact hidden marker line written by this app, created
// once, then edited in place (or hidden/deleted and re-posted, per `comment` mode), never rewritten with
// identical text.
import type { CommentMode } from '../config/schema.js';
import type { Octokit, RepoRef } from './octokit.js';

export const COMMENT_MARKER = '<!-- netpol-bot:comment -->';
/** GitHub rejects bodies over 65,536 characters; keep a margin for the frame. */
export const MAX_COMMENT_CHARS = 60_000;

export interface AppIdentity {
  id?: number;
  slug?: string;
}

export interface PullRef extends RepoRef {
  readonly number: number;
}

export interface IssueComment {
  readonly id: number;
  readonly node_id: string;
  readonly body?: string | null;
  readonly user: { readonly login: string; readonly type?: string } | null;
  readonly performed_via_github_app?: { readonly id: number; readonly slug?: string | null } | null;
}

/** CRLF to LF, no trailing spaces, no trailing blank lines: GitHub may hand a body back slightly changed. */
export function normalizeBody(body: string): string {
  return body
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();
}

export function hasMarker(body: string | null | undefined): boolean {
  if (!body) return false;
  const first = body.replace(/\r\n?/g, '\n').split('\n', 1)[0]!.trim();
  return first === COMMENT_MARKER;
}

/** Written by this app: `performed_via_github_app.id`, or the bot user `<slug>[bot]`. */
export function isFromApp(comment: IssueComment, identity: AppIdentity): boolean {
  if (identity.id !== undefined && comment.performed_via_github_app?.id === identity.id) return true;
  const user = comment.user;
  if (!user || user.type !== 'Bot') return false;
  if (identity.slug !== undefined) return user.login === `${identity.slug}[bot]`;
  // Identity unknown (should not happen once a check run was created): only trust an app-performed comment.
  return identity.id === undefined && comment.performed_via_github_app != null;
}

/** The app's marker comments on the PR, oldest first, across all pages. */
export async function findOwnComments(octokit: Octokit, pr: PullRef, identity: AppIdentity): Promise<IssueComment[]> {
  const all = (await octokit.paginate(octokit.rest.issues.listComments, {
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    per_page: 100,
  })) as IssueComment[];
  return all.filter((c) => hasMarker(c.body) && isFromApp(c, identity));
}

export type CommentOutcome = 'created' | 'updated' | 'unchanged' | 'skipped';

async function create(octokit: Octokit, pr: PullRef, body: string): Promise<void> {
  await octokit.rest.issues.createComment({ owner: pr.owner, repo: pr.repo, issue_number: pr.number, body });
}

async function update(octokit: Octokit, pr: PullRef, id: number, body: string): Promise<void> {
  await octokit.rest.issues.updateComment({ owner: pr.owner, repo: pr.repo, comment_id: id, body });
}

/** Where the next comment goes: the pull request, the configured `comment` mode, and the app's comments there. */
export interface CommentThread {
  readonly pr: PullRef;
  readonly mode: CommentMode;
  /** The app's marker comments on the pull request, oldest first (findOwnComments). */
  readonly existing: readonly IssueComment[];
}

/** Whether `body` says, after normalisation, what the comment already says. */
function sameText(comment: IssueComment, body: string): boolean {
  return normalizeBody(comment.body ?? '') === normalizeBody(body);
}

/**
 * Write `body` (which starts with the marker) according to the thread's mode, given the app's existing comments.
 * Identical text (after normalisation) is never written again.
 */
export async function writeComment(octokit: Octokit, thread: CommentThread, body: string): Promise<CommentOutcome> {
  const { pr, mode, existing } = thread;
  if (mode === 'off') return 'skipped';
  const latest = existing[existing.length - 1];
  if (latest && sameText(latest, body)) return 'unchanged';
  switch (mode) {
    case 'update':
      if (latest) {
        try {
          await update(octokit, pr, latest.id, body);
          return 'updated';
        } catch (error) {
          // Deleted by someone between listing and editing: post a new one instead.
          if ((error as { status?: number }).status !== 404) throw error;
        }
      }
      await create(octokit, pr, body);
      return 'created';
    case 'new':
      await create(octokit, pr, body);
      return 'created';
    case 'hide-and-new':
      await create(octokit, pr, body);
      // Earlier ones were hidden by earlier runs.
      if (latest) {
        await octokit.graphql(
          'mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized } } }',
          { id: latest.node_id },
        );
      }
      return 'created';
    case 'delete-and-new':
      await create(octokit, pr, body);
      for (const c of existing) {
        await octokit.rest.issues.deleteComment({ owner: pr.owner, repo: pr.repo, comment_id: c.id });
      }
      return 'created';
  }
}

/** Edit the latest existing comment (if any) to `body`; never creates one. */
export async function editExistingComment(octokit: Octokit, thread: CommentThread, body: string): Promise<CommentOutcome> {
  const latest = thread.existing[thread.existing.length - 1];
  if (thread.mode === 'off' || !latest) return 'skipped';
  if (sameText(latest, body)) return 'unchanged';
  await update(octokit, thread.pr, latest.id, body);
  return 'updated';
}
