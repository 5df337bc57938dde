import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { buildCluster } from '../manifests/buildCluster.js';
import type { Cluster, ManifestFile, SkippedObject } from '../manifests/model.js';
import { readManifestFiles } from '../manifests/readFiles.js';
import type { TwinFiles } from './twinFiles.js';
import { checkCliObjects, limitFiles } from './limits.js';
import { readGitRenderInputs, readRenderInputs, renderManifests, ROOT_MARKERS, skippedObjects, type BinaryFile, type RenderConfig } from '../manifests/render/index.js';
import { absPath, isWithin } from '../manifests/render/paths.js';
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

/** How `netpol diff` loads one side. */
export interface SideOptions {
  /**
   * The side's one directory (`--base DIR`): its files are named relative to it, as `--git` names them relative
   * to the repository root, so the same file at both sides has the same name and gives the same records.
   */
  readonly dir?: string;
  /** How the --max-objects message names the side (`the head (DIR)`); default `the input`. */
  readonly side?: string;
  /** With `dir`: the texts and file objects of the other side, read first, that this side's equal files take (see TwinFiles). */
  readonly twin?: TwinFiles;
}

/** As loadCluster, but one cluster per overlay when the configuration says `kustomize.mode: per-overlay`. */
export async function loadClusterSets(
  paths: readonly string[],
  opts: { settings: CliSettings & { perOverlay?: boolean }; readStdin?: () => Promise<string> } & SideOptions,
): Promise<OverlayCluster[]> {
  const cwd = process.cwd();
  const name = opts.dir === undefined ? undefined : relativeName(opts.dir, cwd);
  const read = await readManifestFiles([...paths], {
    ...(opts.readStdin ? { readStdin: opts.readStdin } : {}),
    ...(opts.twin && name ? { readText: opts.twin.reader(name) } : {}),
    ...(opts.settings.render.render ? { markers: ROOT_MARKERS } : {}),
  });
  const named = <T extends { readonly path: string }>(xs: readonly T[]): T[] => (name ? xs.map((x) => ({ ...x, path: name(x.path) })) : [...xs]);
  const twin = opts.twin;
  // A manifest equal at both sides is one file object (see TwinFiles).
  const namedFiles = (xs: readonly ManifestFile[]): ManifestFile[] =>
    twin && name ? xs.map((x) => twin.same({ path: name(x.path), text: x.text })) : named(xs);
  const namedNotes = (ds: Cluster['diagnostics']): Cluster['diagnostics'] => (name ? ds.map((d) => ({ ...d, file: name(d.file) })) : ds);
  const files = namedFiles(read.files);
  const diagnostics = namedNotes(read.diagnostics);
  const side = opts.side !== undefined ? { side: opts.side } : {};
  if (!opts.settings.render.render) return [{ cluster: clusterOf(files, opts.settings.load, diagnostics, [], opts.side) }];
  // Render inputs are found on disk from the paths as given, then named as the manifests are.
  const extra = await readRenderInputs(paths, read.files, process.cwd(), read.marked);
  return renderedClusterSets(
    [...files, ...named(extra.files)],
    opts.settings,
    {
      binaryFiles: named(extra.binaryFiles),
      diagnostics: [...diagnostics, ...namedNotes(extra.diagnostics)],
      // Rendering resolves the side's paths against its directory; --overlay and --helm-values stay relative to cwd.
      ...(opts.dir !== undefined ? { baseDir: absPath(cwd, opts.dir), cwd } : {}),
      ...side,
    },
  );
}

/** `paths` when it is one directory (not `-`, not a file, not several paths): what `netpol diff` names a side's files relative to. */
export async function soleDirectory(paths: readonly string[]): Promise<string | undefined> {
  if (paths.length !== 1 || paths[0] === '-') return undefined;
  try {
    return (await stat(paths[0]!)).isDirectory() ? paths[0] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A path as given (relative to `cwd`) -> relative to `dir`: `base/ns/a.yaml` -> `ns/a.yaml`; a file outside
 * it (a kustomization's base) -> `../common/a.yaml`; `dir` itself stays as given (a diagnostic about it).
 */
function relativeName(dir: string, cwd: string): (p: string) => string {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const dirAbs = absPath(cwd, dir);
  return (p) => {
    // The walk joins the directory as given with one slash: the common case is a prefix.
    if (p.startsWith(prefix) && p.length > prefix.length && !p.startsWith('./', prefix.length) && !p.startsWith('../', prefix.length)) return p.slice(prefix.length);
    const rel = posix.relative(dirAbs, absPath(cwd, p));
    return rel === '' ? p : rel;
  };
}

/**
 * --helm-values of one side of `netpol diff --base DIR --head DIR`: a chart inside the other side's directory
 * (and not this one's) is that side's alone, so it is not looked for (and warned about) here.
 */
export function sideRenderFlags(flags: RenderFlags, dir: string, otherDir: string, cwd: string): RenderFlags {
  if (!flags.helmValues) return flags;
  const [mine, other] = [absPath(cwd, dir), absPath(cwd, otherDir)];
  const kept = [...flags.helmValues].filter(([chart]) => {
    const abs = absPath(cwd, chart);
    return isWithin(abs, mine) || !isWithin(abs, other);
  });
  const { helmValues: _, ...rest } = flags;
  return kept.length > 0 ? { ...rest, helmValues: new Map(kept) } : rest;
}

function merged(sets: readonly OverlayCluster[]): Cluster {
  return sets[0]!.cluster;
}

/** Render then build (the --git path gives files read from git objects; `baseDir` resolves their paths). */
export async function renderedClusterSets(
  files: ManifestFile[],
  settings: CliSettings & { perOverlay?: boolean },
  more: {
    binaryFiles?: readonly BinaryFile[];
    diagnostics?: Cluster['diagnostics'];
    baseDir?: string;
    /** What --overlay and --helm-values are relative to, when not `baseDir` (default). */
    cwd?: string;
    /** How the --max-objects message names the side. */
    side?: string;
  } = {},
): Promise<OverlayCluster[]> {
  if (!settings.render.render) return [{ cluster: clusterOf(files, settings.load, more.diagnostics, [], more.side) }];
  const baseDir = more.baseDir ?? process.cwd();
  const cwd = more.cwd ?? baseDir;
  const rendered = await renderManifests(files, {
    config: renderConfig(settings, baseDir, cwd),
    baseDir,
    ...(cwd !== baseDir ? { cwd } : {}),
    ...(more.binaryFiles ? { binaryFiles: more.binaryFiles } : {}),
  });
  const notes = [...(more.diagnostics ?? []), ...rendered.diagnostics];
  const skipped = skippedObjects(rendered.skipped);
  const perOverlay = (settings.perOverlay ?? true) && settings.config.kustomize?.mode === 'per-overlay' && rendered.sets.some((x) => x.overlay !== undefined);
  if (!perOverlay) return [{ cluster: clusterOf(rendered.files, settings.load, notes, skipped, more.side) }];
  return rendered.sets.map((set) => ({
    ...(set.overlay !== undefined ? { overlay: set.overlay } : {}),
    cluster: clusterOf(set.files, settings.load, notes, skipped, more.side),
  }));
}

/** The config file's kustomize/helm keys, with --overlay and --helm-values taking precedence. */
function renderConfig(settings: CliSettings, baseDir: string, cwd: string): RenderConfig {
  const { config, render: flags } = settings;
  const charts: Record<string, { values?: readonly string[]; releaseName?: string; namespace?: string }> = { ...(config.helm?.charts ?? {}) };
  for (const [chart, values] of flags.helmValues ?? []) {
    const chartAbs = absPath(cwd, chart);
    // Config values are relative to the chart; on the command line they are relative to the working directory.
    // The chart is named as the files are (relative to baseDir: a side's directory in `netpol diff`).
    const key = cwd === baseDir ? chart : posix.relative(baseDir, chartAbs) || '.';
    charts[key] = { ...charts[key], values: values.map((v) => posix.relative(chartAbs, absPath(cwd, v))) };
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
  side?: string,
): Cluster {
  // --max-file-bytes: a file over it is an error diagnostic; --max-objects: a side over it stops the command.
  const limited = limitFiles(files);
  if (limited.diagnostics.length > 0) {
    files = limited.files;
    extra = [...extra, ...limited.diagnostics];
  }
  const cluster = buildCluster(files, load);
  checkCliObjects(cluster, side);
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
  side?: string,
): Promise<OverlayCluster[]> {
  if (!settings.render.render) return [{ cluster: clusterOf(files, settings.load, [], [], side) }];
  const extra = await readGitRenderInputs(commit, cwd, pathspec, files);
  // Paths from git are relative to the repository root; resolve them (and --helm-values) against cwd.
  return renderedClusterSets([...files, ...extra.files], settings, { binaryFiles: extra.binaryFiles, baseDir: cwd, ...(side !== undefined ? { side } : {}) });
}
