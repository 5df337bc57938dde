// buildCluster keeps what it reads per parsed object (readMemo.ts): a rebuild from the same documents (the
// parse cache hands them back for unchanged files) must give the same cluster, with every diagnostic and
// source of its own build, and nothing downstream may write to the shared model objects.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateTier, TIERS } from '../../src/bench/generate.js';
import { diffMatrices } from '../../src/diff/diffMatrices.js';
import { computeMatrix } from '../../src/engine/matrix.js';
import { explain } from '../../src/explain/index.js';
import { buildCluster } from '../../src/manifests/index.js';
import { canonicalJson } from '../../src/manifests/canonicalJson.js';
import { parseCidr, type Cidr } from '../../src/manifests/cidr.js';
import type { Cluster } from '../../src/manifests/model.js';
import { deepFreeze } from '../helpers/deepFreeze.js';

const view = (c: Cluster) => ({
  namespaces: [...c.namespaces.values()],
  workloads: c.workloads,
  policies: c.policies,
  services: c.services,
  diagnostics: c.diagnostics,
  skipped: c.skipped,
});

const BAD_POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: p
spec:
  podSelector: {}
  ingress:
  - from:
    - ipBlock:
        cidr: 10.0.0.0/8
        except: [192.168.0.0/16]
`;

describe('rebuilding from the same documents', () => {
  it('gives the same cluster, with the diagnostics of each build', () => {
    const files = [{ path: 'a.yaml', text: BAD_POLICY }];
    const first = buildCluster(files);
    const second = buildCluster(files);
    expect(first.diagnostics).toEqual([
      { file: 'a.yaml', line: 11, severity: 'error', message: expect.stringContaining('spec.ingress[0].from[0].ipBlock.except[0]') as string },
    ]);
    expect(view(second)).toEqual(view(first));
    expect(second.skipped).toHaveLength(1);
  });

  it('names the file, line and namespace of this build for the same text elsewhere', () => {
    const moved = buildCluster([{ path: 'b.yaml', text: `# moved\n---\n${BAD_POLICY}` }], { defaultNamespace: 'other' });
    expect(moved.diagnostics.map((d) => `${d.file}:${d.line}`)).toEqual(['b.yaml:13']);
    expect(moved.skipped[0]).toMatchObject({ namespace: 'other', source: { file: 'b.yaml', line: 3 } });
    const fine = BAD_POLICY.replace('except: [192.168.0.0/16]', 'except: [10.1.0.0/16]');
    const a = buildCluster([{ path: 'a.yaml', text: fine }]);
    const b = buildCluster([{ path: 'b.yaml', text: fine }], { defaultNamespace: 'other' });
    expect([a.policies[0]!.id, a.policies[0]!.source.file]).toEqual(['default/p', 'a.yaml']);
    expect([b.policies[0]!.id, b.policies[0]!.source.file]).toEqual(['other/p', 'b.yaml']);
    expect(b.policies[0]!.specKey).toBe(a.policies[0]!.specKey);
  });

  it('shares model objects that nothing downstream writes to', () => {
    const tier = generateTier(TIERS.small!, 7);
    const head = tier.base.map((f) => tier.prs[0]!.find((p) => p.path === f.path) ?? f);
    const base = buildCluster(tier.base);
    deepFreeze(view(base));
    const again = buildCluster(tier.base);
    expect(view(again)).toEqual(view(base));
    const h = buildCluster(head);
    deepFreeze(view(h));
    const [mb, mh] = [computeMatrix(again), computeMatrix(h)];
    const d = diffMatrices(mb, mh);
    expect(d.opened.length + d.closed.length).toBeGreaterThan(0);
    const w = h.workloads;
    expect(() => explain(mh, { from: w[0]!.id, to: w[1]!.id })).not.toThrow();
  });
});

/**
 * The previous canonicalJson: a sorted deep copy, then JSON.stringify. Keys are defined as own properties so
 * that a `__proto__` key (fast-check generates it) stays a field instead of setting the copy's prototype.
 */
function reference(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) {
        Object.defineProperty(out, k, { value: sortKeys((v as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(sortKeys(value));
}

describe('canonicalJson', () => {
  it('is the sorted-keys JSON of the value, whatever the key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalJson(v)).toBe(reference(v));
      }),
      { numRuns: 500 },
    );
    // The counterexample fast-check once found for the reference: a `__proto__` key.
    expect(canonicalJson(JSON.parse('{"__proto__":0}'))).toBe(reference(JSON.parse('{"__proto__":0}')));
    expect(canonicalJson({ b: [{ y: 1, x: 2 }], a: { d: null, c: 'x' } })).toBe(canonicalJson({ a: { c: 'x', d: null }, b: [{ x: 2, y: 1 }] }));
    expect(canonicalJson({ b: 1, a: Buffer.from('hi') })).toBe('{"a":{"type":"Buffer","data":[104,105]},"b":1}');
  });

  it('keeps a `__proto__` field whatever the order of the others', () => {
    const a = JSON.parse('{"z":1,"__proto__":{"x":1}}') as unknown;
    const b = JSON.parse('{"__proto__":{"x":1},"z":1}') as unknown;
    expect(canonicalJson(a)).toBe('{"__proto__":{"x":1},"z":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });
});

describe('parseCidr', () => {
  it('gives the network, host bits and errors as before, from its cache too', () => {
    for (let i = 0; i < 2; i++) {
      expect(parseCidr('10.1.2.3/8')).toMatchObject({ family: 4, prefix: 8, text: '10.0.0.0/8', hadHostBits: true });
      expect(parseCidr('0.0.0.0/0')).toMatchObject({ family: 4, text: '0.0.0.0/0', hadHostBits: false });
      expect(parseCidr('255.255.255.255/32')).toMatchObject({ text: '255.255.255.255/32', hadHostBits: false });
      expect(parseCidr('192.168.1.129/25')).toMatchObject({ text: '192.168.1.128/25', hadHostBits: true });
      expect(parseCidr('010.001.0.0/16')).toMatchObject({ text: '10.1.0.0/16', hadHostBits: false });
      expect(parseCidr('10.0.0.0/33')).toBe('"10.0.0.0/33" is not a valid CIDR (prefix length over 32)');
      expect(parseCidr('fd00::1/8')).toMatchObject({ family: 6, text: 'fd00::/8', hadHostBits: true });
      expect(parseCidr('::/129')).toBe('"::/129" is not a valid CIDR (prefix length over 128)');
    }
    const c = parseCidr('10.1.2.3/8') as Cidr;
    const wide = parseCidr('10.0.0.0/7') as Cidr;
    expect([c.address.toString(), c.address.match(wide.address, wide.prefix)]).toEqual(['10.0.0.0', true]);
  });
});

describe('what a build keeps per parsed file', () => {
  const POLICY = BAD_POLICY.replace('except: [192.168.0.0/16]', 'except: [10.1.0.0/16]');
  const CONFIG = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';

  it('follows each path and default namespace of the same text, past the few it keeps per text', () => {
    const paths = ['a.yaml', 'b.yaml', 'c.yaml', 'd.yaml', 'e.yaml', 'f.yaml'];
    for (let round = 0; round < 3; round++) {
      const order = round % 2 === 0 ? paths : [...paths].reverse();
      const c = buildCluster(order.map((path) => ({ path, text: `${POLICY}---\n${CONFIG}` })), { defaultNamespace: `ns${round}` });
      // One policy analysed, the same text elsewhere a duplicate; every record names its own file and namespace.
      expect(c.policies.map((p) => `${p.id}@${p.source.file}`)).toEqual([`ns${round}/p@${order[0]}`]);
      expect(c.skipped.map((s) => `${s.kind} ${s.namespace ?? ''}@${s.source.file}`)).toEqual([
        `ConfigMap @${order[0]}`,
        ...order.slice(1).flatMap((p) => [`NetworkPolicy ns${round}@${p}`, `ConfigMap ns${round}@${p}`]),
      ]);
      expect(c.diagnostics.map((d) => `${d.file}:${d.line}`)).toEqual([...order.slice(1)].sort().flatMap((p) => [`${p}:1`, `${p}:13`]));
    }
  });

  it('reads a changed file again', () => {
    const a = buildCluster([{ path: 'a.yaml', text: POLICY }]);
    const b = buildCluster([{ path: 'a.yaml', text: POLICY.replace('10.1.0.0/16', '10.2.0.0/16') }]);
    const c = buildCluster([{ path: 'a.yaml', text: BAD_POLICY }]);
    expect(a.policies[0]!.specKey).toContain('10.1.0.0/16');
    expect(b.policies[0]!.specKey).toContain('10.2.0.0/16');
    expect([c.policies.length, c.skipped.length, c.diagnostics.length]).toEqual([0, 1, 1]);
    expect(buildCluster([{ path: 'a.yaml', text: POLICY }]).policies[0]).toBe(a.policies[0]);
  });
});
