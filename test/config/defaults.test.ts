import { describe, expect, it } from 'vitest';
import { defaultConfig, DEFAULT_LIMITS } from '../../src/config/defaults.js';
import { defaultConfig as schemaDefaultConfig, netpolConfigSchema, parseConfig } from '../../src/config/schema.js';

describe('zod-free configuration defaults', () => {
  it('equal what the schema gives for an empty configuration, key order included', () => {
    const fromSchema = netpolConfigSchema.parse({});
    expect(defaultConfig()).toStrictEqual(fromSchema);
    expect(JSON.stringify(defaultConfig())).toBe(JSON.stringify(fromSchema));
    expect(defaultConfig()).toStrictEqual(schemaDefaultConfig());
    const parsed = parseConfig(null);
    expect(parsed.ok && parsed.config).toStrictEqual(defaultConfig());
  });

  it('are a fresh object each call', () => {
    const a = defaultConfig();
    a.paths.push('x');
    (a.limits as { maxObjects: number }).maxObjects = 1;
    expect(defaultConfig().paths).not.toContain('x');
    expect(defaultConfig().limits.maxObjects).toBe(DEFAULT_LIMITS.maxObjects);
  });
});
