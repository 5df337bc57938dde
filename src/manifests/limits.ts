// Resource limits of one analysis (`limits` in .github/netpol.yml, `--max-file-bytes`/`--max-objects` in the
// CLI). The loader itself (buildCluster) has no limits: callers apply them around it, so a limit that trips
// always says which one, with the numbers, instead of a crash or a silent cut.
import type { Cluster, Diagnostic, ManifestFile } from './model.js';

export type LimitName = 'maxFileBytes' | 'maxObjects' | 'timeoutSeconds';

/** Thrown (or returned) when a limit stops the analysis. `message` is plain text naming the limit. */
export class LimitExceededError extends Error {
  constructor(
    readonly limit: LimitName,
    message: string,
  ) {
    super(message);
    this.name = 'LimitExceededError';
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 === 0 ? 0 : 1)} KiB`;
  return `${n} bytes`;
}

/**
 * Keep the files of at most `maxFileBytes` bytes (UTF-8); each larger one becomes an error diagnostic on its
 * line 1, so the rest is still analysed. `hint` says how to raise the limit (a config key or a flag).
 */
export function applyFileLimit(
  files: readonly ManifestFile[],
  maxFileBytes: number | undefined,
  hint = 'limits.maxFileBytes',
): { files: ManifestFile[]; diagnostics: Diagnostic[] } {
  if (maxFileBytes === undefined || maxFileBytes <= 0) return { files: [...files], diagnostics: [] };
  const kept: ManifestFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const f of files) {
    // A UTF-16 code unit is at most 3 UTF-8 bytes: count exactly only when the file may be over.
    const bytes = f.text.length * 3 <= maxFileBytes ? 0 : Buffer.byteLength(f.text);
    if (bytes > maxFileBytes) {
      diagnostics.push({ file: f.path, line: 1, severity: 'error', message: fileTooLargeMessage(bytes, maxFileBytes, hint) });
    } else kept.push(f);
  }
  return { files: kept, diagnostics };
}

export function fileTooLargeMessage(bytes: number, maxFileBytes: number, hint: string): string {
  return `file of ${formatBytes(bytes)} (${bytes} bytes) is larger than the limit of ${formatBytes(maxFileBytes)} (${hint} = ${maxFileBytes}); file skipped`;
}

/**
 * Objects one side holds: workloads (each pod of a grouped controller counts), policies, declared namespaces
 * and every skipped object. The matrix costs grow with it, so it is checked before the matrix is computed.
 */
export function objectCount(cluster: Cluster): number {
  let n = cluster.skipped.length + cluster.policies.length + (cluster.adminPolicies?.length ?? 0) + (cluster.baselinePolicy ? 1 : 0);
  for (const w of cluster.workloads) n += w.podCount ?? 1;
  for (const ns of cluster.namespaces.values()) if (ns.declared) n++;
  return n;
}

/** Throws LimitExceededError when `cluster` holds more than `maxObjects` objects. */
export function checkObjectLimit(cluster: Cluster, maxObjects: number | undefined, side: string, hint = 'limits.maxObjects'): void {
  if (maxObjects === undefined || maxObjects <= 0) return;
  const n = objectCount(cluster);
  if (n > maxObjects) {
    throw new LimitExceededError(
      'maxObjects',
      `${side} holds ${n} Kubernetes objects, more than the limit of ${maxObjects} (${hint}); not analysed`,
    );
  }
}

/** Throws LimitExceededError once `Date.now()` is past `deadline` (epoch ms). */
export function checkDeadline(deadline: number | undefined, timeoutSeconds: number | undefined, step: string, now: () => number = Date.now): void {
  if (deadline === undefined || now() <= deadline) return;
  throw new LimitExceededError(
    'timeoutSeconds',
    `the analysis took longer than ${timeoutSeconds ?? '?'} s (limits.timeoutSeconds), stopped ${step}`,
  );
}
