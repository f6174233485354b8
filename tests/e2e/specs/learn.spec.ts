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

test('a decision lab opens the Lab where the model makes its current decision', async ({ app, page }) => {
  await app.open('#/decisions/route-event');
  const lab = page.getByRole('region', { name: 'Route event at an edge POP' });
  await lab.getByLabel('Sequence number of the event').fill('6');
  await expect(lab.getByText('Fail closed until a snapshot')).toBeVisible();
  const link = lab.getByRole('link', { name: 'See this decision in the Lab' });
  await expect(link).toHaveAttribute('href', /#\/lab\?drill=[a-z0-9-]+&step=\d+$/);
  await link.click();
  await expect(app.heading()).toHaveText('The Lab');
  const l = new Lab(page);
  const { at } = await l.step();
  expect(at).toBeGreaterThan(0);
  // Flipping an input counted the lab as tried.
  await app.open('#/learn');
  await expect(page.getByText(/1 of 7 decision labs tried/)).toBeVisible();
});

test('a request trace and a runbook play their drill step by step, with the Lab one click away', async ({ app, page }) => {
  await app.open('#/traces');
  await page.getByRole('link', { name: 'GET while sleeping' }).click();
  await expect(app.heading()).toHaveText('GET while sleeping');
  const first = page.locator('.walk-drill').first();
  await expect(first.locator('.walk-step').first()).toContainText('What changed');
  const at2 = first.getByRole('link', { name: 'Open the Lab after step 2' });
  await expect(at2).toHaveAttribute('href', /drill=trace-get-sleeping&step=2$/);
  await at2.click();
  await expect(app.heading()).toHaveText('The Lab');
  expect((await new Lab(page).step()).at).toBeGreaterThanOrEqual(2);

  await app.open('#/runbooks/bad-deploy');
  await expect(app.heading()).toHaveText('Bad deploy');
  await expect(page.getByText('Promotions frozen', { exact: true })).toBeVisible();
  await expect(page.getByText(/^Refused: /)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Run it yourself in the Lab' })).toHaveAttribute('href', /drill=runbook-bad-deploy$/);
  await app.open('#/runbooks/no-such-runbook');
  await expect(page.getByRole('alert')).toContainText('no runbook called');
});

test('the allocation and session lifecycles are drawn from the model and list their drills', async ({ app, page }) => {
  await app.open('#/lifecycles/session');
  const session = page.getByRole('region', { name: 'Session' });
  await expect(session.getByRole('img')).toHaveAttribute('aria-label', /Session lifecycle: states connected, detached/);
  await expect(session.getByRole('table')).toContainText('past the resume window');
  await session.getByRole('button', { name: 'expired' }).click();
  await expect(session.getByRole('link', { name: /expire/i }).first()).toBeVisible();
});

test('search finds a lesson and a Lab word, and opens them', async ({ app, page }) => {
  await app.open('#/learn');
  await page.keyboard.press('/');
  const box = page.getByRole('combobox', { name: 'Search terms and anti-patterns' });
  await box.fill('waking from zero');
  const lesson = page.getByRole('option').filter({ hasText: 'Lesson' }).first();
  await expect(lesson).toBeVisible();
  await box.fill('readiness');
  await expect(page.getByRole('group', { name: /^Lab:/ })).toBeVisible();
  await box.fill('reconnect');
  const move = page.getByRole('option').filter({ hasText: 'Lab move' }).first();
  await move.click();
  await expect(app.heading()).toHaveText('The Lab');
  expect((await new Lab(page).step()).at).toBeGreaterThan(0);
});

test('the cheat sheet holds the terms, cards, invariants and decision rules, and prints on one page', async ({ app, page }) => {
  await app.open('#/cheat-sheet');
  await expect(app.heading()).toHaveText('Cheat sheet');
  await expect(page.locator('.cheat-list').first().locator('dt')).toHaveCount(16);
  await expect(page.locator('.cheat-invariants li')).toHaveCount(14);
  await expect(page.locator('.cheat-rules h3')).toHaveCount(7);
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.site-header')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print' })).toBeHidden();
});

for (const route of ['#/learn', '#/learn/waking-from-zero', '#/decisions', '#/lifecycles', '#/traces', '#/traces/websocket-reconnect', '#/runbooks', '#/runbooks/restore', '#/cheat-sheet']) {
  test(`${route} passes axe in light and dark`, async ({ app, page }) => {
    test.slow(); // axe over nine diagrams and tables takes a while on a busy machine
    await app.open(route);
    await app.axe();
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.axe();
  });
}
