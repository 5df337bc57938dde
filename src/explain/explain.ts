import type { ReachabilityMatrix } from '../engine/matrix.js';
import type { Protocol } from '../manifests/model.js';
import { describeAdminPolicy } from './describeAdminPolicy.js';
import { describePolicy } from './describePolicy.js';
import { explainConnection } from './explainConnection.js';
import { parseTarget } from './parseTarget.js';
import { policyWarnings } from './policyWarnings.js';
import { resolveEndpoint } from './resolveEndpoint.js';
import type { ExplainResult } from './types.js';

/**
 * `--from SRC --to DST[:PORT[/PROTO]]`: a connection; `--policy ns/name` (or `name` when unique): one policy;
 * neither: every policy. Strings are what the user typed.
 */
export type ExplainRequest =
  | {
      readonly from: string;
      /** `DST[:PORT[/PROTO]]`, or only DST when `port`/`protocol` are given apart (the app's parsed command). */
      readonly to: string;
      readonly port?: number | string;
      readonly protocol?: Protocol;
    }
  | { readonly policy?: string };

/**
 * The one entry point of `netpol explain` and the app's `/netpol explain`: parses and resolves what the user
 * typed, and answers with an explanation or an error that lists candidates (it never guesses).
 */
export function explain(matrix: ReachabilityMatrix, request: ExplainRequest): ExplainResult {
  if ('from' in request) return explainRequestedConnection(matrix, request);
  const all = policyWarnings(matrix);
  const admin = matrix.cluster.adminPolicies ?? [];
  const baseline = matrix.cluster.baselinePolicy;
  if (request.policy === undefined) {
    // In evaluation order: admin policies, NetworkPolicies, the baseline.
    const policies = [
      ...admin.map((p) => describeAdminPolicy(matrix, p)),
      ...matrix.cluster.policies.map((p) => describePolicy(matrix, p.id)),
      ...(baseline ? [describeAdminPolicy(matrix, baseline)] : []),
    ];
    return { kind: 'policies', policies, warnings: all };
  }
  const q = request.policy.trim();
  const found = matrix.cluster.policies.filter((p) => p.id === q || (!q.includes('/') && p.name === q));
  // Cluster-scoped admin policies: by name, or Kind/name (AdminNetworkPolicy/x, anp/x, BaselineAdminNetworkPolicy/default, banp/default).
  if (found.length === 0) {
    const [kind, name] = q.includes('/') ? (q.split('/', 2) as [string, string]) : [undefined, q];
    const k = kind?.toLowerCase();
    const wantsAdmin = k === undefined || k === 'adminnetworkpolicy' || k === 'anp';
    const wantsBaseline = k === undefined || k === 'baselineadminnetworkpolicy' || k === 'banp';
    const hits = [...(wantsAdmin ? admin : []), ...(wantsBaseline && baseline ? [baseline] : [])].filter((p) => p.name === name);
    if (hits.length === 1) return { kind: 'policies', policies: [describeAdminPolicy(matrix, hits[0]!)], warnings: [] };
  }
  if (found.length !== 1) {
    const candidates = (found.length > 1 ? found : matrix.cluster.policies.filter((p) => p.name === q.split('/').pop()))
      .map((p) => p.id)
      .sort();
    return {
      kind: 'error',
      error: found.length > 1 ? `"${q}" matches ${found.length} policies; name one as ns/name` : `no NetworkPolicy "${q}"`,
      candidates,
    };
  }
  const id = found[0]!.id;
  return { kind: 'policies', policies: [describePolicy(matrix, id)], warnings: all.filter((w) => w.policy === id) };
}

function explainRequestedConnection(
  matrix: ReachabilityMatrix,
  request: { from: string; to: string; port?: number | string; protocol?: Protocol },
): ExplainResult {
  const fromText = request.from;
  // Given apart, the port is not parsed out of `to`, so a bare IPv6 destination needs no brackets.
  const apart = request.port !== undefined || request.protocol !== undefined;
  const target = apart
    ? {
        ok: true as const,
        target: {
          endpoint: request.to,
          ...(request.port !== undefined ? { port: request.port } : {}),
          ...(request.port !== undefined || request.protocol ? { protocol: request.protocol ?? ('TCP' as const) } : {}),
        },
      }
    : parseTarget(request.to);
  if (!target.ok) return { kind: 'error', error: target.error, candidates: [] };
  const from = resolveEndpoint(matrix, fromText);
  if (!from.ok) return { kind: 'error', error: `--from: ${from.error}`, candidates: from.candidates };
  const to = resolveEndpoint(matrix, target.target.endpoint);
  if (!to.ok) return { kind: 'error', error: `--to: ${to.error}`, candidates: to.candidates };
  const { port, protocol } = target.target;
  if (from.endpoint.kind === 'ip' && to.endpoint.kind === 'ip') {
    return {
      kind: 'error',
      error: `${from.endpoint.id} and ${to.endpoint.id} are both outside the cluster: NetworkPolicy governs only traffic to or from pods`,
      candidates: [],
    };
  }
  if (typeof port === 'string') {
    // A port name means a container port of the destination; without one there is nothing to explain.
    const dst = to.endpoint;
    if (dst.kind === 'ip') {
      return { kind: 'error', error: `port name "${port}" needs a workload destination; ${dst.id} is an address (give a number)`, candidates: [] };
    }
    const declared = dst.workload.ports.filter((p) => p.name === port && p.protocol === protocol);
    if (declared.length === 0) {
      return {
        kind: 'error',
        error: `${dst.id} declares no ${protocol} port named "${port}"`,
        candidates: dst.workload.ports.filter((p) => p.name).map((p) => `${p.name} (${p.protocol} ${p.port})`),
      };
    }
  }
  return {
    kind: 'connection',
    explanation: explainConnection(matrix, {
      from: from.endpoint,
      to: to.endpoint,
      ...(port !== undefined ? { port } : {}),
      ...(protocol !== undefined ? { protocol } : {}),
    }),
  };
}
