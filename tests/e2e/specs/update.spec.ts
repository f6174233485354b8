import { copyFileSync, cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '../fixtures/app';
import {
  Server, cacheContents, checkForUpdate, controlled, makeRelease, releaseOf, removeRelease, serve,
} from '../fixtures/releases';

/**
 * A new build is uploaded to the same place. The open app keeps running the
 * release it started with, offline included, until the learner reloads;
 * then every file switches at once. An upload that is interrupted, or a
 * file that is not the release's, never replaces the working copy.
 */
let A: string;
let B: string;
let server: Server;

test.beforeAll(async () => {
  A = await makeRelease('A');
  B = await makeRelease('B');
});
test.afterAll(() => {
  removeRelease(A);
  removeRelease(B);
});
test.beforeEach(async ({ app }) => {
  server = await serve(app, A);
});
test.afterEach(async () => {
  await server.close();
});

const notice = (page: import('@playwright/test').Page) =>
  page.getByRole('status').filter({ hasText: 'A new version of the Vango Study Lab is ready' });

test('a new release installs beside the running one, says so, and switches whole on Reload', async ({ app, page }) => {
  await page.goto(`${server.url}#/glossary`);
  await expect(app.heading()).toHaveText('Glossary');
  await controlled(page);
  expect(await releaseOf(page)).toEqual({ html: 'A', css: 'A' });
  await expect(notice(page)).toHaveCount(0);

  server.state.root = B;
  // A reload is when a browser looks for a new service worker by itself.
  await page.reload();
  await expect(notice(page)).toBeVisible();
  await expect(notice(page).getByRole('button', { name: 'Reload' })).toBeVisible();
  // Still A, every file of it, while B waits; the Lab page too.
  expect(await releaseOf(page)).toEqual({ html: 'A', css: 'A' });
  await app.nav('Lab').click();
  await expect(app.heading()).toHaveText('The Lab');
  expect(await releaseOf(page)).toEqual({ html: 'A', css: 'A' });
  await expect(notice(page)).toBeVisible();

  // "Later" hides it for this page load (one page: moving around keeps it
  // hidden); the next load asks again, and Reload switches to B, Lab and all.
  await notice(page).getByRole('button', { name: 'Later' }).click();
  await expect(notice(page)).toHaveCount(0);
  await app.nav('Glossary').click();
  await expect(app.heading()).toHaveText('Glossary');
  await expect(notice(page)).toHaveCount(0);
  await page.reload();
  await expect(notice(page)).toBeVisible();
  await notice(page).getByRole('button', { name: 'Reload' }).click();
  await expect(async () => expect(await releaseOf(page)).toEqual({ html: 'B', css: 'B' })).toPass();
  await expect(app.heading()).toHaveText('Glossary');
  await expect(notice(page)).toHaveCount(0);

  // Only B's files are kept now, and B runs with the server gone.
  const caches = await cacheContents(page);
  expect(Object.keys(caches)).toHaveLength(1);
  expect(Object.values(caches)[0].some((p) => p.endsWith('a.css'))).toBe(false);
  await server.close();
  await page.reload();
  await expect(app.heading()).toHaveText('Glossary');
  await app.nav('Lab').click();
  await expect(app.heading()).toHaveText('The Lab');
  expect(await releaseOf(page)).toEqual({ html: 'B', css: 'B' });
});

test('a tab still on the old release hears that another tab switched', async ({ app, page, context }) => {
  await page.goto(`${server.url}#/`);
  await controlled(page);
  const other = await context.newPage();
  await other.goto(`${server.url}#/anti-patterns`);
  await expect(other.getByRole('heading', { level: 1 })).toHaveText('Anti-patterns');
  server.state.root = B;
  expect(await checkForUpdate(page)).toBe('installed');
  await expect(notice(page)).toBeVisible();
  await expect(notice(other)).toBeVisible();
  await notice(page).getByRole('button', { name: 'Reload' }).click();
  await expect(async () => expect(await releaseOf(page)).toEqual({ html: 'B', css: 'B' })).toPass();
  // The other tab still shows A and still offers the reload, which now just reloads.
  expect(await releaseOf(other)).toEqual({ html: 'A', css: 'A' });
  await expect(notice(other)).toBeVisible();
  await notice(other).getByRole('button', { name: 'Reload' }).click();
  await expect(async () => expect(await releaseOf(other)).toEqual({ html: 'B', css: 'B' })).toPass();
  await expect(app.heading()).toHaveText('Vango Study Lab');
});

for (const [what, breakIt] of [
  ['the connection drops during the wasm', (s: Server) => { s.state.fail = (p) => (p.endsWith('.wasm') ? 'drop' : null); }],
  ['the server fails on the Lab page', (s: Server) => { s.state.fail = (p) => (p.endsWith('/lab.html') ? 'error' : null); }],
] as const) {
  test(`an update is refused when ${what}; the last complete release stays`, async ({ app, page }) => {
    // Failed requests of the failed install are what this test is about.
    app.allowed.push(/Failed to load resource|sw\.js|service ?worker/i);
    await page.goto(`${server.url}#/`);
    await controlled(page);
    server.state.root = B;
    breakIt(server);
    const before = await cacheContents(page);
    expect(await checkForUpdate(page)).toBe('redundant');
    await expect(notice(page)).toHaveCount(0);
    // A's copy is untouched (what B got so far is kept aside, never served, to resume from).
    const after = await cacheContents(page);
    for (const [name, files] of Object.entries(before)) expect(after[name]).toEqual(files);

    await server.close();
    await page.reload();
    await expect(app.heading()).toHaveText('Vango Study Lab');
    await app.nav('Lab').click();
    await expect(app.heading()).toHaveText('The Lab');
    await page.getByRole('button', { name: 'Next ▶' }).click();
    await expect(page.getByText(/^Step 1 of \d+$/)).toBeVisible();
    expect(await releaseOf(page)).toEqual({ html: 'A', css: 'A' });
  });
}

test('a file that is not the release\'s (a half-finished upload) is refused', async ({ app, page }) => {
  app.allowed.push(/Failed to load resource|integrity|sw\.js|service ?worker/i);
  await page.goto(`${server.url}#/`);
  await controlled(page);
  // B's HTML and service worker, but A's stylesheet bytes under B's name.
  const half = mkdtempSync(join(tmpdir(), 'vango-half-'));
  cpSync(B, half, { recursive: true });
  const cssB = readdirSync(half).find((f) => f.endsWith('b.css'))!;
  const cssA = readdirSync(A).find((f) => f.endsWith('a.css'))!;
  copyFileSync(join(A, cssA), join(half, cssB));
  server.state.root = half;
  expect(await checkForUpdate(page)).toBe('redundant');
  await expect(notice(page)).toHaveCount(0);
  await page.reload();
  expect(await releaseOf(page)).toEqual({ html: 'A', css: 'A' });
  removeRelease(half);
});
