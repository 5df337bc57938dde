// The README is the product's front page: these tests keep what it shows true.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { USAGE as CLI_USAGE } from '../src/cli/usage.js';
import { load } from 'js-yaml';
import { configReadmeSection } from '../src/config/docs.js';
import { parseConfig } from '../src/config/schema.js';
import { runDemo } from '../src/demo.js';
import { USAGE as COMMAND_USAGE } from '../src/github/parseCommand.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const between = (start: string, end: string) => readme.slice(readme.indexOf(start) + start.length, readme.indexOf(end)).trim();

describe('README', () => {
  it('has the two set-up commands', () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm ci && npm test');
  });

  it('shows the comment that npm run demo prints (the start of it, verbatim)', async () => {
    let out = '';
    await runDemo((s) => (out += s));
    const comment = out.slice(out.indexOf('----- the pull-request comment -----') + '----- the pull-request comment -----'.length).trim();
    const shown = between('<!-- demo:start -->', '<!-- demo:end -->')
      .split('\n')
      .map((l) => l.replace(/^> ?/, ''))
      .join('\n');
    expect(shown.length).toBeGreaterThan(100);
    expect(comment.startsWith(shown)).toBe(true);
  });

  it('embeds the configuration reference generated from the zod schema (npm run gen:config-docs)', () => {
    expect(between('<!-- config:start -->', '<!-- config:end -->')).toBe(configReadmeSection());
  });

  it('the configuration example is a valid configuration', () => {
    const section = between('<!-- config:start -->', '<!-- config:end -->');
    const example = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const parsed = parseConfig(load(example));
    expect(parsed.ok).toBe(true);
  });

  it('documents every CLI option', () => {
    const options = [...new Set(CLI_USAGE.match(/--[a-z][a-z-]+/g))];
    expect(options.length).toBeGreaterThan(10);
    for (const o of options) expect(readme, o).toContain(o);
  });

  it('documents every slash command', () => {
    const commands = [...new Set(COMMAND_USAGE.match(/\/netpol [a-z]+( policy)?/g))];
    expect(commands).toContain('/netpol explain policy');
    for (const c of commands) expect(readme, c).toContain(c);
  });
});
