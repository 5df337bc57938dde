// Plain-text sentences about one analysed side. Kinds and reasons come from manifests: callers escape the
// result for their format (markdown, terminal).
import type { SideSummary } from '../diff/types.js';

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * "3 files (5 documents), 2 namespaces, 4 workloads, 1 policy", plus admin policies and the assumed world
 * when there are any: "…, 2 admin policies; assumed namespaces: kube-system, ingress-nginx".
 */
export function describeSideCounts(side: SideSummary): string {
  const counts = [
    `${plural(side.files, 'file')} (${plural(side.documents, 'document')})`,
    plural(side.namespaces, 'namespace'),
    plural(side.workloads, 'workload'),
    plural(side.policies, 'policy', 'policies'),
    ...(side.adminPolicies ? [plural(side.adminPolicies, 'admin policy', 'admin policies')] : []),
  ].join(', ');
  const assumed = side.assumedNamespaces?.length ? `; assumed namespaces: ${side.assumedNamespaces.join(', ')}` : '';
  return `${counts}${assumed}`;
}

/**
 * One entry per skipped kind: "2 Service (not a workload or NetworkPolicy)". Empty when nothing was skipped.
 * At most 3 reasons per kind: reasons may name objects, and the full list is in the JSON.
 */
export function describeSkipped(side: SideSummary): string[] {
  return side.skipped.map((s) => {
    const more = s.reasons.length > 3 ? `; and ${s.reasons.length - 3} more reasons` : '';
    return `${s.count} ${s.kind} (${s.reasons.slice(0, 3).join('; ')}${more})`;
  });
}
