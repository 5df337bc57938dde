// A tiny shop for app-level tests: a namespace, a web Deployment, a default deny, and a policy that opens
// web:8080 to the internet (the change a pull request under test makes).
export const NS = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
export const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx, ports: [{ containerPort: 8080 }] }] }
`;
export const DENY = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny, namespace: shop }\nspec: { podSelector: {}, policyTypes: [Ingress] }\n';
export const OPEN = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-from-world, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  ingress: [{ from: [{ ipBlock: { cidr: 0.0.0.0/0 } }], ports: [{ port: 8080 }] }]
`;
