import { describe, expect, it } from 'vitest';
import { loadOptionsOf } from '../../src/config/loadOptions.js';
import { defaultConfig, parseConfig } from '../../src/config/schema.js';

describe('config -> LoadOptions', () => {
  it('without `assume`: only the default namespace', () => {
    expect(loadOptionsOf(defaultConfig())).toEqual({ defaultNamespace: 'default' });
  });

  it('`assume` gives the assumed namespaces and the ingress controller', () => {
    const r = parseConfig({
      assume: {
        namespaces: { 'kube-system': { labels: { tier: 'control-plane' } }, monitoring: { podLabels: { app: 'prometheus' } } },
        ingressController: { namespace: 'edge', labels: { app: 'traefik' } },
      },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(loadOptionsOf(r.config)).toEqual({
      defaultNamespace: 'default',
      assumedNamespaces: { 'kube-system': { labels: { tier: 'control-plane' } }, monitoring: { labels: {}, podLabels: { app: 'prometheus' } } },
      ingressController: { namespace: 'edge', labels: { app: 'traefik' }, namespaceLabels: {} },
    });
  });

  it('rejects a namespace name the cluster would refuse', () => {
    expect(parseConfig({ assume: { namespaces: { Kube_System: {} } } }).ok).toBe(false);
  });
});
