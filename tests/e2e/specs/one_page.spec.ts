import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Page } from '@playwright/test';
import { test, expect } from '../fixtures/app';

/**
 * One document for every route (issue #10): crossing between any two routes
 * never reloads it (a marker on `window` survives), each route names itself in
 * the title and says so in a polite live region, Back restores where the page
 * was scrolled, and a saved dark theme is on before the body paints.
 */
const lessons = readFileSync(join(__dirname, '../../../content/lessons.toml'), 'utf8');
const lesson = lessons.match(/^slug = "([^"]+)"/m)![1];
const lessonTitle = lessons.match(/^title = "([^"]+)"/m)![1];

const APP = 'Vango Study Lab';
/** Every kind of route, with the title it must set. */
const ROUTES: [string, string][] = [
  ['#/', APP],
  ['#/glossary', `Glossary — ${APP}`],
  ['#/glossary/drain', `Drain — Glossary — ${APP}`],
  ['#/anti-patterns', `Anti-patterns — ${APP}`],
  ['#/anti-patterns/sessions-teleport', `Pretending Sessions Teleport — Anti-patterns — ${APP}`],
  ['#/lab', `The Lab — ${APP}`],
  ['#/learn', `Learn — ${APP}`],
  [`#/learn/${lesson}`, `${lessonTitle} — Learn — ${APP}`],
  ['#/decisions', `Decision labs — ${APP}`],
  ['#/lifecycles', `Lifecycles — ${APP}`],
  ['#/review', `Review — ${APP}`],
  ['#/progress', `Progress — ${APP}`],
  ['#/no-such-page', `Page not found — ${APP}`],
];

/**
 * An order of visits that crosses every ordered pair of routes exactly once:
 * an Euler circuit of the complete directed graph (Hierholzer's algorithm).
 */
function everyPair(n: number): number[] {
  const next = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => j).filter((j) => j !== i));
  const stack = [0];
  const circuit: number[] = [];
  while (stack.length) {
    const v = stack[stack.length - 1];
    if (next[v].length) stack.push(next[v].pop()!);
    else circuit.push(stack.pop()!);
  }
  return circuit.reverse();
}

async function go(page: Page, fragment: string) {
  await page.evaluate((f) => { location.hash = f; }, fragment);
}

async function mark(page: Page) {
  await page.evaluate(() => { (window as any).__marker = 'still here'; });
}

const marker = (page: Page) => page.evaluate(() => (window as any).__marker);

test('every route pair is crossed without a document reload, each with its title and announcement', async ({ app, page }) => {
  test.setTimeout(180_000);
  const loads: string[] = [];
  page.on('load', () => loads.push(page.url()));
  await app.open(ROUTES[0][0]);
  await mark(page);
  const before = loads.length;
  const order = everyPair(ROUTES.length);
  expect(order).toHaveLength(ROUTES.length * (ROUTES.length - 1) + 1);
  const crossed = new Set<string>();
  for (let k = 1; k < order.length; k++) {
    const [from, to] = [order[k - 1], order[k]];
    const [fragment, title] = ROUTES[to];
    await go(page, fragment);
    await expect(page, `${ROUTES[from][0]} → ${fragment}`).toHaveTitle(title);
    await expect(app.heading()).toBeVisible();
    // A change of page is said in the polite live region.
    await expect(page.locator('#page-announcer')).toHaveText(title);
    expect(await marker(page), `${ROUTES[from][0]} → ${fragment} reloaded the page`).toBe('still here');
    crossed.add(`${from}>${to}`);
  }
  expect(crossed.size).toBe(ROUTES.length * (ROUTES.length - 1));
  expect(loads.length, 'no load event after the first').toBe(before);
  await expect(page.locator('#page-announcer')).toHaveAttribute('aria-live', 'polite');
});

test('links in the header, a page and search cross without a reload', async ({ app, page }) => {
  await app.open('#/');
  await mark(page);
  for (const [name, heading] of [['Glossary', 'Glossary'], ['Lab', 'The Lab'], ['Learn', 'Learn'], ['Review', 'Review'], ['Progress', 'Progress'], ['Anti-patterns', 'Anti-patterns']]) {
    await app.nav(name).click();
    await expect(app.heading()).toHaveText(heading);
  }
  await page.getByRole('link', { name: 'Vango Study Lab' }).first().click();
  await expect(page).toHaveTitle(APP);
  await page.keyboard.press('/');
  await page.getByRole('combobox', { name: 'Search terms and anti-patterns' }).fill('drain');
  await page.keyboard.press('Enter');
  await expect(page).toHaveTitle(/ — Glossary — /);
  expect(await marker(page)).toBe('still here');
});

test('Back restores the scroll position of the page left, after it renders', async ({ app, page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await app.open('#/glossary');
  await mark(page);
  await page.evaluate(() => window.scrollTo(0, 1500));
  await expect.poll(() => page.evaluate(() => Math.round(window.scrollY))).toBe(1500);
  // Links followed where the page is scrolled (a click would first scroll the header into view).
  await go(page, '#/anti-patterns');
  await expect(app.heading()).toHaveText('Anti-patterns');
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);
  await page.evaluate(() => window.scrollTo(0, 400));
  await go(page, '#/lab');
  await expect(app.heading()).toHaveText('The Lab');
  await page.goBack();
  await expect(app.heading()).toHaveText('Anti-patterns');
  await expect.poll(() => page.evaluate(() => Math.round(window.scrollY))).toBe(400);
  await page.goBack();
  await expect(app.heading()).toHaveText('Glossary');
  await expect.poll(() => page.evaluate(() => Math.round(window.scrollY))).toBe(1500);
  await page.goForward();
  await expect(app.heading()).toHaveText('Anti-patterns');
  await expect.poll(() => page.evaluate(() => Math.round(window.scrollY))).toBe(400);
  expect(await marker(page)).toBe('still here');
});

test('a saved dark theme is on before the body first paints, and the saved progress is intact', async ({ app, page }) => {
  await app.open('#/glossary');
  const theme = page.getByRole('button', { name: /Theme:/ });
  while ((await theme.textContent()) !== 'Theme: dark') await theme.click();
  // The first moment a body exists, before any of the app's wasm has run.
  await page.addInitScript(() => {
    const seen = (window as any).__themeAtBody = [] as (string | null)[];
    new MutationObserver((_, observer) => {
      if (document.body) {
        seen.push(document.documentElement.getAttribute('data-theme'));
        seen.push((window as any).__wasmStarted ? 'wasm ran' : 'before wasm');
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
    addEventListener('TrunkApplicationStarted', () => { (window as any).__wasmStarted = true; });
  });
  for (const route of ['#/glossary', '#/lab', '#/']) {
    await page.goto('about:blank'); // a new document each time, not a fragment change
    await page.goto(route);
    await expect(page.locator('#boot')).toHaveCount(0);
    expect(await page.evaluate(() => (window as any).__themeAtBody)).toEqual(['dark', 'before wasm']);
    await expect(theme).toHaveText('Theme: dark');
  }
  // Back to the system's: the next load starts without a theme attribute.
  while ((await theme.textContent()) !== 'Theme: system') await theme.click();
  await page.reload();
  await expect(page.locator('#boot')).toHaveCount(0);
  expect(await page.evaluate(() => (window as any).__themeAtBody)).toEqual([null, 'before wasm']);
  await expect(theme).toHaveText('Theme: system');
});
