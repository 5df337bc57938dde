// Path helpers of the rendering step. Inputs keep the paths users gave (`./k8s/a.yaml`, `k8s/a.yaml`, or
// absolute); containment is decided on absolute POSIX paths resolved against one base directory.
import { posix } from 'node:path';

/** The absolute form of an input path. */
export function absPath(baseDir: string, p: string): string {
  return posix.resolve(baseDir, p.replace(/\\/g, '/'));
}

/** The directory of a display path, in display form (`k8s/base/kustomization.yaml` -> `k8s/base`). */
export function displayDir(p: string): string {
  const d = posix.dirname(p.replace(/\\/g, '/'));
  return d.length > 1 && d.endsWith('/') ? d.slice(0, -1) : d;
}

/** true when `abs` is `dirAbs` itself or inside it. */
export function isWithin(abs: string, dirAbs: string): boolean {
  return abs === dirAbs || abs.startsWith(dirAbs === '/' ? '/' : `${dirAbs}/`);
}

/** A display path without `./` and trailing slashes, for matching globs and config keys. */
export function cleanPath(p: string): string {
  const n = posix.normalize(p.replace(/\\/g, '/'));
  const s = n.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  return s === '' ? '.' : s;
}
