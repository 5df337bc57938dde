// The `yaml` package, loaded on first use. It takes ~90 ms to import, and the bulk path never needs it:
// only a diagnostic's line (locate.ts) and the rare document js-yaml rejects (parseFile.ts) do.
// `yaml` is CommonJS under Node (its `node` export), so `require` gives the same module `import` would.
import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');

let loaded: Yaml | undefined;

export function yamlModule(): Yaml {
  return (loaded ??= createRequire(import.meta.url)('yaml') as Yaml);
}
