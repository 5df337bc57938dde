// The fast path of NetworkPolicy specs (readValidPolicySpec) against the full reading: it must give exactly
// the full reading's value whenever it gives one, and give one only for specs read without any problem.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readPolicySpecFully, readValidPolicySpec } from '../../src/manifests/policySpec.js';
import { ProblemList } from '../../src/manifests/problems.js';

const labelKey = fc.constantFrom('app', 'team', 'kubernetes.io/metadata.name', 'a/b/c', '-bad', '', 'x'.repeat(64));
const labelValue = fc.oneof(fc.constantFrom('web', 'db', '', 'a-b', '-bad', 'x'.repeat(64), 'é'), fc.constantFrom(1, true, null));
const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 3 });
const requirement = fc.oneof(
  fc.record(
    {
      key: fc.oneof(labelKey, fc.constant(7)),
      operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist', 'Bad', 3),
      values: fc.oneof(fc.array(labelValue, { maxLength: 2 }), fc.constant(null), fc.constant('x')),
    },
    { requiredKeys: [] },
  ),
  // Fields in another order: read into a new requirement.
  fc.record({ values: fc.array(fc.constantFrom('a', 'b'), { minLength: 1, maxLength: 2 }), operator: fc.constant('In'), key: fc.constant('app') }),
  fc.constantFrom(null, 'x', { key: 'app', operator: 'Exists', extra: 1 }),
);
const selector = fc.oneof(
  fc.record({ matchLabels: fc.oneof(labels, fc.constant(null), fc.constant([])), matchExpressions: fc.oneof(fc.array(requirement, { maxLength: 2 }), fc.constant(null), fc.constant({})) }, { requiredKeys: [] }),
  fc.constantFrom(null, 'x', { matchLabel: { app: 'web' } }),
);
const cidr = fc.constantFrom('10.0.0.0/8', '10.1.0.0/16', '10.1.2.3/16', '0.0.0.0/0', '::/0', 'fd00::/8', '300.0.0.0/8', 'x', '', 5);
const ipBlock = fc.record({ cidr, except: fc.oneof(fc.array(cidr, { maxLength: 2 }), fc.constant(null), fc.constant('x')) }, { requiredKeys: [] });
const peer = fc.oneof(
  fc.record({ podSelector: selector, namespaceSelector: selector }, { requiredKeys: [] }),
  fc.record({ ipBlock, podSelector: fc.constantFrom(undefined, null, {}) }, { requiredKeys: ['ipBlock'] }),
  fc.constantFrom(null, {}, 'x', { ipBlock: null }, { other: {} }),
);
const port = fc.oneof(
  fc.record(
    {
      protocol: fc.constantFrom('TCP', 'UDP', 'SCTP', 'ICMP', null, 6),
      port: fc.constantFrom(80, 0, 70000, 8.5, 'http', 'HTTP', 'a--b', 'x'.repeat(16), null, true),
      endPort: fc.constantFrom(90, 79, 70000, 'x', null),
    },
    { requiredKeys: [] },
  ),
  fc.constantFrom(null, 'x', { port: 80, extra: 1 }),
);
const rule = (peersField: 'from' | 'to') =>
  fc.oneof(
    fc.record({ [peersField]: fc.oneof(fc.array(peer, { maxLength: 3 }), fc.constant(null), fc.constant('x')), ports: fc.oneof(fc.array(port, { maxLength: 2 }), fc.constant(null)) }, { requiredKeys: [] }),
    fc.constantFrom(null, 'x', { [peersField === 'from' ? 'to' : 'from']: [] }),
  );
const spec = fc.oneof(
  fc.record(
    {
      podSelector: selector,
      policyTypes: fc.oneof(fc.array(fc.constantFrom('Ingress', 'Egress', 'Both', 1), { maxLength: 3 }), fc.constant(null), fc.constant('Ingress')),
      ingress: fc.oneof(fc.array(rule('from'), { maxLength: 3 }), fc.constant(null), fc.constant({})),
      egress: fc.oneof(fc.array(rule('to'), { maxLength: 3 }), fc.constant(null)),
    },
    { requiredKeys: [] },
  ),
  fc.constantFrom(null, undefined, 'x', [], { podSelector: {}, extra: 1 }),
);

describe('readValidPolicySpec (the fast path) against readPolicySpecFully', () => {
  it('gives the full reading whenever it gives a spec, and only for specs without problems', () => {
    let fast = 0;
    fc.assert(
      fc.property(spec, (raw) => {
        const problems = new ProblemList();
        const full = readPolicySpecFully(raw, problems);
        const valid = readValidPolicySpec(raw);
        if (valid === undefined) return;
        fast++;
        expect(problems.items).toEqual([]);
        expect(valid).toEqual(full);
        expect(JSON.stringify(valid)).toBe(JSON.stringify(full));
      }),
      { numRuns: 3000 },
    );
    expect(fast).toBeGreaterThan(100);
  });

  it('reads the common specs on the fast path, keeping parsed maps and requirements as they are', () => {
    const matchLabels = { app: 'web' };
    const requirement = { key: 'env', operator: 'In', values: ['prod'] };
    const raw = {
      podSelector: { matchLabels },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ namespaceSelector: { matchExpressions: [requirement] }, podSelector: {} }], ports: [{ port: 80 }, { protocol: 'UDP', port: 'dns' }] }],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }, {}],
    };
    const valid = readValidPolicySpec(raw)!;
    expect(valid).toEqual(readPolicySpecFully(raw, new ProblemList()));
    expect(valid.podSelector.matchLabels).toBe(matchLabels);
    const ingressPeer = (valid.ingress[0]!.peers as unknown as { namespaceSelector: { matchExpressions: unknown[] } }[])[0]!;
    expect(ingressPeer.namespaceSelector.matchExpressions[0]).toBe(requirement);
    expect(valid.egress[1]).toMatchObject({ index: 1, peers: 'all', ports: 'all', path: ['spec', 'egress', 1] });
  });

  it('leaves warnings to the full reading', () => {
    expect(readValidPolicySpec({ ingress: [{ from: [{ ipBlock: { cidr: '10.1.2.3/16' } }] }] })).toBeUndefined();
    expect(readValidPolicySpec({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.2.3/16'] } }] }] })).toBeUndefined();
  });
});
