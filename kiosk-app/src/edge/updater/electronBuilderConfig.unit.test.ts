import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config';
import type { Configuration } from 'app-builder-lib';

// The packaging configuration is checked by electron-builder's own validator and, separately,
// by ajv against the schema electron-builder ships (scheme.json), so a typo fails here rather
// than on the release machine.
const configPath = new URL('../../../../electron-builder.yml', import.meta.url);
const config = parse(readFileSync(configPath, 'utf8')) as Configuration;
// electron-builder reads the logger only when its debug output is enabled.
const quietLogger = { isEnabled: false, data: {}, add: () => undefined, save: async () => undefined } as unknown as Parameters<typeof validateConfiguration>[1];
const scheme = createRequire(import.meta.url)('app-builder-lib/scheme.json') as object;

function ajvErrors(candidate: unknown): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(scheme);
  return validate(candidate) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own configuration validator', async () => {
    await expect(validateConfiguration(config, quietLogger)).resolves.toBeUndefined();
  });

  it('matches the scheme.json that electron-builder ships', () => {
    expect(ajvErrors(config)).toEqual([]);
  });

  it('is rejected by the same validator when an option is misspelt (the check has teeth)', async () => {
    const broken = { ...config, linux: { ...config.linux, autoUpdates: true } } as Configuration;
    await expect(validateConfiguration(broken, quietLogger)).rejects.toThrow(/autoUpdates|additional/i);
    expect(ajvErrors(broken).length).toBeGreaterThan(0);
  });

  it('builds an AppImage and a deb for x64 Linux and names artefacts by version', () => {
    const targets = (config.linux?.target as { target: string; arch: string[] }[]).map((t) => t.target);
    expect(targets).toEqual(['AppImage', 'deb']);
    expect(config.appId).toBe('io.atrium.kiosk');
    expect(config.appImage?.artifactName).toContain('${version}');
  });

  it('publishes to the gateway’s generic update feed, whose artefacts serve single byte ranges', () => {
    const [publish] = config.publish as { provider: string; url: string; channel: string; useMultipleRangeRequest: boolean }[];
    expect(publish?.provider).toBe('generic');
    expect(publish?.url).toMatch(/\/v1\/updates$/);
    expect(publish?.channel).toBe('latest');
    expect(publish?.useMultipleRangeRequest).toBe(false);
  });
});
