// The end-to-end parse floor: a fresh process that reads every manifest file under the given directories
// and parses it with js-yaml's loadAll, and nothing else. run.ts times it beside `netpol diff --base DIR
// --head DIR` on the same two directories, so both sides pay Node's start-up and the reading of the files.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';

function parseTree(dir: string): number {
  let documents = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    // Symbolic links count as files (the bench's head tree links the base's unchanged files), as in the CLI.
    if (e.isDirectory()) documents += parseTree(p);
    else if (/\.ya?ml$/.test(e.name)) documents += yaml.loadAll(readFileSync(p, 'utf8')).length;
  }
  return documents;
}

let documents = 0;
for (const dir of process.argv.slice(2)) documents += parseTree(dir);
process.stdout.write(`${documents}\n`);
