// What a change does to reachability: the data every renderer (comment, check run, text, JSON, graphs) and
// the failOn gate read. Produced by `diffMatrices` (src/diff/diffMatrices.ts).
import type { PortSetJson } from '../engine/portSet.js';
import type { Diagnostic } from '../manifests/model.js';

/** One (src, dst) pair whose allowed ports changed; only the delta is carried. Ids as in `matrix` JSON. */
export type PairDelta =
  | { readonly src: string; readonly dst: string; readonly all: true }
  | { readonly src: string; readonly dst: string; readonly ports: Exclude<PortSetJson, { all: true }>['ports']; readonly otherProtocols?: true };

export type Risk = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Why a line is risky; the failOn rules and the headline counts read these. */
export type RiskFlag =
  /** A source range contains public (non-RFC1918, non-special) addresses. */
  | 'from-internet'
  /** A source range is the whole of 0.0.0.0/0 or ::/0. */
  | 'from-everywhere'
  /** Any IP source (outside the cluster), public or private. */
  | 'from-outside-cluster'
  /** A destination range contains public addresses (egress to the internet). */
  | 'to-internet'
  | 'to-outside-cluster'
  /** Source and destination workloads are in different namespaces. */
  | 'cross-namespace'
  /** The destination workload lost all ingress isolation. */
  | 'lost-ingress-isolation'
  | 'lost-egress-isolation';

export type ChangeKind = 'added' | 'removed' | 'edited' | 'labels changed' | 'ports changed';

/** An object whose change caused a line. */
export interface Attribution {
  readonly kind: string; // 'NetworkPolicy' | 'Namespace' | a workload kind
  /** `ns/name` for policies, the workload id, or the namespace name. */
  readonly id: string;
  readonly change: ChangeKind;
  /** Where to look: the rule (or object) at head for added/edited, at base for removed. */
  readonly file: string;
  readonly line: number;
  /** 'ingress' | 'egress' and the 0-based rule index when a specific rule is the cause. */
  readonly rule?: { readonly direction: 'ingress' | 'egress'; readonly index: number };
  /** Human detail, e.g. "labels app=web -> app=frontend". */
  readonly detail?: string;
}

/** A description of a set of endpoints the way people think of it. */
export interface EndpointGroup {
  /** "any pod in any namespace", "pods app=frontend in web", "shop/a, shop/b", "0.0.0.0/0 except 10.0.0.0/8". */
  readonly text: string;
  /** Every member id (workload ids and IP CIDR lists), for the details and JSON. */
  readonly members: readonly string[];
}

export type LineDirection = 'opened' | 'closed' | 'added' | 'removed' | 'isolation';

/** One grouped, attributed line of the summary. */
export interface DiffLine {
  readonly direction: LineDirection;
  readonly risk: Risk;
  readonly flags: readonly RiskFlag[];
  /** The sentence a reviewer reads, without markdown: "any pod in any namespace -> default/backend:3000/TCP now allowed". */
  readonly text: string;
  /** Sources and destinations of the grouped pairs (one side is a single endpoint for opened/closed lines). */
  readonly from: EndpointGroup;
  readonly to: EndpointGroup;
  readonly ports: PortSetJson;
  readonly attribution: readonly Attribution[];
  /** The per-pair deltas behind the line. */
  readonly pairs: readonly PairDelta[];
}

export interface SideSummary {
  /** A ref or sha when known (the CLI's --git, the app's base/head sha). */
  readonly ref?: string;
  readonly files: number;
  readonly documents: number;
  readonly namespaces: number;
  readonly workloads: number;
  readonly policies: number;
  /** AdminNetworkPolicies plus the BaselineAdminNetworkPolicy, when there are any. */
  readonly adminPolicies?: number;
  /** Namespaces taken from the assumed world (config `assume`, the ingress controller's), not from manifests. */
  readonly assumedNamespaces?: readonly string[];
  /** Objects read but not modelled, by kind, with the reason. */
  readonly skipped: readonly { readonly kind: string; readonly count: number; readonly reasons: readonly string[] }[];
}

export interface ReachabilityDiff {
  readonly base: SideSummary;
  readonly head: SideSummary;
  readonly opened: readonly PairDelta[];
  readonly closed: readonly PairDelta[];
  /** Ranked: highest risk first, then opened before closed. */
  readonly lines: readonly DiffLine[];
  /** Head diagnostics, plus base ones marked as such. */
  readonly diagnostics: readonly Diagnostic[];
}
