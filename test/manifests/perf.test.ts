// Guards against accidental quadratic work in the bulk path (e.g. scanning the whole file per document):
// a linear load of these inputs takes about a second, a quadratic one minutes.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { buildCluster } from '../../src/manifests/index.js';

it('10,000 policy documents and a 6,000-pod PodList load in linear time', () => {
  const np = readFileSync('fixtures/backend-policy/backend-policy.yaml', 'utf8');
  const multi = Array.from({ length: 10_000 }, (_, i) => np.replace('name: backend-policy', `name: p${i}`)).join('---\n');
  const dump = readFileSync('fixtures/live-dump/pods.yaml', 'utf8');
  const items = dump.slice(dump.indexOf('items:\n') + 7, dump.indexOf('kind: PodList'));
  const pods = `apiVersion: v1\nitems:\n${Array.from({ length: 1000 }, (_, i) => items.replace(/name: (\S+)\n {4}namespace/g, `name: $1-${i}\n    namespace`)).join('')}kind: PodList\n`;

  const t = performance.now();
  const c = buildCluster([{ path: 'multi.yaml', text: multi }, { path: 'pods.yaml', text: pods }]);
  const ms = performance.now() - t;
  expect(c.policies).toHaveLength(10_000);
  expect(c.workloads).toHaveLength(4 + 1000); // 4 controllers, 1000 ownerless debug pods
  expect(c.diagnostics).toEqual([]);
  expect(ms).toBeLessThan(15_000);
}, 60_000);
