// Services as reviewers think of them: which Service ports land on a workload's ports, and whether the
// ingress controller reaches the workloads behind each Ingress or Route backend.
import type { Cluster, IngressBackend, Service, ServicePort, Workload } from '../manifests/model.js';
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

/** A block of a list of Services: from[a..b), in order. */
export interface ServiceBlock {
  readonly from: readonly Service[];
  readonly a: number;
  readonly b: number;
}

/** Lists of Services made of blocks of a prior list (not itself one of these) and new records: see noteDerivedServices. */
const derivedServices = new WeakMap<readonly Service[], { readonly prior: readonly Service[]; readonly blocks: readonly ServiceBlock[] }>();
/** Per list, the positions of each namespace's Services (ascending), and whether every namespace is in it (a scan). */
const namespaceIndex = new WeakMap<readonly Service[], { readonly at: Map<string, readonly number[]>; readonly complete: boolean }>();

/**
 * Notes that `list` is the concatenation of `blocks`, each a range of `prior` or of a list of new records
 * (a derived cluster's Services: the prior build's, with a few files' replaced). The Services of a namespace
 * are then found from the prior's (indexed once) and the new records, without reading the other tens of
 * thousands of records of the list (scattered in memory: reading them is what costs). A list derived from a
 * derived list is indexed by a scan instead, so no chain of prior lists is kept alive.
 */
export function noteDerivedServices(list: readonly Service[], prior: readonly Service[], blocks: readonly ServiceBlock[]): void {
  if (list === prior || derivedServices.has(prior) || namespaceIndex.has(list)) return;
  derivedServices.set(list, { prior, blocks: blocks.map(({ from, a, b }) => ({ from, a, b })) });
}

/** The positions in `list` of the Services of a namespace, ascending. */
function positionsInNamespace(list: readonly Service[], namespace: string): readonly number[] {
  const derived = derivedServices.get(list);
  let index = namespaceIndex.get(list);
  if (!index) {
    index = { at: new Map(), complete: !derived };
    namespaceIndex.set(list, index);
    if (!derived) {
      const at = index.at as Map<string, number[]>;
      for (let k = 0; k < list.length; k++) {
        const ns = list[k]!.namespace;
        const positions = at.get(ns);
        if (positions) positions.push(k);
        else at.set(ns, [k]);
      }
    }
  }
  const known = index.at.get(namespace);
  if (known) return known;
  if (index.complete || !derived) return [];
  const priorAt = positionsInNamespace(derived.prior, namespace);
  const out: number[] = [];
  let offset = 0;
  for (const { from, a, b } of derived.blocks) {
    if (from === derived.prior) {
      // The first prior position >= a (binary search), then those below b.
      let lo = 0;
      let hi = priorAt.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (priorAt[mid]! < a) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo; k < priorAt.length && priorAt[k]! < b; k++) out.push(offset + priorAt[k]! - a);
    } else {
      for (let k = a; k < b; k++) if (from[k]!.namespace === namespace) out.push(offset + k - a);
    }
    offset += b - a;
  }
  index.at.set(namespace, out);
  return out;
}

/** Every Service port that lands on `w`, in Service then port order. */
export function serviceTargets(services: readonly Service[] | undefined, w: Workload): ServiceTarget[] {
  const out: ServiceTarget[] = [];
  if (!services) return out;
  // Only the workload's namespace's Services, by position: a cluster has tens of thousands, and this is
  // asked per diff line.
  for (const k of positionsInNamespace(services, w.namespace)) {
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

/** The Service a backend names (in the backend's namespace), if the manifests hold it. */
function backendService(cluster: Cluster, b: IngressBackend): Service | undefined {
  return (cluster.services ?? []).find((s) => s.namespace === b.namespace && s.name === b.service);
}

/** The container ports of `w` (selected by `svc`) that the backend sends to through its Service ports. */
function backendTargetPorts(b: IngressBackend, svc: Service, w: Workload): PortSet {
  let ports = PortSet.empty;
  for (const p of backendPorts(b, svc)) {
    const target = resolveTargetPort(p, w);
    if (target !== undefined) ports = ports.union(PortSet.of(p.protocol, target, target));
  }
  return ports;
}

/** Every Ingress/Route backend workload, with the ports it needs and the ports the controller gets through. */
export function ingressPaths(m: ReachabilityMatrix): IngressPath[] {
  const cluster = m.cluster;
  const controller = cluster.ingressController ? m.endpoint(cluster.ingressController.id) : undefined;
  const out: IngressPath[] = [];
  for (const backend of cluster.ingressBackends ?? []) {
    const service = backendService(cluster, backend);
    if (!service || !controller) continue;
    for (const w of cluster.workloads) {
      if (!serviceSelects(service, w)) continue;
      const ports = backendTargetPorts(backend, service, w);
      const allowed = m.allowed(controller, m.endpoint(w.id)!).intersect(ports);
      out.push({ backend, service, workload: w, ports, allowed });
    }
  }
  return out;
}

/**
 * "Ingress shop/web" for each Ingress or Route whose backend Service sends to `ports` of `w`; empty when none.
 * Named next to a destination whose change touches the ingress controller: that is the Ingress's traffic.
 */
export function ingressWords(cluster: Cluster, w: Workload, ports: PortSet): string[] {
  const out: string[] = [];
  for (const backend of cluster.ingressBackends ?? []) {
    if (backend.namespace !== w.namespace) continue;
    const service = backendService(cluster, backend);
    if (!service || !serviceSelects(service, w)) continue;
    const lands = !backendTargetPorts(backend, service, w).intersect(ports).isEmpty();
    const words = `${backend.kind} ${backend.id}`;
    if (lands && !out.includes(words)) out.push(words);
  }
  return out;
}
