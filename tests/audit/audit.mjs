// `make audit`: the release build in dist/, served with compression the way
// the README's hosting notes ask for, checked on every route by
//   - Lighthouse, mobile profile (its default): performance >= 95,
//     accessibility, best practices and SEO 100;
//   - the Nu HTML checker, on the built HTML and on the rendered DOM of every
//     route (search open too): no errors;
//   - axe, every route in light and dark (search open too): no violations;
//   - Chromium's own installability check (manifest, icons, service worker).
// Prints the figures, then one closing line; exits 1 if a target is missed.
//
//   node tests/audit/audit.mjs [--runs N]   (Lighthouse runs per route, median; default 1)
import { chromium } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchArgs, serveStatic } from '../e2e/serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const dist = join(root, 'dist');
const out = join(root, 'target/audit');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Math.max(1, Number(process.argv[runsArg + 1]) || 1) : 1;

// Every screen of the app, the page that draws it, and a not-found address.
const ROUTES = ['#/', '#/glossary', '#/glossary/drain', '#/anti-patterns', '#/anti-patterns/sessions-teleport',
  '#/review', '#/progress', '#/no-such-page', '#/lab', '#/learn',
  '#/learn/stateful-is-not-magic', '#/decisions', '#/lifecycles'];
const TARGETS = { performance: 95, accessibility: 100, 'best-practices': 100, seo: 100 };

const watchdog = setTimeout(() => { console.error('audit: stopped after 30 minutes'); process.exit(2); }, 30 * 60_000);
watchdog.unref();

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const server = await serveStatic({ root: dist });
// A host serves precompressed files (see the README's hosting notes): ask for
// each once so the first route measured does not wait for brotli 11.
for (const f of readdirSync(dist)) {
  for (const enc of ['br', 'gzip']) await (await fetch(server.url + f, { headers: { 'accept-encoding': enc } })).arrayBuffer();
}
const url = (route) => server.url + route;
const problems = [];
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[(s.length - 1) >> 1]; };

try {
  // ------------------------------------------------------------ Lighthouse
  const chrome = await chromeLauncher.launch({
    chromePath: launchArgs.executablePath,
    chromeFlags: ['--headless=new', ...launchArgs.args],
  });
  const scores = [];
  try {
    for (const route of ROUTES) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) {
        const result = await lighthouse(url(route), {
          port: chrome.port, output: 'json', logLevel: 'error',
          onlyCategories: Object.keys(TARGETS),
        });
        runs.push(result.lhr);
      }
      const lhr = runs.sort((a, b) => a.categories.performance.score - b.categories.performance.score)[(runs.length - 1) >> 1];
      writeFileSync(join(out, `lighthouse-${route.replace(/[^a-z0-9]+/gi, '_')}.json`), JSON.stringify(lhr));
      const row = { route };
      for (const key of Object.keys(TARGETS)) row[key] = Math.round(lhr.categories[key].score * 100);
      for (const [k, id] of [['FCP', 'first-contentful-paint'], ['LCP', 'largest-contentful-paint'], ['TBT', 'total-blocking-time'], ['CLS', 'cumulative-layout-shift'], ['SI', 'speed-index']]) {
        row[k] = lhr.audits[id].displayValue;
      }
      scores.push(row);
      for (const [key, min] of Object.entries(TARGETS)) {
        if (row[key] < min) {
          const failing = Object.values(lhr.categories[key].auditRefs)
            .map((ref) => lhr.audits[ref.id])
            .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual')
            .map((a) => a.id);
          problems.push(`Lighthouse ${key} ${row[key]} < ${min} on ${route} (${failing.slice(0, 8).join(', ')})`);
        }
      }
    }
  } finally {
    await chrome.kill();
  }
  console.log('\nLighthouse, mobile profile (simulated slow 4G, 4x CPU), served with brotli/gzip');
  console.table(scores);

  // ------------------------------------------------- rendered DOM, axe, installability
  const browser = await chromium.launch(launchArgs);
  const axeRows = [];
  const rendered = join(out, 'rendered');
  mkdirSync(rendered);
  let installability = [];
  try {
    for (const scheme of ['light', 'dark']) {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      for (const route of [...ROUTES, '#/glossary search']) {
        const search = route.endsWith(' search');
        await page.goto(url(route.replace(' search', '')));
        await page.waitForSelector('#boot', { state: 'detached' });
        if (search) {
          await page.keyboard.press('/');
          await page.getByRole('combobox').fill('drain epoch');
          await page.getByRole('option').first().waitFor();
        }
        await page.waitForTimeout(200);
        const results = await new AxeBuilder({ page }).analyze();
        axeRows.push({ route, scheme, violations: results.violations.length, passes: results.passes.length });
        for (const v of results.violations) {
          problems.push(`axe ${scheme} ${route}: ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
        }
        if (scheme === 'light') {
          const html = '<!doctype html>\n' + await page.evaluate(() => document.documentElement.outerHTML);
          writeFileSync(join(rendered, `${route.replace(/[^a-z0-9]+/gi, '_')}.html`), html);
        }
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  // Installability in a normal profile: Chromium never offers to install from
  // the incognito-like context a fresh browser context is.
  const profile = mkdtempSync(join(tmpdir(), 'vango-audit-profile-'));
  const persistent = await chromium.launchPersistentContext(profile, launchArgs);
  try {
    const page = await persistent.newPage();
    await page.goto(url('#/'));
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    await page.reload();
    await page.waitForSelector('#boot', { state: 'detached' });
    const cdp = await persistent.newCDPSession(page);
    installability = (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors;
  } finally {
    await persistent.close();
    rmSync(profile, { recursive: true, force: true });
  }
  console.log('\naxe (WCAG 2.x A/AA and best practices), phone size, both themes');
  console.table(axeRows);
  console.log(`\nChromium installability: ${installability.length === 0 ? 'installable' : JSON.stringify(installability)}`);
  for (const e of installability) problems.push(`not installable: ${e.errorId}`);

  // ------------------------------------------------------------ Nu checker
  const require = createRequire(import.meta.url);
  const jar = join(dirname(require.resolve('vnu-jar/package.json')), 'build/dist/vnu.jar');
  const files = [
    ...readdirSync(dist).filter((f) => f.endsWith('.html')).map((f) => join(dist, f)),
    ...readdirSync(rendered).map((f) => join(rendered, f)),
  ];
  // vnu writes its JSON report to stderr.
  const nu = spawnSync('java', ['-jar', jar, '--format', 'json', '--exit-zero-always', ...files], { encoding: 'utf8' });
  if (nu.error || nu.status !== 0) throw new Error(`the Nu checker did not run: ${nu.error ?? nu.stderr}`);
  const report = nu.stderr;
  const messages = JSON.parse(report || '{"messages":[]}').messages;
  const nuRows = files.map((f) => {
    const mine = messages.filter((m) => m.url && fileURLToPath(m.url) === f);
    return { file: f.replace(`${root}/`, ''), errors: mine.filter((m) => m.type === 'error').length, warnings: mine.filter((m) => m.subType === 'warning').length };
  });
  console.log('\nNu HTML checker: built pages and the rendered DOM of every route');
  console.table(nuRows);
  for (const m of messages.filter((x) => x.type === 'error' || x.subType === 'warning')) {
    const where = m.url ? fileURLToPath(m.url).replace(`${root}/`, '') : '?';
    const line = `Nu ${m.type === 'error' ? 'error' : 'warning'} ${where}:${m.lastLine ?? '?'}: ${m.message}`;
    if (m.type === 'error') problems.push(line); else console.log(line);
  }
} finally {
  await server.close();
}

console.log(problems.length ? `\n${problems.join('\n')}` : '\nEvery target met.');
console.log(`audit: ${problems.length === 0 ? 1 : 0} passed, ${problems.length === 0 ? 0 : 1} failed`);
process.exit(problems.length ? 1 : 0);
