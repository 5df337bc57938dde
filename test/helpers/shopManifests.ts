// A tiny shop for app-level tests: a namespace, a web Deployment, a default deny, and a policy that opens
// web:8080 to the internet (the change a pull request under test makes). The generators write the same
// objects for other workloads, or without a namespace as a Kustomize base does (the overlay sets it).

/** `{ name: <name> }`, with `namespace: <namespace>` when one is given. */
function metadata(name: string, namespace: string | undefined): string {
  return namespace === undefined ? `{ name: ${name} }` : `{ name: ${name}, namespace: ${namespace} }`;
}

/** A Deployment `name` whose pods are labelled app=<name> and have one container listening on `port`. */
export function deployment(o: { name: string; port: number; namespace?: string }): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: ${metadata(o.name, o.namespace)}
spec:
  selector: { matchLabels: { app: ${o.name} } }
  template:
    metadata: { labels: { app: ${o.name} } }
    spec: { containers: [{ name: ${o.name}, image: nginx, ports: [{ containerPort: ${o.port} }] }] }
`;
}

/** A NetworkPolicy `deny` that isolates every pod of the namespace for ingress and allows nothing. */
export function denyIngress(namespace?: string): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: ${metadata('deny', namespace)}\nspec: { podSelector: {}, policyTypes: [Ingress] }\n`;
}

/** A NetworkPolicy `<app>-from-world` letting the internet (0.0.0.0/0) reach pods app=<app>: on `port`, or on every port. */
export function openToWorld(o: { app: string; port?: number; namespace?: string }): string {
  const ports = o.port === undefined ? '' : `, ports: [{ port: ${o.port} }]`;
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: ${metadata(`${o.app}-from-world`, o.namespace)}
spec:
  podSelector: { matchLabels: { app: ${o.app} } }
  ingress: [{ from: [{ ipBlock: { cidr: 0.0.0.0/0 } }]${ports} }]
`;
}

export const NS = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
export const WEB = deployment({ name: 'web', port: 8080, namespace: 'shop' });
export const DENY = denyIngress('shop');
export const OPEN = openToWorld({ app: 'web', port: 8080, namespace: 'shop' });
