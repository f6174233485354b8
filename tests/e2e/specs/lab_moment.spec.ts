import { test, expect } from '../fixtures/app';
import { Lab, drillList } from '../fixtures/lab';
import type { Locator, Page } from '@playwright/test';

// The failure moment on one screen at a small projector's size: the break is
// said in the live region and the broken invariant is on screen, unscrolled.
test.use({ viewport: { width: 1280, height: 720 } });

const drills = drillList();
const SWITCHES = [
  'sessions-teleport', 'logs-as-truth', 'event-bus-as-database', 'routing-by-healthy-backend',
  'unsafe-wake-replay', 'mvp-erases-topology', 'warm-deploy-equals-safe-rollback',
];

/** Is the element's whole box inside the viewport as it stands (no scrolling)? */
async function expectInViewport(page: Page, el: Locator, what: string) {
  const box = await el.boundingBox();
  const vp = page.viewportSize()!;
  expect(box, `${what} has a box`).not.toBeNull();
  expect(box!.y, `${what} top`).toBeGreaterThanOrEqual(0);
  expect(box!.x, `${what} left`).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height, `${what} bottom`).toBeLessThanOrEqual(vp.height);
  expect(box!.x + box!.width, `${what} right`).toBeLessThanOrEqual(vp.width);
}

for (const presenter of [false, true]) {
  for (const sw of SWITCHES) {
    // The shortest drill that shows this anti-pattern.
    const d = drills.filter((x) => x.switch === sw).sort((a, b) => a.steps.length - b.steps.length)[0];
    test(`${presenter ? 'presenter' : 'normal'}: ${sw} (${d.slug}) breaks invariant ${d.breaks} in the first viewport, announced`, async ({ app, page }) => {
      test.setTimeout(60_000);
      await app.open(`#/lab?drill=${d.slug}`);
      const lab = new Lab(page);
      const { of } = await lab.step();
      if (presenter) {
        await lab.presenterButton.click();
        await expect(lab.presenterButton).toHaveAttribute('aria-pressed', 'true');
      }
      const broke = `Invariant ${d.breaks} broke:`;
      let said = '';
      for (let i = 0; i < of && !said.includes(broke); i++) {
        if (presenter) await page.keyboard.press('ArrowRight');
        else await lab.next.click();
        await expect(lab.stepCount).toHaveText(`Step ${i + 1} of ${of}`);
        said = (await lab.narration.textContent()) ?? '';
      }
      expect(said, 'the narration names the broken invariant').toContain(broke);
      // Said in a polite live region, so a screen reader hears it.
      await expect(page.locator('[aria-live="polite"]').filter({ hasText: broke })).toHaveCount(1);
      // Nothing scrolled: the moment is in the first viewport.
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
      const item = lab.brokenNow.getByRole('listitem').filter({ hasText: `✗ Invariant ${d.breaks} broken at step` });
      await expect(item).toBeVisible();
      await expectInViewport(page, item, 'the broken invariant beside the picture');
      const chip = page.getByRole('list', { name: 'Invariants at this step' }).getByRole('listitem')
        .filter({ hasText: new RegExp(`^✗${d.breaks}${d.breaks}\\. .+: broken$`) });
      await expectInViewport(page, chip, 'its chip in the strip');
      await expectInViewport(page, lab.narration, 'the narration');
      await expectInViewport(page, lab.picture, 'the picture');
    });
  }
}

test('normal mode at 1280x720: the moves sit beside the picture, and a move\'s effect shows without scrolling', async ({ app, page }) => {
  await app.open('#/lab?drill=race-two-promotions');
  const lab = new Lab(page);
  await expect(lab.stepCount).toHaveText(/^Step 0 of \d+$/);
  const move = lab.controls.getByRole('button').first();
  await expectInViewport(page, move, 'the first move');
  const before = await lab.narration.textContent();
  await move.click();
  await expect(lab.stepCount).toHaveText(/^Step 1 of \d+$/);
  await expect(lab.narration).not.toHaveText(before ?? '');
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await expectInViewport(page, lab.narration, 'the narration');
  await expectInViewport(page, lab.picture, 'the picture');
});

/** The rendered height of the picture's box titles (SVG text), in CSS pixels. */
async function pictureText(page: Page) {
  return page.locator('.topology text.box-title').evaluateAll((els) =>
    els.map((el) => el.getBoundingClientRect().height));
}

test('presenter mode fills the projector: the picture text is at least 18 px at 1280x720 and 14 px at 1024x768', async ({ app, page }) => {
  await app.open('#/lab?drill=ap-wake-replay');
  const lab = new Lab(page);
  await expect(lab.stepCount).toHaveText(/^Step 0 of \d+$/);
  const normal = Math.min(...await pictureText(page));
  await lab.presenterButton.click();
  await expect(lab.presenterButton).toHaveAttribute('aria-pressed', 'true');
  const at1280 = await pictureText(page);
  expect(at1280.length).toBeGreaterThan(3);
  expect(Math.min(...at1280), `box titles at 1280x720: ${at1280.join(', ')} (normal mode ${normal})`).toBeGreaterThanOrEqual(18);
  await page.setViewportSize({ width: 1024, height: 768 });
  const at1024 = await pictureText(page);
  expect(Math.min(...at1024), `box titles at 1024x768: ${at1024.join(', ')}`).toBeGreaterThanOrEqual(14);
  // The picture is never wider than the screen.
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(1024);
});

test('presenter mode keeps the switches, the drill, Find a failure and predict reachable', async ({ app, page }) => {
  await app.open('#/lab?drill=race-two-promotions');
  const lab = new Lab(page);
  await lab.presenterButton.click();
  await expect(lab.presenterButton).toHaveAttribute('aria-pressed', 'true');
  for (const el of [lab.correctPlatform, lab.scenarioSelect, lab.findFailure, page.getByRole('checkbox', { name: 'Pause to predict' })]) {
    await el.scrollIntoViewIfNeeded();
    await expect(el).toBeVisible();
    await expect(el).toBeEnabled();
  }
  // A switch chosen in presenter mode takes effect.
  await lab.naive('Unsafe Wake Replay').check();
  await expect(lab.naive('Unsafe Wake Replay')).toBeChecked();
});

test('presenter keys stay out of the search field and dialogs; Esc closes only the topmost layer', async ({ app, page }) => {
  await app.open('#/lab?drill=race-two-promotions');
  const lab = new Lab(page);
  await lab.presenterButton.click();
  await expect(lab.presenterButton).toHaveAttribute('aria-pressed', 'true');
  const { of } = await lab.step();
  await page.keyboard.press('ArrowRight');
  await expect(lab.stepCount).toHaveText(`Step 1 of ${of}`);

  // Typing in search: the dot and the space stay in the field, the Lab stays put.
  await page.keyboard.press('/');
  const box = page.getByRole('dialog').getByRole('combobox');
  await expect(box).toBeFocused();
  await page.keyboard.type('a. b');
  await expect(box).toHaveValue('a. b');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('PageDown');
  await expect(lab.stepCount).toHaveText(`Step 1 of ${of}`);
  // Esc closes the search dialog, not presenter mode.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(lab.presenterButton).toHaveAttribute('aria-pressed', 'true');

  // Keys on a focused button are the button's.
  await lab.back.focus();
  await page.keyboard.press('.');
  await expect(lab.stepCount).toHaveText(`Step 1 of ${of}`);

  // "?" shows the keys; Esc closes it first, then leaves presenter mode.
  await page.locator('.topology').click();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Presenter keys' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('next step');
  // Focus is in the dialog (on Close): stepping keys are ignored there.
  await page.keyboard.press('ArrowRight');
  await expect(lab.stepCount).toHaveText(`Step 1 of ${of}`);
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  await expect(lab.presenterButton).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Space');
  await expect(lab.stepCount).toHaveText(`Step 2 of ${of}`);
  await page.keyboard.press('Escape');
  await expect(lab.presenterButton).toHaveAttribute('aria-pressed', 'false');
});

test('presenter mode passes axe with a broken invariant on screen, light and dark', async ({ app, page }) => {
  test.setTimeout(90_000);
  await app.open('#/lab?drill=ap-wake-replay');
  const lab = new Lab(page);
  await lab.presenterButton.click();
  for (let i = 0; i < 30 && !(await lab.brokenNow.count()); i++) await page.keyboard.press('ArrowRight');
  await expect(lab.brokenNow).toBeVisible();
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Presenter keys' })).toBeVisible();
  await app.axe();
  await page.emulateMedia({ colorScheme: 'dark' });
  await app.axe();
});

test('"Continue where you left off" reopens the Lab at the same drill, switch and step, after a reload', async ({ app, page }) => {
  await app.open('#/lab?drill=ap-wake-replay');
  const lab = new Lab(page);
  await expect(lab.scenarioSelect).toHaveValue('d:ap-wake-replay');
  await lab.correctPlatform.check();
  await expect(lab.correctPlatform).toBeChecked();
  for (let i = 0; i < 3; i++) await lab.stepForward();
  const before = await lab.moment();
  expect(before.step).toMatch(/^Step 3 of \d+$/);
  await app.nav('Progress').click();
  await page.reload();
  await expect(page.locator('#boot')).toHaveCount(0);
  await page.getByRole('link', { name: 'Continue where you left off' }).click();
  await expect(lab.stepCount).toHaveText(before.step!);
  await expect(lab.scenarioSelect).toHaveValue('d:ap-wake-replay');
  await expect(lab.correctPlatform).toBeChecked();
  expect(await lab.moment()).toEqual(before);
  // It is the learner's own play: playing on to the goal counts.
  await lab.playToEnd();
  await expect(lab.goalStatus).toHaveText('✓ Goal met at this step');
  await expect(page.getByText('Opened from a shared link')).toHaveCount(0);
});

test('a share link is not saved as the learner\'s place', async ({ app, page }) => {
  const lab = new Lab(page);
  await app.open('#/lab?drill=promotion');
  await lab.stepForward();
  const link = await lab.shareLink.inputValue();
  // The learner's own play, then someone's link.
  await app.open('#/lab?drill=race-two-promotions');
  await lab.stepForward();
  await lab.stepForward();
  await page.goto(link);
  await expect(lab.scenarioSelect).toHaveValue('d:promotion');
  await expect(lab.stepCount).toHaveText(/^Step 1 of \d+$/);
  await app.nav('Progress').click();
  const resume = page.getByRole('link', { name: 'Continue where you left off' });
  await expect(resume).toHaveAttribute('href', /resume=/);
  await resume.click();
  await expect(lab.scenarioSelect).toHaveValue('d:race-two-promotions');
  await expect(lab.stepCount).toHaveText(/^Step 2 of \d+$/);
});
