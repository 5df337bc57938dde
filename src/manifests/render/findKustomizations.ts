// Finds the kustomization roots among the input files and reads what rendering needs from each: the
// entries that include other directories (resources, bases, components), with their lines.
import { yamlModule } from '../lazyYaml.js';
import type { Diagnostic, ManifestFile } from '../model.js';
import { absPath, displayDir } from './paths.js';

export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export interface KustomizationRef {
  readonly field: 'resources' | 'bases' | 'components';
  readonly entry: string;
  readonly line: number;
}

export interface KustomizationRoot {
  /** Display directory, e.g. `k8s/overlays/prod`. */
  readonly dir: string;
  readonly dirAbs: string;
  readonly file: ManifestFile;
  readonly refs: readonly KustomizationRef[];
  /** Line of a `helmCharts:` key, which needs `--enable-helm` (never passed). */
  readonly helmChartsLine?: number;
  /** `kind: Component`: only ever included, never built on its own. */
  readonly isComponent: boolean;
  /** A top-level block mapping without `buildMetadata`, to which origin annotations can be appended. */
  readonly canAnnotateOrigins: boolean;
}

/** Every kustomization file of the input, parsed; a file that is not YAML gives an error diagnostic. */
export function findKustomizations(
  files: readonly ManifestFile[],
  baseDir: string,
): { roots: KustomizationRoot[]; diagnostics: Diagnostic[] } {
  const roots: KustomizationRoot[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    const base = file.path.slice(file.path.lastIndexOf('/') + 1);
    if (!(KUSTOMIZATION_NAMES as readonly string[]).includes(base)) continue;
    const dir = displayDir(file.path);
    const { isMap, isScalar, isSeq, LineCounter, parseDocument } = yamlModule();
    const lc = new LineCounter();
    const doc = parseDocument(file.text, { lineCounter: lc, uniqueKeys: false });
    const refs: KustomizationRef[] = [];
    let helmChartsLine: number | undefined;
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      diagnostics.push({ file: file.path, line: e.linePos?.[0]?.line ?? 1, severity: 'error', message: `kustomization is not valid YAML: ${e.message.split('\n')[0]}` });
    } else if (isMap(doc.contents)) {
      for (const pair of doc.contents.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        if (key === 'helmCharts' && isScalar(pair.key) && pair.key.range) helmChartsLine = lc.linePos(pair.key.range[0]).line;
        if (key !== 'resources' && key !== 'bases' && key !== 'components') continue;
        if (!isSeq(pair.value)) continue;
        for (const item of pair.value.items) {
          if (isScalar(item) && typeof item.value === 'string') {
            refs.push({ field: key, entry: item.value, line: item.range ? lc.linePos(item.range[0]).line : 1 });
          }
        }
      }
    }
    const contents = doc.contents;
    const canAnnotateOrigins =
      doc.errors.length === 0 && isMap(contents) && !contents.flow && !contents.has('buildMetadata') && !/^\.\.\.\s*$/m.test(file.text);
    roots.push({
      dir,
      isComponent: isMap(contents) && doc.get('kind') === 'Component',
      dirAbs: absPath(baseDir, dir),
      file,
      refs,
      ...(helmChartsLine !== undefined ? { helmChartsLine } : {}),
      canAnnotateOrigins,
    });
  }
  roots.sort((a, b) => (a.dirAbs < b.dirAbs ? -1 : a.dirAbs > b.dirAbs ? 1 : 0));
  return { roots, diagnostics };
}
