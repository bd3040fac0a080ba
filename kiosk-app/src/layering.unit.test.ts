import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

// The kiosk layers of DESIGN.md are enforced by lint; these cases prove the rules bite.
const root = fileURLToPath(new URL('../../', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function restricted(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: `${root}${file}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('kiosk-app layering', () => {
  it.each([
    ['kiosk-app/src/core/x.ts', "import fs from 'node:fs';"],
    ['kiosk-app/src/core/x.ts', "import Database from 'better-sqlite3';"],
    ['kiosk-app/src/core/x.ts', "import { a } from '../edge/a';"],
    ['kiosk-app/src/edge/x.ts', "import { app } from 'electron';"],
    ['kiosk-app/src/edge/x.ts', "import { a } from '../renderer/a';"],
    ['kiosk-app/src/preload/x.ts', "import { a } from '../edge/a';"],
    ['kiosk-app/src/preload/x.ts', "import fs from 'fs';"],
    ['kiosk-app/src/renderer/x.ts', "import path from 'node:path';"],
    ['kiosk-app/src/renderer/x.ts', "import { a } from '../edge/a';"],
    ['kiosk-app/src/shell/x.ts', "import { BrowserWindow } from 'electron';"],
    ['contracts/src/x.ts', "import fs from 'node:fs';"],
    ['sync-gateway/src/x.ts', "import { a } from '@atrium/cloud-services';"],
  ])('%s may not say %s', async (file, source) => {
    expect(await restricted(file, `${source}\nexport {};\n`)).not.toEqual([]);
  });

  it.each([
    ['kiosk-app/src/core/x.ts', "import { newEventId } from '@atrium/contracts';"],
    ['kiosk-app/src/edge/x.ts', "import Database from 'better-sqlite3';\nimport { a } from '../core/a';"],
    ['kiosk-app/src/main/x.ts', "import { app } from 'electron';\nimport { a } from '../edge/a';"],
    ['kiosk-app/src/preload/x.ts', "import { contextBridge } from 'electron';\nimport { a } from '../bridge/a';"],
    ['kiosk-app/src/renderer/x.ts', "import { a } from '../core/a';\nimport { b } from '../bridge/b';"],
    ['sync-gateway/src/x.ts', "import { problem } from '@atrium/contracts';"],
  ])('%s may say %s', async (file, source) => {
    expect(await restricted(file, `${source}\nexport {};\n`)).toEqual([]);
  });
});
