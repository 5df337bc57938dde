import type { AdminNetworkPolicy, Cluster, Labels, NetworkPolicy, Workload } from '../manifests/model.js';
import type { CompiledPolicy } from '../engine/compile.js';
import type { ReachabilityMatrix } from '../engine/matrix.js';
import { pairById, type IdPairing } from './sharedRecords.js';

export interface PolicyChange {
  readonly id: string;
  readonly namespace: string;
  readonly change: 'added' | 'removed' | 'edited';
  readonly base?: NetworkPolicy;
  readonly head?: NetworkPolicy;
  /** Where `base` and `head` are in their cluster's policies (a hint: see compiledPolicy). */
  readonly baseIndex?: number;
  readonly headIndex?: number;
}

/** An AdminNetworkPolicy or the BaselineAdminNetworkPolicy added, removed or edited (priority included). */
export interface AdminPolicyChange {
  readonly kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';
  readonly id: string;
  readonly change: 'added' | 'removed' | 'edited';
  readonly base?: AdminNetworkPolicy;
  readonly head?: AdminNetworkPolicy;
}

export interface WorkloadChange {
  readonly id: string;
  readonly base: Workload;
  readonly head: Workload;
  readonly change: 'labels changed' | 'ports changed';
  readonly detail: string;
}

export interface NamespaceChange {
  readonly name: string;
  readonly detail: string;
}

export interface ObjectChanges {
  readonly policies: readonly PolicyChange[];
  readonly policiesByNamespace: ReadonlyMap<string, readonly PolicyChange[]>;
  /** Cluster-scoped admin policies: they may concern any pair. */
  readonly adminPolicies: readonly AdminPolicyChange[];
  readonly workloads: ReadonlyMap<string, WorkloadChange>;
  readonly namespaces: ReadonlyMap<string, NamespaceChange>;
}

/** What the change did to the objects that decide reachability: policies, workload labels, namespace labels. */
export function objectChanges(
  base: Cluster,
  head: Cluster,
  /** The workloads paired by id, when the caller has them already (a walk of every workload). */
  pairedWorkloads: IdPairing<Workload> = pairById(base.workloads, head.workloads),
): ObjectChanges {
  // The loader shares the records of unchanged documents between the two sides (ids are unique on each
  // side): a record matched with itself is unchanged, and only the others are keyed by id.
  const p = pairById(base.policies, head.policies);
  const baseIndex = new Map(p.onlyA.map((r, k) => [r, p.onlyAIndex[k]!]));
  const headIndex = new Map(p.onlyB.map((r, k) => [r, p.onlyBIndex[k]!]));
  const policies: PolicyChange[] = [];
  for (const [id, h] of p.onlyBById) {
    const b = p.onlyAById.get(id);
    if (b === h) continue;
    if (!b) policies.push({ id, namespace: h.namespace, change: 'added', head: h, headIndex: headIndex.get(h)! });
    else if (b.specKey !== h.specKey) {
      policies.push({ id, namespace: h.namespace, change: 'edited', base: b, head: h, baseIndex: baseIndex.get(b)!, headIndex: headIndex.get(h)! });
    }
  }
  for (const [id, b] of p.onlyAById) {
    if (!p.onlyBById.has(id)) policies.push({ id, namespace: b.namespace, change: 'removed', base: b, baseIndex: baseIndex.get(b)! });
  }
  const policiesByNamespace = new Map<string, PolicyChange[]>();
  for (const c of policies) {
    const list = policiesByNamespace.get(c.namespace);
    if (list) list.push(c);
    else policiesByNamespace.set(c.namespace, [c]);
  }

  const w = pairedWorkloads;
  const workloads = new Map<string, WorkloadChange>();
  for (const h of w.onlyB) {
    const b = w.onlyAById.get(h.id);
    if (!b || b === h) continue;
    const labels = labelDelta(b.labels, h.labels);
    if (labels) workloads.set(h.id, { id: h.id, base: b, head: h, change: 'labels changed', detail: labels });
    else if (portsKey(b) !== portsKey(h) || b.hostNetwork !== h.hostNetwork)
      workloads.set(h.id, { id: h.id, base: b, head: h, change: 'ports changed', detail: 'container ports changed' });
  }

  const namespaces = new Map<string, NamespaceChange>();
  // A cluster derived from another shares its namespaces (or their records) when they are unchanged.
  for (const [name, h] of base.namespaces === head.namespaces ? [] : head.namespaces) {
    const b = base.namespaces.get(name);
    if (!b || b === h) continue;
    const d = labelDelta(b.labels, h.labels);
    if (d) namespaces.set(name, { name, detail: d });
  }
  const adminOf = (c: Cluster) => [...(c.adminPolicies ?? []), ...(c.baselinePolicy ? [c.baselinePolicy] : [])];
  const adminKey = (p: AdminNetworkPolicy) => `${p.tier}/${p.name}`;
  const baseAdmin = new Map(adminOf(base).map((p) => [adminKey(p), p]));
  const headAdmin = new Map(adminOf(head).map((p) => [adminKey(p), p]));
  const adminPolicies: AdminPolicyChange[] = [];
  const kindOf = (p: AdminNetworkPolicy) => (p.tier === 'admin' ? 'AdminNetworkPolicy' : 'BaselineAdminNetworkPolicy') as AdminPolicyChange['kind'];
  for (const [k, h] of headAdmin) {
    const b = baseAdmin.get(k);
    if (!b) adminPolicies.push({ kind: kindOf(h), id: h.name, change: 'added', head: h });
    else if (b.specKey !== h.specKey) adminPolicies.push({ kind: kindOf(h), id: h.name, change: 'edited', base: b, head: h });
  }
  for (const [k, b] of baseAdmin) if (!headAdmin.has(k)) adminPolicies.push({ kind: kindOf(b), id: b.name, change: 'removed', base: b });
  return { policies, policiesByNamespace, adminPolicies, workloads, namespaces };
}

/**
 * The compiled form of a changed policy on one side: looked for at the record's position in the compiled list
 * (accepted only if it is that record), else by id. At 75,000 policies, the first lookup by id builds a map of
 * them all.
 */
export function compiledPolicy(m: ReachabilityMatrix, c: PolicyChange, side: 'base' | 'head'): CompiledPolicy | undefined {
  const record = side === 'base' ? c.base : c.head;
  if (!record) return undefined;
  const index = side === 'base' ? c.baseIndex : c.headIndex;
  const at = index === undefined ? undefined : m.compiled.policies[index];
  return at && at.policy === record ? at : m.compiled.policy(c.id);
}

/** "app=web -> app=frontend, +tier=api, -debug=true", or undefined when equal. */
export function labelDelta(before: Labels, after: Labels): string | undefined {
  if (sameLabels(before, after)) return undefined;
  const parts: string[] = [];
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = before[k];
    const a = after[k];
    if (b === a) continue;
    if (b === undefined) parts.push(`+${k}=${a}`);
    else if (a === undefined) parts.push(`-${k}=${b}`);
    else parts.push(`${k}=${b} -> ${k}=${a}`);
  }
  return parts.length > 0 ? parts.sort().join(', ') : undefined;
}

/** The same keys with the same values (no set of keys built: most labels are unchanged). */
function sameLabels(a: Labels, b: Labels): boolean {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) if (a[k] !== b[k] || !Object.hasOwn(b, k)) return false;
  return true;
}

function portsKey(w: Workload): string {
  return w.ports
    .map((p) => `${p.name ?? ''}/${p.protocol}/${p.port}`)
    .sort()
    .join(',');
}
