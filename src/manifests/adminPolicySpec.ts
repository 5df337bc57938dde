// AdminNetworkPolicy and BaselineAdminNetworkPolicy specs (policy.networking.k8s.io/v1alpha1), validated as
// their CRD schema and CEL rules do (apis/v1alpha1/{adminnetworkpolicy,baselineadminnetworkpolicy,shared}_types.go
// of kubernetes-sigs/network-policy-api), so that what the API server would refuse is an error, never analysed.
import type { AdminAction, AdminPeer, AdminPort, AdminRule, DocPath, LabelSelector, Protocol } from './model.js';
import { PROTOCOLS } from './model.js';
import { parseCidr } from './cidr.js';
import { portNameProblems, portNumberProblems } from './k8sNames.js';
import { readSelector } from './selector.js';
import { typeName, type ProblemList } from './problems.js';

export interface AdminSpec {
  readonly priority?: number;
  readonly subject: { readonly namespaceSelector: LabelSelector; readonly podSelector?: LabelSelector };
  readonly ingress: AdminRule[];
  readonly egress: AdminRule[];
}

const MAX_RULES = 100;
const EVERYTHING: LabelSelector = { matchLabels: {}, matchExpressions: [] };

/** Reads `spec` of an ANP (`tier` 'admin') or the BANP ('baseline'); undefined when the API would reject it. */
export function readAdminSpec(raw: unknown, tier: 'admin' | 'baseline', problems: ProblemList): AdminSpec | undefined {
  const mark = problems.items.length;
  if (raw === undefined || raw === null) {
    problems.error(['spec'], 'required');
    return undefined;
  }
  const spec = problems.object(raw, ['spec']);
  if (!spec) return undefined;
  problems.knownFields(spec, tier === 'admin' ? ['priority', 'subject', 'ingress', 'egress'] : ['subject', 'ingress', 'egress'], ['spec']);
  let priority: number | undefined;
  if (tier === 'admin') {
    if (spec.priority === undefined || spec.priority === null) problems.error(['spec', 'priority'], 'required');
    else if (typeof spec.priority !== 'number' || !Number.isInteger(spec.priority)) {
      problems.error(['spec', 'priority'], `must be an integer, not ${typeName(spec.priority)}`);
    } else if (spec.priority < 0 || spec.priority > 1000) {
      problems.error(['spec', 'priority'], `${spec.priority}: must be between 0 and 1000, inclusive`);
    } else priority = spec.priority;
  }
  const subject = readSubject(spec.subject, ['spec', 'subject'], problems);
  const actions: readonly AdminAction[] = tier === 'admin' ? ['Allow', 'Deny', 'Pass'] : ['Allow', 'Deny'];
  const rules = (dir: 'ingress' | 'egress'): AdminRule[] => {
    const list = problems.list(spec[dir], ['spec', dir]) ?? [];
    if (list.length > MAX_RULES) problems.error(['spec', dir], `must have at most ${MAX_RULES} items`);
    return list
      .map((r, i) => readRule(r, ['spec', dir, i], dir, actions, problems))
      .filter((r): r is AdminRule => r !== undefined);
  };
  const ingress = rules('ingress');
  const egress = rules('egress');
  if (problems.errorsSince(mark) || !subject) return undefined;
  return { ...(priority !== undefined ? { priority } : {}), subject, ingress, egress };
}

/** `subject`: exactly one of `namespaces` (a label selector) or `pods` {namespaceSelector, podSelector}. */
function readSubject(raw: unknown, path: DocPath, problems: ProblemList): AdminSpec['subject'] | undefined {
  if (raw === undefined || raw === null) {
    problems.error(path, 'required');
    return undefined;
  }
  const subject = problems.object(raw, path);
  if (!subject) return undefined;
  problems.knownFields(subject, ['namespaces', 'pods'], path);
  const set = ['namespaces', 'pods'].filter((k) => subject[k] !== undefined && subject[k] !== null);
  if (set.length !== 1) {
    problems.error(path, 'must set exactly one of `namespaces` or `pods`');
    return undefined;
  }
  if (set[0] === 'namespaces') {
    const namespaceSelector = readSelectorWithHint(subject.namespaces, [...path, 'namespaces'], problems);
    return namespaceSelector ? { namespaceSelector } : undefined;
  }
  const pods = readNamespacedPod(subject.pods, [...path, 'pods'], problems);
  return pods ? { namespaceSelector: pods.namespaceSelector, podSelector: pods.podSelector } : undefined;
}

function readNamespacedPod(
  raw: unknown,
  path: DocPath,
  problems: ProblemList,
): { namespaceSelector: LabelSelector; podSelector: LabelSelector } | undefined {
  const mark = problems.items.length;
  const pods = problems.object(raw, path);
  if (!pods) return undefined;
  problems.knownFields(pods, ['namespaceSelector', 'podSelector'], path);
  // NamespacedPod: an empty (or omitted) selector selects every namespace / every pod.
  const namespaceSelector = pods.namespaceSelector == null ? EVERYTHING : readSelector(pods.namespaceSelector, [...path, 'namespaceSelector'], problems);
  if (pods.podSelector === undefined || pods.podSelector === null) problems.error([...path, 'podSelector'], 'required');
  const podSelector = readSelector(pods.podSelector, [...path, 'podSelector'], problems);
  if (problems.errorsSince(mark) || !namespaceSelector || !podSelector) return undefined;
  return { namespaceSelector, podSelector };
}

/** A label selector; the v0.1.0 form `namespaces: {namespaceSelector: ...}` gets a hint, not just "unknown field". */
function readSelectorWithHint(raw: unknown, path: DocPath, problems: ProblemList): LabelSelector | undefined {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'namespaceSelector' in raw) {
    problems.error(
      [...path, 'namespaceSelector'],
      'unknown field: since network-policy-api v0.1.5 `namespaces` is itself a label selector (write its matchLabels directly)',
    );
    return undefined;
  }
  return readSelector(raw, path, problems);
}

function readRule(
  raw: unknown,
  path: DocPath,
  dir: 'ingress' | 'egress',
  actions: readonly AdminAction[],
  problems: ProblemList,
): AdminRule | undefined {
  const mark = problems.items.length;
  const rule = problems.object(raw, path);
  if (!rule) return undefined;
  const peersField = dir === 'ingress' ? 'from' : 'to';
  problems.knownFields(rule, ['name', 'action', peersField, 'ports'], path);
  let name: string | undefined;
  if (rule.name !== undefined && rule.name !== null) {
    name = problems.string(rule.name, [...path, 'name']);
    if (name !== undefined && name.length > 100) problems.error([...path, 'name'], 'must be no more than 100 characters');
  }
  const action = rule.action;
  if (action === undefined || action === null) problems.error([...path, 'action'], 'required');
  else if (typeof action !== 'string' || !(actions as readonly string[]).includes(action)) {
    problems.error([...path, 'action'], `unsupported value ${JSON.stringify(action)}: supported values: ${actions.map((a) => `"${a}"`).join(', ')}`);
  }
  const peersRaw = problems.list(rule[peersField], [...path, peersField]);
  if (peersRaw && peersRaw.length === 0) problems.error([...path, peersField], 'required, at least one peer');
  if (peersRaw && peersRaw.length > 100) problems.error([...path, peersField], 'must have at most 100 items');
  const peers = (peersRaw ?? []).map((p, i) => readPeer(p, [...path, peersField, i], dir, problems));
  const portsRaw = problems.list(rule.ports, [...path, 'ports']);
  if (portsRaw && portsRaw.length > 100) problems.error([...path, 'ports'], 'must have at most 100 items');
  const ports = (portsRaw ?? []).map((p, i) => readPort(p, [...path, 'ports', i], problems));
  if (problems.errorsSince(mark)) return undefined;
  return {
    index: path[path.length - 1] as number,
    ...(name !== undefined && name !== '' ? { name } : {}),
    action: action as AdminAction,
    peers: peers as AdminPeer[],
    // "If Ports is not set then the rule does not filter traffic via port."
    ports: ports.length === 0 ? 'all' : (ports as AdminPort[]),
    path,
  };
}

function readPeer(raw: unknown, path: DocPath, dir: 'ingress' | 'egress', problems: ProblemList): AdminPeer | undefined {
  const mark = problems.items.length;
  const peer = problems.object(raw, path);
  if (!peer) return undefined;
  const fields = dir === 'ingress' ? ['namespaces', 'pods'] : ['namespaces', 'pods', 'nodes', 'networks'];
  problems.knownFields(peer, fields, path);
  const set = fields.filter((k) => peer[k] !== undefined && peer[k] !== null);
  if (set.length !== 1) {
    problems.error(path, `must set exactly one of ${fields.map((f) => `\`${f}\``).join(', ')}`);
    return undefined;
  }
  const field = set[0]!;
  if (field === 'namespaces') {
    const namespaceSelector = readSelectorWithHint(peer.namespaces, [...path, 'namespaces'], problems);
    return namespaceSelector && !problems.errorsSince(mark) ? { type: 'namespaces', namespaceSelector } : undefined;
  }
  if (field === 'pods') {
    const pods = readNamespacedPod(peer.pods, [...path, 'pods'], problems);
    return pods ? { type: 'pods', ...pods } : undefined;
  }
  if (field === 'nodes') {
    const nodeSelector = readSelector(peer.nodes, [...path, 'nodes'], problems);
    return nodeSelector ? { type: 'nodes', nodeSelector } : undefined;
  }
  const list = problems.list(peer.networks, [...path, 'networks']) ?? [];
  if (list.length === 0) problems.error([...path, 'networks'], 'required, at least one CIDR');
  if (list.length > 25) problems.error([...path, 'networks'], 'must have at most 25 items');
  const cidrs: string[] = [];
  list.forEach((c, i) => {
    const p = [...path, 'networks', i];
    const text = problems.string(c, p);
    if (text === undefined) return;
    const cidr = parseCidr(text);
    if (typeof cidr === 'string') return problems.error(p, cidr);
    if (cidr.hadHostBits) problems.warning(p, `"${text}" has host bits set; analysed as ${cidr.text}`);
    cidrs.push(cidr.text);
  });
  return problems.errorsSince(mark) ? undefined : { type: 'networks', cidrs };
}

function readProtocol(raw: unknown, path: DocPath, problems: ProblemList): Protocol | undefined {
  // Port.Protocol and PortRange.Protocol default to TCP.
  if (raw === undefined || raw === null || raw === '') return 'TCP';
  if (typeof raw !== 'string' || !(PROTOCOLS as readonly string[]).includes(raw)) {
    problems.error(path, `unsupported value ${JSON.stringify(raw)}: supported values: "TCP", "UDP", "SCTP"`);
    return undefined;
  }
  return raw as Protocol;
}

function readPortValue(raw: unknown, path: DocPath, problems: ProblemList): number | undefined {
  if (raw === undefined || raw === null) {
    problems.error(path, 'required');
    return undefined;
  }
  if (typeof raw !== 'number' || !Number.isInteger(raw)) {
    problems.error(path, `must be an integer, not ${typeName(raw)}`);
    return undefined;
  }
  const bad = portNumberProblems(raw);
  if (bad.length > 0) {
    for (const m of bad) problems.error(path, `${raw}: ${m}`);
    return undefined;
  }
  return raw;
}

/** AdminNetworkPolicyPort: exactly one of portNumber {protocol, port}, namedPort, portRange {protocol, start, end}. */
function readPort(raw: unknown, path: DocPath, problems: ProblemList): AdminPort | undefined {
  const mark = problems.items.length;
  const entry = problems.object(raw, path);
  if (!entry) return undefined;
  const fields = ['portNumber', 'namedPort', 'portRange'];
  problems.knownFields(entry, fields, path);
  const set = fields.filter((k) => entry[k] !== undefined && entry[k] !== null);
  if (set.length !== 1) {
    problems.error(path, 'must set exactly one of `portNumber`, `namedPort`, `portRange`');
    return undefined;
  }
  if (set[0] === 'namedPort') {
    const name = problems.string(entry.namedPort, [...path, 'namedPort']);
    if (name === undefined) return undefined;
    const bad = portNameProblems(name);
    if (bad.length > 0) problems.error([...path, 'namedPort'], `"${name}": ${bad.join('; ')}`);
    return problems.errorsSince(mark) ? undefined : { type: 'named', name };
  }
  if (set[0] === 'portNumber') {
    const p = [...path, 'portNumber'];
    const n = problems.object(entry.portNumber, p);
    if (!n) return undefined;
    problems.knownFields(n, ['protocol', 'port'], p);
    const protocol = readProtocol(n.protocol, [...p, 'protocol'], problems);
    const port = readPortValue(n.port, [...p, 'port'], problems);
    return problems.errorsSince(mark) || !protocol || port === undefined ? undefined : { type: 'number', protocol, port };
  }
  const p = [...path, 'portRange'];
  const r = problems.object(entry.portRange, p);
  if (!r) return undefined;
  problems.knownFields(r, ['protocol', 'start', 'end'], p);
  const protocol = readProtocol(r.protocol, [...p, 'protocol'], problems);
  const start = readPortValue(r.start, [...p, 'start'], problems);
  const end = readPortValue(r.end, [...p, 'end'], problems);
  // PortRange: "the Start value must be less than End" (CEL rule self.start < self.end).
  if (start !== undefined && end !== undefined && start >= end) problems.error(p, `start (${start}) must be less than end (${end})`);
  if (problems.errorsSince(mark) || !protocol || start === undefined || end === undefined) return undefined;
  return { type: 'range', protocol, start, end };
}
