// Which summary lines grant access that did not exist before. A new workload that is reachable is as much a
// new path as an edited policy, so the gate and the headline count 'added' lines with 'opened' ones.
import type { DiffLine } from './types.js';

export function opensAccess(line: DiffLine): boolean {
  return line.direction === 'opened' || line.direction === 'added';
}
