// The whole pull-request job as one pure step: two sets of manifest files in, the comment markdown and the
// check-run output out. The GitHub layer fetches files and writes results; it holds no policy logic.
import { loadOptionsOf } from './config/loadOptions.js';
import type { NetpolConfig } from './config/schema.js';
import { evaluateFailOn, type FailOnResult } from './diff/failOn.js';
import { diffMatrices } from './diff/diffMatrices.js';
import type { DiffLine, ReachabilityDiff } from './diff/types.js';
import { computeMatrix, type ReachabilityMatrix } from './engine/matrix.js';
import { unresolvedPortDiagnostics } from './explain/unresolvedPortDiagnostics.js';
import { removedNamespaceDiagnostics } from './diff/removedNamespaces.js';
import { buildCluster } from './manifests/buildCluster.js';
import { checkDeadline, checkObjectLimit, LimitExceededError, type LimitName } from './manifests/limits.js';
import type { Cluster, Diagnostic, ManifestFile, SkippedObject } from './manifests/model.js';
import { countDiff } from './render/diffCounts.js';
import { diffJson } from './render/diffJson.js';
import { DEFAULT_MAX_CHARS, diffMarkdown } from './render/diffMarkdown.js';
import { NO_CHANGES } from './render/diffHeadline.js';
import { codeSpan, escapeMarkdown } from './render/escapeMarkdown.js';
import { truncateText } from './render/truncateText.js';

/** What an earlier step (rendering overlays and charts) found about one side, reported with the rest. */
export interface SideNotes {
  readonly diagnostics?: readonly Diagnostic[];
  readonly skipped?: readonly SkippedObject[];
}

export interface AnalyzeParams {
  readonly base: { readonly files: readonly ManifestFile[]; readonly sha: string; readonly notes?: SideNotes };
  readonly head: { readonly files: readonly ManifestFile[]; readonly sha: string; readonly notes?: SideNotes };
  readonly config: NetpolConfig;
  /** Paths changed by the pull request (for annotations and the "what was analysed" line). */
  readonly changedFiles?: readonly string[];
  /** Bound for the comment markdown (GitHub rejects > 65,536 characters). */
  readonly maxChars?: number;
  /**
   * Epoch ms after which the analysis stops (config.limits.timeoutSeconds from the start of the job). Checked
   * between the steps (loading, each matrix, the diff): a synchronous step cannot be interrupted midway.
   */
  readonly deadline?: number;
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
  /** Set when a limit of config.limits stopped the analysis; the check then concludes per limits.onExceeded. */
  readonly limit?: { readonly name: LimitName; readonly message: string };
}

/** GitHub's bound on a check run's summary and text. */
const MAX_OUTPUT_CHARS = 65_535;
/** Annotations beyond this many add API calls (50 per call) without telling a reviewer more. */
const MAX_ANNOTATIONS = 100;

/**
 * Analyse a pull request: load both sides, diff their reachability, render the comment and the check run.
 * Pure and total: bad manifests become diagnostics in the output, and an unexpected internal error becomes
 * a neutral check run that says so, never an exception.
 */
export function analyzePullRequest(params: AnalyzeParams): AnalysisResult {
  try {
    return analyze(params);
  } catch (err) {
    if (err instanceof LimitExceededError) return limitResult(err, params);
    const message = err instanceof Error ? err.message : String(err);
    const summary = `netpol could not analyse this pull request: ${escapeMarkdown(message)}`;
    return {
      hasChanges: false,
      comment: summary,
      check: { conclusion: 'neutral', title: 'Analysis failed', summary: truncateText(summary, MAX_OUTPUT_CHARS), annotations: [] },
      json: { error: message },
    };
  }
}

/** Named ports of the head's policies that resolve nowhere: the reviewer should hear of them. */
function withHeadWarnings(diff: ReachabilityDiff, head: ReachabilityMatrix): ReachabilityDiff {
  const extra = unresolvedPortDiagnostics(head);
  return extra.length === 0 ? diff : { ...diff, diagnostics: [...diff.diagnostics, ...extra] };
}

function withNotes(cluster: Cluster, notes: SideNotes | undefined): Cluster {
  if (!notes) return cluster;
  return {
    ...cluster,
    diagnostics: [...(notes.diagnostics ?? []), ...cluster.diagnostics],
    skipped: [...cluster.skipped, ...(notes.skipped ?? [])],
  };
}

function analyze(params: AnalyzeParams): AnalysisResult {
  const opts = loadOptionsOf(params.config);
  const { maxObjects, timeoutSeconds } = params.config.limits;
  const step = (what: string) => checkDeadline(params.deadline, timeoutSeconds, what);
  const baseCluster = withNotes(buildCluster([...params.base.files], opts), params.base.notes);
  checkObjectLimit(baseCluster, maxObjects, `the merge base ${params.base.sha}`);
  step('after reading the merge base');
  const headCluster = withRemovedNamespaces(baseCluster, withNotes(buildCluster([...params.head.files], opts), params.head.notes));
  checkObjectLimit(headCluster, maxObjects, `the head ${params.head.sha}`);
  step('after reading the head');
  const baseMatrix = computeMatrix(baseCluster);
  step('after the reachability of the merge base');
  const headMatrix = computeMatrix(headCluster);
  step('after the reachability of the head');
  const diff = withHeadWarnings(
    diffMatrices(baseMatrix, headMatrix, { baseRef: params.base.sha, headRef: params.head.sha }),
    headMatrix,
  );
  step('after the diff');
  const gate = evaluateFailOn(diff, params.config.failOn, headCluster);
  const { markdown, overflow } = diffMarkdown(diff, { maxChars: params.maxChars ?? DEFAULT_MAX_CHARS });
  const headFiles = new Set(params.head.files.map((f) => f.path));
  const summary = truncateText(`${gateSection(gate)}${markdown}`, MAX_OUTPUT_CHARS);
  return {
    hasChanges: diff.opened.length + diff.closed.length + diff.lines.length > 0,
    comment: markdown,
    check: {
      conclusion: gate.failed ? 'failure' : 'success',
      title: checkTitle(diff),
      summary,
      ...(overflow !== '' ? { text: truncateText(overflow, MAX_OUTPUT_CHARS) } : {}),
      annotations: annotations(diff, gate, headFiles, new Set(params.changedFiles ?? [])),
    },
    json: diffJson(diff),
  };
}

/** The head with a warning for every namespace the change stopped declaring while objects stay in it. */
function withRemovedNamespaces(base: Cluster, head: Cluster): Cluster {
  const extra = removedNamespaceDiagnostics(base, head);
  if (extra.length === 0) return head;
  const diagnostics = [...head.diagnostics, ...extra].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return { ...head, diagnostics };
}

/** A limit stopped the analysis: say which, with the numbers; the conclusion is the config's. */
function limitResult(err: LimitExceededError, params: AnalyzeParams): AnalysisResult {
  const summary = `**Limit exceeded: ${codeSpan(`limits.${err.limit}`)}.** ${escapeMarkdown(err.message)}.\n\nRaise the limit in ${codeSpan('.github/netpol.yml')} on the default branch, or make the change smaller.`;
  return {
    hasChanges: false,
    comment: summary,
    check: {
      conclusion: params.config.limits.onExceeded,
      title: `Limit exceeded: limits.${err.limit}`,
      summary,
      annotations: [],
    },
    json: { error: err.message, limit: err.limit },
    limit: { name: err.limit, message: err.message },
  };
}

/** "2 opened (1 from the internet), 1 closed", or "No reachability changes". */
function checkTitle(diff: ReachabilityDiff): string {
  const c = countDiff(diff);
  if (diff.lines.length + c.openedPairs + c.closedPairs === 0) return NO_CHANGES;
  const origin =
    c.fromInternet > 0
      ? ` (${c.fromInternet} from the internet)`
      : c.fromOutside > 0
        ? ` (${c.fromOutside} from outside the cluster)`
        : '';
  const parts = [`${c.opened + c.added} opened${origin}`, `${c.closed} closed`];
  if (c.removed > 0) parts.push(`${c.removed} removed ${c.removed === 1 ? 'workload' : 'workloads'}`);
  if (c.isolation > 0) parts.push(`${c.isolation} isolation ${c.isolation === 1 ? 'change' : 'changes'}`);
  return parts.join(', ');
}

/** Why the check failed, first, so the reason is the first thing read in the check run. */
function gateSection(gate: FailOnResult): string {
  if (!gate.failed) return '';
  const reasons = gate.reasons.map((r) => `- ${escapeMarkdown(r)}`).join('\n');
  return `**Failed ${codeSpan('failOn')} rules:**\n\n${reasons}\n\n---\n\n`;
}

/**
 * One annotation per (critical/high line, attributed object): on the rule or object that caused it, as a
 * failure when the line breaks a failOn rule. Causes that were removed from the head have no line to point
 * at; they are annotated on the first line of their file when the file still exists, and otherwise only
 * appear in the comment. Lines in files the pull request changed come first.
 */
function annotations(
  diff: ReachabilityDiff,
  gate: FailOnResult,
  headFiles: ReadonlySet<string>,
  changed: ReadonlySet<string>,
): CheckAnnotation[] {
  const failing = new Set<DiffLine>(gate.failingLines);
  const out: CheckAnnotation[] = [];
  const seen = new Set<string>();
  for (const line of diff.lines) {
    if (line.risk !== 'critical' && line.risk !== 'high') continue;
    for (const a of line.attribution) {
      const removed = a.change === 'removed';
      if (removed && !headFiles.has(a.file)) continue;
      const at = removed ? 1 : Math.max(1, a.line);
      const key = `${a.file}\u0000${at}\u0000${line.text}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        path: a.file,
        start_line: at,
        end_line: at,
        annotation_level: failing.has(line) ? 'failure' : 'warning',
        message: removed ? `${line.text} (caused by removing ${a.kind} ${a.id})` : line.text,
        title: oneLineBound(`${line.risk}: ${a.kind} ${a.id} (${a.change})`, 255),
      });
    }
  }
  const ranked = [...out.filter((a) => changed.has(a.path)), ...out.filter((a) => !changed.has(a.path))];
  return ranked.slice(0, MAX_ANNOTATIONS);
}

function oneLineBound(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
