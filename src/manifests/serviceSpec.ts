// Service (v1), Ingress (networking.k8s.io/v1) and OpenShift Route (route.openshift.io/v1): only what decides
// which pods receive traffic and on which port. Type errors that the API server would refuse are errors.
import type { DocPath, Labels, Protocol, ServicePort } from './model.js';
import { PROTOCOLS } from './model.js';
import { readLabels } from './labels.js';
import { portNameProblems, portNumberProblems } from './k8sNames.js';
import { typeName, type ProblemList, type RawObject } from './problems.js';

export interface ServiceSpec {
  readonly selector?: Labels;
  readonly ports: ServicePort[];
}

export function readServiceSpec(obj: RawObject, problems: ProblemList): ServiceSpec | undefined {
  const mark = problems.items.length;
  const spec = problems.object(obj.spec, ['spec']) ?? {};
  const type = spec.type ?? 'ClusterIP';
  const selectorRaw = spec.selector;
  const selector = selectorRaw === undefined || selectorRaw === null ? undefined : readLabels(selectorRaw, ['spec', 'selector'], problems);
  const ports: ServicePort[] = [];
  (problems.list(spec.ports, ['spec', 'ports']) ?? []).forEach((raw, i) => {
    const path: DocPath = ['spec', 'ports', i];
    const entry = problems.object(raw, path);
    if (!entry) return;
    const port = portNumber(entry.port, [...path, 'port'], problems);
    const protocol = entry.protocol ?? 'TCP';
    if (typeof protocol !== 'string' || !(PROTOCOLS as readonly string[]).includes(protocol)) {
      problems.error([...path, 'protocol'], `unsupported value ${JSON.stringify(protocol)}: supported values: "TCP", "UDP", "SCTP"`);
    }
    // targetPort defaults to port; a string names a container port of the selected pods.
    let targetPort: number | string | undefined = port;
    if (entry.targetPort !== undefined && entry.targetPort !== null) {
      if (typeof entry.targetPort === 'string' && !/^\d+$/.test(entry.targetPort)) {
        const bad = portNameProblems(entry.targetPort);
        if (bad.length > 0) problems.error([...path, 'targetPort'], `"${entry.targetPort}": ${bad.join('; ')}`);
        targetPort = entry.targetPort;
      } else {
        targetPort = portNumber(typeof entry.targetPort === 'string' ? Number(entry.targetPort) : entry.targetPort, [...path, 'targetPort'], problems);
      }
    }
    const name = typeof entry.name === 'string' && entry.name !== '' ? entry.name : undefined;
    if (port !== undefined && targetPort !== undefined) ports.push({ ...(name ? { name } : {}), port, targetPort, protocol: protocol as Protocol });
  });
  if (problems.errorsSince(mark)) return undefined;
  // ExternalName services resolve to a DNS name: they select no pod even with a selector.
  return { ...(selector && type !== 'ExternalName' ? { selector } : {}), ports };
}

function portNumber(v: unknown, path: DocPath, problems: ProblemList): number | undefined {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    problems.error(path, v === undefined ? 'required' : `must be an integer, not ${typeName(v)}`);
    return undefined;
  }
  const bad = portNumberProblems(v);
  for (const m of bad) problems.error(path, `${v}: ${m}`);
  return bad.length === 0 ? v : undefined;
}

/** The Service backends of an Ingress: spec.defaultBackend and every rule path (resource backends are not pods). */
export function readIngressBackends(obj: RawObject, problems: ProblemList): { service: string; port?: number | string; path: DocPath }[] {
  const out: { service: string; port?: number | string; path: DocPath }[] = [];
  const spec = problems.object(obj.spec, ['spec']) ?? {};
  const backend = (raw: unknown, path: DocPath): void => {
    const b = problems.object(raw, path);
    if (!b || b.service === undefined || b.service === null) return;
    const svc = problems.object(b.service, [...path, 'service']);
    if (!svc) return;
    const name = problems.string(svc.name, [...path, 'service', 'name']);
    const port = problems.object(svc.port, [...path, 'service', 'port']) ?? {};
    const value = typeof port.number === 'number' ? port.number : typeof port.name === 'string' ? port.name : undefined;
    if (name !== undefined) out.push({ service: name, ...(value !== undefined ? { port: value } : {}), path });
  };
  if (spec.defaultBackend !== undefined && spec.defaultBackend !== null) backend(spec.defaultBackend, ['spec', 'defaultBackend']);
  (problems.list(spec.rules, ['spec', 'rules']) ?? []).forEach((r, i) => {
    const rule = problems.object(r, ['spec', 'rules', i]);
    const http = rule ? problems.object(rule.http, ['spec', 'rules', i, 'http']) : undefined;
    (problems.list(http?.paths, ['spec', 'rules', i, 'http', 'paths']) ?? []).forEach((p, j) => {
      const path = problems.object(p, ['spec', 'rules', i, 'http', 'paths', j]);
      if (path) backend(path.backend, ['spec', 'rules', i, 'http', 'paths', j, 'backend']);
    });
  });
  return out;
}

/** The Service backends of a Route: spec.to and spec.alternateBackends (kind Service), port spec.port.targetPort. */
export function readRouteBackends(obj: RawObject, problems: ProblemList): { service: string; port?: number | string; path: DocPath }[] {
  const spec = problems.object(obj.spec, ['spec']) ?? {};
  const portObj = problems.object(spec.port, ['spec', 'port']) ?? {};
  const target = portObj.targetPort;
  const port = typeof target === 'number' || typeof target === 'string' ? target : undefined;
  const out: { service: string; port?: number | string; path: DocPath }[] = [];
  const ref = (raw: unknown, path: DocPath): void => {
    const r = problems.object(raw, path);
    if (!r || (r.kind !== undefined && r.kind !== 'Service')) return;
    const name = problems.string(r.name, [...path, 'name']);
    if (name !== undefined) out.push({ service: name, ...(port !== undefined ? { port } : {}), path });
  };
  ref(spec.to, ['spec', 'to']);
  (problems.list(spec.alternateBackends, ['spec', 'alternateBackends']) ?? []).forEach((b, i) => ref(b, ['spec', 'alternateBackends', i]));
  return out;
}
