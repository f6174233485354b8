import { test, expect } from '../fixtures/app';
import { Lab } from '../fixtures/lab';

test('a learner completes lesson 1 by keyboard, then continues at lesson 2 after a reload', async ({ app, page }) => {
  await app.open('#/');
  const start = page.getByRole('link', { name: 'Start lesson 1: Stateful does not mean magic' });
  await start.focus();
  await page.keyboard.press('Enter');
  await expect(app.heading()).toHaveText('Stateful does not mean magic');
  await expect(page.getByText('Lesson 1 of 11')).toBeVisible();
  // The reading links the glossary terms the lesson rests on.
  await expect(page.locator('.reading').getByRole('link', { name: 'allocation' }).first()).toBeVisible();

  // Predict: the model answers (a session with no store cannot resume).
  const predict = page.getByRole('region', { name: 'Predict' });
  const fresh = predict.getByRole('button', { name: 'Starts fresh, and the user is told' });
  await fresh.focus();
  await page.keyboard.press('Enter');
  await expect(predict.getByText('Right.')).toBeVisible();
  await expect(fresh).toHaveClass(/right/);

  // See it: the drill opens in the Lab, on that drill.
  const see = page.getByRole('region', { name: 'See it' }).getByRole('link');
  await see.focus();
  await page.keyboard.press('Enter');
  await expect(app.heading()).toHaveText('The Lab');
  await expect(new Lab(page).scenarioSelect).toHaveValue('d:drain-goes-fresh-without-store');
  await page.goBack();
  await expect(app.heading()).toHaveText('Stateful does not mean magic');

  // Explain it back, then mark the lesson completed.
  await page.getByLabel(/Explain to a colleague/).fill('The session lives in one allocation; it drains, resumes from a store, or starts fresh.');
  await page.getByLabel('the session\'s state lives in the memory of one allocation').check();
  const done = page.getByRole('button', { name: 'Mark this lesson completed' });
  await done.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Lesson completed' })).toHaveText('✓ Lesson completed');

  await page.reload();
  await expect(page.getByRole('status').filter({ hasText: 'Lesson completed' })).toHaveText('✓ Lesson completed');
  await app.open('#/');
  await page.getByRole('link', { name: 'Continue with lesson 2: Every object knows where it is' }).click();
  await expect(app.heading()).toHaveText('Every object knows where it is');
  await app.nav('Progress').click();
  await expect(page.locator('.meter').filter({ hasText: 'Lessons completed' }).locator('.figure')).toHaveText('1 / 11');
});

test('a wrong prediction shows the model\'s answer and why', async ({ app, page }) => {
  await app.open('#/learn/promotion-is-a-compare-and-swap');
  const predict = page.getByRole('region', { name: 'Predict' });
  await predict.getByRole('button', { name: /C overwrote B/ }).click();
  await expect(predict.getByText(/^Not quite: B owns production/)).toBeVisible();
  await expect(predict.getByRole('button', { name: /B owns production/ })).toHaveClass(/right/);
});

test('a decision lab answers as its inputs are flipped', async ({ app, page }) => {
  await app.open('#/decisions/wake-request');
  const lab = page.getByRole('region', { name: 'Wake request classifier' });
  await expect(lab.getByText('Controlled 503 + Retry-After')).toBeVisible();
  await lab.getByLabel('It carries an idempotency key').check();
  await lab.getByLabel('An idempotency store is bound').check();
  await expect(lab.getByText('Held, then replayed exactly once')).toBeVisible();
  await lab.getByLabel('The app is hot (ready allocations)').check();
  await expect(lab.getByText('Served now')).toBeVisible();
  await app.open('#/decisions/no-such-lab');
  await expect(page.getByRole('alert')).toContainText('no decision lab called');
});

test('a lifecycle stage lists the drills that pass through it', async ({ app, page }) => {
  await app.open('#/lifecycles/deploy');
  const deploy = page.getByRole('region', { name: 'Deploy' });
  await deploy.getByRole('button', { name: 'blocked (waiting for an acknowledgement)' }).click();
  await expect(deploy.getByRole('link', { name: 'A cold deploy waits for an acknowledgement' })).toBeVisible();
  await expect(deploy.getByRole('table')).toContainText('impact classified');
});

for (const route of ['#/learn', '#/learn/waking-from-zero', '#/decisions', '#/lifecycles']) {
  test(`${route} passes axe in light and dark`, async ({ app, page }) => {
    test.slow(); // axe over nine diagrams and tables takes a while on a busy machine
    await app.open(route);
    await app.axe();
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.axe();
  });
}
