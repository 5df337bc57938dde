// The scenario as YAML, loaded by the real loader, so that file:line in explanations is checked
// against a file a user would write.
import { buildCluster } from '../../src/manifests/buildCluster.js';

export const POLICIES_YAML = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: backend-policy
  namespace: default
spec:
  podSelector:
    matchLabels:
      app: backend
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: frontend
      ports:
        - protocol: TCP
          port: 3000
`;

export const WORKLOADS_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: backend
  namespace: default
spec:
  selector:
    matchLabels:
      app: backend
  template:
    metadata:
      labels:
        app: backend
    spec:
      containers:
        - name: app
          image: backend
          ports:
            - name: http
              containerPort: 3000
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
  namespace: default
spec:
  selector:
    matchLabels:
      app: frontend
  template:
    metadata:
      labels:
        app: frontend
    spec:
      containers:
        - name: app
          image: frontend
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: app
          image: web
`;

export const yamlCluster = () =>
  buildCluster([
    { path: 'k8s/policies.yaml', text: POLICIES_YAML },
    { path: 'k8s/workloads.yaml', text: WORKLOADS_YAML },
  ]);
