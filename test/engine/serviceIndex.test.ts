// serviceTargets reads only the Services of the workload's namespace, through an index of each list that a
// similar list (sharing most records) derives from the latest full index: every answer must be what a scan
// of the whole list gives, in the same order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serviceSelects, resolveTargetPort, serviceTargets } from '../../src/engine/services.js';
import type { Service } from '../../src/manifests/model.js';
import { workload } from '../helpers/model.js';

const NAMESPACES = ['a', 'b', 'c'];
let made = 0;
const service = (namespace: string, app: string): Service => ({
  id: `${namespace}/s${made}`,
  namespace,
  name: `s${made++}`,
  selector: { app },
  ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
  source: { file: 'f.yaml', line: 1, doc: 0, path: [] },
});
const serviceArb = fc.tuple(fc.constantFrom(...NAMESPACES), fc.constantFrom('x', 'y')).map(([ns, app]) => service(ns, app));

const scan = (services: readonly Service[], w: ReturnType<typeof workload>) =>
  services.flatMap((s) => (serviceSelects(s, w) ? s.ports.map((port) => ({ service: s, port, targetPort: resolveTargetPort(port, w)! })) : []));

describe('serviceTargets through a Services index', () => {
  it('equals a scan of every Service, for a list and for lists edited from it', () => {
    fc.assert(
      fc.property(
        fc.array(serviceArb, { maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(40), fc.nat(3), fc.option(serviceArb)), { maxLength: 6 }),
        (first, edits) => {
          const lists: Service[][] = [first];
          let cur = first;
          for (const [at, drop, add] of edits) {
            cur = [...cur.slice(0, at), ...(add ? [add] : []), ...cur.slice(at + drop)];
            lists.push(cur);
          }
          for (const list of lists) {
            for (const ns of NAMESPACES) {
              for (const app of ['x', 'y']) {
                const w = workload(`${ns}/w`, { app });
                expect(serviceTargets(list, w)).toEqual(scan(list, w));
              }
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
