import { describe, expect, it } from 'vitest';
import { explainChanges } from '../../src/explain/explainChanges.js';
import { deploymentYaml, docs, matrixOf, namespaceYaml, policyYaml } from '../helpers/yamlWorld.js';

const world = docs(
  namespaceYaml('shop'),
  namespaceYaml('ops'),
  deploymentYaml('shop', 'frontend', { app: 'frontend' }),
  deploymentYaml('shop', 'backend', { app: 'backend' }, [{ name: 'http', port: 3000 }]),
  deploymentYaml('ops', 'monitor', { app: 'monitor' }),
);
const tight = policyYaml('shop', 'backend', 'podSelector: {matchLabels: {app: backend}}\ningress:\n  - from:\n      - podSelector: {matchLabels: {app: frontend}}\n    ports: [{port: 3000}]');
const open = tight.replace('- podSelector: {matchLabels: {app: frontend}}', '- namespaceSelector: {}');

describe('explainChanges (the check run Explain button)', () => {
  it('explains a pair of each risky line at head (allowed by the new rule) and at base (denied)', () => {
    const changes = explainChanges(matrixOf({ 'w.yaml': world, 'p.yaml': tight }), matrixOf({ 'w.yaml': world, 'p.yaml': open }));
    expect(changes).toHaveLength(1);
    const [c] = changes;
    expect(c!.line.text).toBe('any pod in any namespace -> shop/backend on 3000/TCP: now allowed (before: only shop/frontend)');
    expect(c!.pair).toMatchObject({ src: 'ops/monitor[Deployment]', dst: 'shop/backend[Deployment]' });
    expect(c!.head.kind === 'connection' && c!.head.explanation.verdict).toBe('allowed');
    expect(c!.base.kind === 'connection' && c!.base.explanation.verdict).toBe('denied');
  });

  it('no change: nothing to explain', () => {
    const m = matrixOf({ 'w.yaml': world, 'p.yaml': tight });
    expect(explainChanges(m, m)).toEqual([]);
  });
});
