// `netpol matrix --format csv`: src,dst,ports (RFC 4180). Data only, so spreadsheets and scripts can read it;
// the CLI prints what was analysed on stderr.
import type { ReachabilityMatrix } from '../engine/matrix.js';
import { selectMatrix, type MatrixRenderOptions } from './matrixSelection.js';

export function matrixCsv(matrix: ReachabilityMatrix, opts: MatrixRenderOptions = {}): string {
  const rows = [['src', 'dst', 'ports']];
  for (const c of selectMatrix(matrix, opts).connections) rows.push([c.src.id, c.dst.id, c.ports.toShortString()]);
  return rows.map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
}

/**
 * Quote fields with separators or quotes (doubling quotes). A field starting with = + - @ would run as a
 * formula in a spreadsheet; no id or port text starts with one, but a tab-prefix keeps that true for any input.
 */
function csvField(value: string): string {
  const v = /^[=+\-@]/.test(value) ? `\t${value}` : value;
  return /[",\r\n\t]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
