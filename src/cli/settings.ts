// What the CLI reads manifests with: `--config FILE` (the app's .github/netpol.yml, so a laptop run and the
// pull-request check agree), overridden by flags.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { load } from 'js-yaml';
import { loadOptionsOf } from '../config/loadOptions.js';
import { defaultConfig } from '../config/defaults.js';
import type { NetpolConfig } from '../config/schema.js';
import type { LoadOptions } from '../manifests/model.js';
import { flag, UsageError, type ParsedArgs } from './args.js';
import { setCliLimits } from './limits.js';
import { renderFlags, type RenderFlags } from './loadCluster.js';

export const CONFIG_FLAGS = ['config'] as const;

export interface CliSettings {
  readonly config: NetpolConfig;
  readonly load: LoadOptions;
  readonly render: RenderFlags;
}

export async function cliSettings(args: ParsedArgs, cwd: string): Promise<CliSettings> {
  const path = flag(args, 'config');
  let config: NetpolConfig = defaultConfig();
  if (path !== undefined) {
    let raw: unknown;
    try {
      raw = load(await readFile(resolve(cwd, path), 'utf8'));
    } catch (e) {
      throw new UsageError(`--config ${path}: ${(e as Error).message.split('\n')[0]}`);
    }
    // The schema (and zod) only when there is a file to validate: see config/defaults.ts.
    const { parseConfig } = await import('../config/schema.js');
    const parsed = parseConfig(raw);
    if (!parsed.ok) throw new UsageError(`--config ${path}: ${parsed.error}`);
    config = parsed.config;
  }
  const defaultNamespace = flag(args, 'default-namespace') ?? config.defaultNamespace;
  config = { ...config, defaultNamespace };
  // Flags win over the file's limits.
  setCliLimits(args, config.limits);
  return { config, load: loadOptionsOf(config), render: renderFlags(args) };
}
