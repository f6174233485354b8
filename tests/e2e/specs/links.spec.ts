import { test, expect } from '../fixtures/app';
import { Lab } from '../fixtures/lab';

// Addresses as people pass them around: a bare file name, and share links
// whose characters a chat client or browser has escaped.

for (const base of ['/', '/study-lab/']) {
  test(`the old lab.html forwards to the one page, keeping the fragment, under ${base}`, async ({ app, page }) => {
    await app.open('lab.html', base);
    await expect(app.heading()).toHaveText('The Lab');
    expect(new URL(page.url()).pathname).toBe(base);
    // The Lab then writes its moment into the address.
    expect(new URL(page.url()).hash).toMatch(/^#\/lab(\?|$)/);
    await app.open('lab.html#/glossary/drain', base);
    await expect(app.heading()).toHaveText('Glossary');
    expect(new URL(page.url()).pathname).toBe(base);
    expect(new URL(page.url()).hash).toBe('#/glossary/drain');
    // Back does not return to the forwarding page (it replaced itself).
    await page.goBack();
    expect(new URL(page.url()).pathname).toBe(base);
  });
}

test('the forwarding page works without script: a link and a line of text', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${baseURL}lab.html#/lab`);
  await expect(page.getByRole('link', { name: 'Open the Lab' })).toHaveAttribute('href', './#/lab');
  await expect(page.getByText(/needs JavaScript and WebAssembly/)).toBeVisible();
  await context.close();
});

test('an old lab.html share link opens the same Lab moment', async ({ app, page }) => {
  await app.open('#/lab?scenario=region-failover');
  const lab = new Lab(page);
  await lab.stepForward();
  const here = await lab.moment();
  const link = new URL(await lab.shareLink.inputValue());
  await page.goto('about:blank');
  await app.open(`lab.html${link.hash}`);
  const there = new Lab(page);
  await expect(there.stepCount).toHaveText(here.step!);
  expect(await there.moment()).toEqual(here);
});

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
