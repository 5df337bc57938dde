import type { ProbotOctokit } from 'probot';

/** The installation-authenticated client a webhook context gives (`context.octokit`). */
export type Octokit = InstanceType<typeof ProbotOctokit>;

export interface RepoRef {
  readonly owner: string;
  readonly repo: string;
}
