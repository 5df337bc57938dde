import type { Attribution } from './types.js';

export function attributionKey(a: Attribution): string {
  return `${a.kind}|${a.id}|${a.change}|${a.rule?.direction ?? ''}|${a.rule?.index ?? ''}`;
}

export function dedupeAttribution(list: readonly Attribution[]): Attribution[] {
  const m = new Map<string, Attribution>();
  for (const a of list) if (!m.has(attributionKey(a))) m.set(attributionKey(a), a);
  // The same object named with and without a rule: the rule says more.
  const withRule = new Set([...m.values()].filter((a) => a.rule).map((a) => `${a.kind}|${a.id}|${a.change}`));
  return [...m.values()]
    .filter((a) => a.rule || !withRule.has(`${a.kind}|${a.id}|${a.change}`))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.line - b.line));
}
