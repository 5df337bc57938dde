// The js-yaml schema used for manifests.
import yaml from 'js-yaml';

// js-yaml 4 exports its built-in types as `types`; @types/js-yaml does not declare it.
const types = (yaml as unknown as { types: Record<'merge' | 'binary' | 'omap' | 'pairs' | 'set', yaml.Type> }).types;

/**
 * js-yaml's default (safe) schema without `!!timestamp`: kubectl keeps `2024-01-01` a string (a label
 * value `date: 2024-01-01` is the string "2024-01-01"), while js-yaml's default schema would turn it into
 * a Date. Merge keys (`<<`), `!!binary`, `!!set`, `!!omap` and `!!pairs` stay, as go-yaml reads them too.
 */
export const MANIFEST_SCHEMA = yaml.CORE_SCHEMA.extend({
  implicit: [types.merge], // `<<` is recognised without a tag, so it must be implicit
  explicit: [types.binary, types.omap, types.pairs, types.set],
});
