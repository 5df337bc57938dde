// What was read on one side of an analysis, in the shape of the diff contract (`SideSummary`), so that the
// matrix renderers state "what was analysed" exactly as the diff renderers do.
import type { SideSummary } from './types.js';
import type { Cluster } from '../manifests/model.js';
import { skippedSummary } from '../manifests/buildCluster.js';

export function summarizeCluster(cluster: Cluster, ref?: string): SideSummary {
  return {
    ...(ref !== undefined ? { ref } : {}),
    files: cluster.fileCount,
    documents: cluster.documentCount,
    namespaces: cluster.namespaces.size,
    workloads: cluster.workloads.length,
    policies: cluster.policies.length,
    ...(cluster.adminPolicies?.length || cluster.baselinePolicy
      ? { adminPolicies: (cluster.adminPolicies?.length ?? 0) + (cluster.baselinePolicy ? 1 : 0) }
      : {}),
    ...(cluster.assumedNamespaces?.length ? { assumedNamespaces: [...cluster.assumedNamespaces] } : {}),
    // Copied: callers own their summary (the per-cluster one is memoised).
    skipped: skippedSummary(cluster).map((k) => ({ ...k, reasons: [...k.reasons] })),
  };
}
