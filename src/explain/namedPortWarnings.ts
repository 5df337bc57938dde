import type { CompiledPolicy, CompiledRule } from '../engine/compile.js';
import type { ReachabilityMatrix } from '../engine/matrix.js';
import { locateInPolicy } from './locate.js';
import { destinationPorts } from './ruleDestinations.js';
import type { Warning } from './types.js';

/** A named port of the rule that resolves on none of its destinations matches nothing: say so, with its line. */
export function namedPortWarnings(matrix: ReachabilityMatrix, cp: CompiledPolicy, rule: CompiledRule): Warning[] {
  if (rule.namedPorts.length === 0) return [];
  const { policy } = cp;
  const destinations = destinationPorts(matrix, cp, rule);
  // A policy that selects nothing already has its own warning; its ingress ports have no destination to resolve on.
  if (rule.direction === 'ingress' && destinations.count === 0) return [];
  const out: Warning[] = [];
  const ports = rule.rule.ports === 'all' ? [] : rule.rule.ports;
  ports.forEach((port, j) => {
    if (typeof port.port !== 'string') return;
    const portName = port.port;
    if (destinations.resolves(portName, port.protocol)) return;
    const why =
      destinations.count === 0
        ? 'the rule reaches no workload, and port names mean nothing for addresses outside the cluster'
        : `none of the ${destinations.count} workload${destinations.count === 1 ? '' : 's'} it ${rule.direction === 'ingress' ? 'protects' : 'reaches'} declares a ${port.protocol} container port named ${portName}`;
    out.push({
      code: 'named-port-unresolved',
      policy: policy.id,
      direction: rule.direction,
      ruleIndex: rule.rule.index,
      ...locateInPolicy(matrix.cluster, policy, [...rule.rule.path, 'ports', j]),
      message: `${rule.direction} rule ${rule.rule.index + 1} of ${policy.id}: ${port.protocol} port named ${portName} resolves on no destination (${why})`,
    });
  });
  return out;
}
