// compileCluster reuses a policy's compiled form across clusters that share the policy record (base and head
// of a diff): only under the same namespace labels when the policy has a namespaceSelector peer, always when
// it has none. A reused form must never answer with another cluster's namespace labels.
import { describe, expect, it } from 'vitest';
import { compileCluster, namespaceFingerprint } from '../../src/engine/compile.js';
import { cluster, pods, policy, sel, workload } from '../helpers/model.js';

const web = workload('shop/web', { app: 'web' });
const client = workload('team/client', { app: 'client' });
const byNamespace = policy('shop/from-prod', { ingress: [{ peers: [pods(undefined, sel({ env: 'prod' }))] }] });
const byPod = policy('shop/from-web', { ingress: [{ peers: [pods(sel({ app: 'web' }))] }] });

const world = (env: string) => cluster({ namespaces: { shop: {}, team: { env } }, workloads: [web, client], policies: [byNamespace, byPod] });
const admits = (c: ReturnType<typeof world>, id: string, w = client) =>
  compileCluster(c).policy(id)!.ingress[0]!.matchesPod(w);

describe('compiled policies shared between clusters', () => {
  it('follow each cluster’s namespace labels, in any order and repeatedly', () => {
    const prod = world('prod');
    const dev = world('dev');
    for (let i = 0; i < 3; i++) {
      expect(admits(prod, 'shop/from-prod')).toBe(true);
      expect(admits(dev, 'shop/from-prod')).toBe(false);
      // A third labelling pushes the oldest compiled form out; a cluster seen before still gets its own answer.
      expect(admits(world('test'), 'shop/from-prod')).toBe(false);
      expect(admits(world('prod'), 'shop/from-prod')).toBe(true);
    }
  });

  it('are reused whatever the namespaces when no namespaceSelector reads them, and when the labels are equal', () => {
    const a = compileCluster(world('prod'));
    const b = compileCluster(world('dev'));
    expect(b.policy('shop/from-web')).toBe(a.policy('shop/from-web'));
    expect(b.policy('shop/from-prod')).not.toBe(a.policy('shop/from-prod'));
    expect(compileCluster(world('prod')).policy('shop/from-prod')).toBe(a.policy('shop/from-prod'));
  });

  it('namespaceFingerprint is the same text for the same cluster, and differs with the labels', () => {
    const c = world('prod');
    expect(namespaceFingerprint(c)).toBe(namespaceFingerprint(c));
    expect(namespaceFingerprint(world('prod'))).toBe(namespaceFingerprint(c));
    expect(namespaceFingerprint(world('dev'))).not.toBe(namespaceFingerprint(c));
  });
});
