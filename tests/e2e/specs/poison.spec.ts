import { test, expect } from '../fixtures/app';
import { cacheContents } from '../fixtures/releases';

/**
 * The offline copy is the release and nothing else. Opening other files of
 * the same folder while online (the service worker itself, the stylesheet,
 * the manifest, a page that does not exist, a page with a query) must not
 * change what the app shows once the server is gone.
 */
for (const base of ['/', '/study-lab/']) {
  test(`visiting other files under ${base} leaves the offline app intact`, async ({ app, page, context }) => {
    app.allowed.push(/Failed to load resource: the server responded with a status of 404/);
    await app.open('#/', base);
    await app.offlineReady();
    const before = await cacheContents(page);
    const css = await page.evaluate(() => document.querySelector('link[rel="stylesheet"]')!.getAttribute('href')!);
    for (const path of ['sw.js', css, 'manifest.webmanifest', 'icon-192.png', 'no-such-page.html', 'index.html?from=elsewhere', 'lab.html?x#/lab', '.']) {
      await page.goto(`${base}${path}`);
    }
    await page.goto(`${base}sw.js`); // the last page seen online
    expect(await cacheContents(page)).toEqual(before);

    await context.setOffline(true);
    await page.goto(`${base}`);
    await expect(app.heading()).toHaveText('Vango Study Lab');
    await page.goto(`${base}index.html#/glossary`);
    await expect(app.heading()).toHaveText('Glossary');
    await page.goto(`${base}lab.html#/lab`);
    await expect(app.heading()).toHaveText('The Lab');
    await context.setOffline(false);
  });
}

test('the cache holds exactly the release: its pages and hashed files, nothing visited', async ({ app, page }) => {
  await app.open('#/');
  await app.offlineReady();
  const caches = await cacheContents(page);
  const names = Object.keys(caches);
  expect(names).toHaveLength(1);
  expect(names[0]).toMatch(/^vango-study-lab \/ [0-9a-f]{16}$/);
  const files = caches[names[0]].map((p) => p.slice(1));
  expect(files).toContain('index.html');
  expect(files).toContain('lab.html');
  expect(files).toContain('manifest.webmanifest');
  expect(files.filter((f) => f.endsWith('.wasm'))).toHaveLength(2); // the app's and the Lab's worker's
  expect(files).not.toContain('sw.js');
  expect(files).not.toContain('');
  // The list is the one the service worker was built with.
  const listed = await page.evaluate(async () => {
    const text = await (await fetch('sw.js')).text();
    return Object.keys(JSON.parse(text.match(/\/\* RELEASE \*\/ (.*);/)![1]).files).sort();
  });
  expect(files).toEqual(listed);
});
