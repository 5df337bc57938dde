import { describe, expect, it } from 'vitest';
import { computeMatrix } from '../../src/engine/matrix.js';
import { resolveEndpoint } from '../../src/explain/resolveEndpoint.js';
import { cluster, workload } from '../helpers/model.js';

const m = computeMatrix(
  cluster({
    workloads: [
      workload('default/web', { app: 'web' }),
      workload('default/web', { app: 'web' }, { kind: 'StatefulSet' }),
      workload('shop/api', { app: 'api' }),
      workload('other/api', { app: 'api' }, { kind: 'Pod' }),
      workload('shop/cart', { app: 'cart' }),
    ],
  }),
);
const ok = (q: string) => {
  const r = resolveEndpoint(m, q);
  return r.ok ? (r.endpoint.kind === 'workload' ? r.endpoint.id : `ip ${r.endpoint.id} = ${r.endpoint.set.toCidrs().join(' ')}`) : r;
};

describe('resolveEndpoint', () => {
  it.each([
    ['cart', 'shop/cart[Deployment]'],
    ['shop/cart', 'shop/cart[Deployment]'],
    ['shop/api', 'shop/api[Deployment]'],
    ['default/web[StatefulSet]', 'default/web[StatefulSet]'],
    ['default/web[statefulset]', 'default/web[StatefulSet]'],
    ['api[Pod]', 'other/api[Pod]'],
    ['Pod/api', 'other/api[Pod]'],
    ['statefulset/web', 'default/web[StatefulSet]'],
    ['internet', 'ip internet = 0.0.0.0/0 ::/0'],
    ['10.1.2.3', 'ip 10.1.2.3 = 10.1.2.3/32'],
    ['10.1.2.3/8', 'ip 10.0.0.0/8 = 10.0.0.0/8'],
    ['2001:db8::1', 'ip 2001:db8::1 = 2001:db8::1/128'],
    ['10.0.0.0/8, 192.168.0.0/16', 'ip 10.0.0.0/8, 192.168.0.0/16 = 10.0.0.0/8 192.168.0.0/16'],
  ])('%s', (q, expected) => {
    expect(ok(q)).toBe(expected);
  });

  it('ambiguous names list the candidates and choose none', () => {
    expect(ok('api')).toEqual({
      ok: false,
      error: '"api" matches 2 workloads; name one of them as ns/name[Kind]',
      candidates: ['other/api[Pod]', 'shop/api[Deployment]'],
    });
    expect(ok('default/web')).toEqual({
      ok: false,
      error: '"default/web" matches 2 workloads; name one of them as ns/name[Kind]',
      candidates: ['default/web[Deployment]', 'default/web[StatefulSet]'],
    });
  });

  it('unknown names say what was not found and offer what exists, without choosing', () => {
    expect(ok('shop/carts')).toEqual({
      ok: false,
      error: 'no workload "carts" in namespace shop (asked: "shop/carts")',
      candidates: ['shop/api[Deployment]', 'shop/cart[Deployment]'],
    });
    expect(ok('prod/api')).toEqual({
      ok: false,
      error: 'no workload "api" in a namespace or of a kind "prod" (asked: "prod/api")',
      candidates: ['other/api[Pod]', 'shop/api[Deployment]'],
    });
    expect(ok('nothing')).toEqual({ ok: false, error: 'no workload "nothing" (asked: "nothing")', candidates: [] });
    expect(ok('10.0.0.0/33')).toEqual({ ok: false, error: '"10.0.0.0/33" is not an IP address or CIDR', candidates: [] });
  });
});
