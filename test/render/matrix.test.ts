import { describe, expect, it } from 'vitest';
import { computeMatrix } from '../../src/engine/matrix.js';
import type { Cluster } from '../../src/manifests/model.js';
import { matrixCsv } from '../../src/render/matrixCsv.js';
import { matrixDot } from '../../src/render/matrixDot.js';
import { matrixJson } from '../../src/render/matrixJson.js';
import { matrixMarkdown } from '../../src/render/matrixMarkdown.js';
import { matrixText } from '../../src/render/matrixText.js';
import { cluster, ipBlock, policy, pods, sel, tcp, udp, workload } from '../helpers/model.js';
import { DOT_HEAD, dotCluster } from './dotText.js';

// shop/db accepts 5432/TCP from shop/web and 53/UDP + 8000-8080/TCP from 10.0.0.0/8; shop/web and ops/mon are
// not isolated. Egress of shop/web is limited to shop/db.
function shop(): Cluster {
  const c = cluster({
    workloads: [
      workload('shop/web', { app: 'web' }),
      workload('shop/db', { app: 'db' }, { kind: 'StatefulSet' }),
      workload('ops/agent', { app: 'agent' }, { kind: 'DaemonSet', hostNetwork: true }),
    ],
    policies: [
      policy('shop/db-policy', {
        podSelector: sel({ app: 'db' }),
        ingress: [
          { peers: [pods(sel({ app: 'web' }))], ports: [tcp(5432)] },
          { peers: [ipBlock('10.0.0.0/8')], ports: [udp(53), tcp(8000, 8080)] },
        ],
      }),
      policy('shop/web-egress', {
        podSelector: sel({ app: 'web' }),
        egress: [{ peers: [pods(sel({ app: 'db' }))] }],
        types: ['Egress'],
      }),
    ],
  });
  return {
    ...c,
    skipped: [
      { kind: 'Service', namespace: 'shop', name: 'web', reason: 'not a workload or NetworkPolicy', source: { file: 'svc.yaml', line: 1, doc: 0, path: [] } },
    ],
    diagnostics: [{ file: 'db.yaml', line: 9, severity: 'warning', message: 'ipBlock 10.0.0.0/8 covers pod addresses' }],
  };
}

const INTERNET = '0.0.0.0/5,8.0.0.0/7,11.0.0.0/8,12.0.0.0/6,16.0.0.0/4,32.0.0.0/3,64.0.0.0/2,128.0.0.0/1,::/0';

describe('matrixJson', () => {
  it('follows the public contract: workloads, connections (all | ports), diagnostics; extras after', () => {
    const json = JSON.parse(JSON.stringify(matrixJson(computeMatrix(shop()), { namespace: 'shop' })));
    expect(Object.keys(json)).toEqual(['workloads', 'connections', 'diagnostics', 'ipRanges', 'skipped', 'analysed']);
    expect(json.workloads).toEqual([
      { id: 'ops/agent[DaemonSet]', namespace: 'ops', name: 'agent', kind: 'DaemonSet', hostNetwork: true },
      { id: 'shop/db[StatefulSet]', namespace: 'shop', name: 'db', kind: 'StatefulSet' },
      { id: 'shop/web[Deployment]', namespace: 'shop', name: 'web', kind: 'Deployment' },
    ]);
    expect(json.connections).toContainEqual({ src: 'shop/web[Deployment]', dst: 'shop/db[StatefulSet]', ports: { TCP: [[5432, 5432]], UDP: [], SCTP: [] } });
    expect(json.connections).toContainEqual({
      src: '10.0.0.0/8',
      dst: 'shop/db[StatefulSet]',
      ports: { TCP: [[8000, 8080]], UDP: [[53, 53]], SCTP: [] },
    });
    expect(json.connections).toContainEqual({ src: INTERNET, dst: 'shop/web[Deployment]', all: true });
    // web's egress only reaches db: nothing from web to the agent or the internet.
    expect(json.connections.filter((c: { src: string }) => c.src === 'shop/web[Deployment]')).toEqual([
      { src: 'shop/web[Deployment]', dst: 'shop/db[StatefulSet]', ports: { TCP: [[5432, 5432]], UDP: [], SCTP: [] } },
    ]);
    for (const c of json.connections) expect(c.src.startsWith('shop/') || c.dst.startsWith('shop/')).toBe(true);
    expect(json.ipRanges).toEqual([
      { id: INTERNET, cidrs: INTERNET.split(',') },
      { id: '10.0.0.0/8', cidrs: ['10.0.0.0/8'] },
    ]);
    expect(json.diagnostics).toEqual([{ file: 'db.yaml', line: 9, severity: 'warning', message: 'ipBlock 10.0.0.0/8 covers pod addresses' }]);
    expect(json.skipped).toEqual([
      { kind: 'Service', namespace: 'shop', name: 'web', reason: 'not a workload or NetworkPolicy', file: 'svc.yaml', line: 1 },
    ]);
    expect(json.analysed).toEqual({ files: 1, documents: 5, namespaces: 2, workloads: 3, policies: 2 });
  });

  it('lists every connection of the matrix without a namespace', () => {
    const m = computeMatrix(shop());
    expect(matrixJson(m).connections).toHaveLength(m.connections().length);
  });
});

describe('matrix text formats', () => {
  const m = computeMatrix(
    cluster({
      workloads: [workload('shop/web', { app: 'web' }), workload('shop/db', { app: 'db' })],
      policies: [
        policy('shop/deny', { podSelector: sel(), ingress: [{ peers: [pods(sel({ app: 'web' }))], ports: [tcp(5432)] }], egress: [{ peers: [pods(sel())] }] }),
      ],
    }),
  );

  it('text: grouped by source, aligned, with what was analysed', () => {
    // db -> web is denied: web's ingress only admits app=web.
    expect(matrixText(m)).toBe(`2 connections

shop/web[Deployment]
  -> shop/db[Deployment]   5432/TCP
  -> shop/web[Deployment]  5432/TCP

Analysed: 1 file (3 documents), 1 namespace, 2 workloads, 1 policy
Skipped: nothing
`);
  });

  it('markdown: a table and the footer', () => {
    expect(matrixMarkdown(m)).toBe(`**2 connections**

| Source | Destination | Ports |
| --- | --- | --- |
| \`shop/web[Deployment]\` | \`shop/db[Deployment]\` | 5432/TCP |
| \`shop/web[Deployment]\` | \`shop/web[Deployment]\` | 5432/TCP |

**Analysed:** 1 file (3 documents), 1 namespace, 2 workloads, 1 policy

**Skipped:** nothing
`);
  });

  it('markdown: IP ranges in words, and a long table folded in <details>', () => {
    const md = matrixMarkdown(computeMatrix(shop()));
    expect(md).toContain('| IPs `0.0.0.0/0 except 10.0.0.0/8, ::/0` | `shop/web[Deployment]` | all ports |');
    expect(md).not.toContain('<details>');
    const many = cluster({ workloads: Array.from({ length: 6 }, (_, i) => workload(`a/w${i}`)) });
    const folded = matrixMarkdown(computeMatrix(many));
    expect(folded).toContain('<details><summary>48 connections</summary>');
    expect(folded).toContain('</details>');
  });

  it('csv: header and RFC 4180 quoting', () => {
    expect(matrixCsv(computeMatrix(shop()), { namespace: 'shop' }).split('\r\n').slice(0, 4)).toEqual([
      'src,dst,ports',
      `"${INTERNET}",shop/web[Deployment],all ports`,
      '10.0.0.0/8,shop/db[StatefulSet],"8000-8080/TCP, 53/UDP"',
      '10.0.0.0/8,shop/web[Deployment],all ports',
    ]);
    expect(matrixCsv(computeMatrix(shop()))).toContain(`"${INTERNET}",ops/agent[DaemonSet],all ports\r\n`);
  });

  it('dot: namespaces as clusters, IP ranges as ellipses, ports on edges, analysed in comments', () => {
    expect(matrixDot(computeMatrix(shop()), { namespace: 'shop' })).toContain(`// analysed: 1 file (5 documents), 2 namespaces, 3 workloads, 2 policies
// skipped: 1 Service (not a workload or NetworkPolicy)
// warning: db.yaml:9: ipBlock 10.0.0.0/8 covers pod addresses
${DOT_HEAD}
${dotCluster('ops', ['"ops/agent[DaemonSet]" [label="agent[DaemonSet]"];'])}
${dotCluster('shop', ['"shop/db[StatefulSet]" [label="db[StatefulSet]"];', '"shop/web[Deployment]" [label="web[Deployment]"];'])}
  "${INTERNET}" [label="0.0.0.0/0 except 10.0.0.0/8, ::/0", shape=ellipse];
  "10.0.0.0/8" [label="10.0.0.0/8", shape=ellipse];
`);
    expect(matrixDot(computeMatrix(shop()))).toContain('  "10.0.0.0/8" -> "shop/db[StatefulSet]" [label="8000-8080/TCP, 53/UDP"];\n');
  });
});

describe('matrix renderers escape manifest strings', () => {
  const hostile = 'x"<img src=x onerror=alert(1)>|@octocat`,\x1b[31m';
  const c: Cluster = {
    ...cluster({ workloads: [workload(`shop/${hostile}`)] }),
    skipped: [{ kind: `Kind${hostile}`, reason: `because ${hostile}`, source: { file: 'a.yaml', line: 1, doc: 0, path: [] } }],
    diagnostics: [{ file: `${hostile}.yaml`, line: 1, severity: 'error', message: `<!-- ${hostile}` }],
  };
  const m = computeMatrix(c);

  it('markdown: ids in code spans with | escaped; footer text escaped', () => {
    const md = matrixMarkdown(m);
    expect(md).toContain(`| \`\`shop/x"<img src=x onerror=alert(1)>\\|@octocat\`,[31m[Deployment]\`\` |`);
    const footer = md.slice(md.indexOf('**Analysed:**'));
    expect(footer).not.toMatch(/<img|<!--|@octocat/);
  });

  it('text: no terminal escapes', () => {
    expect(matrixText(m)).not.toContain('\x1b');
  });

  it('csv: quotes fields with quotes and commas', () => {
    expect(matrixCsv(m)).toContain(`"shop/x""<img src=x onerror=alert(1)>|@octocat\`,\x1b[31m[Deployment]"`);
  });

  it('dot: quotes escaped inside quoted ids', () => {
    expect(matrixDot(m)).toContain(`"shop/x\\"<img src=x onerror=alert(1)>|@octocat\`,\x1b[31m[Deployment]" [label=`);
  });
});
