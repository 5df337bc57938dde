// Helm charts, with a fake `helm` on an otherwise empty PATH (there is no helm binary here): the exact
// argv netpol passes, the environment it gives, and what it does with the output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCluster } from '../../../src/manifests/buildCluster.js';
import { computeMatrix } from '../../../src/engine/matrix.js';
import { matrixJson } from '../../../src/render/matrixJson.js';
import { helmTemplateArgs, renderManifests } from '../../../src/manifests/render/index.js';
import { fakeTool, readAsCli } from './helpers.js';

const CHART = 'fixtures/helm/web';

/** A fake helm that records its argv, environment and the values files it was given, then prints `output`. */
function fakeHelm(output: string, exitCode = 0, stderr = ''): { dir: string; path: string; argv(): string[]; env(): string; values(): string } {
  const tool = fakeTool(
    'helm',
    [
      'd=$(dirname "$0")',
      'for a in "$@"; do printf "%s\\n" "$a"; done > "$d/argv"',
      'env > "$d/env"',
      ': > "$d/values"',
      'prev=""; for a in "$@"; do if [ "$prev" = "-f" ]; then cat "$a" >> "$d/values"; fi; prev="$a"; done',
      `cat <<'NETPOL_EOF'\n${output}\nNETPOL_EOF`,
      stderr ? `printf '%s\\n' '${stderr}' >&2` : '',
      `exit ${exitCode}`,
    ].join('\n'),
  );
  return {
    ...tool,
    argv: () => readFileSync(join(tool.dir, 'argv'), 'utf8').trimEnd().split('\n'),
    env: () => readFileSync(join(tool.dir, 'env'), 'utf8'),
    values: () => readFileSync(join(tool.dir, 'values'), 'utf8'),
  };
}

const RENDERED = `---
# Source: web/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-web
spec:
  selector:
    matchLabels: {app: shop-web}
  template:
    metadata:
      labels: {app: shop-web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 8443
---
# Source: web/templates/empty.yaml
---
# Source: web/templates/networkpolicy.yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: shop-web
spec:
  podSelector:
    matchLabels: {app: shop-web}
  ingress:
    - from:
        - podSelector:
            matchLabels: {app: gateway}
      ports:
        - port: 8443`;

describe('helm charts (fake helm)', () => {
  it('passes exactly: template <release> <chart> --namespace <ns> -f <values...> --skip-tests', async () => {
    const helm = fakeHelm(RENDERED);
    const { files } = await readAsCli([CHART]);
    const r = await renderManifests(files, {
      env: { PATH: helm.dir },
      config: { helm: { charts: { [CHART]: { values: ['values-prod.yaml'], releaseName: 'shop', namespace: 'shop' } } } },
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.skipped).toEqual([]);
    const argv = helm.argv();
    expect(argv).toHaveLength(8);
    expect(argv[0]).toBe('template');
    expect(argv[1]).toBe('shop');
    expect(argv[2]).toMatch(new RegExp(`/netpol-render-[^/]+/in${process.cwd()}/${CHART}$`));
    expect(argv.slice(3, 6)).toEqual(['--namespace', 'shop', '-f']);
    expect(argv[6]).toMatch(new RegExp(`/netpol-render-[^/]+/in${process.cwd()}/${CHART}/values-prod\\.yaml$`));
    expect(argv[7]).toBe('--skip-tests');
    expect(argv.some((a) => /dependency|--repo|--validate|update/.test(a))).toBe(false);
    expect(helm.values()).toBe('port: 8443\nallowFrom: gateway\n');
    // Only a minimal environment: proxies that lead nowhere, a throwaway HOME, nothing of the server's.
    const env = helm.env();
    expect(env).toMatch(/^HTTPS_PROXY=http:\/\/127\.0\.0\.1:9$/m);
    expect(env).toMatch(/^HOME=.*netpol-render-.*\/home$/m);
    expect(env).not.toMatch(/^(GITHUB_|PRIVATE_KEY|WEBHOOK_SECRET|npm_)/m);
    // The chart's templates and values files are never read raw; one synthetic file instead.
    expect(r.files.map((f) => f.path)).toEqual([`${CHART} (helm)`]);
  });

  it('builds exact workloads and policies in the release namespace, each traced to its template', async () => {
    const helm = fakeHelm(RENDERED);
    const { files } = await readAsCli([CHART]);
    const r = await renderManifests(files, {
      env: { PATH: helm.dir },
      config: { helm: { charts: { [CHART]: { values: ['values-prod.yaml'], releaseName: 'shop', namespace: 'shop' } } } },
    });
    expect(r.units[0]!.origins).toEqual([
      { file: `${CHART} (helm)`, doc: 0, kind: 'Deployment', name: 'shop-web', namespace: 'shop', source: `${CHART}/templates/deployment.yaml` },
      { file: `${CHART} (helm)`, doc: 1, kind: 'NetworkPolicy', name: 'shop-web', namespace: 'shop', source: `${CHART}/templates/networkpolicy.yaml` },
    ]);
    const cluster = buildCluster(r.files);
    expect(cluster.diagnostics).toEqual([]);
    expect(cluster.workloads.map((w) => [w.id, w.ports, w.source.file])).toEqual([
      ['shop/shop-web[Deployment]', [{ port: 8443, protocol: 'TCP' }], `${CHART} (helm)`],
    ]);
    expect(cluster.policies.map((p) => p.id)).toEqual(['shop/shop-web']);
    const json = matrixJson(computeMatrix(cluster)) as unknown as { connections: { dst: string }[] };
    expect(json.connections.filter((c) => c.dst === 'shop/shop-web[Deployment]')).toEqual([]); // no gateway pod exists
  });

  it('defaults: release = chart name, namespace = the default namespace, only the chart\'s own values.yaml', () => {
    expect(helmTemplateArgs({ release: 'web', chartDir: '/t/web', namespace: 'default', values: [] })).toEqual([
      'template', 'web', '/t/web', '--namespace', 'default', '--skip-tests',
    ]);
  });

  it('uses the configured defaults when the chart has no config', async () => {
    const helm = fakeHelm(RENDERED);
    const { files } = await readAsCli([CHART]);
    await renderManifests(files, { env: { PATH: helm.dir }, config: { defaultNamespace: 'apps' } });
    expect(helm.argv().filter((a) => !a.startsWith('/'))).toEqual(['template', 'web', '--namespace', 'apps', '--skip-tests']);
  });

  it('a failing template is diagnosed on the template helm names', async () => {
    const helm = fakeHelm('', 1, 'Error: template: web/templates/networkpolicy.yaml:11:38: executing "web/templates/networkpolicy.yaml" at <.Values.allowFrom>: nil pointer');
    const { files } = await readAsCli([CHART]);
    const r = await renderManifests(files, { env: { PATH: helm.dir } });
    expect(r.files).toEqual([]);
    expect(r.diagnostics).toEqual([
      {
        file: `${CHART}/templates/networkpolicy.yaml`,
        line: 11,
        severity: 'error',
        message: `helm template of ${CHART} failed: template: web/templates/networkpolicy.yaml:11:38: executing "web/templates/networkpolicy.yaml" at <.Values.allowFrom>: nil pointer`,
      },
    ]);
    expect(r.skipped).toEqual([{ path: CHART, kind: 'helm-chart', reason: `helm template failed (${CHART}/templates/networkpolicy.yaml:11)`, file: `${CHART}/Chart.yaml` }]);
  });

  it('a chart whose dependencies are not vendored is diagnosed and never given to helm', async () => {
    const helm = fakeHelm(RENDERED);
    const { files } = await readAsCli(['fixtures/helm/needs-deps']);
    const r = await renderManifests(files, { env: { PATH: helm.dir } });
    expect(r.diagnostics).toEqual([
      {
        file: 'fixtures/helm/needs-deps/Chart.yaml',
        line: 5,
        severity: 'error',
        message: 'dependency "redis" is not vendored under fixtures/helm/needs-deps/charts/; netpol never runs helm dependency update (no network), so the chart is not rendered. Commit charts/redis (or its .tgz).',
      },
    ]);
    expect(r.skipped).toEqual([{ path: 'fixtures/helm/needs-deps', kind: 'helm-chart', reason: 'dependencies not vendored under charts/: redis', file: 'fixtures/helm/needs-deps/Chart.yaml' }]);
    expect(r.files).toEqual([]);
    expect(() => helm.argv()).toThrow(); // helm never ran
  });

  it('a vendored dependency (charts/<name>-<version>.tgz) is written for helm', async () => {
    const helm = fakeTool('helm', 'ls "$3/charts" > "$(dirname "$0")/ls"; echo "kind: ConfigMap"');
    const files = [
      { path: 'c/Chart.yaml', text: 'apiVersion: v2\nname: c\nversion: 1.0.0\ndependencies:\n  - name: redis\n    version: 1.0.0\n' },
      { path: 'c/templates/cm.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n' },
    ];
    const r = await renderManifests(files, { baseDir: '/repo', env: { PATH: helm.dir }, binaryFiles: [{ path: 'c/charts/redis-1.0.0.tgz', bytes: new Uint8Array([0x1f, 0x8b]) }] });
    expect(r.skipped).toEqual([]);
    expect(readFileSync(join(helm.dir, 'ls'), 'utf8')).toBe('redis-1.0.0.tgz\n');
  });

  it('a values file named in the config but absent is an error, not a render with the wrong values', async () => {
    const helm = fakeHelm(RENDERED);
    const { files } = await readAsCli([CHART]);
    const r = await renderManifests(files, { env: { PATH: helm.dir }, config: { helm: { charts: { [`./${CHART}/`]: { values: ['values-qa.yaml'] } } } } });
    expect(r.diagnostics.map((d) => [d.file, d.severity, d.message])).toEqual([
      [`${CHART}/Chart.yaml`, 'error', `values file "values-qa.yaml" named in helm.charts["${CHART}"] not found (relative to the chart directory); the chart is not rendered`],
    ]);
    expect(r.skipped.map((s) => s.reason)).toEqual(['values files not found: values-qa.yaml']);
  });

  it('a chart key that names no chart is a warning', async () => {
    const r = await renderManifests([], { env: { PATH: '' }, config: { helm: { charts: { 'charts/none': {} } } } });
    expect(r.diagnostics).toEqual([{ file: 'charts/none', line: 1, severity: 'warning', message: 'helm.charts: "charts/none" is not a chart directory of the input (no Chart.yaml there)' }]);
  });

  it('a helm that hangs is killed at the timeout; one that floods is cut at the output bound', async () => {
    const { files } = await readAsCli([CHART]);
    const slow = fakeTool('helm', 'exec sleep 30');
    const t0 = Date.now();
    const r1 = await renderManifests(files, { env: { PATH: `${slow.dir}:/bin:/usr/bin` }, timeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r1.skipped.map((s) => s.reason)).toEqual([`helm template of ${CHART} timed out after 0 s`]);
    expect(r1.diagnostics.map((d) => d.severity)).toEqual(['error']);
    const big = fakeTool('helm', 'i=0; while [ $i -lt 2000 ]; do echo "# padding padding padding padding padding"; i=$((i+1)); done');
    const r2 = await renderManifests(files, { env: { PATH: big.dir }, maxOutputBytes: 1000 });
    expect(r2.skipped.map((s) => s.reason)).toEqual([`helm template of ${CHART} wrote more than 1000 bytes`]);
  });
});
