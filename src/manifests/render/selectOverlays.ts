// Which kustomizations are rendered: by default the leaves (the ones no other kustomization includes, i.e.
// the overlays one would `kubectl apply -k`); with `kustomize.overlays`, the ones whose directory matches.
import { createRequire } from 'node:module';
import type { Diagnostic } from '../model.js';
import type { KustomizationRoot } from './findKustomizations.js';
import { cleanPath } from './paths.js';

// picomatch is loaded when a glob is given: every `netpol` run imported it at start-up (a few ms of
// CommonJS loading) for the rare configuration that names overlays. CommonJS, so `require` gives what
// `import` would.
type Picomatch = typeof import('picomatch');
let picomatchModule: Picomatch | undefined;
const picomatch = (glob: string, options: { dot: boolean }) =>
  (picomatchModule ??= createRequire(import.meta.url)('picomatch') as Picomatch)(glob, options);

export interface OverlaySelection {
  readonly selected: KustomizationRoot[];
  /** Leaves that the configured globs leave out (listed as skipped, never silently). */
  readonly unselected: KustomizationRoot[];
  readonly diagnostics: Diagnostic[];
}

export function selectOverlays(
  roots: readonly KustomizationRoot[],
  graph: ReadonlyMap<string, readonly KustomizationRoot[]>,
  globs: readonly string[] | undefined,
  /** The other names of a root's directory a glob may match (relative to the base directory, to the working directory). */
  namesOf: (root: KustomizationRoot) => readonly string[],
): OverlaySelection {
  const included = new Set<KustomizationRoot>();
  for (const targets of graph.values()) for (const t of targets) included.add(t);
  const leaves = roots.filter((r) => !included.has(r) && !r.isComponent);
  if (globs === undefined) return { selected: leaves, unselected: [], diagnostics: [] };
  const diagnostics: Diagnostic[] = [];
  const matchers = globs.map((g) => ({ glob: g, match: picomatch(cleanPath(g), { dot: true }) }));
  const names = new Map(roots.map((r) => [r, [r.dir, ...namesOf(r)].map(cleanPath)]));
  const matchedBy = (m: (typeof matchers)[number], r: KustomizationRoot): boolean => names.get(r)!.some((n) => m.match(n));
  const selected = roots.filter((r) => matchers.some((m) => matchedBy(m, r)));
  for (const m of matchers) {
    if (!roots.some((r) => matchedBy(m, r))) {
      diagnostics.push({ file: m.glob, line: 1, severity: 'warning', message: `kustomize.overlays: "${m.glob}" matches no kustomization directory` });
    }
  }
  return { selected, unselected: leaves.filter((r) => !selected.includes(r)), diagnostics };
}
