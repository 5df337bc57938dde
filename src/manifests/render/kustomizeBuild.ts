// `kustomize build` (standalone binary) or `kubectl kustomize`, with remote loading and plugins off:
// files may only be loaded from inside each kustomization's root, no --enable-alpha-plugins, no --enable-helm.
import { findExecutable } from './findExecutable.js';
import { runTool, type RunToolOptions, type ToolRun } from './runTool.js';
import type { RenderTools } from './types.js';

export interface KustomizeTool {
  readonly command: string;
  /** How it is invoked: `kustomize build <dir>` or `kubectl kustomize <dir>`. */
  readonly via: 'kustomize' | 'kubectl';
}

/** `kustomize` if there is one (configured or on PATH), else `kubectl`; undefined when neither exists. */
export function findKustomize(tools: RenderTools | undefined, path: string | undefined): KustomizeTool | undefined {
  const k = tools?.kustomize !== undefined ? findExecutable(tools.kustomize, path) : findExecutable('kustomize', path);
  if (k) return { command: k, via: 'kustomize' };
  const c = tools?.kubectl !== undefined ? findExecutable(tools.kubectl, path) : findExecutable('kubectl', path);
  return c ? { command: c, via: 'kubectl' } : undefined;
}

/** The exact arguments; never --enable-alpha-plugins, --enable-exec, --enable-helm or LoadRestrictionsNone. */
export function kustomizeArgs(tool: KustomizeTool, dir: string): string[] {
  return [...(tool.via === 'kustomize' ? ['build'] : ['kustomize']), dir, '--load-restrictor', 'LoadRestrictionsRootOnly'];
}

export function kustomizeBuild(tool: KustomizeTool, dir: string, opts: RunToolOptions): Promise<ToolRun> {
  return runTool(tool.command, kustomizeArgs(tool, dir), opts);
}
