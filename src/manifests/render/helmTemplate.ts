// `helm template <release> <chart> --namespace <ns> -f <values>... --skip-tests`: client-side only (no
// --validate, no cluster), never --dependency-update (vendored charts/ only), never a repository lookup.
import { runTool, type RunToolOptions, type ToolRun } from './runTool.js';

export interface HelmTemplateInput {
  readonly release: string;
  readonly chartDir: string;
  readonly namespace: string;
  /** Absolute paths of values files, in order. */
  readonly values: readonly string[];
}

/** The exact arguments (tests assert them). Test pods (`helm test` hooks) are not workloads: --skip-tests. */
export function helmTemplateArgs(input: HelmTemplateInput): string[] {
  return [
    'template',
    input.release,
    input.chartDir,
    '--namespace',
    input.namespace,
    ...input.values.flatMap((v) => ['-f', v]),
    '--skip-tests',
  ];
}

export function helmTemplate(helm: string, input: HelmTemplateInput, opts: RunToolOptions): Promise<ToolRun> {
  return runTool(helm, helmTemplateArgs(input), opts);
}
