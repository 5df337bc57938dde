// The whole pull-request job as one pure step: two sets of manifest files in, the comment markdown and the
// check-run output out. The GitHub layer fetches files and writes results; it holds no policy logic.
// (The body is filled in by the diff/render work; the types are the contract the app is written against.)
import type { ManifestFile } from './manifests/model.js';
import type { NetpolConfig } from './config/schema.js';

export interface AnalyzeParams {
  readonly base: { readonly files: readonly ManifestFile[]; readonly sha: string };
  readonly head: { readonly files: readonly ManifestFile[]; readonly sha: string };
  readonly config: NetpolConfig;
  /** Paths changed by the pull request (for annotations and the "what was analysed" line). */
  readonly changedFiles?: readonly string[];
  /** Bound for the comment markdown (GitHub rejects > 65,536 characters). */
  readonly maxChars?: number;
}

export interface CheckAnnotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly annotation_level: 'notice' | 'warning' | 'failure';
  readonly message: string;
  readonly title?: string;
}

export interface CheckOutput {
  readonly conclusion: 'success' | 'failure' | 'neutral';
  /** e.g. "2 opened (1 from the internet), 1 closed" */
  readonly title: string;
  /** Markdown, <= 65,535 characters. */
  readonly summary: string;
  /** Markdown that did not fit in the comment, <= 65,535 characters. */
  readonly text?: string;
  readonly annotations: readonly CheckAnnotation[];
}

export interface AnalysisResult {
  /** Anything opened or closed. */
  readonly hasChanges: boolean;
  /** The PR comment body (without the app's hidden marker, which the GitHub layer adds). */
  readonly comment: string;
  readonly check: CheckOutput;
  /** The machine-readable diff (the `netpol diff --format json` contract). */
  readonly json: unknown;
}

export function analyzePullRequest(params: AnalyzeParams): AnalysisResult {
  void params;
  throw new Error('analyzePullRequest: not implemented yet');
}
