import { resolveNamedPort } from '../engine/compile.js';
import { IpSet } from '../engine/ipSet.js';
import type { ReachabilityMatrix } from '../engine/matrix.js';
import { PortSet } from '../engine/portSet.js';
import { ingressWords, serviceWords } from '../engine/services.js';
import type { Protocol } from '../manifests/model.js';
import { explainDirection } from './explainDirection.js';
import type { AskedPorts, ConnectionExplanation, ExplainEndpoint, Verdict } from './types.js';

export interface ConnectionParams {
  readonly from: ExplainEndpoint;
  readonly to: ExplainEndpoint;
  /** A number or a port name (resolved on the destination). Absent: every port of every protocol. */
  readonly port?: number | string;
  /** Default TCP when a port is given. */
  readonly protocol?: Protocol;
}

/**
 * Why `from` may or may not send `port` to `to`: the source's egress and the destination's ingress, each with
 * the isolating policies, the rules that allow the traffic (with file and line), and for what they block the
 * nearest miss of each rule. For every pair of matrix endpoints the allowed ports equal `matrix.allowed()`.
 */
export function explainConnection(matrix: ReachabilityMatrix, params: ConnectionParams): ConnectionExplanation {
  const { from, to } = params;
  const asked = askedPorts(params);
  const notes: string[] = [];
  if (from.kind === 'ip' && to.kind === 'ip') notes.push('both endpoints are outside the cluster: no NetworkPolicy governs this traffic');
  if (asked.port !== undefined && asked.ports.isEmpty()) {
    notes.push(`${to.id} declares no ${asked.protocol} port named ${asked.port}, so nothing can reach it`);
  }
  if (from.kind === 'workload' && to.kind === 'workload' && from.workload === to.workload && from.workload.kind === 'Pod') {
    notes.push('a Pod reaches itself over loopback, which NetworkPolicy does not filter; shown is what policies say');
  }

  if (to.kind === 'workload' && !asked.ports.isEmpty()) {
    const svc = serviceWords(matrix.cluster.services, to.workload, asked.ports);
    if (svc.length > 0) notes.push(`${to.id} is reached through ${svc.join(', ')}`);
    // From the ingress controller: this is the traffic of the Ingresses and Routes that send to these ports.
    const controller = matrix.cluster.ingressController;
    if (from.kind === 'workload' && controller && from.workload.id === controller.id) {
      const routes = ingressWords(matrix.cluster, to.workload, asked.ports);
      if (routes.length > 0) notes.push(`this is the traffic of ${routes.join(', ')}`);
    }
  }

  const ipSide = from.kind === 'ip' ? from : to.kind === 'ip' ? to : undefined;
  // Cut an IP endpoint along the matrix's ranges: every ipBlock of every policy treats each piece alike.
  const parts: (IpSet | null)[] = ipSide
    ? matrix.ipRanges.map((r) => r.set.intersect(ipSide.set)).filter((s) => !s.isEmpty())
    : [null];
  const egress = explainDirection(matrix, { direction: 'egress', subject: from, peer: to, asked, parts });
  const ingress = explainDirection(matrix, { direction: 'ingress', subject: to, peer: from, asked, parts });
  const outside = from.kind === 'ip' && to.kind === 'ip';
  const perPart = parts.map((p) => (outside ? PortSet.empty : egress.allowedFor(p).intersect(ingress.allowedFor(p))));

  const allowedPorts = perPart.reduce((a, b) => a.union(b), PortSet.empty);
  const verdict: Verdict =
    asked.ports.isEmpty() || perPart.every((p) => p.isEmpty())
      ? 'denied'
      : perPart.every((p) => p.equals(asked.ports))
        ? 'allowed'
        : 'partially';
  return {
    from,
    to,
    asked,
    verdict,
    allowedPorts,
    ...(ipSide ? { byAddress: groupByPorts(parts as IpSet[], perPart) } : {}),
    egress: egress.chain,
    ingress: ingress.chain,
    notes,
  };
}

function askedPorts(params: ConnectionParams): AskedPorts {
  const { port, to } = params;
  if (port === undefined) {
    return params.protocol
      ? { ports: PortSet.of(params.protocol), protocol: params.protocol, text: `all ${params.protocol} ports` }
      : { ports: PortSet.all, text: 'all ports' };
  }
  const protocol = params.protocol ?? 'TCP';
  if (typeof port === 'number') return { ports: PortSet.of(protocol, port, port), port, protocol, text: `${protocol} ${port}` };
  const resolved = to.kind === 'workload' ? resolveNamedPort(to.workload, port, protocol) : undefined;
  if (resolved === undefined) return { ports: PortSet.empty, port, protocol, text: `${protocol} port named ${port}` };
  return {
    ports: PortSet.of(protocol, resolved, resolved),
    port,
    protocol,
    resolvedPort: resolved,
    text: `${protocol} ${resolved} (port named ${port})`,
  };
}

/** Parts of an IP endpoint with the same allowed ports, merged, in address order. */
function groupByPorts(parts: readonly IpSet[], ports: readonly PortSet[]): { cidrs: string[]; ports: PortSet }[] {
  const groups = new Map<string, { set: IpSet; ports: PortSet }>();
  parts.forEach((part, i) => {
    const p = ports[i]!;
    const g = groups.get(p.key());
    if (g) g.set = g.set.union(part);
    else groups.set(p.key(), { set: part, ports: p });
  });
  return [...groups.values()]
    .sort((a, b) => (a.set.intervals[0]![0] < b.set.intervals[0]![0] ? -1 : 1))
    .map((g) => ({ cidrs: g.set.toCidrs(), ports: g.ports }));
}
