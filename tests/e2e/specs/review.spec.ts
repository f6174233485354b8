import { test, expect } from '../fixtures/app';
import { Page } from '@playwright/test';

const KEY = 'vango-study-lab/progress';

/** Every saved progress value (all tabs' keys), as text. */
const saved = (page: Page) => page.evaluate((prefix) => Object.keys(localStorage)
  .filter((k) => k.startsWith(prefix)).map((k) => localStorage.getItem(k) ?? '').join('\n'), KEY);

/** The names of every mark saved by any tab that is on (what the learner has). */
const marks = (page: Page) => page.evaluate((prefix) => {
  const on = new Set<string>();
  for (const k of Object.keys(localStorage).filter((k) => k.startsWith(prefix))) {
    try {
      const blob = JSON.parse(localStorage.getItem(k) ?? '{}');
      for (const [name, stamp] of Object.entries(blob.marks ?? {})) if ((stamp as any[])[2]) on.add(name);
    } catch { /* not a tab blob */ }
  }
  return [...on].sort();
}, KEY);

const today = (page: Page) => page.getByRole('region', { name: 'Today' });

test('a review sitting answered by keyboard is saved, and the schedule survives a reload', async ({ app, page }) => {
  await app.open('#/review');
  await expect(app.heading()).toHaveText('Review');
  await expect(today(page)).toContainText('0 due · 10 new');
  await page.getByRole('button', { name: 'Start review (10)' }).focus();
  await page.keyboard.press('Enter');

  for (let n = 1; n <= 10; n++) {
    await expect(page.getByText(`Question ${n} of 10`)).toBeVisible();
    if (n % 2) {
      await page.keyboard.press('a');          // choose the first option
      await expect(page.locator('.option.right')).toHaveCount(1);
    } else {
      await page.keyboard.press(' ');          // "I don't know": show the answer
      await expect(page.getByText(/^The answer: /)).toBeVisible();
    }
    await page.keyboard.press(n === 10 ? '4' : 'Enter');
  }
  await expect(page.getByRole('heading', { name: 'Done' })).toBeVisible();
  await expect(page.getByText(/You recalled \d+ of 10\./)).toBeVisible();

  await page.reload();
  // Ten new items were introduced today: none left for today, and nothing due yet
  // except the ones answered Again (they come back within the sitting's ten minutes).
  await expect(today(page)).toContainText(/\d+ due · 0 new/);
  const text = await saved(page);
  expect(text.match(/definition\/|trap\//g)?.length ?? 0).toBeGreaterThanOrEqual(10);

  await app.nav('Progress').click();
  await expect(page.getByText(/10 of 39 items reviewed/)).toBeVisible();
});

test('practice leaves the schedule alone', async ({ app, page }) => {
  await app.open('#/review');
  const before = await marks(page);
  await page.getByRole('button', { name: 'Practice (schedule untouched)' }).click();
  await expect(page.getByText('Question 1 of 10 · practice')).toBeVisible();
  await page.keyboard.press(' ');
  await page.keyboard.press('3');
  await expect(page.getByText('Question 2 of 10 · practice')).toBeVisible();
  await page.reload();
  await expect(today(page)).toContainText('0 due · 10 new');
  expect(await marks(page)).toEqual(before);
});

test('the review page passes axe in both themes', async ({ app, page }) => {
  test.slow(); // four axe runs
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await app.open('#/review');
    await page.reload();
    await app.axe();
    await page.getByRole('button', { name: /Start review/ }).click();
    await page.keyboard.press('a');
    await app.axe();
  }
});

test('an older (version 2) export merged in keeps the review schedule and adds its marks', async ({ app, page }) => {
  await app.open('#/review');
  await page.getByRole('button', { name: 'Start review (10)' }).click();
  for (let n = 1; n <= 3; n++) {
    await expect(page.getByText(`Question ${n} of 10`)).toBeVisible();
    await page.keyboard.press(' ');
    await page.keyboard.press('3');
  }
  await app.nav('Progress').click();
  await expect(page.getByText('3 of 39 items reviewed.')).toBeVisible();

  const older = JSON.stringify({
    version: 2, updated: 4, learned_terms: ['drain', 'route-epoch'],
    cards: { 'logs-as-truth': { spotted: true, ticked: [0] } },
    scenarios: {}, reviews: [], last_place: '#/glossary/drain', last_place_at: 3, theme: 'system', theme_at: 0,
  });
  await page.getByLabel('Import progress…').setInputFiles({ name: 'older.json', mimeType: 'application/json', buffer: Buffer.from(older) });
  await page.getByRole('button', { name: 'Merge into my progress' }).click();
  await expect(page.locator('.meter').filter({ hasText: 'Terms learned' }).locator('.figure')).toHaveText('2 / 16');
  await expect(page.getByText('3 of 39 items reviewed.')).toBeVisible();

  await page.reload();
  await expect(page.getByText('3 of 39 items reviewed.')).toBeVisible();
  await expect(page.locator('.meter').filter({ hasText: 'Anti-patterns you can spot' }).locator('.figure')).toHaveText('1 / 7');
});
