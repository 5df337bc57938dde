// The options each command accepts, apart from the command modules: `netpol --help` and argument errors
// need only these, and loading a command pulls in the engine, the renderers, zod and `yaml`.

export const MATRIX_FLAGS = ['format', 'namespace', 'default-namespace', 'config'];
export const DIFF_FLAGS = ['format', 'base', 'head', 'git', 'max-chars', 'default-namespace', 'config', 'check'];
export const EXPLAIN_FLAGS = ['format', 'from', 'to', 'policy', 'default-namespace', 'config'];
/** Flags of every command that reads manifests: rendering of Kustomize overlays and Helm charts. */
export const RENDER_FLAGS = ['no-render', 'overlay', 'helm-values'] as const;
/** `--max-file-bytes N` and `--max-objects N` (limits.ts). */
export const LIMIT_FLAGS = ['max-file-bytes', 'max-objects'] as const;
