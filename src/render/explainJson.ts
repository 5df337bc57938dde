import type { PortSetJson } from '../engine/portSet.js';
import type { DirectionChain, ExplainEndpoint, ExplainResult } from '../explain/types.js';

/** An endpoint in JSON: a workload id, or addresses as CIDRs. */
export type ExplainEndpointJson =
  | { readonly kind: 'workload'; readonly id: string }
  | { readonly kind: 'ip'; readonly id: string; readonly cidrs: string[] };

export interface ExplainChainJson {
  readonly direction: 'ingress' | 'egress';
  readonly subject: string;
  readonly status: DirectionChain['status'];
  readonly allows: DirectionChain['allows'];
  readonly allowedPorts: PortSetJson;
  readonly isolatedBy: { policy: string; file: string; line: number }[];
  /** `rule` is 0-based, as in spec.ingress / spec.egress. */
  readonly allowedBy: { policy: string; rule: number; file: string; line: number; ports: PortSetJson; partialCidrs?: string[]; text: string }[];
  /** `rule` is absent for a policy that has no rule in this direction. */
  readonly misses: { policy: string; rule?: number; file: string; line: number; text: string }[];
  /** Only when an AdminNetworkPolicy or the BaselineAdminNetworkPolicy selects the subject; `rule` is 0-based. */
  readonly admin?: { tier: 'ANP' | 'BANP'; policy: string; priority?: number; rule: number; ruleName?: string; action: string; ports: PortSetJson; reached: boolean; file: string; line: number; text: string }[];
  /** e.g. "[ANP] Pass (tenant-isolation, priority 10, rule pass) -> [NP] Allow (shop/backend rule 1)". */
  readonly flow?: string;
}

/** The `netpol explain --format json` contract. */
export type ExplainJson =
  | {
      readonly kind: 'connection';
      readonly from: ExplainEndpointJson;
      readonly to: ExplainEndpointJson;
      readonly asked: { ports: PortSetJson; port?: number | string; protocol?: string; resolvedPort?: number; text: string };
      readonly verdict: 'allowed' | 'denied' | 'partially';
      readonly allowedPorts: PortSetJson;
      readonly byAddress?: { cidrs: string[]; ports: PortSetJson }[];
      readonly egress: ExplainChainJson;
      readonly ingress: ExplainChainJson;
      readonly notes: string[];
    }
  | {
      readonly kind: 'policies';
      readonly policies: { id: string; file: string; line: number; facts: { text: string; file: string; line: number; direction?: string; rule?: number }[] }[];
      readonly warnings: { code: string; policy: string; file: string; line: number; direction?: string; rule?: number; message: string }[];
    }
  | { readonly kind: 'error'; readonly error: string; readonly candidates: string[] };

/** `netpol explain --format json`: the verdict and each direction's chain with policy ids, 0-based rule indexes, file and line. */
export function renderExplainJson(result: ExplainResult): string {
  return `${JSON.stringify(toJson(result), null, 2)}\n`;
}

function toJson(result: ExplainResult): ExplainJson {
  if (result.kind === 'error') return { kind: 'error', error: result.error, candidates: [...result.candidates] };
  if (result.kind === 'policies') {
    return {
      kind: 'policies',
      policies: result.policies.map((p) => ({
        id: p.id,
        file: p.file,
        line: p.line,
        facts: p.facts.map((f) => ({
          text: f.text,
          file: f.file,
          line: f.line,
          ...(f.direction ? { direction: f.direction } : {}),
          ...(f.ruleIndex !== undefined ? { rule: f.ruleIndex } : {}),
        })),
      })),
      warnings: result.warnings.map((w) => ({
        code: w.code,
        policy: w.policy,
        file: w.file,
        line: w.line,
        ...(w.direction ? { direction: w.direction } : {}),
        ...(w.ruleIndex !== undefined ? { rule: w.ruleIndex } : {}),
        message: w.message,
      })),
    };
  }
  const e = result.explanation;
  const a = e.asked;
  return {
    kind: 'connection',
    from: endpoint(e.from),
    to: endpoint(e.to),
    asked: {
      ports: a.ports.toJSON(),
      ...(a.port !== undefined ? { port: a.port } : {}),
      ...(a.protocol ? { protocol: a.protocol } : {}),
      ...(a.resolvedPort !== undefined ? { resolvedPort: a.resolvedPort } : {}),
      text: a.text,
    },
    verdict: e.verdict,
    allowedPorts: e.allowedPorts.toJSON(),
    ...(e.byAddress ? { byAddress: e.byAddress.map((b) => ({ cidrs: [...b.cidrs], ports: b.ports.toJSON() })) } : {}),
    egress: chain(e.egress),
    ingress: chain(e.ingress),
    notes: [...e.notes],
  };
}

function endpoint(e: ExplainEndpoint): ExplainEndpointJson {
  return e.kind === 'workload' ? { kind: 'workload', id: e.id } : { kind: 'ip', id: e.id, cidrs: e.set.toCidrs() };
}

function chain(c: DirectionChain): ExplainChainJson {
  return {
    direction: c.direction,
    subject: c.subject,
    status: c.status,
    allows: c.allows,
    allowedPorts: c.allowedPorts.toJSON(),
    isolatedBy: c.isolatedBy.map((p) => ({ policy: p.policy, file: p.file, line: p.line })),
    allowedBy: c.allowedBy.map((s) => ({
      policy: s.policy,
      rule: s.ruleIndex,
      file: s.file,
      line: s.line,
      ports: s.ports.toJSON(),
      ...(s.partialCidrs ? { partialCidrs: [...s.partialCidrs] } : {}),
      text: s.text,
    })),
    misses: c.misses.map((m) => ({
      policy: m.policy,
      ...(m.ruleIndex !== undefined ? { rule: m.ruleIndex } : {}),
      file: m.file,
      line: m.line,
      text: m.text,
    })),
    ...(c.admin
      ? {
          admin: c.admin.map((a) => ({
            tier: a.tier,
            policy: a.policy,
            ...(a.priority !== undefined ? { priority: a.priority } : {}),
            rule: a.ruleIndex,
            ...(a.ruleName !== undefined ? { ruleName: a.ruleName } : {}),
            action: a.action,
            ports: a.ports.toJSON(),
            reached: a.reached,
            file: a.file,
            line: a.line,
            text: a.text,
          })),
        }
      : {}),
    ...(c.flow !== undefined ? { flow: c.flow } : {}),
  };
}
