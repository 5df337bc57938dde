// Builders for Cluster objects in model terms, so engine tests don't depend on the YAML loader.
import {
  AUTO_NAMESPACE_LABEL,
  type AdminAction,
  type AdminNetworkPolicy,
  type AdminPeer,
  type AdminPort,
  type Cluster,
  type ContainerPort,
  type LabelSelector,
  type Labels,
  type NamespaceInfo,
  type NetworkPolicy,
  type PolicyPeer,
  type PolicyPort,
  type PolicyRule,
  type Workload,
} from '../../src/manifests/model.js';

const src = (file = 'test.yaml', line = 1) => ({ file, line, doc: 0, path: [] as const });

export function sel(matchLabels: Labels = {}, matchExpressions: LabelSelector['matchExpressions'] = []): LabelSelector {
  return { matchLabels, matchExpressions };
}

export function workload(
  id: string,
  labels: Labels = {},
  opts: { kind?: string; ports?: ContainerPort[]; hostNetwork?: boolean } = {},
): Workload {
  const [namespace, name] = id.split('/') as [string, string];
  const kind = opts.kind ?? 'Deployment';
  return {
    id: `${namespace}/${name}[${kind}]`,
    namespace,
    name,
    kind,
    labels,
    ports: opts.ports ?? [],
    hostNetwork: opts.hostNetwork ?? false,
    source: src(),
  };
}

export interface RuleSpec {
  peers?: PolicyPeer[] | 'all';
  ports?: PolicyPort[] | 'all';
}

export function policy(
  id: string,
  spec: {
    podSelector?: LabelSelector;
    ingress?: RuleSpec[];
    egress?: RuleSpec[];
    types?: ('Ingress' | 'Egress')[];
  },
): NetworkPolicy {
  const [namespace, name] = id.split('/') as [string, string];
  const types = spec.types ?? ['Ingress', ...(spec.egress ? (['Egress'] as const) : [])];
  const rules = (dir: 'ingress' | 'egress', list: RuleSpec[] = []): PolicyRule[] =>
    list.map((r, index) => ({ index, peers: r.peers ?? 'all', ports: r.ports ?? 'all', path: ['spec', dir, index] }));
  return {
    id,
    namespace,
    name,
    podSelector: spec.podSelector ?? sel(),
    affectsIngress: types.includes('Ingress'),
    affectsEgress: types.includes('Egress'),
    ingress: rules('ingress', spec.ingress),
    egress: rules('egress', spec.egress),
    source: src(),
    specKey: JSON.stringify(spec),
  };
}

export const pods = (podSelector?: LabelSelector, namespaceSelector?: LabelSelector): PolicyPeer => ({
  type: 'pods',
  ...(podSelector ? { podSelector } : {}),
  ...(namespaceSelector ? { namespaceSelector } : {}),
});
export const ipBlock = (cidr: string, except: string[] = []): PolicyPeer => ({ type: 'ipBlock', cidr, except });
export const tcp = (port?: number | string, endPort?: number): PolicyPort => ({
  protocol: 'TCP',
  ...(port !== undefined ? { port } : {}),
  ...(endPort !== undefined ? { endPort } : {}),
});
export const udp = (port?: number | string): PolicyPort => ({ protocol: 'UDP', ...(port !== undefined ? { port } : {}) });
export const sctp = (port?: number | string): PolicyPort => ({ protocol: 'SCTP', ...(port !== undefined ? { port } : {}) });

export interface AdminRuleSpec {
  action: AdminAction;
  name?: string;
  peers: AdminPeer[];
  ports?: AdminPort[];
}

/** An AdminNetworkPolicy (or, with priority undefined, the BaselineAdminNetworkPolicy `default`). */
export function admin(
  name: string,
  priority: number | undefined,
  subject: AdminNetworkPolicy['subject'],
  spec: { ingress?: AdminRuleSpec[]; egress?: AdminRuleSpec[] },
): AdminNetworkPolicy {
  const rules = (dir: 'ingress' | 'egress') =>
    (spec[dir] ?? []).map((r, index) => ({
      index,
      action: r.action,
      ...(r.name ? { name: r.name } : {}),
      peers: r.peers,
      ports: r.ports ?? ('all' as const),
      path: ['spec', dir, index],
    }));
  return {
    tier: priority === undefined ? 'baseline' : 'admin',
    id: name,
    name,
    ...(priority !== undefined ? { priority } : {}),
    subject,
    ingress: rules('ingress'),
    egress: rules('egress'),
    source: src('admin.yaml'),
    specKey: JSON.stringify({ priority, subject, spec }),
  };
}
export const nsPeer = (namespaceSelector: LabelSelector): AdminPeer => ({ type: 'namespaces', namespaceSelector });
export const podPeer = (namespaceSelector: LabelSelector, podSelector: LabelSelector): AdminPeer => ({ type: 'pods', namespaceSelector, podSelector });
export const portNumber = (port: number, protocol: 'TCP' | 'UDP' | 'SCTP' = 'TCP'): AdminPort => ({ type: 'number', protocol, port });

export function cluster(opts: {
  namespaces?: Record<string, Labels>;
  workloads: Workload[];
  policies?: NetworkPolicy[];
  adminPolicies?: AdminNetworkPolicy[];
  baselinePolicy?: AdminNetworkPolicy;
}): Cluster {
  const namespaces = new Map<string, NamespaceInfo>();
  const add = (name: string, labels: Labels = {}, declared = false) =>
    namespaces.set(name, { name, labels: { ...labels, [AUTO_NAMESPACE_LABEL]: name }, declared });
  for (const [name, labels] of Object.entries(opts.namespaces ?? {})) add(name, labels, true);
  for (const w of opts.workloads) if (!namespaces.has(w.namespace)) add(w.namespace);
  for (const p of opts.policies ?? []) if (!namespaces.has(p.namespace)) add(p.namespace);
  return {
    namespaces,
    workloads: opts.workloads,
    policies: opts.policies ?? [],
    ...(opts.adminPolicies ? { adminPolicies: [...opts.adminPolicies].sort((a, b) => a.priority! - b.priority! || (a.name < b.name ? -1 : 1)) } : {}),
    ...(opts.baselinePolicy ? { baselinePolicy: opts.baselinePolicy } : {}),
    skipped: [],
    diagnostics: [],
    fileCount: 1,
    documentCount: opts.workloads.length + (opts.policies?.length ?? 0),
    texts: new Map(),
  };
}

/** The upstream e2e topology: pods x/a, x/b, ... each labelled pod=<name>, named port serve-80-tcp etc. */
export function e2ePods(...ids: string[]): Workload[] {
  return ids.map((id) =>
    workload(id, { pod: id.split('/')[1]! }, {
      kind: 'Pod',
      ports: [
        { name: 'serve-80-tcp', port: 80, protocol: 'TCP' },
        { name: 'serve-81-tcp', port: 81, protocol: 'TCP' },
        { name: 'serve-80-udp', port: 80, protocol: 'UDP' },
        { name: 'serve-81-udp', port: 81, protocol: 'UDP' },
        { name: 'serve-80-sctp', port: 80, protocol: 'SCTP' },
        { name: 'serve-81-sctp', port: 81, protocol: 'SCTP' },
      ],
    }),
  );
}
