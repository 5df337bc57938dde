// Finds the Helm charts among the input files: directories with a Chart.yaml that are not subcharts of
// another chart. Dependencies must already be vendored under charts/ (helm dependency update is never run).
import type { LineCounter } from 'yaml';
import { yamlModule } from '../lazyYaml.js';
import type { ManifestFile } from '../model.js';
import { absPath, displayDir, isWithin } from './paths.js';

export interface ChartRoot {
  readonly dir: string;
  readonly dirAbs: string;
  readonly file: ManifestFile;
  /** `name` of Chart.yaml (the default release name); the directory name when absent. */
  readonly name: string;
  /** Dependencies without a `charts/<name>/` directory or `charts/<name>-*.tgz`, with their lines. */
  readonly missingDeps: readonly { name: string; line: number; file: string }[];
  /** Chart.yaml is not valid YAML: helm would fail; the message. */
  readonly invalid?: { line: number; message: string };
}

export function findCharts(
  files: readonly ManifestFile[],
  binaryPaths: readonly string[],
  baseDir: string,
): ChartRoot[] {
  const candidates = files.filter((f) => f.path === 'Chart.yaml' || f.path.endsWith('/Chart.yaml'));
  if (candidates.length === 0) return [];
  const all = [...files.map((f) => absPath(baseDir, f.path)), ...binaryPaths.map((p) => absPath(baseDir, p))];
  const dirs = candidates.map((f) => absPath(baseDir, displayDir(f.path)));
  const charts: ChartRoot[] = [];
  for (const [i, file] of candidates.entries()) {
    const dirAbs = dirs[i]!;
    // A chart inside another chart's directory is a subchart: helm renders it with its parent.
    if (dirs.some((d) => d !== dirAbs && isWithin(dirAbs, d))) continue;
    const dir = displayDir(file.path);
    const { isMap, LineCounter, parseDocument } = yamlModule();
    const lc = new LineCounter();
    const doc = parseDocument(file.text, { lineCounter: lc });
    let name = dir.slice(dir.lastIndexOf('/') + 1);
    const deps: { name: string; line: number; file: string }[] = [];
    let invalid: ChartRoot['invalid'];
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      invalid = { line: e.linePos?.[0]?.line ?? 1, message: `Chart.yaml is not valid YAML: ${e.message.split('\n')[0]}` };
    } else if (isMap(doc.contents)) {
      const n = doc.get('name');
      if (typeof n === 'string' && n !== '') name = n;
      deps.push(...depsOf(doc.get('dependencies', true), lc, file.path));
    }
    // apiVersion v1 charts list dependencies in requirements.yaml.
    const req = files.find((f) => f.path === `${dir}/requirements.yaml`);
    if (req) {
      const rlc = new LineCounter();
      const rdoc = parseDocument(req.text, { lineCounter: rlc });
      if (rdoc.errors.length === 0 && isMap(rdoc.contents)) deps.push(...depsOf(rdoc.get('dependencies', true), rlc, req.path));
    }
    const vendored = (dep: string): boolean =>
      all.some((p) => isWithin(p, `${dirAbs}/charts/${dep}`) || new RegExp(`^${escapeRe(`${dirAbs}/charts/${dep}-`)}[^/]*\\.tgz$`).test(p));
    charts.push({
      dir,
      dirAbs,
      file,
      name,
      missingDeps: deps.filter((d) => !vendored(d.name)),
      ...(invalid ? { invalid } : {}),
    });
  }
  charts.sort((a, b) => (a.dirAbs < b.dirAbs ? -1 : a.dirAbs > b.dirAbs ? 1 : 0));
  return charts;
}

function depsOf(node: unknown, lc: LineCounter, file: string): { name: string; line: number; file: string }[] {
  const { isMap, isScalar, isSeq } = yamlModule();
  if (!isSeq(node)) return [];
  const out: { name: string; line: number; file: string }[] = [];
  for (const item of node.items) {
    if (!isMap(item)) continue;
    const n = item.get('name', true);
    if (isScalar(n) && typeof n.value === 'string') out.push({ name: n.value, line: n.range ? lc.linePos(n.range[0]).line : 1, file });
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
