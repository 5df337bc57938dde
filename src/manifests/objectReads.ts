// What reading one object gives (typed value, problems, canonical text): it depends on the object's raw value
// and kind alone, so it is kept with the object between builds (see FileModel) and shared by every build.
import type { readIngressBackends, ServiceSpec } from './serviceSpec.js';
import { isObject, ProblemList, type Problem, type RawObject } from './problems.js';
import { readPolicySpec, readValidPolicySpec, type PolicySpec } from './policySpec.js';
import type { PodTemplate } from './podTemplate.js';
import { canonicalJson } from './canonicalJson.js';
import { readAdminSpec, type AdminSpec } from './adminPolicySpec.js';
import { parseCidr } from './cidr.js';

/** Ranges where pod and node addresses usually live (RFC 1918, CGNAT, ULA). */
const CLUSTER_LIKE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'];

export interface PolicyRead {
  readonly spec?: PolicySpec;
  readonly problems: readonly Problem[];
  readonly specKey: string;
}
export interface AdminRead {
  readonly spec?: AdminSpec;
  readonly problems: readonly Problem[];
  readonly specKey: string;
}
export interface ServiceRead {
  readonly spec?: ServiceSpec;
  readonly problems: readonly Problem[];
}
export interface IngressRead {
  readonly backends: ReturnType<typeof readIngressBackends>;
  readonly problems: readonly Problem[];
}
export interface WorkloadRead {
  readonly template?: PodTemplate;
  readonly owner?: Owner;
  readonly problems: readonly Problem[];
}

export interface Owner {
  readonly kind: string;
  readonly name: string;
}

/** No problems: one list kept by every reading without any (most of them), not an empty list each. */
const NO_PROBLEMS: readonly Problem[] = [];

export function problemsOf(problems: ProblemList): readonly Problem[] {
  return problems.items.length === 0 ? NO_PROBLEMS : problems.items;
}

/** The spec of a NetworkPolicy, its problems, and its canonical text (equal for equal specs). */
export function readPolicy(raw: unknown): PolicyRead {
  // Nearly every spec is valid: read without a problem list first.
  const valid = readValidPolicySpec(raw);
  if (valid !== undefined) return new PolicyReading(valid, NO_PROBLEMS, raw);
  const problems = new ProblemList();
  const spec = readPolicySpec(raw, problems);
  return new PolicyReading(spec, problemsOf(problems), raw);
}

class PolicyReading implements PolicyRead {
  #key: string | undefined;

  constructor(
    readonly spec: PolicySpec | undefined,
    readonly problems: readonly Problem[],
    private readonly raw: unknown,
  ) {}

  /** Read only for a policy whose record differs between the sides of a diff: computed then. */
  get specKey(): string {
    return (this.#key ??= this.spec ? canonicalJson(this.raw ?? {}) : '');
  }
}

/** The spec of an (Baseline)AdminNetworkPolicy, with the warnings about what manifests cannot tell. */
export function readAdmin(raw: unknown, tier: 'admin' | 'baseline'): { spec?: AdminSpec; problems: readonly Problem[]; specKey: string } {
  const problems = new ProblemList();
  const spec = readAdminSpec(raw, tier, problems);
  if (spec) {
    for (const dir of ['ingress', 'egress'] as const) {
      for (const rule of spec[dir]) {
        const cidrs = rule.peers.flatMap((p) => (p.type === 'networks' ? p.cidrs : []));
        const clusterLike = cidrs.filter((c) => !c.endsWith('/0') && CLUSTER_LIKE_RANGES.some((r) => cidrsOverlap(c, r)));
        if (clusterLike.length > 0) {
          problems.warning([...rule.path, 'to'], `networks ${clusterLike.join(', ')} may hold pod or node addresses, which manifests do not give: analysed as matching only addresses outside the cluster (only 0.0.0.0/0 or ::/0 is applied to pods)`);
        }
        const nodes = rule.peers.filter((p) => p.type === 'nodes' && (Object.keys(p.nodeSelector.matchLabels).length > 0 || p.nodeSelector.matchExpressions.length > 0));
        if (nodes.length > 0) {
          problems.warning([...rule.path, 'to'], 'a `nodes` peer with a selector: node labels are not in manifests, so it is analysed as matching no node (`nodes: {}` matches every hostNetwork workload)');
        }
      }
    }
  }
  return { ...(spec ? { spec } : {}), problems: problemsOf(problems), specKey: spec ? canonicalJson(raw ?? {}) : '' };
}

function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (typeof x === 'string' || typeof y === 'string' || x.family !== y.family) return false;
  const [wide, narrow] = x.prefix <= y.prefix ? [x, y] : [y, x];
  return narrow.address.match(wide.address as never, wide.prefix);
}

/** The ownerReference with `controller: true`, if any. */
export function controllerOf(obj: RawObject): Owner | undefined {
  const metadata = isObject(obj.metadata) ? obj.metadata : {};
  const refs = Array.isArray(metadata.ownerReferences) ? metadata.ownerReferences : [];
  for (const ref of refs) {
    if (isObject(ref) && ref.controller === true && typeof ref.kind === 'string' && typeof ref.name === 'string') {
      return { kind: ref.kind, name: ref.name };
    }
  }
  return undefined;
}
