// AdminNetworkPolicy (ANP) and BaselineAdminNetworkPolicy (BANP) tiering, one row per rule of the API. Row
// names cite the kubernetes-sigs/network-policy-api conformance test they encode (conformance/tests/*.go,
// ShortName: subtest) or the API reference (apis/v1alpha1). The topology mirrors the conformance one:
// namespaces gryffindor, slytherin, hufflepuff, ravenclaw (label conformance-house=<name>), pods labelled
// pod=<name>. Each row lists the denied pairs on the probed port; every other pair must be allowed.
import { describe, expect, it } from 'vitest';
import { computeMatrix } from '../../src/engine/matrix.js';
import type { AdminNetworkPolicy, NetworkPolicy } from '../../src/manifests/model.js';
import { admin, cluster, e2ePods, nsPeer, pods, podPeer, policy, portNumber, sel } from '../helpers/model.js';

type Row = {
  name: string;
  anps?: AdminNetworkPolicy[];
  banp?: AdminNetworkPolicy;
  policies?: NetworkPolicy[];
  port?: number;
  denied: string[];
};

const HOUSES = ['gryffindor', 'slytherin', 'hufflepuff', 'ravenclaw'];
const PODS = ['gryffindor/harry', 'gryffindor/hermione', 'slytherin/draco', 'hufflepuff/cedric', 'ravenclaw/luna'];
const house = (h: string) => sel({ 'conformance-house': h });
const everyPod = sel();
const G = { namespaceSelector: house('gryffindor') };

function deniedPairs(row: Row): string[] {
  const workloads = e2ePods(...PODS).map((w) => ({ ...w, ports: [...w.ports, { name: 'http-alt', port: 8080, protocol: 'TCP' as const }] }));
  const m = computeMatrix(
    cluster({
      namespaces: Object.fromEntries(HOUSES.map((h) => [h, { 'conformance-house': h }])),
      workloads,
      policies: row.policies ?? [],
      ...(row.anps ? { adminPolicies: row.anps } : {}),
      ...(row.banp ? { baselinePolicy: row.banp } : {}),
    }),
  );
  const out: string[] = [];
  for (const s of m.endpoints) {
    for (const d of m.endpoints) {
      if (s.kind !== 'workload' || d.kind !== 'workload' || s === d) continue;
      if (!m.allowed(s, d).has('TCP', row.port ?? 80)) out.push(`${s.workload.namespace}/${s.workload.name}->${d.workload.namespace}/${d.workload.name}`);
    }
  }
  return out.sort();
}

// conformance/base/api_integration/core-anp-np-banp.yaml, with the actions the subtests patch in.
const passExample = (ingress: 'Deny' | 'Pass', egress: 'Deny' | 'Pass') =>
  admin('pass-example', 10, G, {
    ingress: [{ name: 'deny-all-ingress-from-slytherin', action: ingress, peers: [nsPeer(house('slytherin'))] }],
    egress: [{ name: 'deny-all-egress-to-slytherin', action: egress, peers: [nsPeer(house('slytherin'))] }],
  });
const npAllowSlytherin = policy('gryffindor/allow-gress-from-to-slytherin-to-gryffindor', {
  ingress: [{ peers: [pods(undefined, house('slytherin'))] }],
  egress: [{ peers: [pods(undefined, house('slytherin'))] }],
  types: ['Ingress', 'Egress'],
});
const banpDenySlytherin = admin('default', undefined, G, {
  ingress: [{ name: 'deny-all-ingress-from-slytherin', action: 'Deny', peers: [nsPeer(house('slytherin'))] }],
  egress: [{ name: 'deny-all-egress-to-slytherin', action: 'Deny', peers: [nsPeer(house('slytherin'))] }],
});
// What the integration NetworkPolicy isolates away: gryffindor's traffic with everyone but slytherin.
const npIsolationLoss = [
  ...['hufflepuff/cedric', 'ravenclaw/luna'].flatMap((o) => [`${o}->gryffindor/harry`, `${o}->gryffindor/hermione`, `gryffindor/harry->${o}`, `gryffindor/hermione->${o}`]),
  'gryffindor/harry->gryffindor/hermione',
  'gryffindor/hermione->gryffindor/harry',
];
const slytherinGryffindor = ['slytherin/draco->gryffindor/harry', 'slytherin/draco->gryffindor/hermione', 'gryffindor/harry->slytherin/draco', 'gryffindor/hermione->slytherin/draco'];

// conformance/base/admin_network_policy/core-priority-field.yaml
const priority50Deny = admin('priority-50-example', 50, { namespaceSelector: house('gryffindor'), podSelector: everyPod }, {
  ingress: [{ name: 'deny-all-ingress-from-slytherin', action: 'Deny', peers: [podPeer(house('slytherin'), everyPod)] }],
  egress: [{ name: 'deny-all-egress-to-slytherin', action: 'Deny', peers: [podPeer(house('slytherin'), everyPod)] }],
});
const passAt = (priority: number) =>
  admin('old-priority-60-new-priority-40-example', priority, { namespaceSelector: house('gryffindor'), podSelector: everyPod }, {
    ingress: [{ name: 'pass-all-ingress-from-slytherin', action: 'Pass', peers: [podPeer(house('slytherin'), everyPod)] }],
    egress: [{ name: 'pass-all-egress-to-slytherin', action: 'Pass', peers: [podPeer(house('slytherin'), everyPod)] }],
  });
const banpAllowSlytherin = admin('default', undefined, G, {
  ingress: [{ name: 'allow-all-ingress-from-slytherin', action: 'Allow', peers: [podPeer(house('slytherin'), everyPod)] }],
  egress: [{ name: 'allow-all-egress-to-slytherin', action: 'Allow', peers: [podPeer(house('slytherin'), everyPod)] }],
});

// conformance/base/admin_network_policy/core-ingress-tcp-rules.yaml (the rules that concern our topology).
const ingressTcp = admin('ingress-tcp', 3, G, {
  ingress: [
    { name: 'allow-from-ravenclaw-everything', action: 'Allow', peers: [nsPeer(house('ravenclaw'))] },
    { name: 'deny-from-ravenclaw-everything', action: 'Deny', peers: [nsPeer(house('ravenclaw'))] },
    { name: 'deny-from-slytherin-at-port-80', action: 'Deny', peers: [nsPeer(house('slytherin'))], ports: [portNumber(80)] },
    { name: 'pass-from-slytherin-at-port-80', action: 'Pass', peers: [nsPeer(house('slytherin'))], ports: [portNumber(80)] },
    { name: 'allow-from-hufflepuff-at-port-80', action: 'Allow', peers: [nsPeer(house('hufflepuff'))], ports: [portNumber(80)] },
    { name: 'deny-from-hufflepuff-everything-else', action: 'Deny', peers: [nsPeer(house('hufflepuff'))] },
  ],
});
const intoGryffindor = (from: string) => [`${from}->gryffindor/harry`, `${from}->gryffindor/hermione`];

const rows: Row[] = [
  {
    name: 'AdminNetworkPolicyIntegration: Should Deny traffic from slytherin to gryffindor respecting ANP (ANP Deny beats a NetworkPolicy Allow)',
    anps: [passExample('Deny', 'Deny')],
    policies: [npAllowSlytherin],
    banp: banpDenySlytherin,
    denied: [...npIsolationLoss, ...slytherinGryffindor].sort(),
  },
  {
    name: "AdminNetworkPolicyIntegration: Should support a 'pass-ingress' policy for ANP and respect the match for network policy",
    anps: [passExample('Pass', 'Deny')],
    policies: [npAllowSlytherin],
    banp: banpDenySlytherin,
    denied: [...npIsolationLoss, 'gryffindor/harry->slytherin/draco', 'gryffindor/hermione->slytherin/draco'].sort(),
  },
  {
    name: "AdminNetworkPolicyIntegration: Should support a 'pass-egress' policy for ANP and respect the match for network policy",
    anps: [passExample('Pass', 'Pass')],
    policies: [npAllowSlytherin],
    banp: banpDenySlytherin,
    denied: [...npIsolationLoss].sort(),
  },
  {
    name: "AdminNetworkPolicyIntegration: Should support a 'pass-ingress'/'pass-egress' policy for ANP and respect the match for baseline admin network policy (NetworkPolicy deleted)",
    anps: [passExample('Pass', 'Pass')],
    banp: banpDenySlytherin,
    denied: [...slytherinGryffindor].sort(),
  },
  {
    name: 'AdminNetworkPolicyPriorityField: Should Deny traffic from slytherin to gryffindor respecting ANP (priority 50 Deny before priority 60 Pass)',
    anps: [priority50Deny, passAt(60)],
    banp: banpAllowSlytherin,
    denied: [...slytherinGryffindor].sort(),
  },
  {
    name: 'AdminNetworkPolicyPriorityField: Should respect ANP priority field; thus passing both ingress and egress traffic over to BANP (Pass now at 40)',
    anps: [priority50Deny, passAt(40)],
    banp: banpDenySlytherin,
    denied: [...slytherinGryffindor].sort(),
  },
  {
    name: 'AdminNetworkPolicyPriorityField: the Pass at 40 reaches a BANP Allow, so nothing is denied',
    anps: [priority50Deny, passAt(40)],
    banp: banpAllowSlytherin,
    denied: [],
  },
  {
    name: 'BaselineAdminNetworkPolicy API: a BANP applies only where no NetworkPolicy isolates the pod (NP Allow wins over BANP Deny)',
    policies: [npAllowSlytherin],
    banp: banpDenySlytherin,
    denied: [...npIsolationLoss].sort(),
  },
  {
    name: 'BaselineAdminNetworkPolicy API: a NetworkPolicy that isolates the pod also ignores a BANP Allow (NP default deny wins)',
    policies: [policy('gryffindor/deny-all', { ingress: [] })],
    banp: banpAllowSlytherin,
    denied: ['gryffindor/harry->gryffindor/hermione', 'gryffindor/hermione->gryffindor/harry', ...['slytherin/draco', 'hufflepuff/cedric', 'ravenclaw/luna'].flatMap(intoGryffindor)].sort(),
  },
  {
    name: "AdminNetworkPolicyIngressTCP: Should support an 'allow-ingress' policy for TCP protocol; ensure rule ordering is respected (port 80)",
    anps: [ingressTcp],
    port: 80,
    denied: [...intoGryffindor('slytherin/draco')].sort(),
  },
  {
    name: "AdminNetworkPolicyIngressTCP: Should support a 'deny-ingress' policy for TCP protocol; ensure rule ordering is respected (port 8080: the port-80 rules do not match)",
    anps: [ingressTcp],
    port: 8080,
    denied: [...intoGryffindor('hufflepuff/cedric')].sort(),
  },
  {
    name: 'AdminNetworkPolicy API: within one priority the first rule in order decides; a Pass with no NetworkPolicy and no BANP allows',
    anps: [
      admin('a', 5, G, { ingress: [{ action: 'Pass', peers: [nsPeer(house('slytherin'))] }, { action: 'Deny', peers: [nsPeer(house('slytherin'))] }] }),
      admin('b', 6, G, { ingress: [{ action: 'Deny', peers: [nsPeer(house('slytherin'))] }] }),
    ],
    denied: [],
  },
  {
    name: 'AdminNetworkPolicy API: an ANP Allow overrides a NetworkPolicy that isolates the pod',
    anps: [admin('allow-monitoring', 1, G, { ingress: [{ action: 'Allow', peers: [nsPeer(house('ravenclaw'))] }] })],
    policies: [policy('gryffindor/deny-all', { ingress: [] })],
    denied: ['gryffindor/harry->gryffindor/hermione', 'gryffindor/hermione->gryffindor/harry', ...['slytherin/draco', 'hufflepuff/cedric'].flatMap(intoGryffindor)].sort(),
  },
];

describe('AdminNetworkPolicy / BaselineAdminNetworkPolicy tiers (network-policy-api conformance)', () => {
  for (const row of rows) {
    it(row.name, () => {
      expect(deniedPairs(row)).toEqual(row.denied);
    });
  }
});

describe('per-direction tier decisions', () => {
  it('tell ANP Pass, NetworkPolicy and BANP apart for one pair', () => {
    const m = computeMatrix(
      cluster({
        namespaces: Object.fromEntries(HOUSES.map((h) => [h, { 'conformance-house': h }])),
        workloads: e2ePods(...PODS),
        policies: [npAllowSlytherin],
        adminPolicies: [passExample('Pass', 'Deny')],
        baselinePolicy: banpDenySlytherin,
      }),
    );
    const draco = m.endpoints.find((e) => e.id.startsWith('slytherin/draco'))!;
    const harry = m.endpoints.find((e) => e.id.startsWith('gryffindor/harry'))!;
    const ingress = m.decisions(draco, harry, 'ingress');
    expect(ingress.anpPass.isAll()).toBe(true);
    expect(ingress.npIsolated).toBe(true);
    expect(ingress.npAllowed.isAll()).toBe(true);
    expect(ingress.banpDeny.isAll()).toBe(true); // evaluated, but not reached: the NetworkPolicy isolates harry
    expect(ingress.allowed.isAll()).toBe(true);
    const egress = m.decisions(harry, draco, 'egress');
    expect(egress.anpDeny.isAll()).toBe(true);
    expect(egress.allowed.isEmpty()).toBe(true);
    expect(m.isolation(harry.kind === 'workload' ? harry.workload : (undefined as never)).admin.ingress.map((p) => p.name)).toEqual(['pass-example', 'default']);
  });
});
