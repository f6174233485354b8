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
