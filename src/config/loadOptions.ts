// The config's `defaultNamespace` and `assume` as the loader's options.
import type { LoadOptions } from '../manifests/model.js';
import type { NetpolConfig } from './schema.js';

export function loadOptionsOf(config: Pick<NetpolConfig, 'defaultNamespace' | 'assume'>): LoadOptions {
  const assume = config.assume;
  return {
    defaultNamespace: config.defaultNamespace,
    ...(assume && Object.keys(assume.namespaces).length > 0 ? { assumedNamespaces: assume.namespaces } : {}),
    ...(assume?.ingressController ? { ingressController: assume.ingressController } : {}),
  };
}
