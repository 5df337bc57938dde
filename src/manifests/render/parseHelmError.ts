// Turns helm's error output into a diagnostic in the chart: `template: web/templates/x.yaml:5:3: ...` and
// `YAML parse error on web/templates/x.yaml: ...` name the template; otherwise the chart's Chart.yaml.
import type { Diagnostic } from '../model.js';
import type { ChartRoot } from './findCharts.js';

export function parseHelmError(stderr: string, chart: ChartRoot, tempRoot: string): Diagnostic {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const raw = (lines.find((l) => l.startsWith('Error: ')) ?? lines.at(-1) ?? 'failed without a message').replace(/^Error: /, '');
  const message = raw.split(tempRoot).join('');
  const prefix = `${chart.name}/`;
  const at = new RegExp(`(?:^|[\\s:])${escapeRe(prefix)}([^\\s:]+)(?::(\\d+))?`).exec(raw);
  const file = at ? `${chart.dir}/${at[1]!}` : chart.file.path;
  const line = at?.[2] !== undefined && !/YAML parse error on/.test(raw) ? Number(at[2]) : 1;
  return { file, line, severity: 'error', message: `helm template of ${chart.dir} failed: ${message}` };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
