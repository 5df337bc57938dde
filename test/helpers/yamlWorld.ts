// Small YAML builders for tests that go through the real loader.
import { computeMatrix } from '../../src/engine/matrix.js';
import { buildCluster } from '../../src/manifests/buildCluster.js';
import type { ManifestFile } from '../../src/manifests/model.js';

export const namespaceYaml = (name: string, labels: Record<string, string> = {}) =>
  `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: ${JSON.stringify(labels)}\n`;

export const deploymentYaml = (ns: string, name: string, labels: Record<string, string>, ports: { name?: string; port: number; protocol?: string }[] = []) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels: ${JSON.stringify(labels)}\n  template:\n    metadata:\n      labels: ${JSON.stringify(labels)}\n    spec:\n      containers:\n        - name: main\n          image: example\n          ports: ${JSON.stringify(ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), containerPort: p.port, protocol: p.protocol ?? 'TCP' })))}\n`;

export const policyYaml = (ns: string, name: string, spec: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${spec.replace(/^/gm, '  ')}\n`;

export const docs = (...parts: string[]) => parts.join('---\n');

export function matrixOf(files: Record<string, string>) {
  const list: ManifestFile[] = Object.entries(files).map(([path, text]) => ({ path, text }));
  return computeMatrix(buildCluster(list));
}
