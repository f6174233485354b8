import { createHash } from 'node:crypto';
import { Page } from '@playwright/test';
import { test, expect } from '../fixtures/app';
import { Lab } from '../fixtures/lab';

/**
 * Every page carries a strict Content-Security-Policy (written by
 * scripts/finish-dist.mjs) and the app runs under it: not one violation
 * across every route, search, the Lab and its checker. The last step
 * injects a script on purpose, to show the policy and the recorder are live.
 */
async function recordViolations(page: Page) {
  await page.addInitScript(() => {
    (window as any).__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as any).__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  const console: string[] = [];
  page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) console.push(m.text()); });
  return async () => [...(await page.evaluate(() => (window as any).__csp as string[])), ...console];
}

/** The policy's directives, checked strict; and its script hashes match the page's inline scripts. */
function checkPolicy(html: string) {
  const policy = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)?.[1];
  expect(policy).toBeTruthy();
  const directives = Object.fromEntries(policy!.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  expect(directives['default-src']).toEqual(["'none'"]);
  expect(directives['script-src']).toContain("'wasm-unsafe-eval'");
  expect(directives['worker-src']).toEqual(["'self'"]);
  expect(policy).not.toMatch(/'unsafe-inline'|'unsafe-eval'|https?:|\*/);
  const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].filter((m) => !/\bsrc\s*=/i.test(m[1])).map((m) => m[2]);
  expect(inline.length).toBeGreaterThan(0);
  const hashes = inline.map((s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`);
  expect(directives['script-src'].filter((s: string) => s.startsWith("'sha256-")).sort()).toEqual(hashes.sort());
}

test('both files declare a strict policy: no remote origin, no unsafe-inline or eval, hashed inline scripts', async ({ page, baseURL }) => {
  // The app, and the page forwarding the Lab's old address.
  for (const file of ['', 'lab.html']) {
    checkPolicy(await (await page.request.get(`${baseURL}${file}`)).text());
  }
});

test('no violation across every route, search, the Lab and its checker', async ({ app, page }) => {
  const violations = await recordViolations(page);
  // In through the old Lab address: its forwarding script runs under its policy.
  await app.open('lab.html#/glossary');
  await expect(app.heading()).toHaveText('Glossary');
  for (const route of ['#/', '#/glossary', '#/glossary/drain', '#/anti-patterns', '#/anti-patterns/sessions-teleport', '#/progress', '#/no-such-page']) {
    await app.open(route);
    await expect(app.heading()).toBeVisible();
  }
  await page.keyboard.press('/');
  await page.getByRole('combobox', { name: 'Search terms and anti-patterns' }).fill('drain');
  await expect(page.getByRole('option').first()).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: /Theme:/ }).click();
  await app.offlineReady();

  await app.nav('Lab').click();
  await expect(app.heading()).toHaveText('The Lab');
  const lab = new Lab(page);
  await lab.next.click();
  await expect(lab.stepCount).toHaveText(/^Step 1 of \d+$/);
  await lab.switches.getByRole('radio').nth(1).check();
  await lab.findFailure.click();
  await expect(lab.checkerStatus.filter({ hasText: /^Found:/ })).toBeVisible({ timeout: 20_000 });
  await page.reload();
  await expect(app.heading()).toHaveText('The Lab');
  expect(await violations()).toEqual([]);

  // The control: an injected inline script is blocked and reported.
  app.allowed.push(/Content.Security.Policy/);
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true;';
    document.head.append(s);
  });
  await expect.poll(violations).toHaveLength(2); // the event and the console line
  expect(await page.evaluate(() => (window as any).__injected)).toBeUndefined();
});
