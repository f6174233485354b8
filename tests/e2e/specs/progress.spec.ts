import { test, expect } from '../fixtures/app';
import { guard } from '../fixtures/lab';
import { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

const KEY = 'vango-study-lab/progress';
const DAMAGED = 'vango-study-lab/progress/damaged/';


const learned = (page: Page, term: string) => page.getByRole('button', { name: `Learned: ${term}` });

/** The "n / m" figure under a meter's heading on the Progress page. */
const meter = (page: Page, title: string) =>
  page.locator('.meter').filter({ has: page.getByRole('heading', { name: title, exact: true }) }).locator('.figure');

test('a learned term survives a reload and counts on the Progress page', async ({ app, page }) => {
  await app.open('#/glossary');
  await learned(page, 'Drain').click();
  await expect(learned(page, 'Drain')).toHaveAttribute('aria-pressed', 'true');
  await page.reload();
  await expect(learned(page, 'Drain')).toHaveAttribute('aria-pressed', 'true');
  await app.nav('Progress').click();
  await expect(app.heading()).toHaveText('Progress');
  await expect(meter(page, 'Terms learned')).toHaveText('1 / 16');
  await expect(page.getByRole('progressbar', { name: 'Terms learned' })).toHaveAttribute('value', '1');
  await expect(meter(page, 'Anti-patterns you can spot')).toHaveText('0 / 7');
});

test('unreadable saved progress is kept aside, offered for download, and the app starts fresh', async ({ app, page }) => {
  await app.open('#/glossary');
  await page.evaluate((key) => localStorage.setItem(key, '{not json'), KEY);
  await page.reload();
  await expect(app.heading()).toHaveText('Glossary');
  const banner = page.getByRole('alert').filter({ hasText: 'could not be read' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('Your saved progress could not be read');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    banner.getByRole('button', { name: 'Download the kept data' }).click(),
  ]);
  expect(readFileSync((await download.path())!, 'utf8')).toBe('{not json');

  const kept = await page.evaluate((prefix) => Object.keys(localStorage)
    .filter((k) => k.startsWith(prefix)).map((k) => [k, localStorage.getItem(k)]), DAMAGED);
  expect(kept).toContainEqual([expect.stringMatching(/\/damaged\/\d+-[a-z0-9]+$/), '{not json']);

  // Starting fresh works: a new mark is saved and the banner does not come back.
  await expect(learned(page, 'Drain')).toHaveAttribute('aria-pressed', 'false');
  await learned(page, 'Drain').click();
  await page.reload();
  await expect(learned(page, 'Drain')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('alert').filter({ hasText: 'could not be read' })).toHaveCount(0);
  const still = await page.evaluate((prefix) => Object.keys(localStorage)
    .filter((k) => k.startsWith(prefix)).map((k) => localStorage.getItem(k)), DAMAGED);
  expect(still).toContain('{not json');
});

test('two tabs: a mark in one shows in the other without reload, and neither erases the other', async ({ app, page, context }) => {
  await app.open('#/glossary');
  const other = await context.newPage();
  const watch = guard(other, new URL(page.url()).origin);
  await other.goto('#/glossary');
  await expect(other.locator('#boot')).toHaveCount(0);

  await learned(page, 'Drain').click();
  await expect(learned(other, 'Drain')).toHaveAttribute('aria-pressed', 'true');
  await learned(other, 'Cell').click();
  await expect(learned(page, 'Cell')).toHaveAttribute('aria-pressed', 'true');
  await expect(learned(page, 'Drain')).toHaveAttribute('aria-pressed', 'true');
  await expect(learned(other, 'Drain')).toHaveAttribute('aria-pressed', 'true');

  await other.reload();
  await expect(learned(other, 'Drain')).toHaveAttribute('aria-pressed', 'true');
  await expect(learned(other, 'Cell')).toHaveAttribute('aria-pressed', 'true');
  await other.close();
  watch.check();
});

test('export, then import into a fresh profile by merging', async ({ app, page, browser, baseURL }) => {
  await app.open('#/glossary');
  await learned(page, 'Drain').click();
  await app.nav('Progress').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export progress' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('vango-study-lab-progress.json');
  const file = (await download.path())!;
  const json = JSON.parse(readFileSync(file, 'utf8'));
  expect(json).toBeTruthy();

  const fresh = await browser.newContext({ baseURL, acceptDownloads: true });
  try {
    const other = await fresh.newPage();
    const watch = guard(other, new URL(baseURL!).origin);
    await other.goto('#/progress');
    await expect(other.locator('#boot')).toHaveCount(0);
    await expect(meter(other, 'Terms learned')).toHaveText('0 / 16');
    await other.getByLabel('Import progress…').setInputFiles(file);
    await expect(other.getByText(/^The file holds 1 learned terms/)).toBeVisible();
    await other.getByRole('button', { name: 'Merge into my progress' }).click();
    await expect(other.getByRole('status').filter({ hasText: 'The imported progress was merged into yours.' })).toBeVisible();
    await expect(meter(other, 'Terms learned')).toHaveText('1 / 16');
    await other.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Glossary' }).click();
    await expect(learned(other, 'Drain')).toHaveAttribute('aria-pressed', 'true');
    await other.reload();
    await expect(learned(other, 'Drain')).toHaveAttribute('aria-pressed', 'true');
    watch.check();
  } finally {
    await fresh.close();
  }
});

test('a file that is not a progress export is refused and changes nothing', async ({ app, page }) => {
  await app.open('#/glossary');
  await learned(page, 'Drain').click();
  await app.nav('Progress').click();
  for (const [name, text] of [['garbage.json', 'this is not progress {{{'], ['other.json', '{"hello": [1, 2, 3]}'], ['empty.json', '']]) {
    await page.getByLabel('Import progress…').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
    const refused = page.getByRole('alert').filter({ hasText: 'Import refused' });
    await expect(refused).toBeVisible();
    await expect(refused).toContainText('Your progress is unchanged.');
    await refused.getByRole('button', { name: 'Dismiss' }).click();
    await expect(refused).toHaveCount(0);
  }
  await expect(meter(page, 'Terms learned')).toHaveText('1 / 16');
});

test('with storage blocked the app still works and says progress will not survive a reload', async ({ app, page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
    });
  });
  await app.open('#/glossary');
  expect(await page.evaluate(() => { try { return typeof window.localStorage; } catch (e) { return (e as Error).name; } })).toBe('SecurityError');
  const lasting = page.getByText(/will not survive a reload/).first();
  await expect(lasting).toBeVisible();
  await expect(page.locator('.notices').getByRole('button', { name: 'Dismiss' })).toHaveCount(0);

  await learned(page, 'Drain').click();
  await expect(learned(page, 'Drain')).toHaveAttribute('aria-pressed', 'true');
  await app.nav('Progress').click();
  await expect(meter(page, 'Terms learned')).toHaveText('1 / 16');
  await page.getByRole('button', { name: /Theme:/ }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await app.nav('Lab').click();
  await expect(app.heading()).toHaveText('The Lab');
  await page.getByRole('button', { name: 'Next ▶' }).click();
  await expect(page.getByText(/^Step 1 of \d+$/)).toBeVisible();
  await expect(page.getByText(/will not survive a reload/).first()).toBeVisible();

  await page.reload();
  await app.nav('Glossary').click();
  await expect(learned(page, 'Drain')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByText(/will not survive a reload/).first()).toBeVisible();
});

test('reset asks first, and Undo brings the progress back', async ({ app, page }) => {
  await app.open('#/glossary');
  await learned(page, 'Drain').click();
  await learned(page, 'Cell').click();
  await app.nav('Progress').click();
  await expect(meter(page, 'Terms learned')).toHaveText('2 / 16');

  await page.getByRole('button', { name: 'Reset progress…' }).click();
  const ask = page.getByRole('alertdialog');
  await expect(ask).toContainText('Reset all progress on this device?');
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toHaveCount(0);
  await expect(meter(page, 'Terms learned')).toHaveText('2 / 16');

  await page.getByRole('button', { name: 'Reset progress…' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Yes, reset' }).click();
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expect(meter(page, 'Terms learned')).toHaveText('0 / 16');
  const restore = page.getByRole('status').filter({ hasText: 'Your previous progress can still be restored.' });
  await restore.getByRole('button', { name: 'Undo' }).click();
  await expect(meter(page, 'Terms learned')).toHaveText('2 / 16');
  await expect(page.getByText('Undone: your previous progress is back.')).toBeVisible();
  await expect(restore).toHaveCount(0);
  await page.reload();
  await expect(meter(page, 'Terms learned')).toHaveText('2 / 16');

  // A reset that is not undone is saved.
  await page.getByRole('button', { name: 'Reset progress…' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Yes, reset' }).click();
  await expect(meter(page, 'Terms learned')).toHaveText('0 / 16');
  await page.reload();
  await expect(meter(page, 'Terms learned')).toHaveText('0 / 16');
  await app.nav('Glossary').click();
  await expect(learned(page, 'Drain')).toHaveAttribute('aria-pressed', 'false');
});

test('kept unreadable data stays listed on the Progress page after the banner is dismissed', async ({ app, page }) => {
  await app.open('#/glossary');
  await page.evaluate((key) => localStorage.setItem(key, '{not json either'), KEY);
  await page.reload();
  const banner = page.getByRole('alert').filter({ hasText: 'could not be read' });
  await expect(banner).toContainText('It stays listed on the Progress page.');
  await banner.getByRole('button', { name: 'Dismiss' }).click();
  await expect(banner).toHaveCount(0);

  await app.nav('Progress').click();
  const kept = page.getByRole('region', { name: 'Unreadable data kept aside' });
  await expect(kept).toContainText('1 saved record could not be read');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    kept.getByRole('button', { name: /^Download Kept record 1/ }).click(),
  ]);
  expect(readFileSync((await download.path())!, 'utf8')).toBe('{not json either');
  // Saving goes on beside it.
  await page.reload();
  await expect(kept).toBeVisible();
  await kept.getByRole('button', { name: /^Delete Kept record 1/ }).click();
  await expect(kept).toHaveCount(0);
  const left = await page.evaluate((prefix) => Object.keys(localStorage).filter((k) => k.startsWith(prefix)), DAMAGED);
  expect(left).toEqual([]);
});

test('"storage is full" and "memory only" banners clear themselves once saving works again', async ({ app, page }) => {
  app.allowed.push(/QuotaExceededError|SecurityError/);
  await page.addInitScript(() => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key: string, value: string) {
      const w = window as unknown as { failWith?: string };
      if (w.failWith && key.startsWith('vango-study-lab/progress/tab/')) {
        throw new DOMException('refused by the test', w.failWith);
      }
      return setItem.call(this, key, value);
    };
  });
  await app.open('#/glossary');
  const full = page.getByRole('alert').filter({ hasText: 'Browser storage is full' });
  const memoryOnly = page.getByText(/will not survive a reload/);

  await page.evaluate(() => { (window as unknown as { failWith?: string }).failWith = 'QuotaExceededError'; });
  await learned(page, 'Drain').click();
  await expect(full).toBeVisible();
  await expect(learned(page, 'Drain')).toHaveAttribute('aria-pressed', 'true');
  await page.evaluate(() => { delete (window as unknown as { failWith?: string }).failWith; });
  await learned(page, 'Cell').click();
  await expect(full).toHaveCount(0);

  await page.evaluate(() => { (window as unknown as { failWith?: string }).failWith = 'SecurityError'; });
  await learned(page, 'Route epoch').click();
  await expect(memoryOnly.first()).toBeVisible();
  await page.evaluate(() => { delete (window as unknown as { failWith?: string }).failWith; });
  await learned(page, 'Artifact').click();
  await expect(memoryOnly).toHaveCount(0);

  await page.reload();
  for (const t of ['Drain', 'Cell', 'Route epoch', 'Artifact']) {
    await expect(learned(page, t)).toHaveAttribute('aria-pressed', 'true');
  }
});

test('an import naming 10,000 unknown terms is summarised, not listed', async ({ app, page }) => {
  await app.open('#/progress');
  const slugs = Array.from({ length: 10_000 }, (_, i) => `unknown-${i}`);
  const file = JSON.stringify({ version: 2, learned_terms: ['drain', ...slugs] });
  await page.getByLabel('Import progress…').setInputFiles({ name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  const ready = page.getByRole('status').filter({ hasText: 'The file holds 1 learned terms' });
  await expect(ready).toBeVisible();
  await expect(ready).toContainText('Skipped, because this version does not know them or cannot read them: 10000 terms.');
  await expect(ready.getByRole('listitem')).toHaveCount(5);
  await expect(ready).toContainText('…and 9995 more.');
  await ready.getByRole('button', { name: 'Merge into my progress' }).click();
  await expect(meter(page, 'Terms learned')).toHaveText('1 / 16');
});

test('"What to do next" starts with lesson 1 and the drill the path meets first', async ({ app, page }) => {
  await app.open('#/progress');
  const next = page.getByRole('region', { name: 'What to do next' }).getByRole('listitem');
  await expect(next.first()).toHaveText('Lesson 1: Stateful does not mean magic');
  await expect(next.getByRole('link', { name: /in the Lab$/ })).toHaveText('Play “Drain without a session store: fresh, and told” in the Lab');
  await next.first().getByRole('link').click();
  await expect(app.heading()).toHaveText('Stateful does not mean magic');
});
