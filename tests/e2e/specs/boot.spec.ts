import { Page } from '@playwright/test';
import { test, expect } from '../fixtures/app';

/**
 * A page that cannot start says why and what to do, instead of showing
 * "Loading…" forever (public/boot.js): no WebAssembly, a script or wasm that
 * did not load, an error while starting. The console errors are the point.
 */
// Each load must reach the (broken) network: no service worker serving a good copy.
test.use({ serviceWorkers: 'block' });
test.beforeEach(({ app }) => { app.allowed.push(/Service Worker registration blocked by Playwright/); });

const failure = (page: Page) => page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'The Vango Study Lab could not start' }) });

async function expectCannotStart(page: Page, why: RegExp) {
  await expect(failure(page)).toBeVisible();
  await expect(failure(page)).toContainText(why);
  await expect(failure(page)).toContainText('Reload the page');
  await expect(failure(page).getByRole('button', { name: 'Reload' })).toBeVisible();
  await expect(page.locator('#boot')).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Sections' })).toHaveCount(0);
}

test('a browser without WebAssembly is told so', async ({ app, page }) => {
  app.allowed.push(/WebAssembly/);
  await page.addInitScript(() => { delete (globalThis as any).WebAssembly; });
  await page.goto('#/glossary');
  await expectCannotStart(page, /cannot run WebAssembly/);
});

for (const base of ['/', '/study-lab/']) {
  test(`a wasm that fails to load is reported under ${base}`, async ({ app, page }) => {
    app.allowed.push(/Failed to load resource|Failed to fetch|WebAssembly|net::ERR_FAILED|preload/i);
    await page.route('**/*_bg.wasm', (route) => route.abort());
    await page.goto(`${base}#/lab`);
    await expectCannotStart(page, /did not load \(its WebAssembly/);
  });
}

test('a wasm cut off halfway (an update being uploaded) is reported', async ({ app, page }) => {
  app.allowed.push(/Failed to load resource|WebAssembly|CompileError|preload|MIME/i);
  await page.route('**/*_bg.wasm', async (route) => {
    const response = await route.fetch();
    const body = await response.body();
    await route.fulfill({ response, body: body.subarray(0, body.length >> 1) });
  });
  await page.goto('#/');
  await expectCannotStart(page, /did not load \(its WebAssembly/);
});

test('a start-up script that fails to load is reported', async ({ app, page }) => {
  app.allowed.push(/Failed to load resource|net::ERR_FAILED/i);
  await page.route(/\/vango-study-lab-[0-9a-f]+\.js$/, (route) => route.abort());
  await page.goto('#/');
  await expectCannotStart(page, /Part of the app did not load/);
});

test('an error while starting is reported, with its message', async ({ app, page }) => {
  app.allowed.push(/exception at start/);
  await page.route(/\/vango-study-lab-[0-9a-f]+\.js$/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: `${await response.text()}\nthrow new Error('exception at start');\n` });
  });
  await page.goto('#/');
  await expectCannotStart(page, /An error stopped it while starting \(exception at start\)/);
  await failure(page).getByRole('button', { name: 'Reload' }).click();
  await expect(failure(page)).toBeVisible();
});

test('the normal start shows no failure', async ({ app, page }) => {
  await app.open('#/');
  await expect(app.heading()).toHaveText('Vango Study Lab');
  await expect(failure(page)).toHaveCount(0);
});
