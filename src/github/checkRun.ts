// The `netpol` check run: created `in_progress` when the webhook arrives, always completed afterwards
// (also on errors), annotations in batches of 50, and up to three buttons.
import type { CheckAnnotation, CheckOutput } from '../analysis.js';
import type { AppIdentity } from './comments.js';
import type { Octokit, RepoRef } from './octokit.js';

/** Keep one constant name: required checks are matched by name. */
export const CHECK_NAME = 'netpol';
export const MAX_OUTPUT_CHARS = 65_535;
export const ANNOTATION_BATCH = 50;

export type ActionId = 'reanalyze' | 'explain' | 'acknowledge';

export interface CheckAction {
  readonly label: string;
  readonly description: string;
  readonly identifier: ActionId;
}

// label <= 20, description <= 40, identifier <= 20 characters (checked by a test).
export const ACTIONS: Readonly<Record<ActionId, CheckAction>> = {
  reanalyze: { label: 'Re-analyze', description: 'Run the reachability analysis again', identifier: 'reanalyze' },
  explain: { label: 'Explain', description: 'Explain each opened or closed path', identifier: 'explain' },
  acknowledge: { label: 'Acknowledge', description: 'Accept these changes for this commit', identifier: 'acknowledge' },
};

export interface CheckRunRef extends RepoRef {
  readonly id: number;
}

/** Cut text to `max` characters, saying so. */
export function cut(text: string, max: number, note = '\n\n… (cut)'): string {
  if (text.length <= max) return text;
  return text.slice(0, Math.max(0, max - note.length)) + note;
}

export async function createCheckRun(
  octokit: Octokit,
  repo: RepoRef,
  headSha: string,
  prNumber: number,
): Promise<{ id: number; app?: AppIdentity }> {
  const { data } = await octokit.rest.checks.create({
    owner: repo.owner,
    repo: repo.repo,
    name: CHECK_NAME,
    head_sha: headSha,
    status: 'in_progress',
    external_id: String(prNumber),
    started_at: new Date().toISOString(),
    output: { title: 'Analysing reachability…', summary: 'netpol-bot is reading the manifests at both commits.' },
  });
  const app = data.app ? { id: data.app.id, slug: data.app.slug ?? undefined } : undefined;
  return { id: data.id, ...(app ? { app } : {}) };
}

export interface Completion {
  readonly conclusion: CheckOutput['conclusion'];
  readonly title: string;
  readonly summary: string;
  readonly text?: string;
  readonly annotations?: readonly CheckAnnotation[];
  readonly actions?: readonly ActionId[];
}

/** Complete the run: first PATCH with status, conclusion and the first 50 annotations; further PATCHes append. */
export async function completeCheckRun(octokit: Octokit, run: CheckRunRef, c: Completion): Promise<number> {
  const annotations = (c.annotations ?? []).map((a) => ({ ...a, ...(a.title ? { title: cut(a.title, 255, '…') } : {}) }));
  const output = {
    title: cut(c.title, 1000, '…'),
    summary: cut(c.summary, MAX_OUTPUT_CHARS),
    ...(c.text ? { text: cut(c.text, MAX_OUTPUT_CHARS) } : {}),
  };
  let calls = 0;
  await octokit.rest.checks.update({
    owner: run.owner,
    repo: run.repo,
    check_run_id: run.id,
    status: 'completed',
    conclusion: c.conclusion,
    completed_at: new Date().toISOString(),
    output: { ...output, annotations: annotations.slice(0, ANNOTATION_BATCH) },
    actions: (c.actions ?? []).slice(0, 3).map((id) => ACTIONS[id]),
  });
  calls++;
  for (let i = ANNOTATION_BATCH; i < annotations.length; i += ANNOTATION_BATCH) {
    await octokit.rest.checks.update({
      owner: run.owner,
      repo: run.repo,
      check_run_id: run.id,
      output: { ...output, annotations: annotations.slice(i, i + ANNOTATION_BATCH) },
    });
    calls++;
  }
  return calls;
}
