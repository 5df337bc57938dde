// The typed model of a cluster as read from manifests. Everything downstream (engine, diff, explain,
// render) works on these types only; nothing here knows about YAML or GitHub.

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export type Labels = Readonly<Record<string, string>>;

/** A path inside one YAML/JSON document, e.g. ['spec', 'ingress', 0, 'from', 1]. */
export type DocPath = readonly (string | number)[];

/**
 * Where an object came from. `line` is the 1-based line of the object's first line; `doc` the index of
 * the YAML document in the file; `path` the object's own path inside that document (empty for a top-level
 * object, ['items', 3] for an item of a List). Lines of fields inside the object are found lazily with
 * `lineOf` (src/manifests/locate.ts), so the bulk parse stays fast.
 */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
  readonly doc: number;
  readonly path: DocPath;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly severity: Severity;
  readonly message: string;
}

export interface NamespaceInfo {
  readonly name: string;
  /** Includes the automatic `kubernetes.io/metadata.name=<name>` label. */
  readonly labels: Labels;
  /** false when the namespace is only used by objects, not declared by a Namespace manifest. */
  readonly declared: boolean;
  /** true when the namespace comes from the assumed world (LoadOptions.assumedNamespaces), not from manifests. */
  readonly assumed?: boolean;
  readonly source?: SourceRef;
}

/** A container port of a workload's pod template (named or not). */
export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
}

export type WorkloadKind =
  | 'Pod'
  | 'Deployment'
  | 'ReplicaSet'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'Job'
  | 'CronJob'
  | 'ReplicationController'
  | string; // the owner kind of grouped pods may be anything (e.g. a CRD controller)

export interface Workload {
  /** `namespace/name[Kind]`, the convention of np-guard's netpol-analyzer. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly kind: WorkloadKind;
  /** Labels of the pods (the pod template's labels for controllers). */
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  /** hostNetwork pods are outside NetworkPolicy: selectors never match them, policies never isolate them. */
  readonly hostNetwork: boolean;
  readonly source: SourceRef;
  /** For pods grouped by their controller ownerReference: how many pods were grouped. */
  readonly podCount?: number;
}

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/** A validated metav1.LabelSelector. Both parts empty: selects everything. */
export interface LabelSelector {
  readonly matchLabels: Labels;
  readonly matchExpressions: readonly LabelRequirement[];
}

/** One entry of a rule's `ports`. `port` undefined: every port of the protocol. */
export interface PolicyPort {
  readonly protocol: Protocol;
  readonly port?: number | string;
  readonly endPort?: number;
}

/**
 * One entry of a rule's `from`/`to`.
 * - pods: podSelector and/or namespaceSelector. podSelector alone: pods of the policy's namespace;
 *   namespaceSelector alone: every pod of the matching namespaces; both: pods matching podSelector in
 *   namespaces matching namespaceSelector (AND).
 * - ipBlock: cidr minus every except (normalised CIDR strings).
 */
export type PolicyPeer =
  | {
      readonly type: 'pods';
      readonly podSelector?: LabelSelector;
      readonly namespaceSelector?: LabelSelector;
    }
  | { readonly type: 'ipBlock'; readonly cidr: string; readonly except: readonly string[] };

export interface PolicyRule {
  /** 0-based index in spec.ingress / spec.egress. */
  readonly index: number;
  /** 'all': no from/to (or an empty list), which matches every peer inside and outside the cluster. */
  readonly peers: readonly PolicyPeer[] | 'all';
  /** 'all': no ports (or an empty list), which matches every port of every protocol. */
  readonly ports: readonly PolicyPort[] | 'all';
  /** Path of the rule inside its document, e.g. ['spec', 'ingress', 0]. */
  readonly path: DocPath;
}

export interface NetworkPolicy {
  /** `namespace/name` */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: LabelSelector;
  /** policyTypes after the API's defaulting: Ingress always unless policyTypes says otherwise. */
  readonly affectsIngress: boolean;
  /** policyTypes after defaulting: Egress when listed, or when spec.egress is set and policyTypes is absent. */
  readonly affectsEgress: boolean;
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
  readonly source: SourceRef;
  /** A canonical JSON of the spec, for comparing two versions of the same policy. */
  readonly specKey: string;
}

/** AdminNetworkPolicy rule actions (BaselineAdminNetworkPolicy: Allow and Deny only). */
export type AdminAction = 'Allow' | 'Deny' | 'Pass';

/**
 * One entry of an (Baseline)AdminNetworkPolicy rule's `from`/`to` (policy.networking.k8s.io/v1alpha1).
 * - namespaces: every pod of the matching namespaces;
 * - pods: pods matching podSelector in namespaces matching namespaceSelector;
 * - networks (egress): CIDRs (normalised); they match pod-to-pod traffic too when the pods' IPs fall in them;
 * - nodes (egress): the nodes matching the selector (hostNetwork pods run with their node's address).
 * Neither pods nor namespaces peers match hostNetwork pods (AdminNetworkPolicyIngressPeer docs).
 */
export type AdminPeer =
  | { readonly type: 'namespaces'; readonly namespaceSelector: LabelSelector }
  | { readonly type: 'pods'; readonly namespaceSelector: LabelSelector; readonly podSelector: LabelSelector }
  | { readonly type: 'networks'; readonly cidrs: readonly string[] }
  | { readonly type: 'nodes'; readonly nodeSelector: LabelSelector };

/** One entry of an admin rule's `ports`: exactly one of portNumber, namedPort, portRange. */
export type AdminPort =
  | { readonly type: 'number'; readonly protocol: Protocol; readonly port: number }
  /** A container port of the destination with this name, whatever its protocol. */
  | { readonly type: 'named'; readonly name: string }
  | { readonly type: 'range'; readonly protocol: Protocol; readonly start: number; readonly end: number };

export interface AdminRule {
  /** 0-based index in spec.ingress / spec.egress: the rule's precedence inside its policy. */
  readonly index: number;
  readonly name?: string;
  readonly action: AdminAction;
  readonly peers: readonly AdminPeer[];
  /** 'all': no `ports`, the rule does not filter by port. */
  readonly ports: readonly AdminPort[] | 'all';
  readonly path: DocPath;
}

/**
 * An AdminNetworkPolicy (tier 'admin', evaluated before NetworkPolicies, by priority) or the
 * BaselineAdminNetworkPolicy (tier 'baseline', named `default`, evaluated after them). Cluster-scoped.
 */
export interface AdminNetworkPolicy {
  readonly tier: 'admin' | 'baseline';
  /** The name (cluster-scoped objects have no namespace). */
  readonly id: string;
  readonly name: string;
  /** 0..1000, lower first; undefined for the baseline policy. */
  readonly priority?: number;
  /** The subject's namespace selector, and its pod selector (absent for `subject.namespaces`: every pod). */
  readonly subject: { readonly namespaceSelector: LabelSelector; readonly podSelector?: LabelSelector };
  readonly ingress: readonly AdminRule[];
  readonly egress: readonly AdminRule[];
  readonly source: SourceRef;
  readonly specKey: string;
}

/** One port of a Service (v1): clients use `port`; pods receive `targetPort` (a number, or a container port name). */
export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly targetPort: number | string;
  readonly protocol: Protocol;
}

export interface Service {
  /** `namespace/name` */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  /** undefined: no selector (endpoints managed by hand, or ExternalName): it selects no workload. */
  readonly selector?: Labels;
  readonly ports: readonly ServicePort[];
  readonly source: SourceRef;
}

/**
 * An Ingress (networking.k8s.io/v1) or OpenShift Route (route.openshift.io/v1) backend: traffic from the
 * ingress controller to a Service. `port` is the Service port (number or name) for an Ingress; for a Route
 * it is `spec.port.targetPort` (a target port number or name), per the Route API.
 */
export interface IngressBackend {
  readonly kind: 'Ingress' | 'Route';
  /** `namespace/name` of the Ingress or Route. */
  readonly id: string;
  readonly namespace: string;
  readonly service: string;
  readonly port?: number | string;
  readonly source: SourceRef;
}

/** The ingress controller's pods as the cluster runs them: where traffic of Ingresses and Routes comes from. */
export interface IngressControllerOptions {
  readonly namespace: string;
  /** Labels of the controller's pods. */
  readonly labels?: Labels;
  /** Labels of its namespace (besides kubernetes.io/metadata.name), when no Namespace manifest declares it. */
  readonly namespaceLabels?: Labels;
}

/** A namespace that exists in the cluster but not in the manifests, e.g. kube-system or monitoring. */
export interface AssumedNamespace {
  readonly labels?: Labels;
  /** Labels of a representative pod of the namespace; its pods are shown as `<ns>/{pods}[Assumed]`. */
  readonly podLabels?: Labels;
}

/** An object that was read but not modelled, or rejected; never silently dropped. */
export interface SkippedObject {
  readonly kind: string;
  readonly apiVersion?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly reason: string;
  readonly source: SourceRef;
}

export interface Cluster {
  readonly namespaces: ReadonlyMap<string, NamespaceInfo>;
  readonly workloads: readonly Workload[];
  readonly policies: readonly NetworkPolicy[];
  /** AdminNetworkPolicies in evaluation order: priority, then name (equal priorities are undefined upstream). */
  readonly adminPolicies?: readonly AdminNetworkPolicy[];
  /** The BaselineAdminNetworkPolicy (there is at most one, named `default`). */
  readonly baselinePolicy?: AdminNetworkPolicy;
  readonly services?: readonly Service[];
  readonly ingressBackends?: readonly IngressBackend[];
  /** The synthetic `{ingress-controller}` workload (also in `workloads`) when Ingresses or Routes exist. */
  readonly ingressController?: Workload;
  /** Names of the namespaces that come from the assumed world (sorted); see LoadOptions.assumedNamespaces. */
  readonly assumedNamespaces?: readonly string[];
  readonly skipped: readonly SkippedObject[];
  readonly diagnostics: readonly Diagnostic[];
  /** Number of files and documents read. */
  readonly fileCount: number;
  readonly documentCount: number;
  /** Text of each file read, by path, so that lines of fields can be found lazily. */
  readonly texts: ReadonlyMap<string, string>;
}

/** One input file: a path (as it should be shown to users) and its text. */
export interface ManifestFile {
  readonly path: string;
  readonly text: string;
}

export interface LoadOptions {
  /** Namespace of objects without metadata.namespace. Default `default`. */
  readonly defaultNamespace?: string;
  /**
   * The ingress controller that serves Ingresses and Routes. Default: namespace `ingress-nginx`, pods
   * app.kubernetes.io/name=ingress-nginx, app.kubernetes.io/component=controller (for Routes only:
   * `openshift-ingress`, namespace label network.openshift.io/policy-group=ingress, as OpenShift labels it).
   */
  readonly ingressController?: IngressControllerOptions;
  /** Namespaces that exist beyond the manifests, with their labels, so "any namespace" means the cluster's. */
  readonly assumedNamespaces?: Readonly<Record<string, AssumedNamespace>>;
}

export const INGRESS_CONTROLLER_NAME = '{ingress-controller}';
export const ASSUMED_PODS_NAME = '{pods}';

export const AUTO_NAMESPACE_LABEL = 'kubernetes.io/metadata.name';
