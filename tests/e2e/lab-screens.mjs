// Screenshots of the Lab at the moment an invariant breaks, at every viewport
// the issue names, light and dark, normal and presenter, for a person to look
// at: `cd tests/e2e && node lab-screens.mjs [drill] [port]` writes them to
// target/screens/lab-*.png (serves ../../dist itself).
import { chromium } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { launchArgs, serveDist } from './serve.mjs';

const drill = process.argv[2] ?? 'ap-wake-replay';
const port = Number(process.argv[3] ?? 4322);
const out = '../../target/screens';
mkdirSync(out, { recursive: true });
const sizes = {
  phone: { width: 390, height: 844 }, '1024x768': { width: 1024, height: 768 },
  '1280x720': { width: 1280, height: 720 }, '1440x900': { width: 1440, height: 900 },
  '1920x1080': { width: 1920, height: 1080 },
};

const server = await serveDist('../../dist', port);
const browser = await chromium.launch(launchArgs);
try {
  for (const scheme of ['light', 'dark']) {
    for (const [sizeName, viewport] of Object.entries(sizes)) {
      for (const presenter of [false, true]) {
        const context = await browser.newContext({ viewport, colorScheme: scheme });
        const page = await context.newPage();
        await page.goto(`${server.url}#/lab?drill=${drill}`);
        await page.getByText(/^Step 0 of \d+$/).waitFor();
        if (presenter) await page.getByRole('button', { name: 'Presenter mode' }).click();
        // Step until something is broken (or the end).
        for (let i = 0; i < 40 && !(await page.locator('.broken-now').count()); i++) {
          const next = page.getByRole('button', { name: 'Next ▶' });
          if (await next.isDisabled()) break;
          if (presenter) await page.keyboard.press('ArrowRight'); else await next.click();
          await page.waitForTimeout(120);
        }
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.waitForTimeout(200);
        const name = `lab-${sizeName}-${scheme}${presenter ? '-presenter' : ''}`;
        await page.screenshot({ path: `${out}/${name}.png`, fullPage: false });
        await context.close();
      }
    }
  }
} finally {
  await browser.close();
  server.close();
}
console.log(`screenshots in ${out}`);
