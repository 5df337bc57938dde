// Writes schema/netpol.schema.json and docs/config.md from the zod schema in src/config/schema.ts.
// Run: npm run gen:config-docs   (node --import ./scripts/register-ts.mjs scripts/gen-config-docs.ts)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configJsonSchemaText, configMarkdown, withReadmeConfig } from '../src/config/docs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const GENERATED = {
  'schema/netpol.schema.json': configJsonSchemaText,
  'docs/config.md': configMarkdown,
} as const;

for (const [rel, gen] of Object.entries(GENERATED)) {
  const file = join(root, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, gen());
  console.log(`wrote ${rel}`);
}

// The configuration section of README.md, between its config markers.
const readme = join(root, 'README.md');
writeFileSync(readme, withReadmeConfig(readFileSync(readme, 'utf8')));
console.log('wrote README.md (configuration section)');
