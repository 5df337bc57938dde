import type { Cluster, Workload } from '../manifests/model.js';
import { workloadsByNamespace } from '../manifests/workloadsByNamespace.js';
import { displayName } from './displayName.js';

const MAX_LISTED = 3;

/** Per cluster, what every description compares against: built once, not per described group. */
interface Universe {
  /** The workloads that are pods to NetworkPolicy (not hostNetwork), and them by namespace. */
  readonly pods: readonly Workload[];
  readonly byNs: ReadonlyMap<string, Workload[]>;
  /** Namespaces with at least one workload. */
  readonly withWorkloads: ReadonlySet<string>;
}
const universes = new WeakMap<Cluster, Universe>();

function universeOf(cluster: Cluster): Universe {
  let u = universes.get(cluster);
  if (!u) {
    const pods = cluster.workloads.filter((w) => !w.hostNetwork);
    u = { pods, byNs: workloadsByNamespace(pods), withWorkloads: new Set(cluster.workloads.map((w) => w.namespace)) };
    universes.set(cluster, u);
  }
  return u;
}

/**
 * A set of workloads the way people think of it, choosing the shortest true description among: one name,
 * "any pod in any namespace", "any pod in namespace web", "any pod in namespaces team=a",
 * "pods app=frontend in any namespace", "pods app=frontend in web", a short list, or a count; mixed forms
 * ("any pod in namespace web, and shop/frontend") when whole namespaces plus a few others are involved.
 * hostNetwork workloads are not pods to NetworkPolicy: they are named separately as node traffic.
 */
export function describeWorkloads(members: readonly Workload[], cluster: Cluster): string {
  if (members.length === 0) return 'no workload';
  const hostNet = members.filter((w) => w.hostNetwork);
  const pods = members.filter((w) => !w.hostNetwork);
  const parts: string[] = [];
  if (pods.length > 0) parts.push(describePods(pods, cluster));
  if (hostNet.length > 0) parts.push(`host-network ${listNames(hostNet, cluster)}`);
  return parts.join(', and ');
}

function describePods(members: readonly Workload[], cluster: Cluster): string {
  if (members.length === 1) return displayName(members[0]!, cluster);
  const { pods: universe, byNs } = universeOf(cluster);
  const set = new Set(members.map((w) => w.id));
  const candidates: string[] = [];

  // Whole namespaces covered, plus the rest listed.
  const fullNs = [...byNs.entries()].filter(([, ws]) => ws.every((w) => set.has(w.id))).map(([ns]) => ns);
  const covered = new Set(fullNs.flatMap((ns) => byNs.get(ns)!.map((w) => w.id)));
  const rest = members.filter((w) => !covered.has(w.id));
  if (fullNs.length === byNs.size && rest.length === 0) return 'any pod in any namespace';
  if (fullNs.length > 0) {
    const nsText = describeNamespaces(fullNs, cluster);
    candidates.push(rest.length === 0 ? nsText : `${nsText}, and ${listNames(rest, cluster)}`);
  }

  // One label that picks exactly these workloads, across namespaces or within one.
  const namespaces = new Set(members.map((w) => w.namespace));
  for (const [k, v] of commonLabels(members)) {
    const across = universe.filter((w) => w.labels[k] === v);
    if (across.length === members.length) candidates.push(`pods ${k}=${v} in any namespace`);
    else if (namespaces.size === 1) {
      const ns = members[0]!.namespace;
      const within = universe.filter((w) => w.namespace === ns && w.labels[k] === v);
      if (within.length === members.length) candidates.push(`pods ${k}=${v} in ${ns}`);
    }
  }
  candidates.push(listNames(members, cluster));
  return candidates.reduce((a, b) => (b.length < a.length ? b : a));
}

function describeNamespaces(namespaces: readonly string[], cluster: Cluster): string {
  const sorted = [...namespaces].sort();
  const listed =
    sorted.length === 1
      ? `any pod in namespace ${sorted[0]}`
      : sorted.length <= MAX_LISTED
        ? `any pod in namespaces ${sorted.join(', ')}`
        : `any pod in ${sorted.length} namespaces (${sorted.slice(0, MAX_LISTED).join(', ')}, …)`;
  // A namespace label that picks exactly these namespaces (among those that have workloads).
  const { withWorkloads } = universeOf(cluster);
  const nsLabels = (ns: string) => cluster.namespaces.get(ns)?.labels ?? {};
  const first = nsLabels(sorted[0]!);
  for (const [k, v] of Object.entries(first)) {
    if (k === 'kubernetes.io/metadata.name') continue;
    if (!sorted.every((ns) => nsLabels(ns)[k] === v)) continue;
    const picked = [...withWorkloads].filter((ns) => nsLabels(ns)[k] === v);
    if (picked.length === sorted.length && sorted.length > 1) {
      const byLabel = `any pod in namespaces ${k}=${v}`;
      if (byLabel.length < listed.length) return byLabel;
    }
  }
  return listed;
}

function commonLabels(members: readonly Workload[]): [string, string][] {
  const first = members[0]!.labels;
  return Object.entries(first).filter(([k, v]) => members.every((w) => w.labels[k] === v));
}


function listNames(ws: readonly Workload[], cluster: Cluster): string {
  const names = ws.map((w) => displayName(w, cluster)).sort();
  if (names.length <= MAX_LISTED) return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `${names.length} workloads (${names.slice(0, 2).join(', ')}, …)`;
}
