// The configuration's defaults without zod: the CLI runs with them unless given --config, and importing the
// schema (zod and every schema object) cost ~75 ms of a `netpol diff` start-up. schema.ts builds its
// defaults from these constants; test/config/defaults.test.ts checks that defaultConfig() equals what the
// schema gives for an empty file.
import type { NetpolConfig } from './schema.js';

export const DEFAULT_LIMITS = { maxFileBytes: 1_048_576, maxObjects: 20_000, timeoutSeconds: 120, onExceeded: 'failure' } as const;

export const DEFAULT_PATHS = ['**/*.yaml', '**/*.yml', '**/*.json'] as const;

/** The configuration used when the repository has no .github/netpol.yml (a fresh object each call). */
export function defaultConfig(): NetpolConfig {
  return {
    paths: [...DEFAULT_PATHS],
    ignore: [],
    defaultNamespace: 'default',
    comment: 'update',
    commentWhen: 'changes',
    failOn: ['opened-from-outside-cluster'],
    limits: { ...DEFAULT_LIMITS },
  };
}
