import { test, expect } from '../fixtures/app';
import { Lab, drillList } from '../fixtures/lab';
import type { Page } from '@playwright/test';

// A phone: the picture stacked as text, every Lab task without sideways page scrolling.
test.use({ viewport: { width: 390, height: 844 } });

const pageWidth = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth);

test('a phone plays a drill to its goal by its moves, never wider than the screen, the picture text >= 12 px', async ({ app, page }) => {
  test.setTimeout(90_000);
  const d = drillList().find((x) => x.slug === 'race-two-promotions')!;
  await app.open(`#/lab?drill=${d.slug}`);
  const lab = new Lab(page);
  await expect(lab.stepCount).toHaveText(/^Step 0 of \d+$/);
  expect(await pageWidth(page)).toBeLessThanOrEqual(390);
  // The stacked picture, not the drawing, and its smallest text is readable.
  const stack = page.locator('.topology-stack');
  await expect(stack).toBeVisible();
  await expect(page.locator('.topology svg')).toBeHidden();
  const smallest = await stack.locator('li, p').evaluateAll((els) =>
    Math.min(...els.map((el) => parseFloat(getComputedStyle(el).fontSize))));
  expect(smallest).toBeGreaterThanOrEqual(12);
  await lab.playByMoves(d.steps, async (line) => {
    expect(await pageWidth(page), `after "${line}"`).toBeLessThanOrEqual(390);
  });
  await expect(lab.goalStatus).toHaveText('✓ Goal met at this step');
  // Each allocation says its stage in words (not by colour alone).
  const allocs = stack.locator('.stack-alloc');
  expect(await allocs.count()).toBeGreaterThan(0);
  for (const text of await allocs.allTextContents()) expect(text).toMatch(/ — [a-z]+/);
  // The rest of the Lab's tasks fit too: the switches, Find a failure, share.
  await lab.naive('Unsafe Wake Replay').check();
  await lab.findFailure.click();
  await expect(lab.checkerStatus).toHaveText(/^(Found|Nothing breaks)/, { timeout: 30_000 });
  await lab.shareLink.scrollIntoViewIfNeeded();
  expect(await pageWidth(page)).toBeLessThanOrEqual(390);
  await app.axe();
});
