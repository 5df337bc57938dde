// The results of `netpol explain`, shared by the CLI, the app's `/netpol explain` command and the renderers.
// Every sentence is built here, once, so text, markdown and JSON say the same thing; renderers only lay out.
import type { Direction } from '../engine/compile.js';
import type { IpSet } from '../engine/ipSet.js';
import type { PortSet } from '../engine/portSet.js';
import type { Protocol, Workload } from '../manifests/model.js';

/** One side of an explained connection: a workload, or any set of addresses (not only the matrix's ranges). */
export type ExplainEndpoint =
  | { readonly kind: 'workload'; readonly id: string; readonly workload: Workload }
  | {
      readonly kind: 'ip';
      /** How the endpoint is shown: `internet`, `10.0.0.0/8`, `10.1.2.3`. */
      readonly id: string;
      readonly set: IpSet;
    };

/** A place in a manifest file. */
export interface Location {
  readonly file: string;
  readonly line: number;
}

export interface PolicyRef extends Location {
  readonly policy: string;
}

/** A rule of an isolating policy that lets (part of) the asked traffic through. */
export interface RuleStep extends Location {
  readonly policy: string;
  readonly direction: Direction;
  /** 0-based, as in the manifest; text output shows it 1-based. */
  readonly ruleIndex: number;
  /** The asked ports this rule allows. */
  readonly ports: PortSet;
  /** For an IP peer only part of which the rule matches: the part it matches. */
  readonly partialCidrs?: readonly string[];
  /** e.g. "rule 1 of default/backend-policy allows TCP 3000 from pods app=frontend in namespace default". */
  readonly text: string;
}

/** Why one rule of an isolating policy does not allow the asked traffic, in words. */
export interface NearestMiss extends Location {
  readonly policy: string;
  readonly direction: Direction;
  /** 0-based; undefined for a policy that has no rule in this direction. */
  readonly ruleIndex?: number;
  readonly text: string;
}

/** A rule of an AdminNetworkPolicy (tier ANP) or of the BaselineAdminNetworkPolicy (BANP) that decides asked ports. */
export interface AdminStep extends Location {
  readonly tier: 'ANP' | 'BANP';
  readonly policy: string;
  readonly priority?: number;
  /** 0-based, as in the manifest. */
  readonly ruleIndex: number;
  readonly ruleName?: string;
  readonly action: 'Allow' | 'Deny' | 'Pass';
  /** The asked ports this rule decides (the first matching rule decides a port). */
  readonly ports: PortSet;
  /** false for a BANP rule that matches but is never reached, because a NetworkPolicy isolates the pod. */
  readonly reached: boolean;
  /** e.g. "[ANP] Pass (tenant-isolation, priority 10, rule pass-same-tenant)". */
  readonly text: string;
}

export type ChainStatus = 'outside-cluster' | 'host-network' | 'not-isolated' | 'isolated';

/** One direction of a connection: the source's egress, or the destination's ingress. */
export interface DirectionChain {
  readonly direction: Direction;
  /** The endpoint whose policies apply (source for egress, destination for ingress). */
  readonly subject: string;
  readonly status: ChainStatus;
  readonly isolatedBy: readonly PolicyRef[];
  /** 'all': every asked port to every asked address; 'none': nothing; 'some': the rest. */
  readonly allows: 'all' | 'some' | 'none';
  /** Ports this direction allows to at least part of the peer. */
  readonly allowedPorts: PortSet;
  readonly allowedBy: readonly RuleStep[];
  /** Filled only when this direction blocks some of the asked traffic. */
  readonly misses: readonly NearestMiss[];
  /**
   * Present when an AdminNetworkPolicy or the BaselineAdminNetworkPolicy selects the subject: the admin rules
   * that decide asked ports, in evaluation order (ANP first, BANP last).
   */
  readonly admin?: readonly AdminStep[];
  /**
   * The whole chain in one line when admin policies apply, e.g.
   * "[ANP] Pass (tenant-isolation) -> [NP] Allow (shop/backend-policy rule 1)".
   */
  readonly flow?: string;
}

export type Verdict = 'allowed' | 'denied' | 'partially';

export interface AskedPorts {
  /** What was asked, as a port set (every port of every protocol when no port was given). */
  readonly ports: PortSet;
  readonly port?: number | string;
  readonly protocol?: Protocol;
  /** The number a port name resolved to on the destination. */
  readonly resolvedPort?: number;
  /** "TCP 3000", "TCP 3000 (port named http)", "all ports". */
  readonly text: string;
}

export interface ConnectionExplanation {
  readonly from: ExplainEndpoint;
  readonly to: ExplainEndpoint;
  readonly asked: AskedPorts;
  readonly verdict: Verdict;
  /** What is allowed of the asked ports (to at least part of an IP peer). */
  readonly allowedPorts: PortSet;
  /** For an IP endpoint: what is allowed to or from each part of it that policies treat alike. */
  readonly byAddress?: readonly { readonly cidrs: readonly string[]; readonly ports: PortSet }[];
  readonly egress: DirectionChain;
  readonly ingress: DirectionChain;
  /** Facts that qualify the verdict (e.g. "both endpoints are outside the cluster"). */
  readonly notes: readonly string[];
}

export interface PolicyFact extends Location {
  readonly text: string;
  readonly direction?: Direction;
  readonly ruleIndex?: number;
}

export interface PolicyDescription extends Location {
  readonly id: string;
  readonly facts: readonly PolicyFact[];
}

export type WarningCode =
  | 'selects-nothing'
  | 'peer-matches-nothing'
  | 'and-or-trap'
  | 'except-outside-cidr'
  | 'named-port-unresolved'
  | 'allow-all-overrides'
  | 'egress-without-dns';

export interface Warning extends Location {
  readonly code: WarningCode;
  readonly policy: string;
  readonly direction?: Direction;
  readonly ruleIndex?: number;
  readonly message: string;
}

/** What `explain()` answers; one renderer per format takes it. */
export type ExplainResult =
  | { readonly kind: 'connection'; readonly explanation: ConnectionExplanation }
  | { readonly kind: 'policies'; readonly policies: readonly PolicyDescription[]; readonly warnings: readonly Warning[] }
  | { readonly kind: 'error'; readonly error: string; readonly candidates: readonly string[] };
