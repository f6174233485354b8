import { test, expect } from '../fixtures/app';
import { Lab, drillList, cardNames, slugOf, guard } from '../fixtures/lab';

const drills = drillList();
const SWITCH_ORDER = [
  'sessions-teleport', 'logs-as-truth', 'event-bus-as-database', 'routing-by-healthy-backend',
  'unsafe-wake-replay', 'mvp-erases-topology', 'warm-deploy-equals-safe-rollback',
];

test('the chooser offers every drill of the simulator, by kind, then the start worlds', async ({ app, page }) => {
  expect(drills.length).toBeGreaterThanOrEqual(40);
  await app.open('#/lab');
  const lab = new Lab(page);
  // The chooser is drawn once the worker's first view has arrived.
  await expect(lab.stepCount).toHaveText(/^Step 0 of \d+$/);
  const options = await lab.scenarioSelect.getByRole('option').allTextContents();
  expect(options.slice(0, drills.length)).toEqual(drills.map((d) => d.title));
  expect(options.slice(drills.length).every((o) => o.startsWith('Free play: '))).toBe(true);
});

for (const d of drills) {
  test(`playing "${d.title}" to the end meets its goal`, async ({ app, page }) => {
    await app.open(`#/lab?drill=${d.slug}`);
    const lab = new Lab(page);
    await expect(lab.scenarioSelect).toHaveValue(`d:${d.slug}`);
    if (d.switch) {
      await lab.correctPlatform.check();
      await expect(lab.correctPlatform).toBeChecked();
    }
    await lab.playToEnd();
    await expect(lab.goalStatus).toHaveText('✓ Goal met at this step');
    await expect(lab.broken).toHaveCount(0);
    await expect(lab.brokenNow).toHaveCount(0);
  });
}

for (const d of drills.filter((d) => d.switch)) {
  test(`"${d.title}" with its switch on breaks invariant ${d.breaks}, and the narration says so with its signal`, async ({ app, page }) => {
    await app.open(`#/lab?drill=${d.slug}`);
    const lab = new Lab(page);
    const { of } = await lab.step();
    const said: string[] = [];
    for (let i = 0; i < of; i++) {
      await lab.stepForward();
      said.push((await lab.narration.textContent()) ?? '');
    }
    const broke = said.find((t) => t.includes(`Invariant ${d.breaks} broke:`));
    expect(broke, said.join('\n')).toBeTruthy();
    expect(broke).toMatch(/Warning signal of .+: “.+”/);
    await expect(lab.goalStatus).toHaveText('Goal not met yet');
    // Next to the picture, not only in the panel.
    await expect(lab.brokenNow).toBeVisible();
    await expect(lab.brokenNow).toContainText(`✗ Invariant ${d.breaks} broken at step`);
    await expect(lab.brokenNow.getByText(/^Warning signal \(.+\):/).first()).toBeVisible();
    await expect(lab.broken.filter({ hasText: `${d.breaks}. ` }).first()).toBeVisible();
  });
}

// Each button is named by its line in the drill vocabulary, so a drill's
// script can be played by clicking the moves themselves.
for (const slug of ['race-two-promotions', 'trace-post-idempotent', 'recovery-failover', 'host-drain']) {
  const d = drills.find((x) => x.slug === slug)!;
  test(`"${d.title}" plays to its goal by clicking each move`, async ({ app, page }) => {
    await app.open(`#/lab?drill=${d.slug}`);
    const lab = new Lab(page);
    await lab.playByMoves(d.steps);
    await expect(lab.goalStatus).toHaveText('✓ Goal met at this step');
    await expect(lab.broken).toHaveCount(0);
  });
}

for (const card of cardNames()) {
  test(`"Break it in the Lab" on ${card} shows an invariant break and its warning signal`, async ({ app, page }) => {
    await app.open(`#/anti-patterns/${slugOf(card)}`);
    await page.getByRole('article', { name: card }).getByRole('link', { name: 'Break it in the Lab' }).click();
    await expect(app.heading()).toHaveText('The Lab');
    const lab = new Lab(page);
    await expect(lab.naive(card)).toBeChecked();
    await expect(lab.stepCount).toHaveText(/^Step 0 of \d+$/);
    await expect(lab.broken).toHaveCount(0);
    await lab.playToEnd();
    expect(await lab.broken.count()).toBeGreaterThan(0);
    await expect(lab.broken.first()).toContainText(/Broken at step \d+: /);
    await expect(lab.brokenNow.getByText(/^Warning signal \(.+\):/).first()).toBeVisible();
  });
}

test('a share link reproduces the same moment in a fresh browser context, without counting as progress there', async ({ app, page, browser, baseURL }) => {
  await app.open('#/lab?drill=ap-wake-replay');
  const lab = new Lab(page);
  for (let i = 0; i < 4; i++) await lab.stepForward();
  const here = await lab.moment();
  expect(here.narration).toMatch(/^Step 4: /);
  const link = await lab.shareLink.inputValue();
  expect(new URL(link).origin).toBe(new URL(baseURL!).origin);
  const n = SWITCH_ORDER.indexOf('unsafe-wake-replay') + 1;
  expect(new URL(link).hash).toMatch(new RegExp(`^#/lab\\?v2~d\\.ap-wake-replay~${n}~[a-z0-9.]+~4$`));
  expect(new URL(page.url()).hash).toBe(new URL(link).hash);

  // A finished, clean play shared from here: the other browser sees the goal met but records nothing.
  await lab.correctPlatform.check();
  await lab.playToEnd();
  await expect(lab.goalStatus).toHaveText('✓ Goal met at this step');
  const done = await lab.shareLink.inputValue();

  const fresh = await browser.newContext({ baseURL });
  try {
    const other = await fresh.newPage();
    const watch = guard(other, new URL(baseURL!).origin);
    await other.goto(link);
    await expect(other.locator('#boot')).toHaveCount(0);
    const there = new Lab(other);
    await expect(there.stepCount).toHaveText(here.step!);
    expect(await there.moment()).toEqual(here);
    await expect(there.naive('Unsafe Wake Replay')).toBeChecked();
    await expect(other.getByRole('alert')).toHaveCount(0);

    await other.goto(done);
    await expect(there.goalStatus).toHaveText('✓ Goal met at this step');
    await expect(other.getByText('Opened from a shared link')).toBeVisible();
    const saved = await other.evaluate(() => localStorage.getItem('vango-study-lab/progress'));
    expect(saved ?? '').not.toContain('ap-wake-replay');
    watch.check();
  } finally {
    await fresh.close();
  }
});

test('a share link made under a subpath opens there too', async ({ app, page }) => {
  await app.open('#/lab?drill=recovery-failover', '/study-lab/');
  const lab = new Lab(page);
  await lab.stepForward();
  await lab.stepForward();
  const here = await lab.moment();
  const link = await lab.shareLink.inputValue();
  expect(new URL(link).pathname.startsWith('/study-lab/')).toBe(true);
  expect(new URL(link).hash).toMatch(/^#\/lab\?v2~d\.recovery-failover~0~.+~2$/);
  await page.goto('about:blank');
  await page.goto(link);
  await expect(new Lab(page).stepCount).toHaveText(here.step!);
  expect(await new Lab(page).moment()).toEqual(here);
});

test('a link made by the old Lab says so and replays nothing', async ({ app, page }) => {
  await app.open('#/lab?v1~ap-unsafe-wake-replay~42~16~Bw.P1.xR~2');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('made by an older version of the Lab');
  const lab = new Lab(page);
  await expect(lab.stepCount).toHaveText(/^Step 0 of \d+$/);
  await expect(lab.correctPlatform).toBeChecked();
});

const garbage: [string, string][] = [
  ['a link with a bad action list', 'v2~d.promotion~0~zz.~1'],
  ['a link from a newer version', 'v9~x~1~0~~0'],
  ['escaped bytes and markup', '%00%ff<script>'],
  ['a 5000-character link', 'v2~' + 'a'.repeat(4997)],
  ['an unknown card', 'ap=no-such-card'],
  ['an unknown drill', 'drill=no-such-drill'],
  ['an unknown drill in a link', 'v2~d.no-such-drill~0~~0'],
];

for (const [what, fragment] of garbage) {
  test(`${what} shows an error and leaves the Lab usable`, async ({ app, page }) => {
    await app.open(`#/lab?${fragment}`);
    await expect(app.heading()).toHaveText('The Lab');
    const alert = page.getByRole('alert');
    await expect(alert).toBeVisible();
    await expect(alert).toContainText('The Lab opened on its first drill instead.');
    await expect(alert.locator('script')).toHaveCount(0);
    const lab = new Lab(page);
    await expect(lab.stepCount).toHaveText(/^Step 0 of \d+$/);
    await lab.stepForward();
    await expect(lab.narration).toHaveText(/^Step 1: /);
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await expect(page.getByRole('alert')).toHaveCount(0);
  });
}

test('presenter mode: Space, → and "." step forward, ← steps back, Escape leaves', async ({ app, page }) => {
  await app.open('#/lab?drill=race-two-promotions');
  const lab = new Lab(page);
  await lab.presenterButton.click();
  await expect(lab.presenterButton).toHaveText('Leave presenter mode (Esc)');
  await expect(lab.presenterButton).toHaveAttribute('aria-pressed', 'true');
  const { of } = await lab.step();
  await page.keyboard.press('Space');
  await expect(lab.stepCount).toHaveText(`Step 1 of ${of}`);
  await page.keyboard.press('ArrowRight');
  await expect(lab.stepCount).toHaveText(`Step 2 of ${of}`);
  await page.keyboard.press('.');
  await expect(lab.stepCount).toHaveText(`Step 3 of ${of}`);
  await page.keyboard.press('ArrowLeft');
  await expect(lab.stepCount).toHaveText(`Step 2 of ${of}`);
  await page.keyboard.press('Escape');
  await expect(lab.presenterButton).toHaveText('Presenter mode');
  await expect(lab.presenterButton).toHaveAttribute('aria-pressed', 'false');
  // Out of presenter mode the keys no longer step.
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  await page.keyboard.press('ArrowRight');
  await expect(lab.stepCount).toHaveText(`Step 2 of ${of}`);
});

test('"Pause to predict" asks "What happens next?" before each reveal', async ({ app, page }) => {
  await app.open('#/lab?drill=promotion');
  const lab = new Lab(page);
  const { of } = await lab.step();
  await page.getByRole('checkbox', { name: 'Pause to predict' }).check();
  await lab.next.click();
  await expect(page.getByText('What happens next?')).toBeVisible();
  await expect(page.locator('.predict code')).toHaveText('operator promote B');
  await expect(lab.stepCount).toHaveText(`Step 0 of ${of}`);
  await lab.reveal.click();
  await expect(lab.stepCount).toHaveText(`Step 1 of ${of}`);
  await expect(page.getByText('What happens next?')).toHaveCount(0);
  await expect(lab.narration).toHaveText(/^Step 1: operator promote B/);
  await lab.next.click();
  await expect(page.getByText('What happens next?')).toBeVisible();
  await page.getByRole('checkbox', { name: 'Pause to predict' }).uncheck();
  await expect(page.getByText('What happens next?')).toHaveCount(0);
  await lab.next.click();
  await expect(lab.stepCount).toHaveText(`Step 2 of ${of}`);
});

// Cards and switches share one order (the seed's).
cardNames().forEach((card, i) => {
  test(`"Find a failure" finds a counterexample for ${card} and the page stays responsive`, async ({ app, page }) => {
    await app.open(`#/lab?ap=${SWITCH_ORDER[i]}`);
    const lab = new Lab(page);
    await expect(lab.naive(card)).toBeChecked();
    await page.evaluate(() => {
      const w = window as any;
      w.__frames = 0;
      w.__watching = true;
      const tick = () => { w.__frames += 1; if (w.__watching) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    });
    await lab.findFailure.click();
    await expect(lab.checkerStatus).toHaveText(/^(Searching… \d+ states, depth \d+ of \d+\.|Found: .*)$/);
    await expect(lab.checkerStatus).toHaveText(/^Found: \d+ more step\(s\) break “\d+\. .+” \(\d+ states in \d+ ms\)\. Loaded into the timeline\.$/, { timeout: 30_000 });
    const frames = await page.evaluate(() => { (window as any).__watching = false; return (window as any).__frames as number; });
    expect(frames, 'frames painted during the search').toBeGreaterThan(0);
    expect(await lab.broken.count()).toBeGreaterThan(0);
    const { at, of } = await lab.step();
    expect(at).toBe(of);
    await expect(lab.findFailure).toBeEnabled();
  });
});

test('a search that finds nothing says how far it went, and does not advise a switch that is already on', async ({ app, page }) => {
  await app.open('#/lab?drill=promotion');
  const lab = new Lab(page);
  await lab.findFailure.click();
  await expect(lab.checkerStatus).toHaveText(/^Nothing breaks: .*\((\d+) states\).*switch on an anti-pattern/, { timeout: 30_000 });
  await lab.naive('Warm Deploy Equals Safe Rollback').check();
  await lab.findFailure.click();
  await expect(lab.checkerStatus).toHaveText(/^Nothing breaks: .*With this switch on/, { timeout: 30_000 });
  await expect(lab.checkerStatus).not.toContainText('switch on an anti-pattern');
  await expect(lab.stepCount).toHaveText(/^Step 0 of \d+$/);
});

test('acting at an earlier step forks the timeline; Switch to it, Undo and Redo', async ({ app, page }) => {
  await app.open('#/lab?drill=promotion');
  const lab = new Lab(page);
  const { of } = await lab.step();
  await lab.stepForward();
  await lab.stepForward();
  const undo = page.getByRole('button', { name: 'Undo', exact: true });
  const redo = page.getByRole('button', { name: 'Redo', exact: true });
  await expect(undo).toBeDisabled();

  await lab.control('client write').click();
  await expect(lab.stepCount).toHaveText('Step 3 of 3');
  await expect(lab.narration).toHaveText(/^Step 3: client write/);
  const forks = page.getByText('Other futures kept:');
  await expect(forks).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: `from step 2: ${of - 2} action(s)` })).toBeVisible();

  await page.getByRole('button', { name: 'Switch to it' }).click();
  await expect(lab.stepCount).toHaveText(`Step 3 of ${of}`);
  await expect(page.getByRole('listitem').filter({ hasText: 'from step 2: 1 action(s)' })).toBeVisible();

  await undo.click();
  await expect(lab.stepCount).toHaveText('Step 3 of 3');
  await undo.click();
  await expect(lab.stepCount).toHaveText(`Step 2 of ${of}`);
  await expect(forks).toHaveCount(0);
  await expect(undo).toBeDisabled();
  await redo.click();
  await expect(lab.stepCount).toHaveText('Step 3 of 3');
  await redo.click();
  await expect(lab.stepCount).toHaveText(`Step 3 of ${of}`);
  await expect(redo).toBeDisabled();
});

test('moves are grouped by who acts, and the ones not possible now say why', async ({ app, page }) => {
  await app.open('#/lab?drill=promotion');
  const lab = new Lab(page);
  await lab.stepForward(); // a promotion exists: its worker can act
  for (const who of ['Operator', 'Workers and control plane', 'Runners', 'Edge (POPs)', 'Clients', 'Time', 'Faults']) {
    await expect(lab.controls.getByRole('group', { name: who })).toBeVisible();
  }
  const operator = lab.controls.getByRole('group', { name: 'Operator' });
  await operator.getByText(/^Not possible now \(\d+\)$/).click();
  const refused = operator.locator('.not-now li').first();
  await expect(refused).toBeVisible();
  await expect(refused).toHaveText(/^[a-z].*: .+$/);
  await expect(lab.control('worker promotion#1 next')).toBeEnabled();
});

test('the picture shows POPs, cells, hosts, the clock and drafts', async ({ app, page }) => {
  await app.open('#/lab?drill=ap-teleport-promotion');
  const lab = new Lab(page);
  const svg = lab.picture;
  for (const text of ['POP eu-1', 'POP us-1', 'cell eu-a', 'cell eu-b', 'cell us-a', 'h1', 'h4', 'Route owner', 'Session store']) {
    await expect(svg.getByText(text, { exact: false }).first()).toBeVisible();
  }
  await expect(svg.getByText(/^Tick \d+ · serving$/)).toBeVisible();
  await expect(svg.getByText(/✎ draft/)).toBeVisible();
});

test('the Lab passes axe mid-drill in light and dark', async ({ app, page }) => {
  test.setTimeout(120_000);
  await app.open('#/lab?drill=ap-logs-late-report');
  const lab = new Lab(page);
  for (let i = 0; i < 5; i++) await lab.stepForward();
  await app.axe();
  await lab.playToEnd();
  await page.emulateMedia({ colorScheme: 'dark' });
  await app.axe();
  await lab.presenterButton.click();
  await app.axe();
});
