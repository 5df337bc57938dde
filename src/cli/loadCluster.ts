import { posix } from 'node:path';
import { buildCluster } from '../manifests/buildCluster.js';
import type { Cluster, ManifestFile, SkippedObject } from '../manifests/model.js';
import { readManifestFiles } from '../manifests/readFiles.js';
import { checkCliObjects, limitFiles } from './limits.js';
import { readGitRenderInputs, readRenderInputs, renderManifests, skippedObjects, type BinaryFile, type RenderConfig } from '../manifests/render/index.js';
import { UsageError, type ParsedArgs } from './args.js';
import type { CliSettings } from './settings.js';
import type { LoadOptions } from '../manifests/model.js';

export { RENDER_FLAGS } from './flags.js';

export interface RenderFlags {
  /** false with --no-render: kustomization and chart directories are read raw, as before rendering existed. */
  readonly render: boolean;
  /** --overlay GLOB (repeatable): the kustomization directories to render instead of the leaves. */
  readonly overlays?: readonly string[];
  /** --helm-values CHART_DIR=FILE (repeatable), FILE relative to the working directory. */
  readonly helmValues?: ReadonlyMap<string, readonly string[]>;
}

export function renderFlags(args: ParsedArgs): RenderFlags {
  const overlays = args.flags.get('overlay');
  const helmValues = new Map<string, string[]>();
  for (const v of args.flags.get('helm-values') ?? []) {
    const eq = v.indexOf('=');
    if (eq <= 0 || eq === v.length - 1) throw new UsageError(`--helm-values expects CHART_DIR=VALUES_FILE, got "${v}"`);
    const chart = v.slice(0, eq);
    helmValues.set(chart, [...(helmValues.get(chart) ?? []), v.slice(eq + 1)]);
  }
  return { render: !args.flags.has('no-render'), ...(overlays ? { overlays } : {}), ...(helmValues.size > 0 ? { helmValues } : {}) };
}

/** One cluster to analyse: the whole input (merged), or one overlay of `kustomize.mode: per-overlay`. */
export interface OverlayCluster {
  readonly overlay?: string;
  readonly cluster: Cluster;
}

/** Read files/directories (or `-` for stdin), render overlays and charts, and build the cluster, keeping read errors as diagnostics. */
export async function loadCluster(
  paths: readonly string[],
  opts: { settings: CliSettings; readStdin?: () => Promise<string> },
): Promise<Cluster> {
  return merged(await loadClusterSets(paths, { ...opts, settings: { ...opts.settings, perOverlay: false } }));
}

/** As loadCluster, but one cluster per overlay when the configuration says `kustomize.mode: per-overlay`. */
export async function loadClusterSets(
  paths: readonly string[],
  opts: { settings: CliSettings & { perOverlay?: boolean }; readStdin?: () => Promise<string> },
): Promise<OverlayCluster[]> {
  const { files, diagnostics } = await readManifestFiles([...paths], opts.readStdin ? { readStdin: opts.readStdin } : {});
  if (!opts.settings.render.render) return [{ cluster: clusterOf(files, opts.settings.load, diagnostics) }];
  const extra = await readRenderInputs(paths, files);
  return renderedClusterSets([...files, ...extra.files], opts.settings, {
    binaryFiles: extra.binaryFiles,
    diagnostics: [...diagnostics, ...extra.diagnostics],
  });
}

function merged(sets: readonly OverlayCluster[]): Cluster {
  return sets[0]!.cluster;
}

/** Render then build (the --git path gives files read from git objects; `baseDir` resolves their paths). */
export async function renderedClusterSets(
  files: ManifestFile[],
  settings: CliSettings & { perOverlay?: boolean },
  more: { binaryFiles?: readonly BinaryFile[]; diagnostics?: Cluster['diagnostics']; baseDir?: string } = {},
): Promise<OverlayCluster[]> {
  if (!settings.render.render) return [{ cluster: clusterOf(files, settings.load, more.diagnostics) }];
  const baseDir = more.baseDir ?? process.cwd();
  const rendered = await renderManifests(files, {
    config: renderConfig(settings, baseDir),
    baseDir,
    ...(more.binaryFiles ? { binaryFiles: more.binaryFiles } : {}),
  });
  const notes = [...(more.diagnostics ?? []), ...rendered.diagnostics];
  const skipped = skippedObjects(rendered.skipped);
  const perOverlay = (settings.perOverlay ?? true) && settings.config.kustomize?.mode === 'per-overlay' && rendered.sets.some((x) => x.overlay !== undefined);
  if (!perOverlay) return [{ cluster: clusterOf(rendered.files, settings.load, notes, skipped) }];
  return rendered.sets.map((set) => ({
    ...(set.overlay !== undefined ? { overlay: set.overlay } : {}),
    cluster: clusterOf(set.files, settings.load, notes, skipped),
  }));
}

/** The config file's kustomize/helm keys, with --overlay and --helm-values taking precedence. */
function renderConfig(settings: CliSettings, baseDir: string): RenderConfig {
  const { config, render: flags } = settings;
  const charts: Record<string, { values?: readonly string[]; releaseName?: string; namespace?: string }> = { ...(config.helm?.charts ?? {}) };
  for (const [chart, values] of flags.helmValues ?? []) {
    const chartAbs = posix.resolve(baseDir, chart);
    // Config values are relative to the chart; on the command line they are relative to the working directory.
    charts[chart] = { ...charts[chart], values: values.map((v) => posix.relative(chartAbs, posix.resolve(baseDir, v))) };
  }
  const overlays = flags.overlays ?? config.kustomize?.overlays;
  const mode = config.kustomize?.mode;
  return {
    defaultNamespace: config.defaultNamespace,
    ...(overlays || mode ? { kustomize: { ...(overlays ? { overlays } : {}), ...(mode ? { mode } : {}) } } : {}),
    ...(Object.keys(charts).length > 0 ? { helm: { charts } } : {}),
  };
}

export function clusterOf(
  files: ManifestFile[],
  load: LoadOptions,
  extra: Cluster['diagnostics'] = [],
  skipped: readonly SkippedObject[] = [],
): Cluster {
  // --max-file-bytes: a file over it is an error diagnostic; --max-objects: a side over it stops the command.
  const limited = limitFiles(files);
  if (limited.diagnostics.length > 0) {
    files = limited.files;
    extra = [...extra, ...limited.diagnostics];
  }
  const cluster = buildCluster(files, load);
  checkCliObjects(cluster);
  if (extra.length === 0 && skipped.length === 0) return cluster;
  return { ...cluster, diagnostics: [...extra, ...cluster.diagnostics], skipped: [...skipped, ...cluster.skipped] };
}

/** `netpol diff --git`: one side read from git objects, plus the files rendering needs at that commit. */
export async function gitClusterSets(
  commit: string,
  cwd: string,
  pathspec: readonly string[],
  files: ManifestFile[],
  settings: CliSettings,
): Promise<OverlayCluster[]> {
  if (!settings.render.render) return [{ cluster: clusterOf(files, settings.load) }];
  const extra = await readGitRenderInputs(commit, cwd, pathspec, files);
  // Paths from git are relative to the repository root; resolve them (and --helm-values) against cwd.
  return renderedClusterSets([...files, ...extra.files], settings, { binaryFiles: extra.binaryFiles, baseDir: cwd });
}
