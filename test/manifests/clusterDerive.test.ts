// A cluster derived from a recent build (the head of a pull request from its base: a few files removed, added
// or changed) must be exactly the cluster a build from scratch gives: the same records in the same order, the
// same diagnostics, skipped objects and namespaces. Random repositories and random edits, with the objects
// that make a change non-local (namespaces, duplicates, controllers and their pods, admin policies, Ingresses,
// parse errors, objects without names) mixed in.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { diffMatrices } from '../../src/diff/diffMatrices.js';
import { alignRecords, alignments, walkRecords } from '../../src/diff/sharedRecords.js';
import { computeMatrix } from '../../src/engine/matrix.js';
import { resolveTargetPort, serviceSelects, serviceTargets } from '../../src/engine/services.js';
import { buildCluster, clusterBuilds, setClusterReuse, skippedSummary } from '../../src/manifests/buildCluster.js';
import { summarizeSkipped } from '../../src/manifests/summarize.js';
import { diffJson } from '../../src/render/diffJson.js';
import { diffText } from '../../src/render/diffText.js';
import type { LoadOptions, ManifestFile } from '../../src/manifests/model.js';

const NS = ['a', 'b', 'c', 'kube-system'];
const NAMES = ['web', 'db', 'api', 'x'];

const labelsArb = fc.dictionary(fc.constantFrom('app', 'tier', 'kubernetes.io/metadata.name'), fc.constantFrom('web', 'db', 'a', 'b'), { maxKeys: 2 });
const nsArb = fc.constantFrom(...NS);
const nameArb = fc.constantFrom(...NAMES);
const json = (o: unknown) => JSON.stringify(o);

const docArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.tuple(nsArb, labelsArb).map(([n, l]) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${n}\n  labels: ${json(l)}\n`) },
  {
    weight: 6,
    arbitrary: fc.tuple(nsArb, nameArb, labelsArb, fc.constantFrom('Deployment', 'StatefulSet', 'ReplicaSet', 'Pod'), fc.option(fc.tuple(fc.constantFrom('ReplicaSet', 'Deployment'), nameArb)), fc.option(fc.constantFrom('http', 'grpc'))).map(
      ([ns, name, labels, kind, owner, port]) => {
        const meta = { name, namespace: ns, labels, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner[0], name: owner[1], controller: true }] } : {}) };
        const containers = [{ name: 'c', image: 'i', ports: port ? [{ name: port, containerPort: 8080 }] : [] }];
        if (kind === 'Pod') return `apiVersion: v1\nkind: Pod\nmetadata: ${json(meta)}\nspec: ${json({ containers })}\n`;
        return `apiVersion: apps/v1\nkind: ${kind}\nmetadata: ${json(meta)}\nspec: ${json({ selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers } } })}\n`;
      },
    ),
  },
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        nsArb,
        nameArb,
        labelsArb,
        fc.constantFrom('[Ingress]', '[Egress]', '[Ingress, Egress]'),
        fc.boolean(),
        fc.array(fc.constantFrom('{cidr: 0.0.0.0/0, except: [10.0.0.0/8]}', '{cidr: 10.0.0.0/8}', '{cidr: 10.1.0.0/16, except: [10.1.2.0/24]}', '{cidr: 192.168.1.0/24}', '{cidr: "::/0"}', '{cidr: 172.16.0.0/12, except: [172.16.5.0/24, 172.17.0.0/16]}'), { maxLength: 2 }),
      )
      .map(
        ([ns, name, labels, types, bad, blocks]) =>
          `apiVersion: ${bad ? 'networking.k8s.io/v2' : 'networking.k8s.io/v1'}\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  podSelector: {matchLabels: ${json(labels)}}\n  policyTypes: ${types}\n  ingress: [{from: [{podSelector: {}}${blocks.map((b) => `, {ipBlock: ${b}}`).join('')}]}]\n  egress: [{to: [${blocks.map((b) => `{ipBlock: ${b}}`).join(', ')}]}]\n`,
      ),
  },
  { weight: 2, arbitrary: fc.tuple(nsArb, nameArb).map(([ns, name]) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n`) },
  { weight: 3, arbitrary: fc.tuple(fc.option(nsArb), nameArb).map(([ns, name]) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}${ns ? `, namespace: ${ns}` : ''}}\n`) },
  { weight: 1, arbitrary: fc.tuple(nsArb, nameArb).map(([ns, name]) => `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {defaultBackend: {service: {name: web, port: {number: 80}}}}\n`) },
  {
    weight: 1,
    arbitrary: fc.tuple(nameArb, fc.constantFrom(10, 20)).map(
      ([name, priority]) =>
        `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: ${name}}\nspec: {priority: ${priority}, subject: {namespaces: {}}, ingress: [{action: Deny, from: [{namespaces: {}}]}]}\n`,
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n', '- just\n- a list\n', 'kind: [unclosed\n', 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n') },
);

const fileArb = fc.array(docArb, { minLength: 0, maxLength: 4 }).map((parts) => parts.join('---\n'));

type Edit = { op: 'change' | 'add' | 'remove'; at: number; text: string };
const editArb: fc.Arbitrary<Edit> = fc.record({ op: fc.constantFrom('change', 'change', 'add', 'remove'), at: fc.nat(), text: fileArb });

function apply(files: ManifestFile[], edits: readonly Edit[], serial: { n: number }): ManifestFile[] {
  const out = [...files];
  for (const e of edits) {
    if (e.op === 'add' || out.length === 0) out.splice(e.at % (out.length + 1), 0, { path: `f${serial.n++}.yaml`, text: e.text });
    else if (e.op === 'remove') out.splice(e.at % out.length, 1);
    else out[e.at % out.length] = { path: out[e.at % out.length]!.path, text: e.text };
  }
  return out;
}

function fromScratch(files: ManifestFile[], opts?: LoadOptions) {
  const was = setClusterReuse(false);
  try {
    return buildCluster(files, opts);
  } finally {
    setClusterReuse(was);
  }
}

afterEach(() => {
  setClusterReuse(true);
});

describe('a cluster derived from a recent build is the cluster a build from scratch gives', () => {
  it('random repositories and random edits', () => {
    const before = { ...clusterBuilds };
    const byRunsBefore = alignments.byRuns;
    const serial = { n: 0 };
    fc.assert(
      fc.property(
        fc.array(fileArb, { minLength: 1, maxLength: 14 }),
        fc.array(fc.array(editArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
        fc.constantFrom<LoadOptions | undefined>(undefined, { assumedNamespaces: { 'kube-system': { labels: { role: 'system' } } } }, { defaultNamespace: 'b' }),
        fc.boolean(),
        (texts, steps, opts, refetch) => {
          const base = texts.map((text) => ({ path: `f${serial.n++}.yaml`, text }));
          const baseCluster = buildCluster(base, opts);
          expect(baseCluster).toStrictEqual(fromScratch(base, opts));
          let files = base;
          for (const edits of steps) {
            // Each step from the base (a pull request) or from the last head (the next push); files matched
            // by object, or (fetched anew) by path and text.
            files = apply(edits.length === 1 ? base : files, edits, serial);
            if (refetch) files = files.map((f) => ({ path: f.path, text: ` ${f.text}`.slice(1) }));
            const built = buildCluster(files, opts);
            expect(built).toStrictEqual(fromScratch(files, opts));
            expect(skippedSummary(built)).toStrictEqual(summarizeSkipped(built.skipped));
            // A derived list aligned with its prior's by the runs it was made of: the walk's answer.
            expect(alignRecords(baseCluster.policies, built.policies)).toStrictEqual(walkRecords(baseCluster.policies, built.policies));
            expect(alignRecords(baseCluster.workloads, built.workloads)).toStrictEqual(walkRecords(baseCluster.workloads, built.workloads));
            expect(buildCluster(base, opts)).toStrictEqual(fromScratch(base, opts));
          }
        },
      ),
      { numRuns: 300 },
    );
    // Both paths ran, and alignments by runs.
    expect(alignments.byRuns - byRunsBefore).toBeGreaterThan(30);
    expect(clusterBuilds.derived - before.derived).toBeGreaterThan(30);
    expect(clusterBuilds.full - before.full).toBeGreaterThan(30);
  });

  it("a workload's Services are found exactly through a derived cluster's index by namespace", () => {
    // The index of a derived cluster's Services follows from its prior's (noteDerivedServices): what it
    // finds must be what a scan of the list finds, whichever list was asked first.
    const serial = { n: 0 };
    const scan = (c: ReturnType<typeof buildCluster>, w: ReturnType<typeof buildCluster>['workloads'][number]) =>
      (c.services ?? [])
        .filter((s) => serviceSelects(s, w))
        .flatMap((service) => service.ports.map((port) => ({ service, port, targetPort: resolveTargetPort(port, w) })))
        .filter((t) => t.targetPort !== undefined);
    const check = (c: ReturnType<typeof buildCluster>, order: boolean) => {
      const ws = order ? c.workloads : [...c.workloads].reverse();
      for (const w of ws) expect(serviceTargets(c.services, w)).toStrictEqual(scan(c, w));
    };
    fc.assert(
      fc.property(
        fc.array(fileArb, { minLength: 1, maxLength: 14 }),
        fc.array(fc.array(editArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.boolean(),
        (texts, steps, baseFirst, order) => {
          const base = texts.map((text) => ({ path: `s${serial.n++}.yaml`, text }));
          const b = buildCluster(base);
          if (baseFirst) check(b, order);
          let files = base;
          for (const edits of steps) {
            files = apply(edits.length === 1 ? base : files, edits, serial);
            const built = buildCluster(files);
            check(built, order);
            check(buildCluster(base), !order);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a new namespace in use, one no longer used, and a file moved are exact too', () => {
    const dep = (ns: string, name: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {selector: {matchLabels: {app: ${name}}}, template: {metadata: {labels: {app: ${name}}}, spec: {containers: [{name: c, image: i}]}}}\n`;
    const files = Array.from({ length: 12 }, (_, i) => ({ path: `d${i}.yaml`, text: dep(`n${i}`, 'w') }));
    buildCluster(files);
    const derived = clusterBuilds.derived;
    const edited = files.map((f, i) => (i === 3 ? { path: f.path, text: dep('fresh', 'w') } : f));
    const head = buildCluster(edited);
    expect(clusterBuilds.derived).toBe(derived + 1);
    expect(head).toStrictEqual(fromScratch(edited));
    expect([...head.namespaces.keys()]).toContain('fresh');
    expect([...head.namespaces.keys()]).not.toContain('n3');
    const moved = [...files.slice(1), files[0]!];
    expect(buildCluster(moved)).toStrictEqual(fromScratch(moved));
  });
});

describe('matrices and diffs of derived clusters are those of clusters built from scratch', () => {
  it('random repositories and pull requests: the same connections, isolation and diff', () => {
    const serial = { n: 0 };
    fc.assert(
      fc.property(fc.array(fileArb, { minLength: 1, maxLength: 12 }), fc.array(fc.array(editArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }), (texts, steps) => {
        const base = texts.map((text) => ({ path: `m${serial.n++}.yaml`, text }));
        const scratchBase = computeMatrix(fromScratch(base), { reuse: false });
        for (const edits of steps) {
          const head = apply(base, edits, serial);
          const mb = computeMatrix(buildCluster(base));
          const mh = computeMatrix(buildCluster(head));
          const want = computeMatrix(fromScratch(head), { reuse: false });
          const list = (m: typeof mh) => m.connections().map((c) => `${c.src.id}>${c.dst.id}:${c.ports.toString()}`);
          expect(list(mh)).toEqual(list(want));
          expect(mh.ipRanges.map((r) => r.id)).toEqual(want.ipRanges.map((r) => r.id));
          for (const w of want.workloads) {
            const g = mh.workloads.find((x) => x.id === w.id)!;
            expect(mh.isolation(g).ingress.map((p) => p.id)).toEqual(want.isolation(w).ingress.map((p) => p.id));
            expect(mh.isolation(g).egress.map((p) => p.id)).toEqual(want.isolation(w).egress.map((p) => p.id));
          }
          const got = diffMatrices(mb, mh);
          const expected = diffMatrices(scratchBase, want);
          expect(diffJson(got)).toEqual(diffJson(expected));
          expect(diffText(got)).toBe(diffText(expected));
        }
      }),
      { numRuns: 150 },
    );
  });
});
