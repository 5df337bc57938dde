// A matrix built on a prior (the other side of a diff) borrows the rows whose policies are the same records:
// every answer must be the one a build from scratch gives. Random clusters and random small changes, with the
// records of unchanged objects shared between the sides as the loader shares them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { borrowedRows, computeMatrix, workloadClasses, type ReachabilityMatrix } from '../../src/engine/matrix.js';
import { buildCluster } from '../../src/manifests/buildCluster.js';
import { AUTO_NAMESPACE_LABEL, type Cluster, type NetworkPolicy, type Workload } from '../../src/manifests/model.js';
import { namespaceFingerprint } from '../../src/engine/compile.js';
import { clusterChangeArb } from '../helpers/arbitraries.js';
import { deploymentYaml, docs, namespaceYaml, policyYaml } from '../helpers/yamlWorld.js';
import { ipBlock, pods, policy, sel, tcp, workload } from '../helpers/model.js';
import { shareRecords } from '../helpers/shareRecords.js';

function expectSameAnswers(got: ReachabilityMatrix, want: ReachabilityMatrix): void {
  const ids = want.endpoints.map((e) => e.id);
  expect(got.endpoints.map((e) => e.id)).toEqual(ids);
  for (const s of ids) {
    for (const d of ids) {
      const [gs, gd] = [got.endpoint(s)!, got.endpoint(d)!];
      const [ws, wd] = [want.endpoint(s)!, want.endpoint(d)!];
      const at = `${s} -> ${d}`;
      expect(got.allowed(gs, gd).toString(), at).toBe(want.allowed(ws, wd).toString());
      expect(got.egressAllowed(gs, gd).toString(), at).toBe(want.egressAllowed(ws, wd).toString());
      expect(got.ingressAllowed(gs, gd).toString(), at).toBe(want.ingressAllowed(ws, wd).toString());
      for (const direction of ['ingress', 'egress'] as const) {
        const g = got.decisions(gs, gd, direction);
        const w = want.decisions(ws, wd, direction);
        expect(g.npIsolated, at).toBe(w.npIsolated);
        expect(g.npAllowed.toString(), at).toBe(w.npAllowed.toString());
      }
    }
  }
  for (const w of want.workloads) {
    const g = got.workloads.find((x) => x.id === w.id)!;
    expect(got.isolation(g).ingress.map((p) => p.id)).toEqual(want.isolation(w).ingress.map((p) => p.id));
    expect(got.isolation(g).egress.map((p) => p.id)).toEqual(want.isolation(w).egress.map((p) => p.id));
  }
  // Classes are numbered as a build from scratch numbers them (outputs that walk nodes in order depend on it).
  expect([...workloadClasses(got)!]).toEqual([...workloadClasses(want)!]);
  expect(got.workloads.map((w) => got.classOf(w))).toEqual(want.workloads.map((w) => want.classOf(w)));
  for (const w of want.workloads) {
    const side = (m: ReachabilityMatrix, x: typeof w) => m.peersOf(x, 'from').map((p) => `${p.endpoints.map((e) => e.id).join(',')}:${p.ports.toString()}`);
    expect(side(got, got.workloads.find((x) => x.id === w.id)!)).toEqual(side(want, w));
  }
  const list = (m: ReachabilityMatrix) => m.connections().map((c) => `${c.src.id}>${c.dst.id}:${c.ports.toString()}`);
  expect(list(got)).toEqual(list(want));
}

/**
 * Namespaces no change touches, with their records shared by both sides: enough of them that a head finds the
 * policies of the few changed namespaces through the prior's index rather than by walking every policy, and
 * that most classes are the prior's objects. Their policies reach into the changed namespaces (every
 * namespace, by label) and hold blocks, so borrowed rows meet changed columns and refined ranges.
 */
function padding(count: number): { before: Cluster['policies']; after: Cluster['policies']; workloads: Cluster['workloads'] } {
  const workloads: Workload[] = [];
  const policies: NetworkPolicy[] = [];
  for (let i = 0; i < count; i++) {
    const ns = `pad${i}`;
    workloads.push(workload(`${ns}/db`, { app: `db${i % 3}` }));
    policies.push(
      policy(`${ns}/db`, {
        podSelector: sel({ app: `db${i % 3}` }),
        ingress: [{ peers: [pods(sel({ app: 'web' }), sel())], ports: [tcp(5432)] }, { peers: [pods(sel(), sel())], ports: [tcp(9090)] }],
        egress: [{ peers: i % 4 === 0 ? [ipBlock(`10.${i}.0.0/16`), pods(sel(), sel())] : [pods(sel(), sel())] }],
      }),
    );
  }
  const half = policies.length >> 1;
  return { before: policies.slice(0, half), after: policies.slice(half), workloads };
}


/** Builds one side, then the other on it; checks the second against a build from scratch; its borrowed rows. */
function borrowedAfter(base: Cluster, head: Cluster, headFirst: boolean): number {
  const [first, second] = headFirst ? [head, base] : [base, head];
  computeMatrix(first);
  const incremental = computeMatrix(second);
  expectSameAnswers(incremental, computeMatrix(second, { reuse: false }));
  return borrowedRows(incremental);
}
describe('a matrix that borrows rows from the other side of a diff answers like one built from scratch', () => {
  it('small changes among many unchanged namespaces (classes and policies found from the changes alone)', () => {
    const pad = padding(28);
    let borrowed = 0;
    fc.assert(
      fc.property(clusterChangeArb, fc.boolean(), ({ base: b, head: changed }, headFirst) => {
        const within = (c: Cluster): Cluster => {
          const namespaces = new Map(c.namespaces);
          for (const w of pad.workloads) if (!namespaces.has(w.namespace)) namespaces.set(w.namespace, { name: w.namespace, labels: { [AUTO_NAMESPACE_LABEL]: w.namespace }, declared: false });
          return { ...c, namespaces, workloads: [...pad.workloads.slice(0, 14), ...c.workloads, ...pad.workloads.slice(14)], policies: [...pad.before, ...c.policies, ...pad.after] };
        };
        const base = within(b);
        let head = shareRecords(base, within(changed));
        // The loader shares the namespaces of clusters derived from one another when no label changed.
        if (namespaceFingerprint(head) === namespaceFingerprint(base)) head = { ...head, namespaces: base.namespaces };
        borrowed += borrowedAfter(base, head, headFirst);
      }),
      { numRuns: 40 },
    );
    expect(borrowed).toBeGreaterThan(40 * 20);
  });

  it('random clusters and small changes (policies, workload labels and ports, namespace labels), either side first', () => {
    let borrowed = 0;
    fc.assert(
      fc.property(clusterChangeArb, fc.boolean(), ({ base, head: changed }, headFirst) => {
        const head = shareRecords(base, changed);
        borrowed += borrowedAfter(base, head, headFirst);
      }),
      { numRuns: 300 },
    );
    // The property must exercise borrowing, not only builds from scratch.
    expect(borrowed).toBeGreaterThan(50);
  });

  it('two checkouts that share no records (netpol diff --base DIR --head DIR) borrow by id and spec', () => {
    let borrowed = 0;
    fc.assert(
      fc.property(clusterChangeArb, ({ base, head }) => {
        computeMatrix(base);
        const incremental = computeMatrix(head);
        borrowed += borrowedRows(incremental);
        expectSameAnswers(incremental, computeMatrix(head, { reuse: false }));
      }),
      { numRuns: 300 },
    );
    expect(borrowed).toBeGreaterThan(50);
  });

  it('a policy edit in a loaded repository: only the edited policy\'s workloads get rows of their own', () => {
    const world = docs(
      namespaceYaml('shop'),
      deploymentYaml('shop', 'web', { app: 'web' }),
      deploymentYaml('shop', 'api', { app: 'api' }),
      deploymentYaml('shop', 'db', { app: 'db' }),
    );
    const files = (dbPolicy: string) => [
      { path: 'world.yaml', text: world },
      { path: 'web.yaml', text: policyYaml('shop', 'web', 'podSelector: {matchLabels: {app: web}}\npolicyTypes: [Ingress, Egress]\negress: [{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]}]') },
      { path: 'api.yaml', text: policyYaml('shop', 'api', 'podSelector: {matchLabels: {app: api}}\ningress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]') },
      { path: 'db.yaml', text: policyYaml('shop', 'db', dbPolicy) },
    ];
    const base = buildCluster(files('podSelector: {matchLabels: {app: db}}\ningress: [{from: [{podSelector: {matchLabels: {app: api}}}]}]'));
    const head = buildCluster(files('podSelector: {matchLabels: {app: db}}\ningress: [{from: [{podSelector: {}}, {ipBlock: {cidr: 10.1.0.0/16}}]}]'));
    computeMatrix(base);
    const incremental = computeMatrix(head);
    // web (both directions) and api (ingress) borrow; db's ingress row is new; the IP partition changed
    // under the borrowed rows.
    expect(borrowedRows(incremental)).toBe(3);
    expect(incremental.ipRanges.map((r) => r.id)).not.toEqual(computeMatrix(base).ipRanges.map((r) => r.id));
    expectSameAnswers(incremental, computeMatrix(head, { reuse: false }));
  });
});
