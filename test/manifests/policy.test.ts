// NetworkPolicy semantics, one row per rule of the API reference:
// https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
// and of the API server's defaulting/validation (pkg/apis/networking/v1/defaults.go,
// pkg/apis/networking/validation/validation.go).
import { describe, expect, it } from 'vitest';
import { buildCluster } from '../../src/manifests/buildCluster.js';
import type { NetworkPolicy } from '../../src/manifests/model.js';

const REF = 'https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/';

/** A policy ns/p whose spec starts on line 7. */
function policy(spec: string, apiVersion = 'networking.k8s.io/v1'): string {
  const body = spec.trim() === '' ? '' : 'spec:\n' + spec.replace(/^(?=.)/gm, '  ') + '\n';
  return `apiVersion: ${apiVersion}\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: ns\n${body}`;
}

const load = (text: string) => buildCluster([{ path: 'np.yaml', text }]);
const all = { matchLabels: {}, matchExpressions: [] };
const sel = (matchLabels: Record<string, string>) => ({ matchLabels, matchExpressions: [] });

describe(`NetworkPolicy defaulting and reading (${REF})`, () => {
  it.each<[string, string, Partial<NetworkPolicy>]>([
    ['policyTypes absent, no egress: Ingress only', 'podSelector: {}', { affectsIngress: true, affectsEgress: false, ingress: [], egress: [] }],
    [
      'policyTypes absent, egress rules present: Ingress and Egress',
      'podSelector: {}\negress:\n- {}',
      { affectsIngress: true, affectsEgress: true, egress: [{ index: 0, peers: 'all', ports: 'all', path: ['spec', 'egress', 0] }] },
    ],
    ['policyTypes absent, `egress: []`: Ingress only (defaults.go adds Egress when len(spec.Egress) != 0)', 'podSelector: {}\negress: []', { affectsIngress: true, affectsEgress: false }],
    ['`policyTypes: []` is defaulted like an absent one', 'podSelector: {}\npolicyTypes: []\negress: [{}]', { affectsIngress: true, affectsEgress: true }],
    ['policyTypes [Egress]: egress only, ingress rules ignored for isolation', 'podSelector: {}\npolicyTypes: [Egress]', { affectsIngress: false, affectsEgress: true }],
    ['policyTypes [Ingress, Egress]', 'podSelector: {}\npolicyTypes: [Ingress, Egress]', { affectsIngress: true, affectsEgress: true }],
    ['spec absent: empty podSelector selects all pods, deny all ingress', '', { podSelector: all, affectsIngress: true, affectsEgress: false, ingress: [] }],
    ['podSelector matchLabels and matchExpressions', 'podSelector:\n  matchLabels: {app: web}\n  matchExpressions:\n  - {key: tier, operator: In, values: [a, b]}\n  - {key: x, operator: NotIn, values: [c]}\n  - {key: y, operator: Exists}\n  - {key: z, operator: DoesNotExist, values: []}', {
      podSelector: {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['a', 'b'] },
          { key: 'x', operator: 'NotIn', values: ['c'] },
          { key: 'y', operator: 'Exists', values: [] },
          { key: 'z', operator: 'DoesNotExist', values: [] },
        ],
      },
    }],
    ['a rule without from and ports matches all peers and all ports', 'podSelector: {}\ningress:\n- {}', { ingress: [{ index: 0, peers: 'all', ports: 'all', path: ['spec', 'ingress', 0] }] }],
    ['empty from and ports lists also match everything', 'podSelector: {}\ningress:\n- from: []\n  ports: []', { ingress: [{ index: 0, peers: 'all', ports: 'all', path: ['spec', 'ingress', 0] }] }],
    ['port protocol defaults to TCP; numbers, names, endPort, UDP, SCTP', 'podSelector: {}\ningress:\n- ports:\n  - port: 80\n  - {protocol: UDP, port: dns}\n  - {protocol: SCTP, port: 3000, endPort: 3010}\n  - {}', {
      ingress: [{
        index: 0,
        peers: 'all',
        ports: [{ protocol: 'TCP', port: 80 }, { protocol: 'UDP', port: 'dns' }, { protocol: 'SCTP', port: 3000, endPort: 3010 }, { protocol: 'TCP' }],
        path: ['spec', 'ingress', 0],
      }],
    }],
    ['peers: podSelector alone, namespaceSelector alone, both (AND), empty selector', 'podSelector: {}\ningress:\n- from:\n  - podSelector: {matchLabels: {app: a}}\n  - namespaceSelector: {matchLabels: {team: t}}\n  - {podSelector: {matchLabels: {app: b}}, namespaceSelector: {}}\n  - podSelector: {}', {
      ingress: [{
        index: 0,
        peers: [
          { type: 'pods', podSelector: sel({ app: 'a' }) },
          { type: 'pods', namespaceSelector: sel({ team: 't' }) },
          { type: 'pods', podSelector: sel({ app: 'b' }), namespaceSelector: all },
          { type: 'pods', podSelector: all },
        ],
        ports: 'all',
        path: ['spec', 'ingress', 0],
      }],
    }],
    ['a null selector counts as absent (Go nil pointer)', 'podSelector: {}\negress:\n- to:\n  - {podSelector: null, namespaceSelector: {}}', {
      egress: [{ index: 0, peers: [{ type: 'pods', namespaceSelector: all }], ports: 'all', path: ['spec', 'egress', 0] }],
    }],
    ['ipBlock with except; IPv6 and leading-zero IPv4 are normalised', 'podSelector: {}\ningress:\n- from:\n  - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16, 10.2.3.4/32]}\n  - ipBlock: {cidr: "2001:DB8::/32", except: ["2001:db8:0:0::/48"]}\n  - ipBlock: {cidr: 010.000.0.0/8}', {
      ingress: [{
        index: 0,
        peers: [
          { type: 'ipBlock', cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.2.3.4/32'] },
          { type: 'ipBlock', cidr: '2001:db8::/32', except: ['2001:db8::/48'] },
          { type: 'ipBlock', cidr: '10.0.0.0/8', except: [] },
        ],
        ports: 'all',
        path: ['spec', 'ingress', 0],
      }],
    }],
  ])('%s', (_name, spec, expected) => {
    const c = load(policy(spec));
    expect(c.diagnostics).toEqual([]);
    expect(c.skipped).toEqual([]);
    expect(c.policies).toHaveLength(1);
    expect(c.policies[0]).toMatchObject(expected);
  });

  it('the policy has id, names, source and a canonical specKey', () => {
    const c = load(policy('policyTypes: [Ingress]\npodSelector: {matchLabels: {b: "2", a: "1"}}'));
    expect(c.policies[0]).toMatchObject({
      id: 'ns/p',
      namespace: 'ns',
      name: 'p',
      source: { file: 'np.yaml', line: 1, doc: 0, path: [] },
      specKey: '{"podSelector":{"matchLabels":{"a":"1","b":"2"}},"policyTypes":["Ingress"]}',
    });
  });

  it('a policy without metadata.namespace goes to the default namespace (or opts.defaultNamespace)', () => {
    const text = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n';
    expect(buildCluster([{ path: 'a.yaml', text }]).policies[0]?.id).toBe('default/p');
    expect(buildCluster([{ path: 'a.yaml', text }], { defaultNamespace: 'team' }).policies[0]?.id).toBe('team/p');
  });

  it('extensions/v1beta1 is analysed as networking.k8s.io/v1 with a warning', () => {
    const c = load(policy('podSelector: {}', 'extensions/v1beta1'));
    expect(c.policies.map((p) => p.id)).toEqual(['ns/p']);
    expect(c.diagnostics).toEqual([
      { file: 'np.yaml', line: 1, severity: 'warning', message: 'NetworkPolicy ns/p: apiVersion extensions/v1beta1 is deprecated, analysed as networking.k8s.io/v1' },
    ]);
  });

  it.each([
    ['cidr', 'podSelector: {}\ningress:\n- from:\n  - ipBlock: {cidr: 10.0.0.1/8}', 10, 'spec.ingress[0].from[0].ipBlock.cidr: "10.0.0.1/8" has host bits set; analysed as 10.0.0.0/8', { type: 'ipBlock', cidr: '10.0.0.0/8', except: [] }],
    ['except', 'podSelector: {}\ningress:\n- from:\n  - ipBlock:\n      cidr: 10.0.0.0/8\n      except: [10.1.2.3/16]', 12, 'spec.ingress[0].from[0].ipBlock.except[0]: "10.1.2.3/16" has host bits set; analysed as 10.1.0.0/16', { type: 'ipBlock', cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }],
  ])('an ipBlock %s with host bits set is accepted (as the API does), normalised, with a warning', (_n, spec, line, message, peer) => {
    const c = load(policy(spec));
    expect(c.diagnostics).toEqual([{ file: 'np.yaml', line, severity: 'warning', message: `NetworkPolicy ns/p: ${message}` }]);
    expect(c.policies[0]?.ingress[0]?.peers).toEqual([peer]);
  });
});

describe(`NetworkPolicy validation: what the API server rejects is skipped with an error on the offending line (${REF})`, () => {
  it.each<[string, string, number, string]>([
    ['In needs values', 'podSelector:\n  matchExpressions:\n  - key: app\n    operator: In', 9, "spec.podSelector.matchExpressions[0].values: must be specified when `operator` is 'In' or 'NotIn'"],
    ['NotIn needs non-empty values', 'podSelector:\n  matchExpressions:\n  - key: app\n    operator: NotIn\n    values: []', 11, "spec.podSelector.matchExpressions[0].values: must be specified when `operator` is 'In' or 'NotIn'"],
    ['Exists takes no values', 'podSelector:\n  matchExpressions:\n  - key: app\n    operator: Exists\n    values: [a]', 11, "spec.podSelector.matchExpressions[0].values: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"],
    ['unknown operator', 'podSelector:\n  matchExpressions:\n  - {key: app, operator: Equals, values: [a]}', 9, 'spec.podSelector.matchExpressions[0].operator: "Equals" is not a valid selector operator (In, NotIn, Exists, DoesNotExist)'],
    ['label key not a qualified name', 'podSelector:\n  matchLabels:\n    -app: a', 9, `spec.podSelector.matchLabels.-app: label key "-app": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`],
    ['label key prefix not a DNS subdomain', 'podSelector:\n  matchLabels:\n    Example.com/app: a', 9, 'spec.podSelector.matchLabels.Example.com/app: label key "Example.com/app": prefix part must be a lowercase DNS subdomain (at most 253 characters)'],
    ['label value over 63 characters', `podSelector:\n  matchLabels:\n    app: ${'a'.repeat(64)}`, 9, `spec.podSelector.matchLabels.app: label value "${'a'.repeat(64)}": must be no more than 63 characters`],
    ['label value not a string', 'podSelector:\n  matchLabels:\n    version: 1', 9, 'spec.podSelector.matchLabels.version: must be a string, not an integer'],
    ['expression value invalid', 'podSelector:\n  matchExpressions:\n  - key: app\n    operator: In\n    values: ["a b"]', 11, `spec.podSelector.matchExpressions[0].values[0]: "a b": must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`],
    ['unknown field (a typo would widen the selector)', 'podSelector:\n  matchLabel: {app: a}', 8, 'spec.podSelector.matchLabel: unknown field'],
    ['cidr prefix over 32', 'podSelector: {}\ningress:\n- from:\n  - ipBlock: {cidr: 10.0.0.0/33}', 10, 'spec.ingress[0].from[0].ipBlock.cidr: "10.0.0.0/33" is not a valid CIDR (prefix length over 32)'],
    ['cidr without prefix', 'podSelector: {}\ningress:\n- from:\n  - ipBlock: {cidr: 10.0.0.0}', 10, 'spec.ingress[0].from[0].ipBlock.cidr: "10.0.0.0" is not a valid CIDR (expected address/prefix, e.g. 10.0.0.0/16)'],
    ['cidr with a bad address', 'podSelector: {}\ningress:\n- from:\n  - ipBlock: {cidr: 10.0.0/8}', 10, 'spec.ingress[0].from[0].ipBlock.cidr: "10.0.0/8" is not a valid CIDR (bad IP address)'],
    ['cidr required', 'podSelector: {}\ningress:\n- from:\n  - ipBlock: {except: []}', 10, 'spec.ingress[0].from[0].ipBlock.cidr: required'],
    ['except must be a strict subset of cidr (outside)', 'podSelector: {}\ningress:\n- from:\n  - ipBlock:\n      cidr: 10.0.0.0/16\n      except:\n      - 10.1.0.0/24', 13, 'spec.ingress[0].from[0].ipBlock.except[0]: "10.1.0.0/24" must be a strict subset of cidr 10.0.0.0/16'],
    ['except must be a strict subset of cidr (equal)', 'podSelector: {}\ningress:\n- from:\n  - ipBlock:\n      cidr: 10.0.0.0/16\n      except: [10.0.0.0/16]', 12, 'spec.ingress[0].from[0].ipBlock.except[0]: "10.0.0.0/16" must be a strict subset of cidr 10.0.0.0/16'],
    ['except of another family', 'podSelector: {}\ningress:\n- from:\n  - ipBlock:\n      cidr: 0.0.0.0/0\n      except: ["::/64"]', 12, 'spec.ingress[0].from[0].ipBlock.except[0]: "::/64" must be a strict subset of cidr 0.0.0.0/0'],
    ['peer with nothing', 'podSelector: {}\ningress:\n- from:\n  - {}', 10, 'spec.ingress[0].from[0]: must specify a peer (podSelector, namespaceSelector or ipBlock)'],
    ['ipBlock with another peer', 'podSelector: {}\negress:\n- to:\n  - ipBlock: {cidr: 10.0.0.0/8}\n    podSelector: {}', 10, 'spec.egress[0].to[0]: may not specify both ipBlock and another peer'],
    ['port 0', 'podSelector: {}\ningress:\n- ports:\n  - port: 0', 10, 'spec.ingress[0].ports[0].port: 0: must be between 1 and 65535, inclusive'],
    ['port 65536', 'podSelector: {}\ningress:\n- ports:\n  - port: 65536', 10, 'spec.ingress[0].ports[0].port: 65536: must be between 1 and 65535, inclusive'],
    ['endPort below port', 'podSelector: {}\ningress:\n- ports:\n  - port: 100\n    endPort: 99', 11, 'spec.ingress[0].ports[0].endPort: 99: must be greater than or equal to `port`'],
    ['endPort with a named port', 'podSelector: {}\ningress:\n- ports:\n  - port: http\n    endPort: 99', 11, 'spec.ingress[0].ports[0].endPort: may not be specified when `port` is non-numeric'],
    ['endPort without port', 'podSelector: {}\ningress:\n- ports:\n  - endPort: 99', 10, 'spec.ingress[0].ports[0].endPort: may not be specified when `port` is not specified'],
    ['a quoted number is a port name, and names need a letter', 'podSelector: {}\ningress:\n- ports:\n  - port: "80"', 10, 'spec.ingress[0].ports[0].port: "80": must contain at least one letter'],
    ['port name over 15 characters', 'podSelector: {}\ningress:\n- ports:\n  - port: a-very-long-port-name', 10, 'spec.ingress[0].ports[0].port: "a-very-long-port-name": must be no more than 15 characters'],
    ['port of the wrong type', 'podSelector: {}\ningress:\n- ports:\n  - port: [1]', 10, 'spec.ingress[0].ports[0].port: must be an integer or a string, not a list'],
    ['protocol is case-sensitive', 'podSelector: {}\ningress:\n- ports:\n  - protocol: tcp', 10, 'spec.ingress[0].ports[0].protocol: unsupported value "tcp": supported values: "TCP", "UDP", "SCTP"'],
    ['unknown policyType', 'podSelector: {}\npolicyTypes: [Ingress, Sideways]', 8, 'spec.policyTypes[1]: unsupported value "Sideways": supported values: "Ingress", "Egress"'],
    ['more than two policyTypes', 'podSelector: {}\npolicyTypes:\n- Ingress\n- Egress\n- Ingress', 8, 'spec.policyTypes: may not specify more than two policyTypes'],
    ['ingress not a list', 'podSelector: {}\ningress: {from: []}', 8, 'spec.ingress: must be a list, not a map'],
  ])('%s', (_name, spec, line, problem) => {
    const c = load(policy(spec));
    expect(c.policies).toEqual([]);
    expect(c.diagnostics).toEqual([{ file: 'np.yaml', line, severity: 'error', message: `NetworkPolicy ns/p not analysed: ${problem}` }]);
    expect(c.skipped).toEqual([
      { kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1', namespace: 'ns', name: 'p', reason: `invalid: ${problem}`, source: { file: 'np.yaml', line: 1, doc: 0, path: [] } },
    ]);
  });

  it('an unknown apiVersion is skipped with an error', () => {
    const c = load(policy('podSelector: {}', 'networking.k8s.io/v2'));
    expect(c.policies).toEqual([]);
    expect(c.diagnostics).toEqual([
      { file: 'np.yaml', line: 1, severity: 'error', message: 'NetworkPolicy ns/p: unknown apiVersion "networking.k8s.io/v2"; not analysed' },
    ]);
    expect(c.skipped.map((s) => s.reason)).toEqual(['unknown apiVersion networking.k8s.io/v2']);
  });

  it('several errors: one diagnostic each, the reason counts the rest; other policies still load', () => {
    const bad = policy('podSelector: {}\ningress:\n- ports:\n  - port: 0\n  - port: 70000');
    const good = policy('podSelector: {}').replace('name: p', 'name: q');
    const c = buildCluster([{ path: 'np.yaml', text: `${bad}---\n${good}` }]);
    expect(c.policies.map((p) => p.id)).toEqual(['ns/q']);
    expect(c.diagnostics.map((d) => d.line)).toEqual([10, 11]);
    expect(c.skipped[0]?.reason).toBe('invalid: spec.ingress[0].ports[0].port: 0: must be between 1 and 65535, inclusive (and 1 more)');
  });
});
