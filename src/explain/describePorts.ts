import type { PolicyRule, Protocol } from '../manifests/model.js';

/** Words for a named port; the caller knows the destinations it may resolve on. */
export type NamedPortWords = (name: string, protocol: Protocol) => string;

const plainNamed: NamedPortWords = (name, protocol) => `${protocol} port named ${name}`;

/**
 * A rule's `ports` in words: `all ports`, `TCP 3000`, `TCP 80, 8000-8080 and UDP 53`, `all TCP ports`,
 * `TCP port named http (...)`. Numbers of one protocol are grouped, in the order the manifest lists them.
 */
export function describePorts(ports: PolicyRule['ports'], named: NamedPortWords = plainNamed): string {
  if (ports === 'all') return 'all ports';
  const groups = new Map<Protocol, string[]>();
  const parts: string[] = [];
  for (const p of ports) {
    if (typeof p.port === 'string') {
      parts.push(named(p.port, p.protocol));
      continue;
    }
    let list = groups.get(p.protocol);
    if (!list) {
      list = [];
      groups.set(p.protocol, list);
      // The group's place in the sentence is where its protocol first appears.
      parts.push(`\u0000${p.protocol}`);
    }
    if (p.port === undefined) list.push('*');
    else list.push(p.endPort !== undefined && p.endPort !== p.port ? `${p.port}-${p.endPort}` : String(p.port));
  }
  const words = parts.map((part) => {
    if (!part.startsWith('\u0000')) return part;
    const protocol = part.slice(1) as Protocol;
    const list = groups.get(protocol)!;
    return list.includes('*') ? `all ${protocol} ports` : `${protocol} ${list.join(', ')}`;
  });
  return joinAnd(words);
}

function joinAnd(words: string[]): string {
  if (words.length <= 1) return words[0] ?? 'no ports';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
