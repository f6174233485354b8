import { test, expect } from '../fixtures/app';
import { chromium } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumLaunch } from '../playwright.config';
import { guard } from '../fixtures/lab';
import { DIST, controlled, serve } from '../fixtures/releases';

/**
 * Offline means: after a first visit, the server may go away. The service
 * worker (public/sw.js) has then cached both pages and every asset. The
 * favicon is inlined, so nothing else is ever fetched; the last test holds
 * the app to "no failed request at all".
 */
const FAVICON = /\/favicon[^/]*\.svg: /;
const FAILED_LOAD = /^console error: Failed to load resource: net::ERR_INTERNET_DISCONNECTED$/;

test('after the first load every section, search and the Lab work offline', async ({ app, page, context }) => {
  app.allowed.push(FAILED_LOAD);
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`));
  await app.open('#/');
  await expect(app.heading()).toHaveText('Vango Study Lab');
  await app.offlineReady();
  await context.setOffline(true);
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);

  for (const [name, heading] of [['Glossary', 'Glossary'], ['Anti-patterns', 'Anti-patterns'], ['Lab', 'The Lab'], ['Progress', 'Progress']]) {
    await app.nav(name).click();
    await expect(app.heading()).toHaveText(heading);
    await expect(app.nav(name)).toHaveAttribute('aria-current', 'page');
  }

  // Search, and follow a result.
  await page.keyboard.press('/');
  await page.getByRole('combobox', { name: 'Search terms and anti-patterns' }).fill('route epoch');
  await expect(page.getByRole('option').first()).toContainText('Route epoch');
  await page.keyboard.press('Enter');
  await expect(page.locator('#term-route-epoch')).toHaveClass(/focused/);

  // Learn a term while offline.
  await page.getByRole('button', { name: 'Learned: Route epoch' }).click();
  await expect(page.getByRole('button', { name: 'Learned: Route epoch' })).toHaveAttribute('aria-pressed', 'true');

  // Step the Lab and break it.
  await app.nav('Anti-patterns').click();
  await page.getByRole('article', { name: 'Unsafe Wake Replay' }).getByRole('link', { name: 'Break it in the Lab' }).click();
  await expect(app.heading()).toHaveText('The Lab');
  const next = page.getByRole('button', { name: 'Next ▶' });
  const count = page.getByText(/^Step \d+ of \d+$/);
  const total = Number(((await count.textContent()) ?? '').split(' of ')[1]);
  for (let i = 1; i <= total; i++) {
    await next.click();
    await expect(count).toHaveText(`Step ${i} of ${total}`);
  }
  await expect(page.getByRole('region', { name: 'Invariants' }).getByText('✗ broken').first()).toBeVisible();
  await page.getByRole('button', { name: 'Find a failure' }).click();
  await expect(page.getByRole('region', { name: 'Invariants' }).getByRole('status').filter({ hasText: /^Found:/ })).toBeVisible({ timeout: 20_000 });

  await app.nav('Progress').click();
  await expect(page.locator('.meter').filter({ hasText: 'Terms learned' })).toContainText('1 / 16');
  expect(failed.filter((f) => !FAVICON.test(f)), 'failed requests other than the favicon').toEqual([]);
  await context.setOffline(false);
});

test('the Lab under the subpath works offline once the app has loaded', async ({ app, page, context }) => {
  app.allowed.push(FAILED_LOAD);
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`));
  await app.open('#/glossary', '/study-lab/');
  await app.offlineReady();
  await context.setOffline(true);
  await app.nav('Lab').click();
  await expect(app.heading()).toHaveText('The Lab');
  await page.getByRole('button', { name: 'Next ▶' }).click();
  await expect(page.getByText(/^Step 1 of \d+$/)).toBeVisible();
  expect(new URL(page.url()).pathname.startsWith('/study-lab/')).toBe(true);
  expect(failed.filter((f) => !FAVICON.test(f)), 'failed requests other than the favicon').toEqual([]);
  await context.setOffline(false);
});

test('offline, moving around and stepping the Lab makes no request that fails', async ({ app, page, context }) => {
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`));
  await app.open('#/');
  await app.offlineReady();
  await context.setOffline(true);
  await app.nav('Glossary').click();
  await expect(app.heading()).toHaveText('Glossary');
  await app.nav('Lab').click();
  await expect(app.heading()).toHaveText('The Lab');
  await page.getByRole('button', { name: 'Next ▶' }).click();
  await expect(page.getByText(/^Step 1 of \d+$/)).toBeVisible();
  await page.waitForTimeout(300);
  expect(failed).toEqual([]);
  await context.setOffline(false);
});

test('a reload with the server gone still opens the app, and the Lab by its old address', async ({ app, page, context }) => {
  await app.open('#/glossary/drain');
  await app.offlineReady();
  await context.setOffline(true);
  await page.reload();
  await expect(app.heading()).toHaveText('Glossary');
  await expect(page.locator('#term-drain')).toHaveClass(/focused/);
  await page.goto('lab.html#/lab');
  await expect(app.heading()).toHaveText('The Lab');
  await page.getByRole('button', { name: 'Next ▶' }).click();
  await expect(page.getByText(/^Step 1 of \d+$/)).toBeVisible();
  await context.setOffline(false);
});

for (const base of ['/', '/study-lab/']) {
  test(`after one visit at ${base} the app runs with the server gone`, async ({ app, page }) => {
    const server = await serve(app, DIST, [base]);
    const at = `${server.url.replace(/\/$/, '')}${base}`;
    await page.goto(`${at}#/glossary`);
    await expect(app.heading()).toHaveText('Glossary');
    await controlled(page);
    await server.close();

    await page.reload();
    await expect(app.heading()).toHaveText('Glossary');
    await app.nav('Lab').click();
    await expect(app.heading()).toHaveText('The Lab');
    await page.getByRole('button', { name: 'Next ▶' }).click();
    await expect(page.getByText(/^Step 1 of \d+$/)).toBeVisible();
    await page.goto(at);
    await expect(app.heading()).toHaveText('Vango Study Lab');
    // The Lab's old address forwards into the one page, offline too.
    await page.goto(`${at}lab.html#/lab`);
    await expect(app.heading()).toHaveText('The Lab');
    expect(new URL(page.url()).pathname).toBe(base);
  });
}

// A normal profile, not the fresh incognito-like context a test gets: Chromium
// never offers to install from incognito.
test('Chromium finds the app installable (manifest, icons, service worker)', async ({ baseURL }) => {
  const profile = mkdtempSync(join(tmpdir(), 'vango-profile-'));
  const context = await chromium.launchPersistentContext(profile, chromiumLaunch);
  try {
    const page = await context.newPage();
    const { check } = guard(page, new URL(baseURL!).origin);
    await page.goto(`${baseURL}#/`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vango Study Lab');
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vango Study Lab');
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.errors).toEqual([]);
    expect(JSON.parse(manifest.data!).name).toBe('Vango Study Lab');
    check();
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
