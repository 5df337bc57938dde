// `netpol matrix --format json`: a public contract (np-guard's connlist ids), so field names and order are
// fixed; anything beyond the contract (ipRanges, hostNetwork, skipped, analysed) is an extra field.
import type { PortSetJson } from '../engine/portSet.js';
import type { ReachabilityMatrix } from '../engine/matrix.js';
import type { Diagnostic } from '../manifests/model.js';
import { selectMatrix, type MatrixRenderOptions } from './matrixSelection.js';
import { summarizeCluster } from '../diff/sideSummary.js';

export interface MatrixJsonWorkload {
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly kind: string;
  /** Only present (true) for hostNetwork pods, which no policy selects or isolates. */
  readonly hostNetwork?: true;
}

export type MatrixJsonConnection = { readonly src: string; readonly dst: string } & PortSetJson;

export interface MatrixJson {
  readonly workloads: readonly MatrixJsonWorkload[];
  readonly connections: readonly MatrixJsonConnection[];
  readonly diagnostics: readonly Diagnostic[];
  readonly ipRanges: readonly { readonly id: string; readonly cidrs: readonly string[] }[];
  readonly skipped: readonly {
    readonly kind: string;
    readonly namespace?: string;
    readonly name?: string;
    readonly reason: string;
    readonly file: string;
    readonly line: number;
  }[];
  readonly analysed: {
    readonly files: number;
    readonly documents: number;
    readonly namespaces: number;
    readonly workloads: number;
    readonly policies: number;
  };
}

/** The matrix as plain data; the caller serialises it (`JSON.stringify(x, null, 2)`). */
export function matrixJson(matrix: ReachabilityMatrix, opts: MatrixRenderOptions = {}): MatrixJson {
  const sel = selectMatrix(matrix, opts);
  const cluster = matrix.cluster;
  const side = summarizeCluster(cluster);
  return {
    workloads: sel.workloads.map((w) => ({
      id: w.id,
      namespace: w.namespace,
      name: w.name,
      kind: w.kind,
      ...(w.hostNetwork ? { hostNetwork: true as const } : {}),
    })),
    connections: sel.connections.map((c) => ({ src: c.src.id, dst: c.dst.id, ...c.ports.toJSON() })),
    diagnostics: cluster.diagnostics.map((d) => ({ file: d.file, line: d.line, severity: d.severity, message: d.message })),
    ipRanges: sel.ipRanges.map((r) => ({ id: r.id, cidrs: [...r.cidrs] })),
    skipped: cluster.skipped.map((s) => ({
      kind: s.kind,
      ...(s.namespace !== undefined ? { namespace: s.namespace } : {}),
      ...(s.name !== undefined ? { name: s.name } : {}),
      reason: s.reason,
      file: s.source.file,
      line: s.source.line,
    })),
    analysed: {
      files: side.files,
      documents: side.documents,
      namespaces: side.namespaces,
      workloads: side.workloads,
      policies: side.policies,
    },
  };
}
