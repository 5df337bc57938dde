// The rendering step, I/O at the edge: Kustomize overlays and Helm charts among the input files are
// rendered by the real tools in a temporary directory, and replaced by one synthetic file each. Files under
// a kustomization or chart directory are never read raw. Anything not rendered is listed in `skipped` with
// the reason and reported as a diagnostic: a missing tool never makes an analysis silently pass.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import type { Diagnostic, ManifestFile } from '../model.js';
import { findCharts, type ChartRoot } from './findCharts.js';
import { findExecutable } from './findExecutable.js';
import { findKustomizations, type KustomizationRoot } from './findKustomizations.js';
import { helmTemplate } from './helmTemplate.js';
import { includeGraph } from './includeGraph.js';
import { findKustomize, kustomizeBuild } from './kustomizeBuild.js';
import { parseHelmError } from './parseHelmError.js';
import { parseKustomizeError } from './parseKustomizeError.js';
import { absPath, cleanPath, isWithin } from './paths.js';
import { refuseRemote } from './refuseRemote.js';
import { rewriteRendered } from './rewriteRendered.js';
import type { RunToolOptions, ToolRun } from './runTool.js';
import { selectOverlays } from './selectOverlays.js';
import { toolEnv } from './toolEnv.js';
import type { HelmChartConfig, RenderedUnit, RenderOptions, RenderResult, RenderSkip } from './types.js';
import { writeInputs } from './writeInputs.js';

export const DEFAULT_RENDER_TIMEOUT_MS = 60_000;
export const DEFAULT_RENDER_MAX_OUTPUT_BYTES = 32 * 1024 * 1024;
const ORIGIN_LINE = 'buildMetadata: [originAnnotations]';

export async function renderManifests(files: readonly ManifestFile[], opts: RenderOptions = {}): Promise<RenderResult> {
  const baseDir = opts.baseDir ?? process.cwd();
  const path = (opts.env ?? process.env).PATH;
  const config = opts.config ?? {};
  const binaries = opts.binaryFiles ?? [];
  const timeoutMs = opts.timeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS;
  const maxOutputBytes = opts.maxOutputBytes ?? DEFAULT_RENDER_MAX_OUTPUT_BYTES;

  const found = findKustomizations(files, baseDir);
  const roots = found.roots;
  const charts = findCharts(files, binaries.map((b) => b.path), baseDir);
  const diagnostics: Diagnostic[] = [...found.diagnostics];
  const skipped: RenderSkip[] = [];
  const units: RenderedUnit[] = [];

  // Helm configuration per chart; values files are inputs of the chart, not manifests.
  const chartConfig = new Map<ChartRoot, HelmChartConfig>();
  for (const [key, cfg] of Object.entries(config.helm?.charts ?? {})) {
    const chart = charts.find((c) => cleanPath(c.dir) === cleanPath(key) || c.dirAbs === absPath(baseDir, key));
    if (chart) chartConfig.set(chart, cfg);
    else diagnostics.push({ file: key, line: 1, severity: 'warning', message: `helm.charts: "${key}" is not a chart directory of the input (no Chart.yaml there)` });
  }
  const valuesAbs = new Set([...chartConfig].flatMap(([c, cfg]) => (cfg.values ?? []).map((v) => posix.resolve(c.dirAbs, v))));
  const renderedDirs = [...roots.map((r) => r.dirAbs), ...charts.map((c) => c.dirAbs)];
  // Nothing to render (most inputs): every file is raw, and no path needs resolving.
  const nothingToRender = renderedDirs.length === 0 && valuesAbs.size === 0;
  const raw = nothingToRender
    ? [...files]
    : files.filter((f) => {
        const a = absPath(baseDir, f.path);
        return !renderedDirs.some((d) => isWithin(a, d)) && !valuesAbs.has(a);
      });

  const graph = includeGraph(roots);
  const cwd = opts.cwd ?? baseDir;
  // A glob names a directory as the files do, relative to baseDir, or (files named relative to another
  // directory than the working one) as typed before: relative to the working directory, or absolute.
  const selection = selectOverlays(roots, graph, config.kustomize?.overlays, (r) => [
    posix.relative(baseDir, r.dirAbs) || '.',
    ...(cwd !== baseDir ? [posix.relative(cwd, r.dirAbs) || '.', r.dirAbs] : []),
  ]);
  diagnostics.push(...selection.diagnostics);
  // Read only about roots and charts (remote entries, values files): none, none needed.
  const inputAbs = nothingToRender ? new Set<string>() : new Set([...files.map((f) => absPath(baseDir, f.path)), ...binaries.map((b) => absPath(baseDir, b.path))]);
  const remote = refuseRemote(roots, graph, inputAbs);
  diagnostics.push(...remote.diagnostics);
  const invalidYaml = new Set(found.diagnostics.map((d) => d.file));

  const fileOf = new Map<string, string>([...roots.map((r) => [r.dir, r.file.path] as const), ...charts.map((c) => [c.dir, c.file.path] as const)]);
  const skip = (p: string, kind: RenderSkip['kind'], reason: string, warnAt?: string): void => {
    skipped.push({ path: p, kind, reason, file: fileOf.get(p) ?? p });
    if (warnAt !== undefined) diagnostics.push({ file: warnAt, line: 1, severity: 'warning', message: `${p} not rendered, so not analysed: ${reason}` });
  };

  for (const r of selection.unselected) skip(r.dir, 'kustomization', 'not selected by kustomize.overlays');
  // What can run, and what cannot (with the reason), before any process starts.
  const kustomize = findKustomize(opts.tools, path);
  const overlays: KustomizationRoot[] = [];
  for (const o of selection.selected) {
    const refused = remote.refused.get(o.dirAbs);
    if (refused !== undefined) skip(o.dir, 'kustomization', refused);
    else if (invalidYaml.has(o.file.path)) skip(o.dir, 'kustomization', `${o.file.path} is not valid YAML`);
    else if (!kustomize) {
      const which = opts.tools?.kustomize ?? opts.tools?.kubectl;
      skip(o.dir, 'kustomization', which !== undefined ? `kustomize tool not found (${[opts.tools?.kustomize, opts.tools?.kubectl].filter(Boolean).join(', ')})` : 'neither kustomize nor kubectl is on PATH', o.file.path);
    } else overlays.push(o);
  }
  const helm = findExecutable(opts.tools?.helm ?? 'helm', path);
  const toRender: { chart: ChartRoot; cfg: HelmChartConfig }[] = [];
  for (const chart of charts) {
    const cfg = chartConfig.get(chart) ?? {};
    if (chart.invalid) {
      diagnostics.push({ file: chart.file.path, line: chart.invalid.line, severity: 'error', message: chart.invalid.message });
      skip(chart.dir, 'helm-chart', 'Chart.yaml is not valid YAML');
      continue;
    }
    if (chart.missingDeps.length > 0) {
      for (const d of chart.missingDeps) {
        diagnostics.push({ file: d.file, line: d.line, severity: 'error', message: `dependency "${d.name}" is not vendored under ${chart.dir}/charts/; netpol never runs helm dependency update (no network), so the chart is not rendered. Commit charts/${d.name} (or its .tgz).` });
      }
      skip(chart.dir, 'helm-chart', `dependencies not vendored under charts/: ${chart.missingDeps.map((d) => d.name).join(', ')}`);
      continue;
    }
    const missingValues = (cfg.values ?? []).filter((v) => !inputAbs.has(posix.resolve(chart.dirAbs, v)));
    if (missingValues.length > 0) {
      diagnostics.push({ file: chart.file.path, line: 1, severity: 'error', message: `values file${missingValues.length > 1 ? 's' : ''} ${missingValues.map((v) => `"${v}"`).join(', ')} named in helm.charts["${chart.dir}"] not found (relative to the chart directory); the chart is not rendered` });
      skip(chart.dir, 'helm-chart', `values files not found: ${missingValues.join(', ')}`);
      continue;
    }
    if (!helm) {
      skip(chart.dir, 'helm-chart', opts.tools?.helm !== undefined ? `helm not found (${opts.tools.helm})` : 'helm is not on PATH', chart.file.path);
      continue;
    }
    toRender.push({ chart, cfg });
  }

  if (overlays.length + toRender.length > 0) {
    const work = await mkdtemp(join(tmpdir(), 'netpol-render-'));
    try {
      const tempRoot = join(work, 'in');
      const home = join(work, 'home');
      await mkdir(home, { recursive: true });
      const annotate = new Set(overlays.filter((o) => o.canAnnotateOrigins).map((o) => o.file));
      const written = await writeInputs(tempRoot, files, binaries, baseDir, (f) =>
        annotate.has(f) ? `${f.text}${f.text.endsWith('\n') || f.text === '' ? '' : '\n'}${ORIGIN_LINE}\n` : f.text,
      );
      diagnostics.push(...written.diagnostics);
      const displayOf = written.displayOf;
      const textByAbs = new Map(files.map((f) => [absPath(baseDir, f.path), f.text]));
      const toDisplay = (abs: string): string => displayOf.get(abs) ?? (posix.relative(baseDir, abs).startsWith('../') ? abs : posix.relative(baseDir, abs));
      const runOpts: RunToolOptions = { cwd: tempRoot, env: toolEnv(path, home), timeoutMs, maxOutputBytes };
      const bounded = (run: ToolRun, what: string): string | undefined =>
        run.status === 'timeout'
          ? `${what} timed out after ${Math.round(timeoutMs / 1000)} s`
          : run.status === 'too-large'
            ? `${what} wrote more than ${maxOutputBytes} bytes`
            : run.status === 'spawn-error'
              ? `${what} could not be started: ${run.error}`
              : undefined;

      for (const o of overlays) {
        const run = await kustomizeBuild(kustomize!, posix.join(tempRoot, o.dirAbs), runOpts);
        const problem = bounded(run, `kustomize build of ${o.dir}`);
        if (problem) {
          skip(o.dir, 'kustomization', problem);
          diagnostics.push({ file: o.file.path, line: 1, severity: 'error', message: `${problem}; not analysed` });
          continue;
        }
        if (run.code !== 0) {
          const d = parseKustomizeError(run.stderr, { overlay: o, roots, tempRoot, displayOf, baseDir, textOf: (abs) => textByAbs.get(abs) });
          diagnostics.push(d);
          skip(o.dir, 'kustomization', `kustomize build failed (${d.file}:${d.line})`);
          continue;
        }
        const file = `${o.dir} (kustomize)`;
        const out = rewriteRendered(run.stdout, {
          file,
          originOf: ({ annotation }) => (annotation !== undefined ? toDisplay(posix.resolve(o.dirAbs, annotation)) : undefined),
        });
        diagnostics.push(...out.diagnostics);
        units.push({ path: o.dir, kind: 'kustomization', file: { path: file, text: out.text }, origins: out.origins });
      }

      for (const { chart, cfg } of toRender) {
        const namespace = cfg.namespace ?? config.defaultNamespace ?? 'default';
        const run = await helmTemplate(
          helm!,
          {
            release: cfg.releaseName ?? chart.name,
            chartDir: posix.join(tempRoot, chart.dirAbs),
            namespace,
            values: (cfg.values ?? []).map((v) => posix.join(tempRoot, posix.resolve(chart.dirAbs, v))),
          },
          runOpts,
        );
        const problem = bounded(run, `helm template of ${chart.dir}`);
        if (problem) {
          skip(chart.dir, 'helm-chart', problem);
          diagnostics.push({ file: chart.file.path, line: 1, severity: 'error', message: `${problem}; not analysed` });
          continue;
        }
        if (run.code !== 0) {
          const d = parseHelmError(run.stderr, chart, tempRoot);
          diagnostics.push(d);
          skip(chart.dir, 'helm-chart', `helm template failed (${d.file}:${d.line})`);
          continue;
        }
        const file = `${chart.dir} (helm)`;
        const prefix = `${chart.name}/`;
        const out = rewriteRendered(run.stdout, {
          file,
          originOf: ({ comment }) => (comment?.startsWith(prefix) ? `${chart.dir}/${comment.slice(prefix.length)}` : comment),
          ...(cfg.namespace !== undefined ? { namespace: cfg.namespace } : {}),
        });
        diagnostics.push(...out.diagnostics);
        units.push({ path: chart.dir, kind: 'helm-chart', file: { path: file, text: out.text }, origins: out.origins });
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  const outFiles = [...raw, ...units.map((u) => u.file)];
  const rest = [...raw, ...units.filter((u) => u.kind === 'helm-chart').map((u) => u.file)];
  const perOverlay = config.kustomize?.mode === 'per-overlay' ? units.filter((u) => u.kind === 'kustomization') : [];
  const sets = perOverlay.length > 0 ? perOverlay.map((u) => ({ overlay: u.path, files: [...rest, u.file] })) : [{ files: outFiles }];
  return { files: outFiles, diagnostics, skipped, units, sets };
}
