// fast-check arbitraries for random clusters: namespaces, workloads with labels and named ports, and
// policies using every selector form, ipBlocks with excepts, ports, endPorts, named ports and policyTypes.
import fc from 'fast-check';
import type {
  AdminAction,
  AdminNetworkPolicy,
  AdminPeer,
  AdminPort,
  ContainerPort,
  LabelRequirement,
  LabelSelector,
  NetworkPolicy,
  PolicyPeer,
  PolicyPort,
  Workload,
} from '../../src/manifests/model.js';
import { cluster, policy, workload } from './model.js';

const NAMESPACES = ['x', 'y', 'z'] as const;
const labelPool = { app: ['a', 'b', 'c'], tier: ['web', 'db'], team: ['red', 'blue'] } as const;
type Key = keyof typeof labelPool;
const KEYS = Object.keys(labelPool) as Key[];

const labelsArb = fc
  .record({ app: fc.option(fc.constantFrom(...labelPool.app)), tier: fc.option(fc.constantFrom(...labelPool.tier)) })
  .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)) as Record<string, string>);

const nsLabelsArb = fc
  .record({ team: fc.option(fc.constantFrom(...labelPool.team)) })
  .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)) as Record<string, string>);

const NAMED: ContainerPort[] = [
  { name: 'http', port: 80, protocol: 'TCP' },
  { name: 'dns', port: 53, protocol: 'UDP' },
  { name: 'web', port: 3000, protocol: 'TCP' },
  { name: 'web', port: 3001, protocol: 'UDP' },
];

const requirementArb: fc.Arbitrary<LabelRequirement> = fc
  .record({
    key: fc.constantFrom<Key>(...KEYS),
    operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist' as const),
    pick: fc.array(fc.nat(2), { minLength: 1, maxLength: 2 }),
  })
  .map(({ key, operator, pick }) => ({
    key,
    operator,
    values: operator === 'In' || operator === 'NotIn' ? [...new Set(pick.map((i) => labelPool[key][i % labelPool[key].length]!))] : [],
  }));

export const selectorArb: fc.Arbitrary<LabelSelector> = fc
  .record({
    matchLabels: fc.oneof(fc.constant({}), labelsArb, nsLabelsArb),
    matchExpressions: fc.array(requirementArb, { maxLength: 2 }),
  });

const CIDRS: { cidr: string; except: string[] }[] = [
  { cidr: '10.0.0.0/8', except: [] },
  { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] },
  { cidr: '10.1.0.0/16', except: [] },
  { cidr: '0.0.0.0/0', except: [] },
  { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '192.168.0.0/16'] },
  { cidr: '192.168.0.0/16', except: ['192.168.1.0/24'] },
  { cidr: '2001:db8::/32', except: [] },
  { cidr: '::/0', except: ['2001:db8::/32'] },
];

const peerArb: fc.Arbitrary<PolicyPeer> = fc.oneof(
  fc.record({ podSelector: fc.option(selectorArb), namespaceSelector: fc.option(selectorArb) }).map((r) => ({
    type: 'pods' as const,
    ...(r.podSelector ? { podSelector: r.podSelector } : {}),
    ...(r.namespaceSelector ? { namespaceSelector: r.namespaceSelector } : {}),
  })),
  fc.constantFrom(...CIDRS).map((b) => ({ type: 'ipBlock' as const, cidr: b.cidr, except: b.except })),
);

const PORTS: PolicyPort[] = [
  { protocol: 'TCP', port: 80 },
  { protocol: 'TCP', port: 80, endPort: 81 },
  { protocol: 'TCP', port: 3000 },
  { protocol: 'UDP', port: 53 },
  { protocol: 'TCP', port: 'http' },
  { protocol: 'UDP', port: 'dns' },
  { protocol: 'TCP', port: 'web' },
  { protocol: 'UDP', port: 'web' },
  { protocol: 'SCTP', port: 80 },
  { protocol: 'TCP' },
];

const ruleArb = fc.record({
  peers: fc.oneof(fc.constant('all' as const), fc.array(peerArb, { minLength: 1, maxLength: 3 })),
  ports: fc.oneof(fc.constant('all' as const), fc.array(fc.constantFrom(...PORTS), { minLength: 1, maxLength: 2 })),
});

const policySpecArb = fc.record({
  ns: fc.constantFrom(...NAMESPACES),
  podSelector: selectorArb,
  ingress: fc.array(ruleArb, { maxLength: 3 }),
  egress: fc.array(ruleArb, { maxLength: 3 }),
  types: fc.constantFrom<('Ingress' | 'Egress')[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
});

const workloadSpecArb = fc.record({
  ns: fc.constantFrom(...NAMESPACES),
  labels: labelsArb,
  ports: fc.subarray(NAMED),
  hostNetwork: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  kind: fc.constantFrom('Pod', 'Deployment'),
});

export const clusterArb = fc
  .record({
    nsLabels: fc.tuple(nsLabelsArb, nsLabelsArb, nsLabelsArb),
    workloads: fc.array(workloadSpecArb, { minLength: 1, maxLength: 6 }),
    policies: fc.array(policySpecArb, { maxLength: 4 }),
  })
  .map(({ nsLabels, workloads, policies }) => {
    const ws: Workload[] = workloads.map((w, i) =>
      workload(`${w.ns}/w${i}`, w.labels, { kind: w.kind, ports: w.ports, hostNetwork: w.hostNetwork }),
    );
    const ps: NetworkPolicy[] = policies.map((p, i) =>
      policy(`${p.ns}/p${i}`, { podSelector: p.podSelector, ingress: p.ingress, egress: p.egress, types: p.types }),
    );
    return cluster({
      namespaces: { x: nsLabels[0], y: nsLabels[1], z: nsLabels[2] },
      workloads: ws,
      policies: ps,
    });
  });

// AdminNetworkPolicy / BaselineAdminNetworkPolicy on top of the random clusters: every peer and port form,
// every action, priorities that collide (order is then by name, as the loader sorts).
const adminPeerArb = (dir: 'ingress' | 'egress'): fc.Arbitrary<AdminPeer> =>
  fc.oneof(
    selectorArb.map((s): AdminPeer => ({ type: 'namespaces', namespaceSelector: s })),
    fc.record({ ns: selectorArb, pod: selectorArb }).map((r): AdminPeer => ({ type: 'pods', namespaceSelector: r.ns, podSelector: r.pod })),
    ...(dir === 'egress'
      ? [
          fc
            .subarray(['10.0.0.0/8', '10.1.0.0/16', '0.0.0.0/0', '0.0.0.0/1', '128.0.0.0/1', '192.168.1.0/24', '2001:db8::/32', '::/0'], { minLength: 1, maxLength: 2 })
            .map((cidrs): AdminPeer => ({ type: 'networks', cidrs })),
          fc.constantFrom<AdminPeer>({ type: 'nodes', nodeSelector: { matchLabels: {}, matchExpressions: [] } }, { type: 'nodes', nodeSelector: { matchLabels: { role: 'infra' }, matchExpressions: [] } }),
        ]
      : []),
  );

const ADMIN_PORTS: AdminPort[] = [
  { type: 'number', protocol: 'TCP', port: 80 },
  { type: 'number', protocol: 'UDP', port: 53 },
  { type: 'range', protocol: 'TCP', start: 80, end: 3000 },
  { type: 'range', protocol: 'UDP', start: 1, end: 100 },
  { type: 'named', name: 'web' },
  { type: 'named', name: 'http' },
];

const adminRuleArb = (dir: 'ingress' | 'egress', actions: readonly AdminAction[]) =>
  fc.record({
    action: fc.constantFrom(...actions),
    peers: fc.array(adminPeerArb(dir), { minLength: 1, maxLength: 2 }),
    ports: fc.oneof(fc.constant('all' as const), fc.array(fc.constantFrom(...ADMIN_PORTS), { minLength: 1, maxLength: 2 })),
  });

const adminSpecArb = (actions: readonly AdminAction[]) =>
  fc.record({
    priority: fc.constantFrom(1, 2, 2, 3),
    subject: fc.oneof(
      selectorArb.map((s) => ({ namespaceSelector: s })),
      fc.record({ namespaceSelector: selectorArb, podSelector: selectorArb }),
    ),
    ingress: fc.array(adminRuleArb('ingress', actions), { maxLength: 3 }),
    egress: fc.array(adminRuleArb('egress', actions), { maxLength: 3 }),
  });

function toAdmin(tier: 'admin' | 'baseline', name: string, spec: { priority: number; subject: AdminNetworkPolicy['subject']; ingress: { action: AdminAction; peers: AdminPeer[]; ports: AdminPort[] | 'all' }[]; egress: { action: AdminAction; peers: AdminPeer[]; ports: AdminPort[] | 'all' }[] }): AdminNetworkPolicy {
  const rules = (dir: 'ingress' | 'egress') => spec[dir].map((r, index) => ({ ...r, index, path: ['spec', dir, index] }));
  return {
    tier,
    id: name,
    name,
    ...(tier === 'admin' ? { priority: spec.priority } : {}),
    subject: spec.subject,
    ingress: rules('ingress'),
    egress: rules('egress'),
    source: { file: 'admin.yaml', line: 1, doc: 0, path: [] },
    specKey: JSON.stringify(spec),
  };
}

export const clusterWithAdminArb = fc
  .record({
    base: clusterArb,
    anps: fc.array(adminSpecArb(['Allow', 'Deny', 'Pass']), { maxLength: 3 }),
    banp: fc.option(adminSpecArb(['Allow', 'Deny'])),
  })
  .map(({ base, anps, banp }) => {
    const adminPolicies = anps
      .map((a, i) => toAdmin('admin', `anp${i}`, a))
      .sort((a, b) => a.priority! - b.priority! || (a.name < b.name ? -1 : 1));
    return {
      ...base,
      ...(adminPolicies.length > 0 ? { adminPolicies } : {}),
      ...(banp ? { baselinePolicy: toAdmin('baseline', 'default', banp) } : {}),
    };
  });

/**
 * A cluster and a small change of it, as a pull request makes: drop, add or edit a policy, relabel a
 * workload or a namespace, change a workload's ports. For checking shortcuts that rely on what changed.
 */
export const clusterChangeArb = fc
  .record({
    nsLabels: fc.tuple(nsLabelsArb, nsLabelsArb, nsLabelsArb),
    workloads: fc.array(workloadSpecArb, { minLength: 1, maxLength: 6 }),
    policies: fc.array(policySpecArb, { maxLength: 4 }),
    edits: fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('drop-policy' as const), i: fc.nat() }),
        fc.record({ kind: fc.constant('add-policy' as const), spec: policySpecArb }),
        fc.record({ kind: fc.constant('edit-policy' as const), i: fc.nat(), spec: policySpecArb }),
        fc.record({ kind: fc.constant('relabel-workload' as const), i: fc.nat(), labels: labelsArb }),
        fc.record({ kind: fc.constant('relabel-namespace' as const), i: fc.nat(2), labels: nsLabelsArb }),
        fc.record({ kind: fc.constant('ports' as const), i: fc.nat(), ports: fc.subarray(NAMED) }),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ nsLabels, workloads, policies, edits }) => {
    const build = (ws: typeof workloads, ps: typeof policies, nsl: typeof nsLabels) =>
      cluster({
        namespaces: { x: nsl[0], y: nsl[1], z: nsl[2] },
        workloads: ws.map((w, i) => workload(`${w.ns}/w${i}`, w.labels, { kind: w.kind, ports: w.ports, hostNetwork: w.hostNetwork })),
        policies: ps.map((p, i) => policy(`${p.ns}/p${i}`, { podSelector: p.podSelector, ingress: p.ingress, egress: p.egress, types: p.types })),
      });
    let ws = [...workloads];
    let ps = [...policies];
    const nsl = [...nsLabels] as typeof nsLabels;
    for (const e of edits) {
      if (e.kind === 'drop-policy' && ps.length > 0) ps = ps.filter((_, j) => j !== e.i % ps.length);
      if (e.kind === 'add-policy') ps = [...ps, e.spec];
      if (e.kind === 'edit-policy' && ps.length > 0) ps = ps.map((p, j) => (j === e.i % ps.length ? { ...e.spec, ns: p.ns } : p));
      if (e.kind === 'relabel-workload') ws = ws.map((w, j) => (j === e.i % ws.length ? { ...w, labels: e.labels } : w));
      if (e.kind === 'relabel-namespace') nsl[e.i] = e.labels;
      if (e.kind === 'ports') ws = ws.map((w, j) => (j === e.i % ws.length ? { ...w, ports: e.ports } : w));
    }
    return { base: build(workloads, policies, nsLabels), head: build(ws, ps, nsl) };
  });
