import type { DiffLine } from '../diff/types.js';

/** The sections of a diff, in reading order, with their headings: the same in markdown and text. */
export const DIFF_SECTIONS: readonly [DiffLine['direction'], string][] = [
  ['opened', 'Opened'],
  ['closed', 'Closed'],
  ['isolation', 'Isolation'],
  ['added', 'New workloads'],
  ['removed', 'Removed workloads'],
];
