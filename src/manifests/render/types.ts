// Shared types of the rendering step (Kustomize overlays and Helm charts -> plain manifests).
import type { Diagnostic, ManifestFile } from '../model.js';

export type RenderKind = 'kustomization' | 'helm-chart';

/** The part of the configuration rendering reads (the `kustomize` and `helm` keys of .github/netpol.yml). */
export interface RenderConfig {
  readonly kustomize?: {
    /** Globs of overlay directories to render; default: the leaves (kustomizations nothing else includes). */
    readonly overlays?: readonly string[];
    /** One merged set of files, or one set per overlay. Default `merged`. */
    readonly mode?: 'merged' | 'per-overlay';
  };
  readonly helm?: {
    /** Per chart directory (relative to the repository root, or to the CLI's working directory). */
    readonly charts?: Readonly<Record<string, HelmChartConfig>>;
  };
  /** Namespace of a chart's release when its config names none. Default `default`. */
  readonly defaultNamespace?: string;
}

export interface HelmChartConfig {
  /** Values files, relative to the chart directory, passed as `-f` in order. */
  readonly values?: readonly string[];
  /** Default: the chart's name from Chart.yaml. */
  readonly releaseName?: string;
  /** `--namespace`; objects without metadata.namespace are put there. Default: the default namespace. */
  readonly namespace?: string;
}

/** Paths of the external tools; default: looked up on PATH (`kustomize`, else `kubectl kustomize`; `helm`). */
export interface RenderTools {
  readonly kustomize?: string;
  readonly kubectl?: string;
  readonly helm?: string;
}

export interface RenderOptions {
  readonly config?: RenderConfig;
  readonly tools?: RenderTools;
  /** Bound of one tool run. Default 60 s. */
  readonly timeoutMs?: number;
  /** Bound of one tool's standard output. Default 32 MiB. */
  readonly maxOutputBytes?: number;
  /** Environment used to find tools (PATH); default process.env. Tools never get the rest of it. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths are resolved against (the CLI's cwd; the repository root for the app). */
  readonly baseDir?: string;
  /**
   * The CLI's working directory when the files are named relative to another `baseDir` (each side of
   * `netpol diff --base DIR --head DIR`): overlay globs also match directories named relative to it, as
   * they did when the files were named so. Default `baseDir`.
   */
  readonly cwd?: string;
  /** Binary inputs (vendored chart dependencies `charts/*.tgz`) written next to the text files. */
  readonly binaryFiles?: readonly BinaryFile[];
}

export interface BinaryFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** An overlay or chart that was not rendered, and why. */
export interface RenderSkip {
  /** The directory of the overlay or chart, as given in the input paths. */
  readonly path: string;
  readonly kind: RenderKind;
  readonly reason: string;
  /** Its kustomization file or Chart.yaml, for pointing at it. */
  readonly file: string;
}

/** Where one rendered object came from, when the renderer says so. */
export interface RenderedOrigin {
  /** The synthetic file the object is in, e.g. `overlays/prod (kustomize)`. */
  readonly file: string;
  /** Index of the object's YAML document in that file. */
  readonly doc: number;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** The input file the object was written in, e.g. `base/deployment.yaml`. */
  readonly source: string;
}

/** One overlay or chart that rendered. */
export interface RenderedUnit {
  readonly path: string;
  readonly kind: RenderKind;
  /** The synthetic file holding its output. */
  readonly file: ManifestFile;
  readonly origins: readonly RenderedOrigin[];
}

/** One set of files to analyse as one cluster. */
export interface RenderedSet {
  /** The overlay of this set (per-overlay mode); undefined for the merged set. */
  readonly overlay?: string;
  readonly files: ManifestFile[];
}

export interface RenderResult {
  /** Input files not under a rendered directory, then one synthetic file per rendered overlay and chart. */
  readonly files: ManifestFile[];
  readonly diagnostics: Diagnostic[];
  readonly skipped: RenderSkip[];
  readonly units: RenderedUnit[];
  /** `merged`: one set equal to `files`; `per-overlay`: one set per overlay (raw files + charts + that overlay). */
  readonly sets: RenderedSet[];
}
