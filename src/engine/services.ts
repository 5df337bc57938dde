// Services as reviewers think of them: which Service ports land on a workload's ports, and whether the
// ingress controller reaches the workloads behind each Ingress or Route backend.
import type { IngressBackend, Service, ServicePort, Workload } from '../manifests/model.js';
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

/** Every Service port that lands on `w`, in Service then port order. */
export function serviceTargets(services: readonly Service[] | undefined, w: Workload): ServiceTarget[] {
  const out: ServiceTarget[] = [];
  for (const service of services ?? []) {
    // (The namespace first: a cluster has thousands of Services, and this is asked per diff line.)
    if (service.namespace !== w.namespace || !serviceSelects(service, w)) continue;
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
