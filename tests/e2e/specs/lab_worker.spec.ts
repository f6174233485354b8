import { test, expect } from '../fixtures/app';
import { Lab } from '../fixtures/lab';

/**
 * The simulator and its checker run in a Web Worker (issue #10): it starts
 * the first time the Lab opens, keeps running across visits, and "Find a
 * failure" never blocks the page (Cancel is heard, frames keep coming).
 */
test('the worker starts when the Lab first opens, and only once', async ({ app, page }) => {
  await app.open('#/glossary');
  await page.waitForTimeout(300);
  expect(page.workers(), 'no worker on a study page').toHaveLength(0);
  await app.nav('Lab').click();
  const lab = new Lab(page);
  await expect(lab.stepCount).toHaveText(/^Step 0 of \d+$/);
  expect(page.workers().map((w) => new URL(w.url()).pathname.split('/').pop())).toEqual(['lab_worker_loader.js']);
  await lab.next.click();
  await expect(lab.stepCount).toHaveText(/^Step 1 of \d+$/);
  await app.nav('Glossary').click();
  await app.nav('Lab').click();
  await expect(lab.stepCount).toHaveText(/^Step 0 of \d+$/);
  expect(page.workers()).toHaveLength(1);
});

test('Find a failure runs beside the page: the page can be used meanwhile, Cancel stops it', async ({ app, page }) => {
  // The correct platform from the default drill: nothing breaks, so the search runs to its bound.
  await app.open('#/lab');
  const lab = new Lab(page);
  await expect(lab.stepCount).toHaveText(/^Step 0 of \d+$/);
  await lab.switches.getByRole('radio', { name: /^None/ }).check();
  await lab.findFailure.click();
  // The page answers while the worker searches (or once it has: the checker is quick).
  await app.nav('Glossary').click();
  await expect(app.heading()).toHaveText('Glossary');
  await page.goBack();
  await expect(lab.stepCount).toHaveText(/^Step 0 of \d+$/);
  await lab.findFailure.click();
  await expect(lab.checkerStatus).toHaveText(/^(Searching…|Nothing breaks)/);
  const cancel = page.getByRole('button', { name: 'Cancel' });
  if (await cancel.isVisible()) {
    // It may finish first and the button go: then the click gives up at
    // once instead of waiting for a Cancel that will not come back.
    await cancel.click({ timeout: 1_000 }).catch(() => {});
  }
  await expect(lab.checkerStatus).toHaveText(/^(Search cancelled\.|Nothing breaks: .*\(\d+ ms\))$/);
});
