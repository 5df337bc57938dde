// NetworkPolicySpec (networking.k8s.io/v1), read with the API server's defaulting and validation
// (pkg/apis/networking/v1/defaults.go, pkg/apis/networking/validation/validation.go), so that we analyse
// exactly what a cluster would enforce and reject exactly what it would refuse.
// Reference: https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
import type { DocPath, LabelSelector, PolicyPeer, PolicyPort, PolicyRule, Protocol } from './model.js';
import { PROTOCOLS } from './model.js';
import { parseCidr } from './cidr.js';
import { portNameProblems, portNumberProblems } from './k8sNames.js';
import { readSelector } from './selector.js';
import { typeName, type ProblemList } from './problems.js';

export interface PolicySpec {
  readonly podSelector: LabelSelector;
  readonly affectsIngress: boolean;
  readonly affectsEgress: boolean;
  readonly ingress: PolicyRule[];
  readonly egress: PolicyRule[];
}

const SPEC_FIELDS = ['podSelector', 'policyTypes', 'ingress', 'egress'];

/** Reads `spec`; undefined when the API server would reject it (problems say why). */
export function readPolicySpec(raw: unknown, problems: ProblemList): PolicySpec | undefined {
  const mark = problems.items.length;
  const spec = problems.object(raw, ['spec']);
  if (!spec) return undefined;
  problems.knownFields(spec, SPEC_FIELDS, ['spec']);
  const podSelector = readSelector(spec.podSelector, ['spec', 'podSelector'], problems);
  const ingressRaw = problems.list(spec.ingress, ['spec', 'ingress']);
  const egressRaw = problems.list(spec.egress, ['spec', 'egress']);
  const ingress = (ingressRaw ?? []).map((r, i) => readRule(r, ['spec', 'ingress', i], 'from', problems));
  const egress = (egressRaw ?? []).map((r, i) => readRule(r, ['spec', 'egress', i], 'to', problems));

  const types = (problems.list(spec.policyTypes, ['spec', 'policyTypes']) ?? []).map((t, i) =>
    problems.string(t, ['spec', 'policyTypes', i]),
  );
  if (types.length > 2) problems.error(['spec', 'policyTypes'], 'may not specify more than two policyTypes');
  types.forEach((t, i) => {
    if (t !== undefined && t !== 'Ingress' && t !== 'Egress') {
      problems.error(['spec', 'policyTypes', i], `unsupported value "${t}": supported values: "Ingress", "Egress"`);
    }
  });

  if (problems.errorsSince(mark) || !podSelector) return undefined;
  // SetDefaults_NetworkPolicy: when policyTypes is empty, it becomes [Ingress], plus Egress when
  // `len(spec.Egress) != 0`, so `egress: []` alone does NOT make a policy affect egress.
  const defaulted = types.length === 0;
  const affectsIngress = defaulted || types.includes('Ingress');
  const affectsEgress = defaulted ? egress.length > 0 : types.includes('Egress');
  return {
    podSelector,
    affectsIngress,
    affectsEgress,
    // Copied to their length: a list grown item by item keeps room for 17 (the model keeps these lists).
    ingress: ingress.filter((r): r is PolicyRule => r !== undefined).slice(),
    egress: egress.filter((r): r is PolicyRule => r !== undefined).slice(),
  };
}

function readRule(raw: unknown, path: DocPath, peersField: 'from' | 'to', problems: ProblemList): PolicyRule | undefined {
  const mark = problems.items.length;
  const rule = problems.object(raw, path);
  if (!rule) return undefined;
  problems.knownFields(rule, ['ports', peersField], path);
  const peersRaw = problems.list(rule[peersField], [...path, peersField]);
  const portsRaw = problems.list(rule.ports, [...path, 'ports']);
  const peers = (peersRaw ?? []).map((p, i) => readPeer(p, [...path, peersField, i], problems));
  const ports = (portsRaw ?? []).map((p, i) => readPort(p, [...path, 'ports', i], problems));
  if (problems.errorsSince(mark)) return undefined;
  return {
    index: path[path.length - 1] as number,
    // An absent or empty from/to/ports list matches everything (NetworkPolicyIngressRule docs).
    peers: peers.length === 0 ? 'all' : (peers as PolicyPeer[]),
    ports: ports.length === 0 ? 'all' : (ports as PolicyPort[]),
    path,
  };
}

function readPeer(raw: unknown, path: DocPath, problems: ProblemList): PolicyPeer | undefined {
  const mark = problems.items.length;
  const peer = problems.object(raw, path);
  if (!peer) return undefined;
  problems.knownFields(peer, ['podSelector', 'namespaceSelector', 'ipBlock'], path);
  // Go decodes `podSelector: null` as an absent pointer, so null counts as not set.
  const has = (k: string): boolean => peer[k] !== undefined && peer[k] !== null;
  const podSelector = has('podSelector') ? readSelector(peer.podSelector, [...path, 'podSelector'], problems) : undefined;
  const namespaceSelector = has('namespaceSelector')
    ? readSelector(peer.namespaceSelector, [...path, 'namespaceSelector'], problems)
    : undefined;
  const count = ['podSelector', 'namespaceSelector', 'ipBlock'].filter(has).length;
  if (count === 0) {
    problems.error(path, 'must specify a peer (podSelector, namespaceSelector or ipBlock)');
    return undefined;
  }
  if (has('ipBlock')) {
    if (count > 1) problems.error(path, 'may not specify both ipBlock and another peer');
    const block = readIpBlock(peer.ipBlock, [...path, 'ipBlock'], problems);
    return problems.errorsSince(mark) ? undefined : block;
  }
  if (problems.errorsSince(mark)) return undefined;
  return {
    type: 'pods',
    ...(podSelector ? { podSelector } : {}),
    ...(namespaceSelector ? { namespaceSelector } : {}),
  };
}

function readIpBlock(raw: unknown, path: DocPath, problems: ProblemList): PolicyPeer | undefined {
  const block = problems.object(raw, path);
  if (!block) return undefined;
  problems.knownFields(block, ['cidr', 'except'], path);
  if (block.cidr === undefined || block.cidr === null || block.cidr === '') {
    problems.error([...path, 'cidr'], 'required');
    return undefined;
  }
  const cidrText = problems.string(block.cidr, [...path, 'cidr']);
  if (cidrText === undefined) return undefined;
  const cidr = parseCidr(cidrText);
  if (typeof cidr === 'string') {
    problems.error([...path, 'cidr'], cidr);
    return undefined;
  }
  if (cidr.hadHostBits) {
    problems.warning([...path, 'cidr'], `"${cidrText}" has host bits set; analysed as ${cidr.text}`);
  }
  const except: string[] = [];
  (problems.list(block.except, [...path, 'except']) ?? []).forEach((e, i) => {
    const p = [...path, 'except', i];
    const text = problems.string(e, p);
    if (text === undefined) return;
    const ex = parseCidr(text);
    if (typeof ex === 'string') return problems.error(p, ex);
    if (ex.hadHostBits) problems.warning(p, `"${text}" has host bits set; analysed as ${ex.text}`);
    // ValidateIPBlock: `!cidr.Contains(except.IP) || cidrMaskLen >= exceptMaskLen` is an error.
    if (ex.family !== cidr.family || ex.prefix <= cidr.prefix || !ex.address.match(cidr.address, cidr.prefix)) {
      return problems.error(p, `"${text}" must be a strict subset of cidr ${cidr.text}`);
    }
    except.push(ex.text);
  });
  return { type: 'ipBlock', cidr: cidr.text, except: except.slice() };
}

function readPort(raw: unknown, path: DocPath, problems: ProblemList): PolicyPort | undefined {
  const mark = problems.items.length;
  const entry = problems.object(raw, path);
  if (!entry) return undefined;
  problems.knownFields(entry, ['protocol', 'port', 'endPort'], path);
  // SetDefaults_NetworkPolicyPort: protocol defaults to TCP.
  const protocol = entry.protocol === undefined || entry.protocol === null ? 'TCP' : problems.string(entry.protocol, [...path, 'protocol']);
  if (protocol !== undefined && !(PROTOCOLS as readonly string[]).includes(protocol)) {
    problems.error([...path, 'protocol'], `unsupported value "${protocol}": supported values: "TCP", "UDP", "SCTP"`);
  }
  const port = entry.port ?? undefined;
  const endPort = entry.endPort ?? undefined;
  if (endPort !== undefined && !Number.isInteger(endPort)) {
    problems.error([...path, 'endPort'], `must be an integer, not ${typeName(endPort)}`);
  }
  if (typeof port === 'number' && Number.isInteger(port)) {
    for (const m of portNumberProblems(port)) problems.error([...path, 'port'], `${port}: ${m}`);
    if (typeof endPort === 'number' && Number.isInteger(endPort)) {
      if (endPort < port) problems.error([...path, 'endPort'], `${endPort}: must be greater than or equal to \`port\``);
      for (const m of portNumberProblems(endPort)) problems.error([...path, 'endPort'], `${endPort}: ${m}`);
    }
  } else if (typeof port === 'string') {
    const nameProblems = portNameProblems(port);
    if (nameProblems.length > 0) problems.error([...path, 'port'], `"${port}": ${nameProblems.join('; ')}`);
    if (endPort !== undefined) problems.error([...path, 'endPort'], 'may not be specified when `port` is non-numeric');
  } else if (port !== undefined) {
    problems.error([...path, 'port'], `must be an integer or a string, not ${typeName(port)}`);
  } else if (endPort !== undefined) {
    problems.error([...path, 'endPort'], 'may not be specified when `port` is not specified');
  }
  if (problems.errorsSince(mark)) return undefined;
  return {
    protocol: protocol as Protocol,
    ...(port !== undefined ? { port: port as number | string } : {}),
    ...(endPort !== undefined ? { endPort: endPort as number } : {}),
  };
}
