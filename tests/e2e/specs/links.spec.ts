import { test, expect } from '../fixtures/app';
import { Lab } from '../fixtures/lab';

// Addresses as people pass them around: a bare file name, and share links
// whose characters a chat client or browser has escaped.

for (const base of ['/', '/study-lab/']) {
  test(`a bare lab.html opens the Lab, not the home page, under ${base}`, async ({ app, page }) => {
    await app.open('lab.html', base);
    await expect(app.heading()).toHaveText('The Lab');
    expect(new URL(page.url()).pathname).toBe(`${base}lab.html`);
  });
}

test('a share link with its ~ escaped as %7E opens the same moment', async ({ app, page }) => {
  await app.open('#/lab?scenario=region-failover');
  const lab = new Lab(page);
  await lab.stepForward();
  await lab.stepForward();
  const here = await lab.moment();
  const link = await lab.shareLink.inputValue();
  const escaped = link.replaceAll('~', '%7E');
  expect(escaped).toContain('%7E');
  await page.goto('about:blank');
  await page.goto(escaped);
  await expect(page.locator('#boot')).toHaveCount(0);
  const there = new Lab(page);
  await expect(there.stepCount).toHaveText(here.step!);
  expect(await there.moment()).toEqual(here);
  await expect(page.getByRole('alert')).toHaveCount(0);
});
