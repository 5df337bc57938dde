// Services as reviewers think of them: which Service ports land on a workload's ports, and whether the
// ingress controller reaches the workloads behind each Ingress or Route backend.
import type { IngressBackend, Service, ServicePort, Workload } from '../manifests/model.js';
import { alignRecords } from '../diff/sharedRecords.js';
import type { ReachabilityMatrix } from './matrix.js';
import { PortSet } from './portSet.js';

/** A Service port that lands on one workload, with the container port it reaches there. */
export interface ServiceTarget {
  readonly service: Service;
  readonly port: ServicePort;
  /** The container port number on the workload (targetPort resolved). */
  readonly targetPort: number;
}

/** A Service selects the pods of its namespace that carry every label of a non-empty selector (hostNetwork pods too). */
export function serviceSelects(svc: Service, w: Workload): boolean {
  if (!svc.selector || svc.namespace !== w.namespace) return false;
  const entries = Object.entries(svc.selector);
  return entries.length > 0 && entries.every(([k, v]) => w.labels[k] === v);
}

/** Resolves a Service port's targetPort on a workload: a number, or the workload's container port of that name. */
export function resolveTargetPort(port: ServicePort, w: Workload): number | undefined {
  if (typeof port.targetPort === 'number') return port.targetPort;
  return w.ports.find((cp) => cp.name === port.targetPort && cp.protocol === port.protocol)?.port;
}

/**
 * The positions of each namespace's Services in a list of Services, ascending. A Service selects only in its
 * namespace, and a cluster may have tens of thousands of them, scattered over the heap: a scan of them all
 * (a read of each record and of its namespace) cost milliseconds per diff line. Built once per list; a list
 * that shares most records with an indexed one (the other side of a diff, a later build: the loader shares
 * unchanged records) is indexed from it, by an alignment of the two lists that compares references only.
 */
interface ServiceIndex {
  readonly services: readonly Service[];
  /** How long the list was when indexed (a list still being filled is indexed again). */
  readonly length: number;
  positionsIn(namespace: string): readonly number[];
}

const serviceIndexes = new WeakMap<readonly Service[], ServiceIndex>();
/** The latest lists indexed in full, to index similar lists from. */
const fullIndexes: ServiceIndex[] = [];
const FULL_INDEXES = 2;

function serviceIndex(services: readonly Service[]): ServiceIndex {
  const hit = serviceIndexes.get(services);
  if (hit && hit.length === services.length) return hit;
  let index: ServiceIndex | undefined;
  for (const prior of fullIndexes) if ((index = derivedIndex(prior, services))) break;
  if (!index) {
    index = fullIndex(services);
    fullIndexes.unshift(index);
    fullIndexes.length = Math.min(fullIndexes.length, FULL_INDEXES);
  }
  serviceIndexes.set(services, index);
  return index;
}

function fullIndex(services: readonly Service[]): ServiceIndex {
  const byNamespace = new Map<string, number[]>();
  services.forEach((s, k) => {
    const list = byNamespace.get(s.namespace);
    if (list) list.push(k);
    else byNamespace.set(s.namespace, [k]);
  });
  return { services, length: services.length, positionsIn: (ns) => byNamespace.get(ns) ?? [] };
}

/** The index of `services` from a prior's, or undefined when the lists differ in more than a few records. */
function derivedIndex(prior: ServiceIndex, services: readonly Service[]): ServiceIndex | undefined {
  if (prior.length !== prior.services.length) return undefined;
  const aligned = alignRecords(prior.services, services);
  if (aligned.onlyB.length > 64 + services.length / 8) return undefined;
  // The position of each prior record in this list (-1: not here).
  const here = new Int32Array(prior.services.length).fill(-1);
  aligned.matchInA.forEach((k, j) => {
    if (k >= 0) here[k] = j;
  });
  const byNamespace = new Map<string, readonly number[]>();
  const positionsIn = (ns: string): readonly number[] => {
    let out = byNamespace.get(ns);
    if (!out) {
      const list: number[] = [];
      for (const k of prior.positionsIn(ns)) if (here[k]! >= 0) list.push(here[k]!);
      const before = list.length;
      aligned.onlyB.forEach((s, x) => {
        if (s.namespace === ns) list.push(aligned.onlyBIndex[x]!);
      });
      if (list.length > before) list.sort((x, y) => x - y);
      byNamespace.set(ns, (out = list));
    }
    return out;
  };
  return { services, length: services.length, positionsIn };
}

/** Every Service port that lands on `w`, in Service then port order. */
export function serviceTargets(services: readonly Service[] | undefined, w: Workload): ServiceTarget[] {
  const out: ServiceTarget[] = [];
  if (!services) return out;
  for (const k of serviceIndex(services).positionsIn(w.namespace)) {
    const service = services[k]!;
    if (!serviceSelects(service, w)) continue;
    for (const port of service.ports) {
      const targetPort = resolveTargetPort(port, w);
      if (targetPort !== undefined) out.push({ service, port, targetPort });
    }
  }
  return out;
}

/**
 * "svc backend:80 -> 3000/TCP" for each Service port that lands on `ports` of `w`; empty when none. Used
 * next to a destination in diff lines and explanations.
 */
export function serviceWords(services: readonly Service[] | undefined, w: Workload, ports: PortSet): string[] {
  return serviceTargets(services, w)
    .filter((t) => ports.has(t.port.protocol, t.targetPort))
    .map((t) => `svc ${t.service.name}:${t.port.port} -> ${t.targetPort}/${t.port.protocol}`);
}

/** One Ingress or Route backend, resolved to a workload behind its Service, and what the controller may send it. */
export interface IngressPath {
  readonly backend: IngressBackend;
  readonly service?: Service;
  readonly workload: Workload;
  /** The workload's container ports the backend sends to. */
  readonly ports: PortSet;
  /** The part of `ports` that the policies let the ingress controller reach. */
  readonly allowed: PortSet;
}

/** Which Service ports a backend uses: an Ingress names a Service port; a Route names a target port. */
function backendPorts(b: IngressBackend, svc: Service): ServicePort[] {
  if (b.port === undefined) return [...svc.ports];
  if (b.kind === 'Ingress') return svc.ports.filter((p) => (typeof b.port === 'number' ? p.port === b.port : p.name === b.port));
  return svc.ports.filter((p) => p.targetPort === b.port || p.name === b.port);
}

/** Every Ingress/Route backend workload, with the ports it needs and the ports the controller gets through. */
export function ingressPaths(m: ReachabilityMatrix): IngressPath[] {
  const cluster = m.cluster;
  const controller = cluster.ingressController ? m.endpoint(cluster.ingressController.id) : undefined;
  const out: IngressPath[] = [];
  for (const backend of cluster.ingressBackends ?? []) {
    const service = (cluster.services ?? []).find((s) => s.namespace === backend.namespace && s.name === backend.service);
    if (!service || !controller) continue;
    for (const w of cluster.workloads) {
      if (!serviceSelects(service, w)) continue;
      let ports = PortSet.empty;
      for (const p of backendPorts(backend, service)) {
        const target = resolveTargetPort(p, w);
        if (target !== undefined) ports = ports.union(PortSet.of(p.protocol, target, target));
      }
      const allowed = m.allowed(controller, m.endpoint(w.id)!).intersect(ports);
      out.push({ backend, service, workload: w, ports, allowed });
    }
  }
  return out;
}
