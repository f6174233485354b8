import { test, expect } from '../fixtures/app';

const routes: [string, string][] = [
  ['#/', 'Vango Study Lab'],
  ['#/glossary', 'Glossary'],
  ['#/anti-patterns', 'Anti-patterns'],
  ['#/lab', 'The Lab'],
  ['#/progress', 'Progress'],
  ['#/learn', 'Learn'],
  ['#/learn/stateful-is-not-magic', 'Stateful does not mean magic'],
  ['#/learn/no-such-lesson', 'No such lesson'],
  ['#/decisions', 'Decision labs'],
  ['#/lifecycles', 'Lifecycles'],
  ['#/review', 'Review'],
  ['#/no-such-page', 'Page not found'],
];

for (const [fragment, heading] of routes) {
  test(`${fragment} renders its heading`, async ({ app }) => {
    await app.open(fragment);
    await expect(app.heading()).toHaveText(heading);
  });
}

test('the navigation reaches every section and marks the current one', async ({ app }) => {
  await app.open('#/');
  for (const [name, heading] of [['Learn', 'Learn'], ['Glossary', 'Glossary'], ['Anti-patterns', 'Anti-patterns'], ['Lab', 'The Lab'], ['Review', 'Review'], ['Progress', 'Progress']]) {
    await app.nav(name).click();
    await expect(app.heading()).toHaveText(heading);
    await expect(app.nav(name)).toHaveAttribute('aria-current', 'page');
  }
});

for (const base of ['/', '/study-lab/']) {
  test(`reload on a deep link works under ${base}`, async ({ app, page }) => {
    await app.open('#/glossary/route-epoch', base);
    await expect(page.locator('#term-route-epoch')).toBeVisible();
    await page.reload();
    await expect(app.heading()).toHaveText('Glossary');
    await expect(page.locator('#term-route-epoch')).toHaveClass(/focused/);
    expect(new URL(page.url()).pathname).toBe(base);
  });
}

test('the theme can be switched and is remembered', async ({ app, page }) => {
  await app.open('#/');
  const button = page.getByRole('button', { name: /Theme:/ });
  await expect(button).toHaveText('Theme: system');
  await button.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('button', { name: /Theme:/ }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});

test('the home page passes axe in light and dark', async ({ app, page }) => {
  await app.open('#/');
  await app.axe();
  await page.emulateMedia({ colorScheme: 'dark' });
  await app.axe();
});

// The static shell: before the wasm arrives, the page the address opens shows
// its own heading and lede (index.html, picked by public/boot.js); the app
// then mounts with the same words.
test.describe('before the app starts', () => {
  test.use({ serviceWorkers: 'block' });
  const shells: [string, string | null][] = [
    ['#/', 'Vango Study Lab'],
    ['#/glossary', 'Glossary'],
    ['#/glossary/drain', 'Glossary'],
    ['#/anti-patterns/sessions-teleport', 'Anti-patterns'],
    ['#/learn', 'Learn'],
    ['#/decisions', 'Decision labs'],
    ['#/lifecycles', 'Lifecycles'],
    ['#/review', 'Review'],
    ['#/progress', 'Progress'],
    // A lesson has a heading of its own: only the loading line.
    ['#/learn/stateful-is-not-magic', null],
    ['#/lab', null],
    ['#/no-such-page', null],
  ];
  for (const [fragment, heading] of shells) {
    test(`${fragment} paints ${heading ? `“${heading}”` : 'only the loading line'} while the wasm loads`, async ({ app, page }) => {
      app.allowed.push(/Service Worker registration blocked by Playwright/);
      // Hold the app's wasm until the shell has been looked at.
      let release!: () => void;
      const held = new Promise<void>((r) => { release = r; });
      await page.route(/vango-study-lab-[0-9a-f]+_bg\.wasm$/, async (route) => { await held; await route.continue(); });
      await page.goto(fragment);
      const boot = page.locator('#boot');
      await expect(boot.getByText('Loading the Vango Study Lab…')).toBeVisible();
      const shown = boot.getByRole('heading', { level: 1 });
      if (heading) {
        await expect(shown).toHaveCount(1);
        await expect(shown).toHaveText(heading);
        await expect(boot.locator('.lede:visible')).toHaveCount(1);
      } else {
        await expect(shown).toHaveCount(0);
      }
      release();
      await expect(boot).toHaveCount(0);
      if (heading) await expect(app.heading()).toHaveText(heading);
    });
  }
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  // (Chromium with scripting switched off this way still parses <noscript> as
  // if scripts ran, so its message cannot be seen here; the shell can.)
  test('no loading line that never ends and no heading of a page that cannot start', async ({ page }) => {
    await page.goto('#/glossary');
    await expect(page.getByText('Loading the Vango Study Lab…')).toBeHidden();
    await expect(page.getByRole('heading', { level: 1 })).toHaveCount(0);
  });
});
