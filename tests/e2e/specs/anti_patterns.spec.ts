import { test, expect } from '../fixtures/app';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function seedCards() {
  const text = readFileSync(join(__dirname, '../../fixtures/seeds/000_8bd0e1aff5265517.txt'), 'utf8');
  const p = text.split('\n\n').map((s) => s.trim()).filter(Boolean).slice(3);
  const cards = [];
  for (let i = 0; i < p.length; i += 6) {
    cards.push({ name: p[i], lie: p[i + 1], better: p[i + 3], signals: p[i + 5].split('\n').map((s) => s.trim()) });
  }
  return cards;
}

test('every card shows the lie, the better model and its signals, in order', async ({ app, page }) => {
  await app.open('#/anti-patterns');
  const cards = seedCards();
  expect(cards).toHaveLength(7);
  await expect(page.locator('article h2')).toHaveText(cards.map((c) => c.name));
  for (const c of cards) {
    const card = page.getByRole('article', { name: c.name });
    await expect(card.getByRole('region', { name: 'The lie' }).or(card.locator('.lie'))).toContainText(c.lie);
    await expect(card.locator('.better')).toContainText(c.better);
    for (const s of c.signals) {
      await expect(card.getByRole('checkbox', { name: s })).toBeVisible();
    }
    await expect(card.getByRole('link', { name: 'Break it in the Lab' })).toBeVisible();
    expect(await card.locator('.rests-on a').count()).toBeGreaterThan(0);
  }
});

test('a card links the glossary terms it rests on', async ({ app, page }) => {
  await app.open('#/anti-patterns/routing-by-healthy-backend');
  const card = page.getByRole('article', { name: 'Routing By Healthy Backend' });
  await expect(card).toHaveClass(/focused/);
  for (const t of ['Route owner', 'Route epoch', 'Allocation']) {
    await expect(card.locator('.rests-on').getByRole('link', { name: t })).toBeVisible();
  }
  await card.locator('.rests-on').getByRole('link', { name: 'Route epoch' }).click();
  await expect(page.locator('#term-route-epoch')).toHaveClass(/focused/);
});

test('ticked signals and "I can spot this" survive a reload', async ({ app, page }) => {
  await app.open('#/anti-patterns');
  const card = page.getByRole('article', { name: 'Unsafe Wake Replay' });
  await card.getByRole('checkbox', { name: 'duplicate payments' }).check();
  await card.getByRole('button', { name: 'I can spot this: Unsafe Wake Replay' }).click();
  await page.reload();
  const again = page.getByRole('article', { name: 'Unsafe Wake Replay' });
  await expect(again.getByRole('checkbox', { name: 'duplicate payments' })).toBeChecked();
  await expect(again.getByRole('checkbox', { name: 'provider retries create multiple records' })).not.toBeChecked();
  await expect(again.getByRole('button', { name: 'I can spot this: Unsafe Wake Replay' })).toHaveAttribute('aria-pressed', 'true');
});

test('the anti-patterns page passes axe in light and dark', async ({ app, page }) => {
  await app.open('#/anti-patterns');
  await app.axe();
  await page.emulateMedia({ colorScheme: 'dark' });
  await app.axe();
});

test('a link to a card that does not exist says so and shows every card', async ({ app, page }) => {
  await app.open('#/anti-patterns/no-such-card');
  await expect(app.heading()).toHaveText('Anti-patterns');
  await expect(page.getByRole('status').filter({ hasText: 'There is no anti-pattern card “no-such-card”.' })).toBeVisible();
  await expect(page.locator('article.card')).toHaveCount(7);
  await app.open('#/anti-patterns/logs-as-truth');
  await expect(page.getByText(/There is no anti-pattern card/)).toHaveCount(0);
});
