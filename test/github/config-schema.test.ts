import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchemaText, configMarkdown } from '../../src/config/docs.js';
import { DEFAULT_LIMITS, defaultConfig, parseConfig } from '../../src/config/schema.js';

describe('parseConfig', () => {
  it('gives the defaults for a missing or empty file', () => {
    const expected = {
      paths: ['**/*.yaml', '**/*.yml', '**/*.json'],
      ignore: [],
      defaultNamespace: 'default',
      comment: 'update',
      commentWhen: 'changes',
      failOn: ['opened-from-outside-cluster'],
      limits: { ...DEFAULT_LIMITS },
    };
    expect(parseConfig(undefined)).toEqual({ ok: true, config: expected });
    expect(parseConfig(null)).toEqual({ ok: true, config: expected });
    expect(parseConfig({})).toEqual({ ok: true, config: expected });
    expect(defaultConfig()).toEqual(expected);
  });

  it('accepts every documented form', () => {
    const r = parseConfig({
      paths: ['k8s/**/*.yaml'],
      ignore: ['k8s/tmp/**'],
      defaultNamespace: 'apps',
      comment: 'hide-and-new',
      commentWhen: 'always',
      failOn: [
        'any-opened',
        'any-closed',
        'opened-cross-namespace',
        'opened-from-internet',
        'opened-from-outside-cluster',
        { openedTo: { namespaceSelector: { matchLabels: { tier: 'data' } } } },
        { openedTo: { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['db'] }] } } },
        { openedTo: {} },
      ],
      limits: { maxFileBytes: 10, maxObjects: 5 },
    });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.config.limits).toEqual({ maxFileBytes: 10, maxObjects: 5, timeoutSeconds: DEFAULT_LIMITS.timeoutSeconds, onExceeded: DEFAULT_LIMITS.onExceeded });
      expect(r.config.failOn).toHaveLength(8);
    }
  });

  it('accepts an empty failOn (never fails)', () => {
    const r = parseConfig({ failOn: [] });
    expect(r).toMatchObject({ ok: true, config: { failOn: [] } });
  });

  it.each([
    [{ foo: 1 }, 'unknown key "foo"'],
    [{ foo: 1, bar: 2 }, 'unknown keys "foo", "bar"'],
    [{ limits: { bar: 1 } }, 'limits: unknown key "bar"'],
    [{ comment: 'sometimes' }, `comment: expected one of 'update', 'hide-and-new', 'delete-and-new', 'new', 'off', got "sometimes"`],
    [{ commentWhen: true }, `commentWhen: expected one of 'always', 'changes', got true`],
    [{ paths: 'a/**' }, 'paths: expected a list, got "a/**"'],
    [{ ignore: [1] }, 'ignore[0]: expected a string, got 1'],
    [{ paths: [''] }, 'paths[0]: Too small: expected string to have >=1 characters'],
    [{ limits: { maxFileBytes: -1 } }, 'limits.maxFileBytes: Too small: expected number to be >0'],
    [{ limits: { timeoutSeconds: 1.5 } }, 'limits.timeoutSeconds: expected an integer, got 1.5'],
    [{ limits: 3 }, 'limits: expected a mapping, got 3'],
    [{ defaultNamespace: 'Not_OK' }, 'defaultNamespace: must be a Kubernetes namespace name (RFC 1123 label)'],
    [
      { failOn: ['any-opened', 'opened-from-mars'] },
      `failOn[1]: expected one of 'any-opened', 'any-closed', 'opened-cross-namespace', 'opened-from-internet', 'opened-from-outside-cluster', got "opened-from-mars"`,
    ],
    [
      { failOn: [42] },
      `failOn[0]: expected one of 'any-opened', 'any-closed', 'opened-cross-namespace', 'opened-from-internet', 'opened-from-outside-cluster' or { openedTo: { namespaceSelector?, podSelector? } }, got 42`,
    ],
    [{ failOn: [{ openedTo: {}, extra: 1 }] }, 'failOn[0]: unknown key "extra"'],
    [{ failOn: [{ openedTo: { podSelector: { matchLabel: { a: 'b' } } } }] }, 'failOn[0].openedTo.podSelector: unknown key "matchLabel"'],
    [{ failOn: [{ openedTo: { nsSelector: {} } }] }, 'failOn[0].openedTo: unknown key "nsSelector"'],
    [
      { failOn: [{ openedTo: { podSelector: { matchExpressions: [{ key: 'a', operator: 'In' }] } } }] },
      'failOn[0].openedTo.podSelector.matchExpressions[0].values: operator In needs at least one value',
    ],
    [
      { failOn: [{ openedTo: { podSelector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] } } }] },
      'failOn[0].openedTo.podSelector.matchExpressions[0].values: operator Exists takes no values',
    ],
    [
      { failOn: [{ openedTo: { namespaceSelector: { matchExpressions: [{ key: 'a', operator: 'Like' }] } } }] },
      `failOn[0].openedTo.namespaceSelector.matchExpressions[0].operator: expected one of 'In', 'NotIn', 'Exists', 'DoesNotExist', got "Like"`,
    ],
    ['comment: update', 'the configuration must be a mapping of keys, got "comment: update"'],
    [[1, 2], 'the configuration must be a mapping of keys, got a list'],
  ])('rejects %j with a message naming the key path', (raw, message) => {
    expect(parseConfig(raw)).toEqual({ ok: false, error: message });
  });

  it('reports every problem at once', () => {
    const r = parseConfig({ comment: 'x', limits: { y: 1 } });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toContain('comment: expected one of');
      expect(r.error).toContain('limits: unknown key "y"');
    }
  });
});

describe('generated configuration docs', () => {
  const root = new URL('../../', import.meta.url);
  it('schema/netpol.schema.json is up to date (run `npm run gen:config-docs`)', () => {
    expect(readFileSync(new URL('schema/netpol.schema.json', root), 'utf8')).toBe(configJsonSchemaText());
  });
  it('docs/config.md is up to date (run `npm run gen:config-docs`)', () => {
    expect(readFileSync(new URL('docs/config.md', root), 'utf8')).toBe(configMarkdown());
  });
  it('the JSON Schema forbids unknown keys and requires nothing', () => {
    const schema = JSON.parse(configJsonSchemaText()) as Record<string, unknown>;
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required ?? []).toEqual([]);
  });
});
