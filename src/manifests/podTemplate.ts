// The parts of a workload's pods that NetworkPolicy cares about: labels (what selectors match), container
// ports (what named ports resolve to) and hostNetwork (such pods are outside NetworkPolicy).
import type { ContainerPort, DocPath, Labels, Protocol } from './model.js';
import { PROTOCOLS } from './model.js';
import { readLabels } from './labels.js';
import { isObject, type ProblemList, type RawObject } from './problems.js';
import { portNameProblems, portNumberProblems } from './k8sNames.js';

/** apiVersion and where the pod template sits, for each workload kind we model. */
export const WORKLOAD_KINDS: Readonly<Record<string, { apiVersion: string; template: readonly string[] }>> = {
  Pod: { apiVersion: 'v1', template: [] },
  ReplicationController: { apiVersion: 'v1', template: ['spec', 'template'] },
  Deployment: { apiVersion: 'apps/v1', template: ['spec', 'template'] },
  ReplicaSet: { apiVersion: 'apps/v1', template: ['spec', 'template'] },
  StatefulSet: { apiVersion: 'apps/v1', template: ['spec', 'template'] },
  DaemonSet: { apiVersion: 'apps/v1', template: ['spec', 'template'] },
  Job: { apiVersion: 'batch/v1', template: ['spec', 'template'] },
  CronJob: { apiVersion: 'batch/v1', template: ['spec', 'jobTemplate', 'spec', 'template'] },
};

export interface PodTemplate {
  readonly labels: Labels;
  readonly ports: ContainerPort[];
  readonly hostNetwork: boolean;
}

/** Reads the pod template of `obj` (a kind of WORKLOAD_KINDS); undefined when it has errors. */
export function readPodTemplate(obj: RawObject, kind: string, problems: ProblemList): PodTemplate | undefined {
  const mark = problems.items.length;
  const templatePath = WORKLOAD_KINDS[kind]?.template ?? [];
  let template: RawObject | undefined = obj;
  const walked: (string | number)[] = [];
  // Paths are built only for a problem: templates are read by the ten thousand and nearly all are valid.
  for (const key of templatePath) {
    walked.push(key);
    const next: unknown = template?.[key];
    template = isObject(next) ? next : problems.object(next, [...walked]);
    if (!template) return undefined;
  }
  const metadataRaw = template.metadata;
  const metadata = isObject(metadataRaw) ? metadataRaw : problems.object(metadataRaw, [...templatePath, 'metadata']);
  const labels = readLabels(metadata?.labels, () => [...templatePath, 'metadata', 'labels'], problems) ?? {};
  const specRaw = template.spec;
  const spec = (isObject(specRaw) ? specRaw : problems.object(specRaw, [...templatePath, 'spec'])) ?? {};
  const ports: ContainerPort[] = [];
  for (const list of CONTAINER_LISTS) {
    const listRaw = spec[list];
    if (listRaw === undefined || listRaw === null) continue;
    const listPath = (): DocPath => [...templatePath, 'spec', list];
    const containers = Array.isArray(listRaw) ? listRaw : (problems.list(listRaw, listPath()) ?? []);
    for (let i = 0; i < containers.length; i++) {
      const c: unknown = containers[i];
      const container = isObject(c) ? c : problems.object(c, [...listPath(), i]);
      const portsRaw = container?.ports;
      if (portsRaw === undefined || portsRaw === null) continue;
      const portList = Array.isArray(portsRaw) ? portsRaw : (problems.list(portsRaw, [...listPath(), i, 'ports']) ?? []);
      for (let j = 0; j < portList.length; j++) {
        const port = readContainerPort(portList[j], () => [...listPath(), i, 'ports', j], problems);
        if (port) ports.push(port);
      }
    }
  }
  const hostNetwork = spec.hostNetwork ?? false;
  if (typeof hostNetwork !== 'boolean') problems.error([...templatePath, 'spec', 'hostNetwork'], 'must be a boolean');
  if (problems.items.length !== mark && problems.errorsSince(mark)) return undefined;
  return { labels, ports, hostNetwork: hostNetwork === true };
}

const CONTAINER_LISTS = ['initContainers', 'containers'] as const;

function readContainerPort(raw: unknown, at: () => DocPath, problems: ProblemList): ContainerPort | undefined {
  const mark = problems.items.length;
  if (isObject(raw)) {
    const fast = readValidContainerPort(raw);
    if (fast !== undefined) return fast;
  }
  const path = at();
  const entry = problems.object(raw, path);
  if (!entry) return undefined;
  const port = entry.containerPort;
  if (typeof port !== 'number' || !Number.isInteger(port)) {
    // Quote what was written: `containerPort: "eighty"` reads better than a bare "required".
    problems.error([...path, 'containerPort'], port === undefined || port === null ? 'required, an integer' : `${JSON.stringify(port)}: must be an integer`);
  } else {
    for (const m of portNumberProblems(port)) problems.error([...path, 'containerPort'], `${port}: ${m}`);
  }
  const protocol = entry.protocol ?? 'TCP';
  if (typeof protocol !== 'string' || !(PROTOCOLS as readonly string[]).includes(protocol)) {
    problems.error([...path, 'protocol'], `unsupported value ${JSON.stringify(protocol)}: supported values: "TCP", "UDP", "SCTP"`);
  }
  const name = entry.name ?? undefined;
  if (name !== undefined) {
    if (typeof name !== 'string') problems.error([...path, 'name'], 'must be a string');
    else if (portNameProblems(name).length > 0) problems.error([...path, 'name'], `"${name}": ${portNameProblems(name).join('; ')}`);
  }
  if (problems.errorsSince(mark)) return undefined;
  return { ...(name !== undefined ? { name: name as string } : {}), port: port as number, protocol: protocol as Protocol };
}

/**
 * The port of an entry without problems, as readContainerPort gives it (fields in the same order): undefined
 * for anything else, which readContainerPort checks in full.
 */
function readValidContainerPort(entry: RawObject): ContainerPort | undefined {
  const port = entry.containerPort;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  const p = entry.protocol ?? 'TCP';
  const protocol: Protocol | undefined = p === 'TCP' || p === 'UDP' || p === 'SCTP' ? p : undefined;
  if (protocol === undefined) return undefined;
  const name = entry.name ?? undefined;
  if (name === undefined) return { port, protocol };
  if (typeof name !== 'string' || name.length > 15 || !PORT_NAME.test(name) || !/[a-z]/.test(name)) return undefined;
  return { name, port, protocol };
}

/** A port name without problems (portNameProblems): lowercase alphanumerics, single inner hyphens. */
const PORT_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
