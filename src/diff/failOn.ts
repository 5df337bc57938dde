// The gate of the check run: which `failOn` rules of .github/netpol.yml a diff breaks, and why, in words a
// reviewer can act on. Each broken rule gives one reason naming the first offending line.
import type { FailOnRule } from '../config/schema.js';
import { compileSelector, type LabelMatcher } from '../engine/labelSelector.js';
import { AUTO_NAMESPACE_LABEL, type Cluster, type LabelSelector, type Labels } from '../manifests/model.js';
import { memberNamespace } from './memberNamespace.js';
import { opensAccess } from './opensAccess.js';
import type { DiffLine, ReachabilityDiff, RiskFlag } from './types.js';

export interface FailOnResult {
  readonly failed: boolean;
  /** One per broken rule, e.g. "opened-from-internet: 0.0.0.0/0 -> shop/web:443/TCP now allowed (+1 more)". */
  readonly reasons: readonly string[];
  /** The summary lines that broke a rule (for annotation levels). */
  readonly failingLines: readonly DiffLine[];
}

type SelectorInput = {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { key: string; operator: LabelSelector['matchExpressions'][number]['operator']; values?: string[] }[];
};

/**
 * Evaluate the rules against a diff. `openedTo` needs the head cluster for the labels of destination pods and
 * namespaces; without it only the automatic `kubernetes.io/metadata.name` namespace label is known.
 */
export function evaluateFailOn(diff: ReachabilityDiff, rules: readonly FailOnRule[], headCluster?: Cluster): FailOnResult {
  const reasons: string[] = [];
  const failing = new Set<DiffLine>();
  const opening = diff.lines.filter(opensAccess);
  const report = (rule: string, lines: readonly DiffLine[], fallback?: string): void => {
    if (lines.length === 0 && fallback === undefined) return;
    for (const l of lines) failing.add(l);
    const first = lines[0]?.text ?? fallback!;
    reasons.push(`${rule}: ${first}${lines.length > 1 ? ` (+${lines.length - 1} more)` : ''}`);
  };
  const flagged = (flag: RiskFlag) => opening.filter((l) => l.flags.includes(flag));

  for (const rule of rules) {
    if (typeof rule !== 'string') {
      report(describeOpenedTo(rule.openedTo), opening.filter(openedToMatcher(rule.openedTo, headCluster)));
      continue;
    }
    switch (rule) {
      case 'any-opened': {
        const lines = diff.lines.filter(opensAccess);
        report(rule, lines, diff.opened.length > 0 ? `${connections(diff.opened.length)} opened` : undefined);
        break;
      }
      case 'any-closed': {
        const lines = diff.lines.filter((l) => l.direction === 'closed');
        report(rule, lines, diff.closed.length > 0 ? `${connections(diff.closed.length)} closed` : undefined);
        break;
      }
      case 'opened-cross-namespace':
        report(rule, flagged('cross-namespace'));
        break;
      case 'opened-from-internet':
        report(rule, flagged('from-internet'));
        break;
      case 'opened-from-outside-cluster':
        report(rule, flagged('from-outside-cluster'));
        break;
    }
  }
  return { failed: reasons.length > 0, reasons, failingLines: diff.lines.filter((l) => failing.has(l)) };
}

/** Does an opening line reach a destination workload that both selectors match? */
function openedToMatcher(
  openedTo: { namespaceSelector?: SelectorInput; podSelector?: SelectorInput },
  head: Cluster | undefined,
): (line: DiffLine) => boolean {
  const nsMatch: LabelMatcher = compileSelector(toSelector(openedTo.namespaceSelector));
  const podMatch: LabelMatcher = compileSelector(toSelector(openedTo.podSelector));
  const workloads = new Map((head?.workloads ?? []).map((w) => [w.id, w]));
  const nsLabels = (ns: string): Labels => head?.namespaces.get(ns)?.labels ?? { [AUTO_NAMESPACE_LABEL]: ns };
  return (line) =>
    line.to.members.some((id) => {
      const w = workloads.get(id);
      const ns = w?.namespace ?? memberNamespace(id);
      if (ns === undefined) return false; // an IP range is not a pod
      return nsMatch(nsLabels(ns)) && podMatch(w?.labels ?? {});
    });
}

function toSelector(s: SelectorInput | undefined): LabelSelector {
  return {
    matchLabels: s?.matchLabels ?? {},
    matchExpressions: (s?.matchExpressions ?? []).map((r) => ({ key: r.key, operator: r.operator, values: r.values ?? [] })),
  };
}

/** "openedTo {namespaceSelector: {team=payments}, podSelector: {app=db}}" */
function describeOpenedTo(o: { namespaceSelector?: SelectorInput; podSelector?: SelectorInput }): string {
  const sel = (s: SelectorInput) => {
    const parts = [
      ...Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
      ...(s.matchExpressions ?? []).map((r) => `${r.key} ${r.operator}${r.values?.length ? ` (${r.values.join(', ')})` : ''}`),
    ];
    return `{${parts.join(', ')}}`;
  };
  const parts = [
    ...(o.namespaceSelector ? [`namespaceSelector: ${sel(o.namespaceSelector)}`] : []),
    ...(o.podSelector ? [`podSelector: ${sel(o.podSelector)}`] : []),
  ];
  return `openedTo {${parts.join(', ')}}`;
}

const connections = (n: number): string => `${n} ${n === 1 ? 'connection' : 'connections'}`;
