// deploy/ checked by the project's own loader and engine: no diagnostics, the Deployment exposes what the app
// serves (PORT 3000, /healthz, /readyz, /metrics), and the bot's NetworkPolicy gives the intended reachability
// in a cluster with an ingress controller, Prometheus (and Grafana beside it), CoreDNS and an unrelated app:
// in only on 3000/TCP from the ingress controller and Prometheus; out only DNS and 443/TCP to public IPs.
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeMatrix, type Endpoint, type ReachabilityMatrix } from '../../src/engine/matrix.js';
import { IpSet } from '../../src/engine/ipSet.js';
import { PortSet } from '../../src/engine/portSet.js';
import { buildCluster } from '../../src/manifests/buildCluster.js';
import { readManifestFiles } from '../../src/manifests/readFiles.js';
import type { ManifestFile } from '../../src/manifests/model.js';
import { root } from './spawnProbot.js';

const deployment = (ns: string, name: string, labels: Record<string, string>, port: number) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${ns} }
spec:
  selector: { matchLabels: ${JSON.stringify(labels)} }
  template:
    metadata: { labels: ${JSON.stringify(labels)} }
    spec: { containers: [{ name: ${name}, image: x, ports: [{ containerPort: ${port} }] }] }
`;
const namespace = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${name} }\n`;

/** The rest of a typical cluster around the bot. */
const SURROUNDINGS: ManifestFile[] = [
  { path: 'cluster/ingress.yaml', text: [namespace('ingress-nginx'), deployment('ingress-nginx', 'controller', { 'app.kubernetes.io/name': 'ingress-nginx' }, 443)].join('---\n') },
  {
    path: 'cluster/monitoring.yaml',
    text: [
      namespace('monitoring'),
      deployment('monitoring', 'prometheus', { 'app.kubernetes.io/name': 'prometheus' }, 9090),
      deployment('monitoring', 'grafana', { 'app.kubernetes.io/name': 'grafana' }, 3000),
    ].join('---\n'),
  },
  { path: 'cluster/dns.yaml', text: [namespace('kube-system'), deployment('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, 53)].join('---\n') },
  { path: 'cluster/shop.yaml', text: [namespace('shop'), deployment('shop', 'web', { app: 'web' }, 8080)].join('---\n') },
];

const BOT = 'netpol-bot/netpol-bot[Deployment]';
const INGRESS = 'ingress-nginx/controller[Deployment]';
const PROMETHEUS = 'monitoring/prometheus[Deployment]';
const GRAFANA = 'monitoring/grafana[Deployment]';
const DNS = 'kube-system/coredns[Deployment]';
const SHOP = 'shop/web[Deployment]';

let files: ManifestFile[];
let m: ReachabilityMatrix;
const tcp3000 = PortSet.of('TCP', 3000);

function ep(id: string): Endpoint {
  const e = m.endpoint(id);
  if (!e) throw new Error(`no endpoint ${id}`);
  return e;
}

/** The IP-range endpoints that contain `address`. */
function ipEndpoint(address: string): Endpoint {
  const found = m.endpoints.find((e) => e.kind === 'ip' && e.range.set.contains(IpSet.fromCidr(`${address}/32`)));
  if (!found) throw new Error(`no range for ${address}`);
  return found;
}

beforeAll(async () => {
  const read = await readManifestFiles([join(root, 'deploy')]);
  expect(read.diagnostics).toEqual([]);
  files = read.files;
  m = computeMatrix(buildCluster([...files, ...SURROUNDINGS]));
});

describe('deploy/', () => {
  it('loads without diagnostics; the Secret is the only object not modelled', () => {
    const cluster = buildCluster(files);
    expect(cluster.diagnostics).toEqual([]);
    expect(cluster.workloads.map((w) => w.id)).toEqual([BOT]);
    expect(cluster.policies.map((p) => p.id)).toEqual(['netpol-bot/netpol-bot']);
    expect(buildCluster([...files, ...SURROUNDINGS]).diagnostics).toEqual([]);
  });

  it('the Deployment exposes what the app serves', () => {
    const doc = parseAllDocuments(readFileSync(join(root, 'deploy/deployment.yaml'), 'utf8'))[0]!.toJS();
    const pod = doc.spec.template;
    const c = pod.spec.containers[0];
    expect(c.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
    const env = Object.fromEntries(c.env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env).toMatchObject({ HOST: '0.0.0.0', PORT: '3000', LOG_FORMAT: 'json' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(pod.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '3000', 'prometheus.io/path': '/metrics' });
    expect(c.resources.limits).toBeDefined();
    expect(c.resources.requests).toBeDefined();
    expect(pod.spec.securityContext.runAsUser).toBe(1000); // the image's `node` user
    expect(doc.spec.replicas).toBe(1);
    expect(c.envFrom).toEqual([{ secretRef: { name: 'netpol-bot' } }]);
    const secret = parseAllDocuments(readFileSync(join(root, 'deploy/secret.template.yaml'), 'utf8'))[0]!.toJS();
    expect(Object.keys(secret.stringData).sort()).toEqual(['APP_ID', 'PRIVATE_KEY', 'WEBHOOK_SECRET']);
    const service = parseAllDocuments(readFileSync(join(root, 'deploy/service.yaml'), 'utf8'))[0]!.toJS();
    expect(service.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
  });

  it('in: only 3000/TCP, only from the ingress controller and Prometheus', () => {
    expect(m.allowed(ep(INGRESS), ep(BOT)).equals(tcp3000)).toBe(true);
    expect(m.allowed(ep(PROMETHEUS), ep(BOT)).equals(tcp3000)).toBe(true);
    for (const other of [GRAFANA, DNS, SHOP]) expect(m.allowed(ep(other), ep(BOT)).toString(), other).toBe('no ports');
    for (const address of ['8.8.8.8', '140.82.112.1', '10.0.0.1', '192.168.1.1']) {
      expect(m.allowed(ipEndpoint(address), ep(BOT)).toString(), address).toBe('no ports');
    }
    const sources = m.connections().filter((c) => c.dst.id === BOT).map((c) => `${c.src.id} ${c.ports.toShortString()}`);
    expect(sources).toEqual([`${INGRESS} 3000/TCP`, `${PROMETHEUS} 3000/TCP`]);
  });

  it('out: DNS to CoreDNS, 443/TCP to public addresses, nothing else', () => {
    expect(m.allowed(ep(BOT), ep(DNS)).equals(PortSet.of('UDP', 53).union(PortSet.of('TCP', 53)))).toBe(true);
    for (const other of [INGRESS, PROMETHEUS, GRAFANA, SHOP]) expect(m.allowed(ep(BOT), ep(other)).toString(), other).toBe('no ports');
    // api.github.com, codeload.github.com (both 140.82.112.0/20), a public resolver
    for (const address of ['140.82.112.6', '140.82.114.9', '8.8.8.8']) {
      expect(m.allowed(ep(BOT), ipEndpoint(address)).equals(PortSet.of('TCP', 443)), address).toBe(true);
    }
    // private, CGNAT, loopback and link-local (cloud metadata) addresses are closed
    for (const address of ['10.0.0.10', '172.16.0.1', '192.168.0.1', '100.64.0.1', '127.0.0.1', '169.254.169.254']) {
      expect(m.allowed(ep(BOT), ipEndpoint(address)).toString(), address).toBe('no ports');
    }
  });
});
