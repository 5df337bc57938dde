// NetworkPolicySpec (networking.k8s.io/v1), read with the API server's defaulting and validation
// (pkg/apis/networking/v1/defaults.go, pkg/apis/networking/validation/validation.go), so that we analyse
// exactly what a cluster would enforce and reject exactly what it would refuse.
// Reference: https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
import type { DocPath, LabelSelector, PolicyPeer, PolicyPort, PolicyRule, Protocol } from './model.js';
import { PROTOCOLS } from './model.js';
import { parseCidr, type Cidr } from './cidr.js';
import { portNameProblems, portNumberProblems } from './k8sNames.js';
import { emptySelector, readSelector, readValidSelector } from './selector.js';
import { isObject, typeName, type ProblemList, type RawObject } from './problems.js';

export interface PolicySpec {
  readonly podSelector: LabelSelector;
  readonly affectsIngress: boolean;
  readonly affectsEgress: boolean;
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
}

const SPEC_FIELDS = ['podSelector', 'policyTypes', 'ingress', 'egress'];
const RULE_FIELDS_FROM = ['ports', 'from'];
const RULE_FIELDS_TO = ['ports', 'to'];

/** Reads `spec`; undefined when the API server would reject it (problems say why). */
export function readPolicySpec(raw: unknown, problems: ProblemList): PolicySpec | undefined {
  return readValidPolicySpec(raw) ?? readPolicySpecFully(raw, problems);
}

/** readPolicySpec in full: every check, with a problem for each failed one (exported for tests). */
export function readPolicySpecFully(raw: unknown, problems: ProblemList): PolicySpec | undefined {
  const mark = problems.items.length;
  const spec = problems.object(raw, ['spec']);
  if (!spec) return undefined;
  problems.knownFields(spec, SPEC_FIELDS, ['spec']);
  const podSelector = readSelector(spec.podSelector, ['spec', 'podSelector'], problems);
  const ingressRaw = problems.list(spec.ingress, ['spec', 'ingress']);
  const egressRaw = problems.list(spec.egress, ['spec', 'egress']);
  const ingress = (ingressRaw ?? []).map((r, i) => readRule(r, rulePath('ingress', i), 'from', problems));
  const egress = (egressRaw ?? []).map((r, i) => readRule(r, rulePath('egress', i), 'to', problems));

  const types = (problems.list(spec.policyTypes, ['spec', 'policyTypes']) ?? []).map((t, i) =>
    problems.string(t, ['spec', 'policyTypes', i]),
  );
  if (types.length > 2) problems.error(['spec', 'policyTypes'], 'may not specify more than two policyTypes');
  types.forEach((t, i) => {
    if (t !== undefined && t !== 'Ingress' && t !== 'Egress') {
      problems.error(['spec', 'policyTypes', i], `unsupported value "${t}": supported values: "Ingress", "Egress"`);
    }
  });

  if (errorsSince(problems, mark) || !podSelector) return undefined;
  // SetDefaults_NetworkPolicy: when policyTypes is empty, it becomes [Ingress], plus Egress when
  // `len(spec.Egress) != 0`, so `egress: []` alone does NOT make a policy affect egress.
  const defaulted = types.length === 0;
  const affectsIngress = defaulted || types.includes('Ingress');
  const affectsEgress = defaulted ? egress.length > 0 : types.includes('Egress');
  return {
    podSelector,
    affectsIngress,
    affectsEgress,
    ingress: definedRules(ingress),
    egress: definedRules(egress),
  };
}

/** Whether an error was recorded since `mark` (problems.errorsSince, without its copy when there is none). */
function errorsSince(problems: ProblemList, mark: number): boolean {
  return problems.items.length !== mark && problems.errorsSince(mark);
}

/** A map or null/absent (as problems.object), the path built only for a type error. */
function object(v: unknown, path: () => DocPath, problems: ProblemList): RawObject | undefined {
  return isObject(v) ? v : problems.object(v, path());
}

/** A list or null/absent (as problems.list), the path built only for a type error. */
function list(v: unknown, path: () => DocPath, problems: ProblemList): unknown[] | undefined {
  return Array.isArray(v) ? v : problems.list(v, path());
}

/** problems.knownFields, the path built only when some field is unknown. */
function knownFields(obj: RawObject, known: readonly string[], path: () => DocPath, problems: ProblemList): void {
  for (const k in obj) {
    if (!known.includes(k)) {
      problems.knownFields(obj, known, path());
      return;
    }
  }
}

const PEER_FIELDS = ['podSelector', 'namespaceSelector', 'ipBlock'];
const PORT_FIELDS = ['protocol', 'port', 'endPort'];

/**
 * The rules read, as a list the model keeps: `map`'s own list when every rule was read (it is made at its
 * length), else copied to its length (a list grown item by item keeps room for 17). One shared empty list.
 */
function definedRules(rules: (PolicyRule | undefined)[]): readonly PolicyRule[] {
  if (rules.length === 0) return NO_RULES;
  if (!rules.includes(undefined)) return rules as PolicyRule[];
  const out = rules.filter((r): r is PolicyRule => r !== undefined);
  return out.length === 0 ? NO_RULES : out.slice();
}

const NO_RULES: readonly PolicyRule[] = [];
const NO_STRINGS: readonly string[] = [];

/** Rule paths by direction and index: equal paths are shared (the model keeps one per rule). */
const rulePaths = { ingress: [] as DocPath[], egress: [] as DocPath[] };

function rulePath(direction: 'ingress' | 'egress', i: number): DocPath {
  const paths = rulePaths[direction];
  return i < 1024 ? (paths[i] ??= ['spec', direction, i]) : ['spec', direction, i];
}

function readRule(raw: unknown, path: DocPath, peersField: 'from' | 'to', problems: ProblemList): PolicyRule | undefined {
  const mark = problems.items.length;
  const rule = problems.object(raw, path);
  if (!rule) return undefined;
  knownFields(rule, peersField === 'from' ? RULE_FIELDS_FROM : RULE_FIELDS_TO, () => path, problems);
  const peersRaw = list(rule[peersField], () => [...path, peersField], problems);
  const portsRaw = list(rule.ports, () => [...path, 'ports'], problems);
  const peers = (peersRaw ?? []).map((p, i) => readPeer(p, () => [...path, peersField, i], problems));
  const ports = (portsRaw ?? []).map((p, i) => readPort(p, () => [...path, 'ports', i], problems));
  if (errorsSince(problems, mark)) return undefined;
  return {
    index: path[path.length - 1] as number,
    // An absent or empty from/to/ports list matches everything (NetworkPolicyIngressRule docs).
    peers: peers.length === 0 ? 'all' : (peers as PolicyPeer[]),
    ports: ports.length === 0 ? 'all' : (ports as PolicyPort[]),
    path,
  };
}

function readPeer(raw: unknown, path: () => DocPath, problems: ProblemList): PolicyPeer | undefined {
  const mark = problems.items.length;
  const peer = object(raw, path, problems);
  if (!peer) return undefined;
  knownFields(peer, PEER_FIELDS, path, problems);
  // Go decodes `podSelector: null` as an absent pointer, so null counts as not set.
  const hasPods = peer.podSelector !== undefined && peer.podSelector !== null;
  const hasNamespaces = peer.namespaceSelector !== undefined && peer.namespaceSelector !== null;
  const hasIpBlock = peer.ipBlock !== undefined && peer.ipBlock !== null;
  const podSelector = hasPods ? readSelector(peer.podSelector, () => [...path(), 'podSelector'], problems) : undefined;
  const namespaceSelector = hasNamespaces
    ? readSelector(peer.namespaceSelector, () => [...path(), 'namespaceSelector'], problems)
    : undefined;
  const count = (hasPods ? 1 : 0) + (hasNamespaces ? 1 : 0) + (hasIpBlock ? 1 : 0);
  if (count === 0) {
    problems.error(path(), 'must specify a peer (podSelector, namespaceSelector or ipBlock)');
    return undefined;
  }
  if (hasIpBlock) {
    if (count > 1) problems.error(path(), 'may not specify both ipBlock and another peer');
    const block = readIpBlock(peer.ipBlock, [...path(), 'ipBlock'], problems);
    return errorsSince(problems, mark) ? undefined : block;
  }
  if (errorsSince(problems, mark)) return undefined;
  // The fields in this order, as they always were (specs are compared as JSON).
  if (podSelector && namespaceSelector) return { type: 'pods', podSelector, namespaceSelector };
  if (podSelector) return { type: 'pods', podSelector };
  if (namespaceSelector) return { type: 'pods', namespaceSelector };
  return { type: 'pods' };
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
  return { type: 'ipBlock', cidr: cidr.text, except: except.length === 0 ? NO_STRINGS : except.slice() };
}

function readPort(raw: unknown, at: () => DocPath, problems: ProblemList): PolicyPort | undefined {
  const mark = problems.items.length;
  const entry = object(raw, at, problems);
  if (!entry) return undefined;
  knownFields(entry, PORT_FIELDS, at, problems);
  const fast = readValidPort(entry);
  if (fast !== undefined) return fast;
  const path = at();
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
  if (errorsSince(problems, mark)) return undefined;
  return portRecord(protocol as Protocol, port as number | string | undefined, endPort as number | undefined);
}

/** The port as readPort gives it, fields in this order (specs are compared as JSON). */
function portRecord(protocol: Protocol, port: number | string | undefined, endPort: number | undefined): PolicyPort {
  if (port === undefined) return endPort === undefined ? { protocol } : { protocol, endPort };
  return endPort === undefined ? { protocol, port } : { protocol, port, endPort };
}

/**
 * The port of an entry the API server accepts as it is written in nearly every manifest (a known protocol, a
 * valid number or name, a valid endPort with a number): undefined for anything else, which readPort checks
 * in full.
 */
function readValidPort(entry: RawObject): PolicyPort | undefined {
  const p = entry.protocol;
  const protocol = p === undefined || p === null ? 'TCP' : p === 'TCP' || p === 'UDP' || p === 'SCTP' ? p : undefined;
  if (protocol === undefined) return undefined;
  const port = entry.port ?? undefined;
  const endPort = entry.endPort ?? undefined;
  if (typeof port === 'number') {
    if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
    if (endPort !== undefined && (typeof endPort !== 'number' || !Number.isInteger(endPort) || endPort < port || endPort > 65535)) {
      return undefined;
    }
    return endPort === undefined ? numberPort(protocol, port) : portRecord(protocol, port, endPort as number);
  }
  if (endPort !== undefined) return undefined;
  if (port === undefined) return { protocol };
  if (typeof port === 'string' && port.length <= 15 && PORT_NAME.test(port) && /[a-z]/.test(port)) return { protocol, port };
  return undefined;
}

/**
 * `{ protocol, port }` for a port number, one object per protocol and number: policies repeat the same few
 * ports (53, 443, 8080...), and the model keeps a port per rule (ports are never changed once read).
 */
function numberPort(protocol: Protocol, port: number): PolicyPort {
  const id = (protocol === 'TCP' ? 0 : protocol === 'UDP' ? 1 : 2) * 65536 + port;
  let p = numberPorts.get(id);
  if (p === undefined) numberPorts.set(id, (p = { protocol, port }));
  return p;
}

const numberPorts = new Map<number, PolicyPort>();

/** A port name without problems (portNameProblems): lowercase alphanumerics, single inner hyphens. */
const PORT_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

// ---- The fast path: specs the API server accepts as they are, read without a problem list. ----
//
// Nearly every policy is valid and is read once per process, in a cold run, mostly before the optimising
// compiler has caught up: these readers check and build the same values as the full ones above, with plain
// loops and no closures or paths (small functions that the compiler optimises early and quickly), and give
// undefined at the first thing the full reader would have a problem (error or warning) with, or that they do
// not handle: the full reader then reads the spec again from the start, so problems are found as before.

/**
 * The spec as readPolicySpec reads it, when reading it records no problem at all; undefined otherwise (or
 * when unsure), for readPolicySpec's full reading.
 */
export function readValidPolicySpec(raw: unknown): PolicySpec | undefined {
  if (!isObject(raw) || !onlyFields(raw, SPEC_FIELDS)) return undefined;
  const selectorRaw = raw.podSelector;
  const podSelector = selectorRaw === undefined || selectorRaw === null ? emptySelector() : readValidSelector(selectorRaw);
  if (podSelector === undefined) return undefined;
  const ingress = validRules(raw.ingress, 'ingress');
  if (ingress === undefined) return undefined;
  const egress = validRules(raw.egress, 'egress');
  if (egress === undefined) return undefined;
  const typesRaw = raw.policyTypes;
  let affectsIngress = true;
  let affectsEgress = egress.length > 0;
  if (typesRaw !== undefined && typesRaw !== null) {
    if (!Array.isArray(typesRaw) || typesRaw.length > 2) return undefined;
    if (typesRaw.length > 0) {
      // SetDefaults_NetworkPolicy only fills in an empty policyTypes (see readPolicySpecFully).
      affectsIngress = affectsEgress = false;
      for (let i = 0; i < typesRaw.length; i++) {
        const t: unknown = typesRaw[i];
        if (t === 'Ingress') affectsIngress = true;
        else if (t === 'Egress') affectsEgress = true;
        else return undefined;
      }
    }
  }
  return { podSelector, affectsIngress, affectsEgress, ingress, egress };
}

/** Whether every field of `obj` is among `known` (problems.knownFields would record none). */
function onlyFields(obj: RawObject, known: readonly string[]): boolean {
  for (const k in obj) if (!known.includes(k)) return false;
  return true;
}

/**
 * The items being read, innermost last (as fastYaml's): a list is copied out at its length once complete
 * (a list grown item by item keeps room for 17; `map` is not used, for its closure).
 */
const scratch: unknown[] = [];

/** The scratch items from `base` on as a list of their own, taken off the scratch list. */
function takeScratch<T>(base: number): T[] {
  const out = scratch.slice(base) as T[];
  scratch.length = base;
  return out;
}

/** A direction's rules (definedRules of them, every one read), or undefined. */
function validRules(raw: unknown, direction: 'ingress' | 'egress'): readonly PolicyRule[] | undefined {
  if (raw === undefined || raw === null) return NO_RULES;
  if (!Array.isArray(raw)) return undefined;
  if (raw.length === 0) return NO_RULES;
  const base = scratch.length;
  for (let i = 0; i < raw.length; i++) {
    const rule = readValidRule(raw[i], direction, i);
    if (rule === undefined) {
      scratch.length = base;
      return undefined;
    }
    scratch.push(rule);
  }
  return takeScratch<PolicyRule>(base);
}

function readValidRule(raw: unknown, direction: 'ingress' | 'egress', i: number): PolicyRule | undefined {
  if (!isObject(raw)) return undefined;
  const peersField = direction === 'ingress' ? 'from' : 'to';
  if (!onlyFields(raw, direction === 'ingress' ? RULE_FIELDS_FROM : RULE_FIELDS_TO)) return undefined;
  const peers = validPeers(raw[peersField]);
  if (peers === undefined) return undefined;
  const ports = validPorts(raw.ports);
  if (ports === undefined) return undefined;
  return { index: i, peers, ports, path: rulePath(direction, i) };
}

function validPeers(raw: unknown): PolicyRule['peers'] | undefined {
  if (raw === undefined || raw === null) return 'all';
  if (!Array.isArray(raw)) return undefined;
  if (raw.length === 0) return 'all';
  const base = scratch.length;
  for (let i = 0; i < raw.length; i++) {
    const peer = readValidPeer(raw[i]);
    if (peer === undefined) {
      scratch.length = base;
      return undefined;
    }
    scratch.push(peer);
  }
  return takeScratch<PolicyPeer>(base);
}

function validPorts(raw: unknown): PolicyRule['ports'] | undefined {
  if (raw === undefined || raw === null) return 'all';
  if (!Array.isArray(raw)) return undefined;
  if (raw.length === 0) return 'all';
  const base = scratch.length;
  for (let i = 0; i < raw.length; i++) {
    const entry: unknown = raw[i];
    const port = isObject(entry) && onlyFields(entry, PORT_FIELDS) ? readValidPort(entry) : undefined;
    if (port === undefined) {
      scratch.length = base;
      return undefined;
    }
    scratch.push(port);
  }
  return takeScratch<PolicyPort>(base);
}

function readValidPeer(raw: unknown): PolicyPeer | undefined {
  if (!isObject(raw) || !onlyFields(raw, PEER_FIELDS)) return undefined;
  const podsRaw = raw.podSelector;
  const namespacesRaw = raw.namespaceSelector;
  const ipBlockRaw = raw.ipBlock;
  if (ipBlockRaw !== undefined && ipBlockRaw !== null) {
    const alone = (podsRaw === undefined || podsRaw === null) && (namespacesRaw === undefined || namespacesRaw === null);
    return alone ? readValidIpBlock(ipBlockRaw) : undefined;
  }
  // The fields in readPeer's order (specs are compared as JSON).
  if (podsRaw !== undefined && podsRaw !== null) {
    const podSelector = readValidSelector(podsRaw);
    if (podSelector === undefined) return undefined;
    if (namespacesRaw === undefined || namespacesRaw === null) return { type: 'pods', podSelector };
    const namespaceSelector = readValidSelector(namespacesRaw);
    return namespaceSelector === undefined ? undefined : { type: 'pods', podSelector, namespaceSelector };
  }
  if (namespacesRaw === undefined || namespacesRaw === null) return undefined; // no peer: an error
  const namespaceSelector = readValidSelector(namespacesRaw);
  return namespaceSelector === undefined ? undefined : { type: 'pods', namespaceSelector };
}

/** An ipBlock without problems (no warning either: host bits set are left to readIpBlock). */
function readValidIpBlock(raw: unknown): PolicyPeer | undefined {
  if (!isObject(raw) || !onlyFields(raw, IP_BLOCK_FIELDS)) return undefined;
  const cidrText = raw.cidr;
  if (typeof cidrText !== 'string' || cidrText === '') return undefined;
  const cidr = parseCidr(cidrText);
  if (typeof cidr === 'string' || cidr.hadHostBits) return undefined;
  const exceptRaw = raw.except;
  if (exceptRaw === undefined || exceptRaw === null) return { type: 'ipBlock', cidr: cidr.text, except: NO_STRINGS };
  if (!Array.isArray(exceptRaw)) return undefined;
  if (exceptRaw.length === 0) return { type: 'ipBlock', cidr: cidr.text, except: NO_STRINGS };
  const base = scratch.length;
  for (let i = 0; i < exceptRaw.length; i++) {
    const ex = validExcept(exceptRaw[i], cidr);
    if (ex === undefined) {
      scratch.length = base;
      return undefined;
    }
    scratch.push(ex);
  }
  return { type: 'ipBlock', cidr: cidr.text, except: takeScratch<string>(base) };
}

/** The normalised text of an `except` entry of `cidr` without problems; undefined otherwise. */
function validExcept(text: unknown, cidr: Cidr): string | undefined {
  if (typeof text !== 'string') return undefined;
  const ex = parseCidr(text);
  if (typeof ex === 'string' || ex.hadHostBits) return undefined;
  // ValidateIPBlock (see readIpBlock).
  if (ex.family !== cidr.family || ex.prefix <= cidr.prefix || !ex.address.match(cidr.address, cidr.prefix)) return undefined;
  return ex.text;
}

const IP_BLOCK_FIELDS = ['cidr', 'except'];
