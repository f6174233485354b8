import { test, expect } from '../fixtures/app';

test('"/" opens search from any page; a name finds the term', async ({ app, page }) => {
  await app.open('#/anti-patterns');
  await page.keyboard.press('/');
  const box = page.getByRole('combobox', { name: 'Search terms and anti-patterns' });
  await expect(box).toBeFocused();
  await box.fill('route owner');
  const first = page.getByRole('option').first();
  await expect(first).toContainText('Route owner');
  await expect(first.locator('mark').first()).toHaveText('Route');
  await page.keyboard.press('Enter');
  await expect(page.locator('#term-route-owner')).toHaveClass(/focused/);
  await expect(box).toHaveCount(0);
});

test('search finds trap text and groups results by kind', async ({ app, page }) => {
  await app.open('#/');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('combobox').fill('confusing it with downtime');
  await expect(page.getByRole('group', { name: 'Glossary terms' }).getByRole('option').first()).toContainText('RPO');
  await page.getByRole('combobox').fill('duplicate payments');
  await expect(page.getByRole('group', { name: 'Anti-pattern cards' }).getByRole('option').first()).toContainText('Unsafe Wake Replay');
});

test('search tolerates a typo', async ({ app, page }) => {
  await app.open('#/');
  await page.keyboard.press('/');
  await page.getByRole('combobox').fill('idempotncy');
  await expect(page.getByRole('option').first()).toContainText('Idempotency key');
});

test('no results says so and suggests close terms', async ({ app, page }) => {
  await app.open('#/');
  await page.keyboard.press('/');
  await page.getByRole('combobox').fill('jetstraem zzz');
  await expect(page.getByRole('status').filter({ hasText: 'No matches' })).toBeVisible();
  await page.getByRole('button', { name: 'JetStream' }).click();
  await expect(page.getByRole('option').first()).toContainText('JetStream');
});

test('keyboard only: arrows move, Enter opens, Escape closes', async ({ app, page }) => {
  await app.open('#/');
  await page.keyboard.press('/');
  const box = page.getByRole('combobox');
  await expect(box).toBeFocused();
  await page.keyboard.type('drain');
  await expect(page.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  const count = await page.getByRole('option').count();
  expect(count).toBeGreaterThan(1);
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('option').nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(box).toHaveAttribute('aria-activedescendant', 'search-option-1');
  await page.keyboard.press('ArrowUp');
  await expect(page.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Escape');
  await expect(box).toHaveCount(0);
  await page.keyboard.press('/');
  await expect(box).toBeFocused();
  await page.keyboard.type('drain');
  await expect(page.getByRole('option').first()).toContainText('Drain');
  await page.keyboard.press('Enter');
  await expect(page.locator('#term-drain')).toHaveClass(/focused/);
});

test('the open search dialog passes axe', async ({ app, page }) => {
  await app.open('#/');
  await page.keyboard.press('/');
  await page.getByRole('combobox').fill('epoch');
  await expect(page.getByRole('option').first()).toBeVisible();
  await app.axe();
});
