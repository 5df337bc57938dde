// The parts of a workload's pods that NetworkPolicy cares about: labels (what selectors match), container
// ports (what named ports resolve to) and hostNetwork (such pods are outside NetworkPolicy).
import type { ContainerPort, DocPath, Labels, Protocol } from './model.js';
import { PROTOCOLS } from './model.js';
import { readLabels } from './labels.js';
import { portNameProblems, portNumberProblems } from './k8sNames.js';
import type { ProblemList, RawObject } from './problems.js';

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
  for (const key of templatePath) {
    walked.push(key);
    template = problems.object(template?.[key], [...walked]);
    if (!template) return undefined;
  }
  const metadata = problems.object(template.metadata, [...templatePath, 'metadata']);
  const labels = readLabels(metadata?.labels, [...templatePath, 'metadata', 'labels'], problems) ?? {};
  const spec = problems.object(template.spec, [...templatePath, 'spec']) ?? {};
  const ports: ContainerPort[] = [];
  for (const list of ['initContainers', 'containers']) {
    const listPath = [...templatePath, 'spec', list];
    (problems.list(spec[list], listPath) ?? []).forEach((c, i) => {
      const container = problems.object(c, [...listPath, i]);
      (problems.list(container?.ports, [...listPath, i, 'ports']) ?? []).forEach((p, j) => {
        const port = readContainerPort(p, [...listPath, i, 'ports', j], problems);
        if (port) ports.push(port);
      });
    });
  }
  const hostNetwork = spec.hostNetwork ?? false;
  if (typeof hostNetwork !== 'boolean') problems.error([...templatePath, 'spec', 'hostNetwork'], 'must be a boolean');
  if (problems.errorsSince(mark)) return undefined;
  return { labels, ports, hostNetwork: hostNetwork === true };
}

function readContainerPort(raw: unknown, path: DocPath, problems: ProblemList): ContainerPort | undefined {
  const mark = problems.items.length;
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
