// Golden tests: one per kind of change, asserting the exact grouped lines and their attribution.
import { describe, expect, it } from 'vitest';
import { diffMatrices } from '../../src/diff/diffMatrices.js';
import type { ReachabilityDiff } from '../../src/diff/types.js';
import { deploymentYaml, docs, matrixOf, namespaceYaml, policyYaml } from '../helpers/yamlWorld.js';

const world = docs(
  namespaceYaml('shop', { team: 'shop' }),
  namespaceYaml('web', { team: 'web' }),
  namespaceYaml('ops'),
  deploymentYaml('shop', 'frontend', { app: 'frontend' }),
  deploymentYaml('shop', 'backend', { app: 'backend' }, [{ name: 'http', port: 3000 }]),
  deploymentYaml('shop', 'db', { app: 'db' }, [{ name: 'pg', port: 5432 }]),
  deploymentYaml('web', 'site', { app: 'site' }),
  deploymentYaml('ops', 'monitor', { app: 'monitor' }),
);
const backendPolicy = policyYaml(
  'shop',
  'backend',
  'podSelector: {matchLabels: {app: backend}}\ningress:\n  - from:\n      - podSelector: {matchLabels: {app: frontend}}\n    ports: [{port: 3000}]',
);
const dbPolicy = policyYaml(
  'shop',
  'db',
  'podSelector: {matchLabels: {app: db}}\ningress:\n  - from:\n      - podSelector: {matchLabels: {app: backend}}\n    ports: [{port: 5432}]',
);
const basePolicies = docs(backendPolicy, dbPolicy);

function run(base: Record<string, string>, head: Record<string, string>): ReachabilityDiff {
  return diffMatrices(matrixOf(base), matrixOf(head));
}

/** "risk | text | attribution" per line, the way a reviewer reads them. */
function lines(d: ReachabilityDiff): string[] {
  return d.lines.map(
    (l) =>
      `${l.risk} | ${l.text} | ${l.attribution
        .map((a) => `${a.kind} ${a.id} ${a.change}${a.rule ? ` ${a.rule.direction} rule ${a.rule.index + 1}` : ''} @ ${a.file}:${a.line}${a.detail ? ` (${a.detail})` : ''}`)
        .join('; ')}`,
  );
}

describe('diffMatrices: one golden test per kind of change', () => {
  it('no change: no lines, no pairs', () => {
    const d = run({ 'w.yaml': world, 'p.yaml': basePolicies }, { 'w.yaml': world, 'p.yaml': basePolicies });
    expect(d.lines).toEqual([]);
    expect(d.opened).toEqual([]);
    expect(d.closed).toEqual([]);
  });

  it('new policy: a default deny isolates the namespace, in one line', () => {
    const deny = policyYaml('web', 'deny-all', 'podSelector: {}\npolicyTypes: [Ingress]');
    const d = run({ 'w.yaml': world, 'p.yaml': basePolicies }, { 'w.yaml': world, 'p.yaml': basePolicies, 'deny.yaml': deny });
    expect(lines(d)).toEqual([
      'medium | web/site is now isolated for ingress (by web/deny-all): nothing may reach it | NetworkPolicy web/deny-all added @ deny.yaml:1',
    ]);
    expect(d.closed.map((p) => p.src).sort()).toEqual([
      '0.0.0.0/0,::/0',
      'ops/monitor[Deployment]',
      'shop/backend[Deployment]',
      'shop/db[Deployment]',
      'shop/frontend[Deployment]',
      'web/site[Deployment]',
    ]);
  });

  it('deleted policy: the workload loses isolation, which opens it to everything, including the internet', () => {
    const d = run({ 'w.yaml': world, 'p.yaml': basePolicies }, { 'w.yaml': world, 'p.yaml': backendPolicy });
    expect(lines(d)).toEqual([
      'critical | shop/db is no longer isolated for ingress: any source may reach it on any port (before: only 5432/TCP from shop/backend remains allowed) | NetworkPolicy shop/db removed ingress rule 1 @ p.yaml:21',
    ]);
    expect(d.lines[0]!.flags).toEqual(['lost-ingress-isolation', 'from-outside-cluster', 'from-internet', 'from-everywhere', 'cross-namespace']);
  });

  it('edited rule: podSelector -> namespaceSelector {} opens backend:3000 to every namespace', () => {
    const edited = backendPolicy.replace('- podSelector: {matchLabels: {app: frontend}}', '- namespaceSelector: {}');
    const d = run({ 'w.yaml': world, 'p.yaml': basePolicies }, { 'w.yaml': world, 'p.yaml': docs(edited, dbPolicy) });
    expect(lines(d)).toEqual([
      'high | any pod in any namespace -> shop/backend on 3000/TCP: now allowed (before: only shop/frontend) | NetworkPolicy shop/backend edited ingress rule 1 @ p.yaml:9',
    ]);
    expect(d.opened).toEqual([
      { src: 'ops/monitor[Deployment]', dst: 'shop/backend[Deployment]', ports: { TCP: [[3000, 3000]], UDP: [], SCTP: [] } },
      { src: 'shop/backend[Deployment]', dst: 'shop/backend[Deployment]', ports: { TCP: [[3000, 3000]], UDP: [], SCTP: [] } },
      { src: 'shop/db[Deployment]', dst: 'shop/backend[Deployment]', ports: { TCP: [[3000, 3000]], UDP: [], SCTP: [] } },
      { src: 'web/site[Deployment]', dst: 'shop/backend[Deployment]', ports: { TCP: [[3000, 3000]], UDP: [], SCTP: [] } },
    ]);
  });

  it('label change on a workload closes the paths its old labels were allowed', () => {
    const relabelled = world.replace(/\{"app":"frontend"\}/g, '{"app":"web"}');
    const d = run({ 'w.yaml': world, 'p.yaml': basePolicies }, { 'w.yaml': relabelled, 'p.yaml': basePolicies });
    expect(lines(d)).toEqual([
      'medium | shop/frontend -> shop/backend on 3000/TCP: now blocked | Deployment shop/frontend[Deployment] labels changed @ w.yaml:19 (app=frontend -> app=web)',
    ]);
  });

  it('label change on a namespace opens what a namespaceSelector now matches', () => {
    const trusted = backendPolicy.replace('- podSelector: {matchLabels: {app: frontend}}', '- namespaceSelector: {matchLabels: {trust: high}}');
    const before = { 'w.yaml': world, 'p.yaml': docs(trusted, dbPolicy) };
    const after = { 'w.yaml': world.replace('name: ops\n  labels: {}', 'name: ops\n  labels: {"trust":"high"}'), 'p.yaml': docs(trusted, dbPolicy) };
    expect(lines(run(before, after))).toEqual([
      'high | ops/monitor -> shop/backend on 3000/TCP: now allowed | Namespace ops labels changed @ w.yaml:13 (+trust=high)',
    ]);
  });

  it('new workload: one line, not one per peer', () => {
    const more = docs(world, deploymentYaml('shop', 'cache', { app: 'cache' }));
    const d = run({ 'w.yaml': world, 'p.yaml': basePolicies }, { 'w.yaml': more, 'p.yaml': basePolicies });
    expect(lines(d)).toEqual([
      'critical | new workload shop/cache (Deployment): reachable from any pod in any namespace and any IP address (0.0.0.0/0, ::/0) on all ports; not isolated for egress | Deployment shop/cache[Deployment] added @ w.yaml:104',
    ]);
    expect(d.opened.filter((p) => p.dst === 'shop/cache[Deployment]')).toHaveLength(7);
  });

  it('removed workload: one line', () => {
    const fewer = world.replace(deploymentYaml('ops', 'monitor', { app: 'monitor' }), '');
    const d = run({ 'w.yaml': world, 'p.yaml': basePolicies }, { 'w.yaml': fewer, 'p.yaml': basePolicies });
    expect(lines(d)).toEqual([
      'info | workload ops/monitor (Deployment) removed: its 9 paths are gone | Deployment ops/monitor[Deployment] removed @ w.yaml:87',
    ]);
  });

  it('ipBlock widened and narrowed: ranges compared as address sets', () => {
    const ip = (cidr: string) =>
      policyYaml('web', 'site', `podSelector: {}\ningress:\n  - from:\n      - ipBlock: {cidr: ${cidr}}\n    ports: [{port: 443}]`);
    const narrow = { 'w.yaml': world, 'p.yaml': basePolicies, 'site.yaml': ip('10.0.0.0/16') };
    const wide = { 'w.yaml': world, 'p.yaml': basePolicies, 'site.yaml': ip('10.0.0.0/8') };
    expect(lines(run(narrow, wide))).toEqual([
      'high | 10.0.0.0/8 -> web/site on 443/TCP: now allowed (before: only 10.0.0.0/16) | NetworkPolicy web/site edited ingress rule 1 @ site.yaml:9',
    ]);
    expect(lines(run(wide, narrow))).toEqual([
      'medium | 10.0.0.0/8 except 10.0.0.0/16 -> web/site on 443/TCP: now blocked (still allowed: 10.0.0.0/16) | NetworkPolicy web/site edited ingress rule 1 @ site.yaml:9',
    ]);
  });

  it('port range changed (endPort)', () => {
    const ranged = backendPolicy.replace('ports: [{port: 3000}]', 'ports: [{port: 3000, endPort: 3005}]');
    const d = run({ 'w.yaml': world, 'p.yaml': basePolicies }, { 'w.yaml': world, 'p.yaml': docs(ranged, dbPolicy) });
    expect(lines(d)).toEqual([
      'low | shop/frontend -> shop/backend on 3001-3005/TCP: now allowed | NetworkPolicy shop/backend edited ingress rule 1 @ p.yaml:9',
    ]);
  });

  it('named port: switching 5432 to the name that resolves to 5432 changes nothing; renaming the container port closes it', () => {
    const named = dbPolicy.replace('ports: [{port: 5432}]', 'ports: [{port: pg}]');
    const base = { 'w.yaml': world, 'p.yaml': basePolicies };
    expect(run(base, { 'w.yaml': world, 'p.yaml': docs(backendPolicy, named) }).lines).toEqual([]);
    const renamed = world.replace('"name":"pg"', '"name":"postgres"');
    expect(lines(run({ 'w.yaml': world, 'p.yaml': docs(backendPolicy, named) }, { 'w.yaml': renamed, 'p.yaml': docs(backendPolicy, named) }))).toEqual([
      'medium | shop/backend -> shop/db on 5432/TCP: now blocked | Deployment shop/db[Deployment] ports changed @ w.yaml:53 (container ports changed)',
    ]);
  });

  it('egress change is grouped by source: a new egress rule to the internet', () => {
    const egress = policyYaml(
      'shop',
      'backend-egress',
      'podSelector: {matchLabels: {app: backend}}\npolicyTypes: [Egress]\negress:\n  - to:\n      - podSelector: {matchLabels: {app: db}}\n  - to:\n      - ipBlock: {cidr: 0.0.0.0/0}\n    ports: [{port: 443}]',
    );
    const onlyDb = egress.replace(/\n {4}- to:\n {8}- ipBlock: \{cidr: 0\.0\.0\.0\/0\}\n {6}ports: \[\{port: 443\}\]/, '');
    const d = run(
      { 'w.yaml': world, 'p.yaml': basePolicies, 'e.yaml': onlyDb },
      { 'w.yaml': world, 'p.yaml': basePolicies, 'e.yaml': egress },
    );
    expect(lines(d)).toEqual([
      'high | shop/backend -> 0.0.0.0/0 on 443/TCP: now allowed | NetworkPolicy shop/backend-egress edited egress rule 2 @ e.yaml:12',
    ]);
    expect(d.lines[0]!.flags).toEqual(['to-outside-cluster', 'to-internet']);
  });
});
