// What the GitHub layer needs from the domain, as injectable functions. The app is built with
// `createNetpolApp(deps)`; src/index.ts wires the real ones, tests pass deterministic fakes.
import type { AnalysisResult, AnalyzeParams } from '../analysis.js';
import type { NetpolConfig } from '../config/schema.js';
import type { ManifestFile, Protocol } from '../manifests/model.js';

export interface RepoSnapshot {
  readonly sha: string;
  readonly files: readonly ManifestFile[];
}

/** The pull-request analysis (src/analysis.ts `analyzePullRequest`). May be sync or async. */
export type AnalyzeFn = (params: AnalyzeParams) => AnalysisResult | Promise<AnalysisResult>;

/** One connection asked about, as `/netpol explain <src> <dst>[:port[/proto]]` writes it (the port may be a name). */
export interface ConnectionQuery {
  readonly src: string;
  readonly dst: string;
  readonly port?: number | string;
  readonly protocol?: Protocol;
}

export type ExplainQuery =
  /** `/netpol explain <src> <dst>[:port[/proto]]`: why one connection is allowed or denied at `head`. */
  | ({ readonly kind: 'connection' } & ConnectionQuery)
  /** `/netpol explain policy <ns/name>`: what one policy selects and allows at `head`. */
  | { readonly kind: 'policy'; readonly policy: string }
  /** The check run's "Explain" button: why each connection opened or closed between `base` and `head`. */
  | { readonly kind: 'changes' };

export interface ExplainParams {
  readonly head: RepoSnapshot;
  /** The merge base: present for `changes` and `connection` (to show the chain there when the verdict differs). */
  readonly base?: RepoSnapshot;
  readonly config: NetpolConfig;
  readonly query: ExplainQuery;
  /** Bound of the returned markdown. */
  readonly maxChars: number;
}

/**
 * Markdown, or `{ markdown, ok: false }` for a query that could not be answered but has a rendered reason
 * (unknown workload with candidates, ...): the reply is posted and the command gets the `confused` reaction.
 * Names from manifests are the domain's to escape. A thrown Error's message is shown escaped in a code block.
 */
export type ExplainAnswer = string | { readonly markdown: string; readonly ok: boolean };

export type ExplainFn = (params: ExplainParams) => ExplainAnswer | Promise<ExplainAnswer>;

export interface MatrixParams {
  readonly head: RepoSnapshot;
  readonly config: NetpolConfig;
  /** Restrict to workloads of one namespace. */
  readonly namespace?: string;
  readonly maxChars: number;
}

/** `/netpol matrix [namespace]`: returns markdown (same rules as ExplainFn). */
export type MatrixFn = (params: MatrixParams) => string | Promise<string>;

export interface DomainFunctions {
  readonly analyze: AnalyzeFn;
  readonly explain: ExplainFn;
  readonly matrix: MatrixFn;
}
