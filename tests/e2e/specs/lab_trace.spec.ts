import { test, expect } from '../fixtures/app';
import { Lab, drillList } from '../fixtures/lab';
import type { Page } from '@playwright/test';

// The trace: the steps as swim lanes, the breaking step marked by its
// invariant's number and name, a row jumps the Lab to its step and shows what
// that step changed.

/** The shortest drill that shows the event bus anti-pattern (its switch on). */
const d = drillList()
  .filter((x) => x.switch === 'event-bus-as-database')
  .sort((a, b) => a.steps.length - b.steps.length)[0];

const pageWidth = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth);

/** Open the drill, play to its break, open the trace; the step of the break. */
async function breakAndOpen(page: Page, lab: Lab) {
  const at = await lab.playUntilSaid(`Invariant ${d.breaks} broke:`);
  await expect(lab.traceToggle).toBeVisible();
  await expect(lab.trace).toBeHidden();
  await lab.openTrace();
  return at;
}

test('the trace marks the breaking step with its invariant, and a row jumps the Lab there with what changed', async ({ app, page }) => {
  test.setTimeout(60_000);
  await app.open(`#/lab?drill=${d.slug}`);
  const lab = new Lab(page);
  const at = await breakAndOpen(page, lab);
  const { of } = await lab.step();

  // One column per lane, each POP its own; the breaking row names the invariant.
  const headers = await lab.trace.getByRole('columnheader').allTextContents();
  for (const lane of ['Operator', 'Control plane', 'Workers', 'NATS', 'POP eu-1', 'POP us-1', 'Allocations']) {
    expect(headers.some((h) => h.includes(lane)), `${lane} in ${headers}`).toBe(true);
  }
  await expect(lab.trace.getByRole('row')).toHaveCount(of + 2); // head, steps, what changed
  const title = (await lab.broken.first().locator('.inv-title').textContent())!;
  expect(title).toMatch(new RegExp(`^${d.breaks}\\. `));
  const breaking = lab.traceRow(at);
  await expect(breaking).toContainText(`✗ ${title}`);
  await expect(breaking).toHaveClass(/\bnow\b/);
  await expect(lab.trace).toHaveAccessibleName(`Trace: step ${at} broke an invariant first (✗).`);
  await expect(lab.whatChanged).toContainText(`What changed at step ${at}`);

  // An earlier step by its button: the Lab goes there and says what it changed.
  const earlier = at - 2;
  await lab.traceRow(earlier).getByRole('button').click();
  await expect(lab.stepCount).toHaveText(`Step ${earlier} of ${of}`);
  await expect(lab.traceRow(earlier)).toHaveClass(/\bnow\b/);
  await expect(lab.whatChanged).toContainText(`What changed at step ${earlier}`);
  const changed = lab.whatChanged.getByRole('listitem');
  expect(await changed.count()).toBeGreaterThan(0);
  // Before the break is played, nothing is marked broken.
  await expect(lab.trace).toHaveAccessibleName('Trace: no invariant broken in the steps played.');
  await expect(lab.trace.getByText(/^✗ /)).toHaveCount(0);

  // By keyboard: the row's button takes Enter.
  await lab.traceRow(at).getByRole('button').focus();
  await page.keyboard.press('Enter');
  await expect(lab.stepCount).toHaveText(`Step ${at} of ${of}`);
  await expect(lab.traceRow(at)).toContainText(`✗ ${title}`);
  await expect(lab.traceRow(at).getByRole('button')).toBeFocused();

  // Follows the Lab: Next moves the current row.
  if (at < of) {
    await lab.next.click();
    await expect(lab.traceRow(at + 1)).toHaveClass(/\bnow\b/);
  }
  await app.axe();
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the trace scrolls in its own box, never the page, and its text is >= 12 px', async ({ app, page }) => {
    test.setTimeout(60_000);
    await app.open(`#/lab?drill=${d.slug}`);
    const lab = new Lab(page);
    const at = await breakAndOpen(page, lab);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    const box = page.locator('.trace-scroll');
    const [scroll, client] = await box.evaluate((el) => [el.scrollWidth, el.clientWidth]);
    expect(scroll, 'the lanes are wider than the phone: the box scrolls').toBeGreaterThan(client);
    const smallest = await lab.trace.locator('th, td, span, strong').evaluateAll((els) =>
      Math.min(...els.map((el) => parseFloat(getComputedStyle(el).fontSize))));
    expect(smallest).toBeGreaterThanOrEqual(12);
    await expect(lab.traceRow(at)).toContainText(`✗ ${d.breaks}. `);
    await lab.traceRow(1).getByRole('button').click();
    await expect(lab.stepCount).toHaveText(/^Step 1 of \d+$/);
    await expect(lab.whatChanged).toContainText('What changed at step 1');
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
  });
});
