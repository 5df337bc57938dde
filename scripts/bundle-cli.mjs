// Bundles the CLI (lib/cli.js and what it imports of our own code) into lib/bin/: the `netpol` bin.
// Why: Node resolves, reads and links each of the ~190 ES modules of lib/ one by one; as one entry plus a few
// chunks (each command's modules still load only when that command runs) `netpol diff` starts ~50-100 ms
// sooner. Dependencies stay in node_modules (packages: 'external'), so the bundle holds only our code.
// All files land in lib/bin/, two levels below the package root, like lib/cli/*.js: main's
// `require('../../package.json')` resolves the same from either.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry content hashes: clear the old ones.
rmSync('lib/bin', { recursive: true, force: true });

await build({
  entryPoints: { netpol: 'lib/cli.js' },
  outdir: 'lib/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
