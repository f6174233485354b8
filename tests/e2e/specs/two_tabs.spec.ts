import { test, expect } from '../fixtures/app';
import { Page } from '@playwright/test';

// Two tabs of one browser mark things at the same instant, round after round.
// Local storage is not transactional across tabs, so a design in which both
// tabs rewrite one key loses marks here; nothing may be lost, and a clicked
// toggle must never flip back.

/** Odd, so every item ends marked; each round clicks every item once. */
const ROUNDS = 15;

const TERMS = 'button[aria-label^="Learned: "]';
const SIGNALS = 'input[type="checkbox"][id^="signal-"]';

/** The accessible names (terms) or ids (signals) of every item, split between the tabs. */
async function items(page: Page, selector: string): Promise<[string[], string[]]> {
  const all = await page.locator(selector).evaluateAll((els) =>
    els.map((e) => e.getAttribute('aria-label') ?? e.id));
  return [all.filter((_, i) => i % 2 === 0), all.filter((_, i) => i % 2 === 1)];
}

/**
 * At wall-clock time `at` (both tabs are given the same one), click each
 * item. `pause` lets the app save between clicks; without it the clicks of one
 * tab land in one task.
 */
async function clickAt(page: Page, selector: string, names: string[], at: number, pause: boolean) {
  await page.evaluate(async ({ selector, names, at, pause }) => {
    const els = names.map((n) => document.querySelector<HTMLElement>(
      `${selector}[aria-label="${n}"], ${selector}#${CSS.escape(n)}`)!);
    await new Promise((r) => setTimeout(r, Math.max(0, at - Date.now() - 5)));
    while (Date.now() < at) { /* spin to the very millisecond */ }
    for (const el of els) {
      el.click();
      if (pause) await new Promise((r) => setTimeout(r, 0));
    }
  }, { selector, names, at, pause });
}

/** How many items the page shows as marked. */
async function marked(page: Page, selector: string) {
  return page.locator(selector).evaluateAll((els) => els.filter((e) =>
    e.getAttribute('aria-pressed') === 'true' || (e as HTMLInputElement).checked === true).length);
}

async function race(a: Page, b: Page, route: string, selector: string) {
  for (const p of [a, b]) {
    await p.goto(route);
    await expect(p.locator('#boot')).toHaveCount(0);
  }
  const [mine, theirs] = await items(a, selector);
  const total = mine.length + theirs.length;
  expect(total).toBeGreaterThan(10);
  for (let round = 0; round < ROUNDS; round++) {
    const at = Date.now() + 120;
    const pause = round % 2 === 1;
    await Promise.all([clickAt(a, selector, mine, at, pause), clickAt(b, selector, theirs, at, pause)]);
  }
  // Every tab's own clicks stand, and each hears the other's: all marked.
  await expect.poll(() => marked(a, selector)).toBe(total);
  await expect.poll(() => marked(b, selector)).toBe(total);
  // And storage holds them all.
  for (const p of [a, b]) {
    await p.reload();
    await expect(p.locator('#boot')).toHaveCount(0);
    expect(await marked(p, selector)).toBe(total);
  }
  return total;
}

test('two tabs marking terms and signals at the same instant lose nothing', async ({ app, page, context }) => {
  test.setTimeout(120_000);
  await app.open('#/glossary');
  const other = await context.newPage();
  const terms = await race(page, other, '#/glossary', TERMS);
  expect(terms).toBe(16);
  const signals = await race(page, other, '#/anti-patterns', SIGNALS);
  expect(signals).toBe(21);

  // A third page sees everything, and the Progress page counts it.
  const third = await context.newPage();
  await third.goto('#/progress');
  await expect(third.locator('#boot')).toHaveCount(0);
  const figure = (title: string) => third.locator('.meter')
    .filter({ has: third.getByRole('heading', { name: title, exact: true }) }).locator('.figure');
  await expect(figure('Terms learned')).toHaveText('16 / 16');
  await expect(figure('Warning signals ticked')).toHaveText('21 / 21');
  await other.close();
  await third.close();
});

test('a tab that navigates away leaves its marks behind, and closed tabs do not pile up', async ({ app, page, context }) => {
  await app.open('#/glossary');
  for (let i = 0; i < 6; i++) {
    const p = await context.newPage();
    await p.goto('#/glossary');
    await expect(p.locator('#boot')).toHaveCount(0);
    await p.locator(TERMS).nth(i).click();
    await expect(p.locator(TERMS).nth(i)).toHaveAttribute('aria-pressed', 'true');
    await p.close({ runBeforeUnload: true });
  }
  await page.reload();
  await expect(page.locator('#boot')).toHaveCount(0);
  expect(await marked(page, TERMS)).toBe(6);
  const tabKeys = await page.evaluate(() => Object.keys(localStorage)
    .filter((k) => k.startsWith('vango-study-lab/progress/tab/')).length);
  // This page's own key, and at most the last closed one not yet folded in.
  expect(tabKeys).toBeGreaterThanOrEqual(1);
  expect(tabKeys).toBeLessThanOrEqual(2);
});
