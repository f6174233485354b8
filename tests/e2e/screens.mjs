// Screenshots of every page in light and dark, phone and projector sizes,
// for a person to look at: `make screens` writes them to target/screens/.
// Usage: node screens.mjs [fragment ...]   (serves ../../dist itself)
import { chromium } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { launchArgs, serveDist } from './serve.mjs';

const out = '../../target/screens';
mkdirSync(out, { recursive: true });
const pages = process.argv.slice(2).length ? process.argv.slice(2)
  : ['#/', '#/glossary/drain', '#/anti-patterns', '#/lab', '#/progress'];
const sizes = { phone: { width: 390, height: 844 }, laptop: { width: 1366, height: 768 }, projector: { width: 1920, height: 1080 } };

const server = await serveDist();
const browser = await chromium.launch(launchArgs);
try {
  for (const scheme of ['light', 'dark']) {
    for (const [sizeName, viewport] of Object.entries(sizes)) {
      const context = await browser.newContext({ viewport, colorScheme: scheme });
      const page = await context.newPage();
      for (const fragment of pages) {
        await page.goto(`${server.url}${fragment}`);
        await page.waitForSelector('#boot', { state: 'detached' });
        await page.waitForTimeout(300);
        const name = fragment.replace(/[^a-z0-9]+/gi, '_').replace(/^_+|_+$/g, '') || 'home';
        await page.screenshot({ path: `${out}/${name}-${sizeName}-${scheme}.png`, fullPage: false });
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
console.log(`screenshots in ${out}`);
