// Seeded generator of realistic cluster manifests for `npm run bench`. The shape follows a real
// 13.7k-policy cluster: a default-deny and a DNS-egress policy per namespace, then allow policies that
// select ~13 pods on average (Deployments run ~4 replicas), ~0.5 ipBlock peers per policy drawn from a
// small set of common CIDRs and a long tail of specific ones, matchExpressions, except and endPort.
// Each workload also has a Service and often a ConfigMap: kinds the analysis does not model, as in any
// real repository. Text is written directly (no YAML serializer) so generation stays fast.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface TierSpec {
  readonly name: string;
  readonly namespaces: number;
  readonly workloads: number;
  readonly policies: number;
}

export const TIERS: Readonly<Record<string, TierSpec>> = {
  small: { name: 'small', namespaces: 20, workloads: 200, policies: 100 },
  medium: { name: 'medium', namespaces: 600, workloads: 2_000, policies: 14_000 },
  huge: { name: 'huge', namespaces: 10_000, workloads: 50_000, policies: 75_000 },
};

/** Bump when the generated text changes, so stale data on disk is regenerated. */
export const GENERATOR_VERSION = 7;

export interface GeneratedFile {
  readonly path: string;
  readonly text: string;
}

export interface GeneratedTier {
  readonly spec: TierSpec;
  /** Every file of the base ref. */
  readonly base: GeneratedFile[];
  /** Two typical pull requests: 5 files each (changed or added), paths relative like base's. */
  readonly prs: GeneratedFile[][];
}

/** mulberry32: small, fast and good enough for test data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMPONENTS = ['api', 'web', 'worker', 'db', 'cache', 'gateway'] as const;
type Component = (typeof COMPONENTS)[number];
const ENVS = ['prod', 'staging', 'dev'];
const PORTS: Record<Component, { name: string; port: number }[]> = {
  api: [{ name: 'http', port: 8080 }, { name: 'grpc', port: 9090 }],
  web: [{ name: 'http', port: 8080 }],
  worker: [{ name: 'http-admin', port: 8081 }],
  db: [{ name: 'postgres', port: 5432 }],
  cache: [{ name: 'redis', port: 6379 }],
  gateway: [{ name: 'https', port: 8443 }, { name: 'http', port: 8080 }],
};

interface Ns {
  readonly name: string;
  readonly team: string;
  readonly env: string;
  readonly workloads: Wl[];
}

interface Wl {
  readonly name: string;
  readonly ns: Ns;
  readonly component: Component;
  readonly replicas: number;
  readonly ports: { name: string; port: number }[];
}

export function generateTier(spec: TierSpec, seed = 42): GeneratedTier {
  const r = rng(seed ^ spec.namespaces);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const teams = Math.max(4, Math.round(spec.namespaces / 12));

  // Namespaces: kube-system and monitoring, then application namespaces.
  const namespaces: Ns[] = [];
  const pad = String(spec.namespaces).length;
  for (let i = 0; i < spec.namespaces; i++) {
    const name = i === 0 ? 'kube-system' : i === 1 ? 'monitoring' : `ns-${String(i).padStart(pad, '0')}`;
    namespaces.push({ name, team: `team-${i % teams}`, env: pick(ENVS), workloads: [] });
  }
  const appNs = namespaces.slice(2);

  // Workloads: kube-dns and prometheus, then a skewed spread over application namespaces.
  const workloads: Wl[] = [];
  const addWorkload = (ns: Ns, name: string, component: Component, replicas: number): Wl => {
    const ports = [...PORTS[component], { name: 'metrics', port: 9102 }];
    const w: Wl = { name, ns, component, replicas, ports };
    ns.workloads.push(w);
    workloads.push(w);
    return w;
  };
  addWorkload(namespaces[0]!, 'coredns', 'api', 2);
  addWorkload(namespaces[1]!, 'prometheus', 'worker', 2);
  for (let i = workloads.length; i < spec.workloads; i++) {
    // A quarter of the namespaces hold half of the workloads.
    const ns = r() < 0.5 ? appNs[Math.floor(r() * Math.max(1, appNs.length / 4))]! : pick(appNs);
    addWorkload(ns, `svc-${i}`, pick(COMPONENTS), int(1, 7));
  }

  // CIDRs: a few common ones, a long tail of specific ones (external services, partner networks).
  const tail = Array.from({ length: Math.max(8, Math.round(spec.namespaces / 3)) }, (_, i) =>
    i % 3 === 0 ? `203.0.${(i >> 8) & 255}.${i & 255}/32` : i % 3 === 1 ? `198.${18 + ((i >> 16) & 1)}.${(i >> 8) & 255}.${i & 255}/32` : `100.${64 + (i % 64)}.${(i >> 6) & 255}.0/24`,
  );
  const cidrPeer = (indent: string): string => {
    const x = r();
    if (x < 0.35) {
      return `${indent}- ipBlock:\n${indent}    cidr: 0.0.0.0/0\n${indent}    except:\n${indent}    - 10.0.0.0/8\n${indent}    - 172.16.0.0/12\n${indent}    - 192.168.0.0/16\n`;
    }
    if (x < 0.45) return `${indent}- ipBlock:\n${indent}    cidr: 169.254.169.254/32\n`;
    if (x < 0.55) {
      const o = int(0, 3);
      return `${indent}- ipBlock:\n${indent}    cidr: 10.${o}.0.0/16\n${indent}    except:\n${indent}    - 10.${o}.${int(0, 255)}.0/24\n`;
    }
    return `${indent}- ipBlock:\n${indent}    cidr: ${pick(tail)}\n`;
  };

  const files = new Map<string, string>();
  const append = (path: string, doc: string): void => {
    const prev = files.get(path);
    files.set(path, prev === undefined ? doc : `${prev}---\n${doc}`);
  };

  for (const ns of namespaces) {
    append(`${ns.name}/namespace.yaml`, namespaceYaml(ns));
  }
  for (const w of workloads) {
    append(`${w.ns.name}/workloads.yaml`, deploymentYaml(w, r));
    append(`${w.ns.name}/workloads.yaml`, serviceYaml(w));
    append(`${w.ns.name}/workloads.yaml`, serviceAccountYaml(w));
    if (r() < 0.35) append(`${w.ns.name}/workloads.yaml`, configMapYaml(w, r));
  }

  // Policies: default-deny and DNS egress per namespace, then allow policies.
  let policyCount = 0;
  for (const ns of namespaces) {
    if (policyCount >= spec.policies) break;
    append(`${ns.name}/networkpolicies.yaml`, denyAllYaml(ns));
    policyCount++;
    if (policyCount >= spec.policies) break;
    append(`${ns.name}/networkpolicies.yaml`, dnsYaml(ns));
    policyCount++;
  }
  const withWorkloads = namespaces.filter((n) => n.workloads.length > 0);
  const allow = (ns: Ns, i: number): string => allowYaml(ns, i, { r, pick, int, cidrPeer, namespaces: withWorkloads, teams });
  for (let i = 0; policyCount < spec.policies; i++, policyCount++) {
    const ns = pick(withWorkloads);
    append(`${ns.name}/networkpolicies.yaml`, allow(ns, i));
  }

  const base = [...files.entries()].map(([path, text]) => ({ path, text })).sort((a, b) => (a.path < b.path ? -1 : 1));

  // Two typical pull requests of 5 files each: an opening policy, a removed policy, an edited ipBlock,
  // a workload relabelled, a workload added.
  const prs: GeneratedFile[][] = [];
  for (let p = 0; p < 2; p++) {
    const pr: GeneratedFile[] = [];
    const policyFiles = base.filter((f) => f.path.endsWith('/networkpolicies.yaml') && f.text.split('\n---\n').length > 3);
    const workloadFiles = base.filter((f) => f.path.endsWith('/workloads.yaml'));
    const pf = (k: number): GeneratedFile => policyFiles[(p * 7 + k * 13) % policyFiles.length]!;
    const wf = (k: number): GeneratedFile => workloadFiles[(p * 11 + k * 17) % workloadFiles.length]!;
    const f1 = pf(1);
    const ns1 = namespaces.find((n) => n.name === f1.path.split('/')[0])!;
    pr.push({
      path: f1.path,
      text: `${f1.text}---\n${allowFromEverywhere(ns1, p)}`,
    });
    const f2 = pf(2);
    const docs2 = f2.text.split('---\n');
    docs2.splice(docs2.length - 1, 1); // the last allow policy goes away
    pr.push({ path: f2.path, text: docs2.join('---\n') });
    const f3 = pf(3);
    const edited = f3.text.replace('cidr: 0.0.0.0/0', 'cidr: 0.0.0.0/1').replace(/port: 8080\n/, 'port: 8080\n      endPort: 8090\n');
    pr.push({ path: f3.path, text: edited === f3.text ? `${f3.text}---\n${allow(namespaces.find((n) => n.name === f3.path.split('/')[0])!, 1e6 + p)}` : edited });
    const f4 = wf(1);
    pr.push({ path: f4.path, text: f4.text.replace(/component: (\w+)\n/, (_m, c: string) => `component: ${c === 'api' ? 'web' : 'api'}\n`) });
    const f5 = wf(2);
    const ns5 = namespaces.find((n) => n.name === f5.path.split('/')[0])!;
    const nw: Wl = { name: `svc-new-${p}`, ns: ns5, component: 'api', replicas: 3, ports: [...PORTS.api, { name: 'metrics', port: 9102 }] };
    pr.push({ path: f5.path, text: `${f5.text}---\n${deploymentYaml(nw, r)}---\n${serviceYaml(nw)}` });
    prs.push(pr);
  }
  return { spec, base, prs };
}

function namespaceYaml(ns: Ns): string {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns.name}
  labels:
    team: ${ns.team}
    env: ${ns.env}
    istio-injection: disabled
  annotations:
    owner: ${ns.team}@example.com
`;
}

function deploymentYaml(w: Wl, r: () => number): string {
  const ports = w.ports.map((p) => `        - name: ${p.name}\n          containerPort: ${p.port}\n          protocol: TCP\n`).join('');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${w.name}
  namespace: ${w.ns.name}
  labels:
    app: ${w.name}
    app.kubernetes.io/part-of: ${w.ns.team}
spec:
  replicas: ${w.replicas}
  selector:
    matchLabels:
      app: ${w.name}
  template:
    metadata:
      labels:
        app: ${w.name}
        component: ${w.component}
        team: ${w.ns.team}
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "9102"
    spec:
      serviceAccountName: ${w.name}
      containers:
      - name: main
        image: registry.example.com/${w.ns.team}/${w.name}:1.${Math.floor(r() * 40)}.${Math.floor(r() * 10)}
        ports:
${ports}        env:
        - name: LOG_LEVEL
          value: info
        - name: SERVICE_NAME
          value: ${w.name}
        - name: OTEL_EXPORTER_OTLP_ENDPOINT
          value: http://otel-collector.monitoring.svc:4317
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: ${w.name}-db
              key: password
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            memory: 512Mi
        volumeMounts:
        - name: config
          mountPath: /etc/${w.name}
          readOnly: true
        - name: tmp
          mountPath: /tmp
        securityContext:
          runAsNonRoot: true
          readOnlyRootFilesystem: true
          allowPrivilegeEscalation: false
          capabilities:
            drop:
            - ALL
        livenessProbe:
          httpGet:
            path: /livez
            port: ${w.ports[0]!.name}
          initialDelaySeconds: 15
          periodSeconds: 20
        readinessProbe:
          httpGet:
            path: /healthz
            port: ${w.ports[0]!.name}
          periodSeconds: 10
      volumes:
      - name: config
        configMap:
          name: ${w.name}-config
      - name: tmp
        emptyDir: {}
`;
}

function serviceAccountYaml(w: Wl): string {
  return `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${w.name}
  namespace: ${w.ns.name}
  labels:
    app: ${w.name}
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/${w.ns.name}-${w.name}
`;
}

function serviceYaml(w: Wl): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${w.name}
  namespace: ${w.ns.name}
  labels:
    app: ${w.name}
spec:
  selector:
    app: ${w.name}
  ports:
  - name: ${w.ports[0]!.name}
    port: ${w.ports[0]!.port}
    targetPort: ${w.ports[0]!.name}
`;
}

function configMapYaml(w: Wl, r: () => number): string {
  const lines = Array.from({ length: 8 + Math.floor(r() * 16) }, (_, i) => `    setting.${i}=${Math.floor(r() * 1e6)}`).join('\n');
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${w.name}-config
  namespace: ${w.ns.name}
data:
  application.properties: |
${lines}
  LOG_FORMAT: json
`;
}

function denyAllYaml(ns: Ns): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-all
  namespace: ${ns.name}
spec:
  podSelector: {}
  policyTypes:
  - Ingress
  - Egress
`;
}

function dnsYaml(ns: Ns): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns-egress
  namespace: ${ns.name}
spec:
  podSelector: {}
  policyTypes:
  - Egress
  egress:
  - to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: kube-system
      podSelector:
        matchLabels:
          k8s-app: kube-dns
    ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53
`;
}

function allowFromEverywhere(ns: Ns, p: number): string {
  const w = ns.workloads[p % ns.workloads.length]!;
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: pr-${p}-allow-public-${w.name}
  namespace: ${ns.name}
spec:
  podSelector:
    matchLabels:
      app: ${w.name}
  ingress:
  - from:
    - ipBlock:
        cidr: 0.0.0.0/0
        except:
        - 10.0.0.0/8
    ports:
    - port: ${w.ports[0]!.name}
`;
}

interface AllowCtx {
  r: () => number;
  pick: <T>(xs: readonly T[]) => T;
  int: (lo: number, hi: number) => number;
  cidrPeer: (indent: string) => string;
  namespaces: Ns[];
  teams: number;
}

/** One allow policy: ingress, egress, or both; selects one app, a component, or the whole namespace. */
function allowYaml(ns: Ns, i: number, c: AllowCtx): string {
  const { r, pick, int, cidrPeer } = c;
  const target = pick(ns.workloads);
  const sel = r();
  const podSelector =
    sel < 0.45
      ? `    matchLabels:\n      app: ${target.name}\n`
      : sel < 0.8
        ? `    matchExpressions:\n    - key: component\n      operator: In\n      values:\n      - ${target.component}\n      - ${pick(COMPONENTS)}\n`
        : sel < 0.9
          ? `    matchLabels:\n      team: ${ns.team}\n`
          : '';
  const ingress = r() < 0.7;
  const egress = !ingress || r() < 0.3;
  const types = [ingress ? '  - Ingress\n' : '', egress ? '  - Egress\n' : ''].join('');

  const peer = (indent: string): string => {
    const x = r();
    if (x < 0.35) {
      const other = pick(ns.workloads);
      return `${indent}- podSelector:\n${indent}    matchLabels:\n${indent}      app: ${other.name}\n`;
    }
    if (x < 0.55) {
      return `${indent}- namespaceSelector:\n${indent}    matchLabels:\n${indent}      team: team-${int(0, c.teams - 1)}\n${indent}  podSelector:\n${indent}    matchExpressions:\n${indent}    - key: component\n${indent}      operator: In\n${indent}      values:\n${indent}      - web\n${indent}      - gateway\n`;
    }
    if (x < 0.7) {
      return `${indent}- namespaceSelector:\n${indent}    matchLabels:\n${indent}      kubernetes.io/metadata.name: monitoring\n${indent}  podSelector:\n${indent}    matchLabels:\n${indent}      app: prometheus\n`;
    }
    if (x < 0.85) {
      const other = pick(c.namespaces);
      return `${indent}- namespaceSelector:\n${indent}    matchExpressions:\n${indent}    - key: env\n${indent}      operator: NotIn\n${indent}      values:\n${indent}      - dev\n${indent}    - key: kubernetes.io/metadata.name\n${indent}      operator: In\n${indent}      values:\n${indent}      - ${other.name}\n`;
    }
    const other = pick(ns.workloads);
    return `${indent}- podSelector:\n${indent}    matchExpressions:\n${indent}    - key: app\n${indent}      operator: Exists\n${indent}    - key: component\n${indent}      operator: NotIn\n${indent}      values:\n${indent}      - ${other.component}\n`;
  };
  const ports = (): string => {
    const x = r();
    if (x < 0.5) return `    ports:\n    - protocol: TCP\n      port: ${pick(target.ports).name}\n`;
    if (x < 0.8) return `    ports:\n    - protocol: TCP\n      port: ${pick([8080, 9090, 5432, 6379, 443])}\n`;
    if (x < 0.9) return `    ports:\n    - protocol: TCP\n      port: 30000\n      endPort: ${30000 + int(1, 2767)}\n`;
    return '';
  };
  // ~0.5 ipBlock peers per policy: egress rules carry most of them.
  const rule = (dir: 'from' | 'to'): string => {
    let peers = '';
    const n = int(1, 2);
    for (let k = 0; k < n; k++) peers += peer('    ');
    if (r() < (dir === 'to' ? 0.9 : 0.3)) peers += cidrPeer('    ');
    return `  - ${dir}:\n${peers}${ports()}`;
  };
  let spec = `  podSelector:${podSelector === '' ? ' {}\n' : `\n${podSelector}`}  policyTypes:\n${types}`;
  if (ingress) spec += `  ingress:\n${rule('from')}${r() < 0.2 ? rule('from') : ''}`;
  if (egress) spec += `  egress:\n${rule('to')}`;
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-${target.name}-${i}
  namespace: ${ns.name}
  labels:
    team: ${ns.team}
    app.kubernetes.io/managed-by: argocd
    app.kubernetes.io/part-of: ${ns.team}-platform
    policy.example.com/tier: application
  annotations:
    argocd.argoproj.io/tracking-id: ${ns.team}:networking.k8s.io/NetworkPolicy:${ns.name}/allow-${target.name}-${i}
    policy.example.com/ticket: NET-${10000 + i}
    description: allow traffic for ${target.name} (${target.component}), reviewed by the ${ns.team} on-call
spec:
${spec}`;
}

/** Writes a tier under `dir` (base/ and pr-<n>/), unless it is already there at this generator version. */
export function writeTier(dir: string, spec: TierSpec, seed = 42): { generated: boolean; ms: number } {
  const stamp = `${GENERATOR_VERSION}:${seed}:${JSON.stringify(spec)}`;
  const stampFile = join(dir, 'STAMP');
  try {
    if (readFileSync(stampFile, 'utf8') === stamp) return { generated: false, ms: 0 };
  } catch {
    // not generated yet
  }
  const t = performance.now();
  rmSync(dir, { recursive: true, force: true });
  const tier = generateTier(spec, seed);
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  };
  for (const f of tier.base) write(join(dir, 'base', f.path), f.text);
  tier.prs.forEach((pr, i) => {
    for (const f of pr) write(join(dir, `pr-${i + 1}`, f.path), f.text);
  });
  writeFileSync(stampFile, stamp);
  return { generated: true, ms: performance.now() - t };
}
