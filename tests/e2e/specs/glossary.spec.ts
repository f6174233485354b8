import { test, expect } from '../fixtures/app';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The user's own glossary page, parsed: the app must show it word for word. */
function seedTerms() {
  const text = readFileSync(join(__dirname, '../../fixtures/seeds/001_fec349260e4d4024.txt'), 'utf8');
  const p = text.split('\n\n').map((s) => s.trim()).filter(Boolean).slice(3);
  const terms = [];
  for (let i = 0; i < p.length; i += 5) {
    terms.push({ name: p[i], category: p[i + 1], definition: p[i + 2], trap: p[i + 4] });
  }
  return terms;
}

test('every term is shown with its category, definition and trap', async ({ app, page }) => {
  await app.open('#/glossary');
  const terms = seedTerms();
  expect(terms).toHaveLength(16);
  await expect(page.getByRole('article')).toHaveCount(16);
  for (const t of terms) {
    const entry = page.getByRole('article', { name: t.name, exact: true });
    await expect(entry).toContainText(t.definition);
    await expect(entry.getByRole('link', { name: t.category, exact: true })).toBeVisible();
    await expect(entry.getByRole('complementary', { name: `Common trap: ${t.name}` })).toContainText(t.trap);
  }
  await expect(page.getByRole('status').filter({ hasText: 'Showing' })).toHaveText('Showing 16 of 16 terms');
});

test('terms are alphabetical', async ({ app, page }) => {
  await app.open('#/glossary');
  const names = await page.locator('article h2').allTextContents();
  expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
});

test('the category filter narrows the list and says how many', async ({ app, page }) => {
  await app.open('#/glossary');
  const filters = page.getByRole('navigation', { name: 'Filter by category' });
  await filters.getByRole('link', { name: 'NATS' }).click();
  await expect(page.getByRole('article')).toHaveCount(2);
  await expect(page.getByText('Showing 2 of 16 terms in NATS')).toBeVisible();
  await expect(page.getByRole('article', { name: 'JetStream' })).toBeVisible();
  await filters.getByRole('link', { name: 'Runtime services' }).click();
  await expect(page.getByRole('article')).toHaveCount(2);
  await filters.getByRole('link', { name: 'All' }).click();
  await expect(page.getByRole('article')).toHaveCount(16);
});

test('related terms and anti-patterns are links that resolve', async ({ app, page }) => {
  await app.open('#/glossary');
  const epoch = page.getByRole('article', { name: 'Route epoch' });
  await epoch.getByRole('link', { name: 'Route owner' }).click();
  await expect(page.locator('#term-route-owner')).toHaveClass(/focused/);
  await app.open('#/glossary/idempotency-key');
  await page.getByRole('article', { name: 'Idempotency key' }).getByRole('link', { name: 'Unsafe Wake Replay' }).click();
  await expect(page.locator('#card-unsafe-wake-replay')).toHaveClass(/focused/);
});

for (const base of ['/', '/study-lab/']) {
  test(`a deep link to a term scrolls to and highlights it under ${base}`, async ({ app, page }) => {
    await app.open('#/glossary/warm-deploy', base);
    const term = page.locator('#term-warm-deploy');
    await expect(term).toHaveClass(/focused/);
    await expect(term).toBeInViewport();
    await expect(term).toBeFocused();
  });
}

// A scroll before the page's first paint ends the browser's largest-paint
// (LCP) measurement: Lighthouse then scores a deep link 0. The page paints at
// its top first, then slides to the item.
for (const [route, id] of [['#/glossary/drain', 'term-drain'], ['#/anti-patterns/sessions-teleport', 'card-sessions-teleport']]) {
  test(`a deep link (${route}) paints the page before it scrolls, so its largest paint is recorded`, async ({ app, page }) => {
    await page.addInitScript(() => {
      (window as any).__largest = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as any[]) (window as any).__largest.push(e.element ? !!e.element.closest('#main') : false);
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    });
    await app.open(route);
    await expect(page.locator(`#${id}`)).toBeInViewport();
    await expect(page.locator(`#${id}`)).toBeFocused();
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    // At least one largest paint was the app's own page, not the loading line.
    expect(await page.evaluate(() => (window as any).__largest)).toContain(true);
  });
}

test('marking a term learned survives a reload', async ({ app, page }) => {
  await app.open('#/glossary');
  const toggle = page.getByRole('button', { name: 'Learned: Drain' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await page.reload();
  await expect(page.getByRole('button', { name: 'Learned: Drain' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('button', { name: 'Learned: Cell' })).toHaveAttribute('aria-pressed', 'false');
});

test('the glossary passes axe in light and dark', async ({ app, page }) => {
  await app.open('#/glossary/drain');
  await app.axe();
  await page.emulateMedia({ colorScheme: 'dark' });
  await app.axe();
});

test('a link to a term or category that does not exist says so and shows every term', async ({ app, page }) => {
  await app.open('#/glossary/no-such-term');
  await expect(app.heading()).toHaveText('Glossary');
  await expect(page.getByRole('status').filter({ hasText: 'There is no term “no-such-term” in the glossary.' })).toBeVisible();
  await expect(page.getByRole('article')).toHaveCount(16);

  await app.open('#/glossary?category=%3Cb%3Enope%3C%2Fb%3E');
  await expect(page.getByRole('status').filter({ hasText: 'There is no category “<b>nope</b>” in the glossary' })).toBeVisible();
  await expect(page.locator('.glossary-page b')).toHaveCount(0);
  await expect(page.getByRole('article')).toHaveCount(16);

  // A known one shows no such message.
  await app.open('#/glossary/drain?category=runtime');
  await expect(page.getByText(/There is no/)).toHaveCount(0);
});

test('escaped links are decoded: a term, and an unknown unicode path shown as written', async ({ app, page }) => {
  await app.open('#/glossary/%64rain');
  await expect(page.locator('#term-drain')).toHaveClass(/focused/);
  await app.open('#/caf%C3%A9-%E2%9C%93');
  await expect(app.heading()).toHaveText('Page not found');
  await expect(page.locator('main code')).toHaveText('café-✓');
});
