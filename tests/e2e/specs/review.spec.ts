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
const checklist = (page: Page) => page.getByRole('list', { name: 'What a strong answer mentions' });

test('a review sitting answered by keyboard is saved, and the schedule survives a reload', async ({ app, page }) => {
  await app.open('#/review');
  await expect(app.heading()).toHaveText('Review');
  await expect(today(page)).toContainText('0 due · 10 new');
  await page.getByRole('button', { name: 'Start review (10)' }).focus();
  await page.keyboard.press('Enter');

  for (let n = 1; n <= 10; n++) {
    const count = page.locator('.review-count');
    await expect(count).toContainText(`Question ${n} of 10`);
    if ((await count.textContent())?.includes('explain it back')) {
      await page.keyboard.press(' ');          // show the strong answer's checklist
      await expect(checklist(page)).toBeVisible();
    } else if (n % 2) {
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
  expect(text.match(/answered\/(definition|trap|signals|prediction|explain)\//g)?.length ?? 0).toBeGreaterThanOrEqual(10);

  await app.nav('Progress').click();
  await expect(page.getByText(/^10 of \d+ items reviewed/)).toBeVisible();
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
  const reviewed3 = page.getByText(/^3 of \d+ items reviewed\./);
  await expect(reviewed3).toBeVisible();

  const older = JSON.stringify({
    version: 2, updated: 4, learned_terms: ['drain', 'route-epoch'],
    cards: { 'logs-as-truth': { spotted: true, ticked: [0] } },
    scenarios: {}, reviews: [], last_place: '#/glossary/drain', last_place_at: 3, theme: 'system', theme_at: 0,
  });
  await page.getByLabel('Import progress…').setInputFiles({ name: 'older.json', mimeType: 'application/json', buffer: Buffer.from(older) });
  await page.getByRole('button', { name: 'Merge into my progress' }).click();
  await expect(page.locator('.meter').filter({ hasText: 'Terms learned' }).locator('.figure')).toHaveText('2 / 16');
  await expect(reviewed3).toBeVisible();

  await page.reload();
  await expect(reviewed3).toBeVisible();
  await expect(page.locator('.meter').filter({ hasText: 'Anti-patterns you can spot' }).locator('.figure')).toHaveText('1 / 7');
});

test('a prediction and an explain-it-back item answered by keyboard keep their schedule across a reload', async ({ app, page }) => {
  await app.open('#/review');
  // Every new item today, so the first lesson's predictions and its explain item are in the sitting.
  await page.getByText('Review settings').click();
  await page.getByLabel('New items per day').fill('50');
  await page.getByLabel('New items per day').press('Tab');
  await expect(today(page)).toContainText('0 due · 50 new');
  await page.getByRole('button', { name: 'Start review (50)' }).focus();
  await page.keyboard.press('Enter');

  const written = 'The session lives in the memory of one allocation; a silent restart loses the draft.';
  let prediction = '';
  let explained = false;
  for (let n = 1; n <= 50 && !(prediction && explained); n++) {
    const count = page.locator('.review-count');
    await expect(count).toContainText(`Question ${n} of 50`);
    const kind = (await count.textContent()) ?? '';
    if (kind.includes('prediction') && !prediction) {
      await expect(page.locator('.review-prompt')).toContainText('What does the platform do?');
      await page.keyboard.press(' ');
      await expect(page.getByText(/^The answer: /)).toBeVisible();
      await expect(page.locator('.explanation')).toContainText('The model plays');
      const lab = page.getByRole('link', { name: 'Play it in the Lab from this moment' });
      expect(await lab.getAttribute('href')).toMatch(/#\/lab\?v2~d\.[a-z0-9-]+~0~[a-z0-9.]*~\d+$/);
      prediction = (await page.locator('.review-prompt').textContent()) ?? '';
      await page.keyboard.press('3');          // Good: the learner knew it
    } else if (kind.includes('explain it back') && !explained) {
      const box = page.getByLabel(/Your answer/);
      await box.fill(written);
      await page.locator('#review-card').focus(); // out of the text box: the keys work again
      await page.keyboard.press(' ');
      await expect(checklist(page)).toBeVisible();
      await expect(box).toHaveValue(written);  // nothing typed is lost by revealing
      const points = await checklist(page).getByRole('button').count();
      expect(points).toBeGreaterThanOrEqual(3);
      await page.keyboard.press('a');
      await page.keyboard.press('b');
      await expect(checklist(page).getByRole('button', { pressed: true })).toHaveCount(2);
      const grade = 2 * 2 < points ? 'Again' : 2 * 4 < points * 3 ? 'Hard' : 'Good';
      await expect(page.getByRole('status').filter({ hasText: 'covered' }))
        .toContainText(`2 of ${points} covered: suggested grade ${grade}`);
      await expect(box).toHaveValue(written);
      await page.keyboard.press('Enter');      // take the suggested grade
      explained = true;
    } else {
      await page.keyboard.press(' ');
      await page.keyboard.press('3');
    }
  }
  expect(prediction).not.toBe('');
  expect(explained).toBe(true);

  await page.reload();
  const text = await saved(page);
  expect(text).toMatch(/answered\/prediction\/[a-z0-9-]+\/\d+\/\d+\/3/);
  expect(text).toMatch(/answered\/explain\/stateful-is-not-magic\/\d+\/[123]/);
  // Answered today, nothing new is offered again and the first lesson counts as learning.
  await expect(today(page)).toContainText(/\d+ due · \d+ new/);
  await app.nav('Progress').click();
  await page.getByText('Mastery per lesson, term and card').click();
  const row = page.getByRole('row', { name: /Stateful does not mean magic/ });
  await expect(row).toContainText(/learning|new/);
  await expect(row).toContainText(/[1-9]\d* of \d+/);
});

test('the review page passes axe with a prediction and an explain item, in both themes', async ({ app, page }) => {
  test.slow(); // eight axe runs
  await app.open('#/review');
  await page.getByText('Review settings').click();
  await page.getByLabel('New items per day').fill('50');
  await page.getByLabel('New items per day').press('Tab');
  await page.getByRole('button', { name: 'Start review (50)' }).click();
  const seen = new Set<string>();
  for (let n = 1; n <= 50 && seen.size < 2; n++) {
    await expect(page.locator('.review-count')).toContainText(`Question ${n} of 50`);
    const kind = (await page.locator('.review-count').textContent()) ?? '';
    const which = kind.includes('prediction') ? 'prediction' : kind.includes('explain it back') ? 'explain' : '';
    const check = which !== '' && !seen.has(which);
    for (const scheme of check ? (['light', 'dark'] as const) : []) {
      await page.emulateMedia({ colorScheme: scheme });
      await app.axe();                          // asking
    }
    await page.keyboard.press(' ');
    if (which === 'explain') await page.keyboard.press('a');
    for (const scheme of check ? (['light', 'dark'] as const) : []) {
      await page.emulateMedia({ colorScheme: scheme });
      await app.axe();                          // answered
    }
    if (check) seen.add(which);
    await page.keyboard.press('1');
  }
  expect([...seen].sort()).toEqual(['explain', 'prediction']);
});
