import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const artifacts = fileURLToPath(new URL('../../artifacts/', import.meta.url));

/** One accessibility finding that matters here: serious or critical. */
export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Runs axe-core on the page as it is now and returns the serious and critical violations. */
export async function axeScan(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? 'unknown', help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.map(String).join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Keeps a screenshot of the screen as a test artefact (e2e/artifacts/<group>/<name>.png). */
export async function keepScreenshot(page: Page, group: string, name: string): Promise<void> {
  mkdirSync(`${artifacts}${group}`, { recursive: true });
  await page.screenshot({ path: `${artifacts}${group}/${name}.png`, animations: 'disabled' });
}

/** The checks every screen gets: a screenshot kept, and an axe scan that must find nothing serious. */
export async function checkScreen(page: Page, group: string, name: string): Promise<AxeFinding[]> {
  await keepScreenshot(page, group, name);
  return axeScan(page);
}
