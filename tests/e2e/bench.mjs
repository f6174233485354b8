// Figures for the release build in dist/: what the first load weighs, how
// soon the app paints and mounts next to a plain static page of the same
// text, how long a Lab step takes to show, and how long the in-browser
// checker takes to find each anti-pattern's failure.
//
// Usage (from anywhere; `make bench` runs it from the repository root):
//   node tests/e2e/bench.mjs [--loads N] [--steps N] [--only load|step|open|checker]
//   (BENCH_PORT=N serves on 127.0.0.1:N and N+1; default 4331)
// Everything is served on 127.0.0.1 and measured in headless Chromium.
// It prints figures only; it never fails on a threshold.
import { chromium } from '@playwright/test';
import { readFileSync, readdirSync, existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { gzipSync, constants as zc } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { launchArgs, serveDist } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const dist = join(root, 'dist');
const seeds = join(root, 'tests/fixtures/seeds');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  const n = i > 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
};
const LOADS = Math.max(5, arg('--loads', 7));
const STEPS = arg('--steps', 60);
const BUDGET = 200 * 1000; // bytes, gzip: the study pages' first load (issue #10)
const WORKER_BUDGET = 150 * 1000; // bytes, gzip: the Lab's worker on top of it
/** The Lab's Web Worker: its start script, its wasm-bindgen glue and its wasm. */
const WORKER_FILES = ['lab_worker_loader.js', 'lab_worker.js', 'lab_worker_bg.wasm'];

// Never run forever, whatever the browser does.
const watchdog = setTimeout(() => {
  console.error('bench: stopped after 10 minutes without finishing');
  process.exit(2);
}, 10 * 60_000);
watchdog.unref();

// ---------------------------------------------------------------- helpers

const median = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : '—');
const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
const int = (b) => b.toLocaleString('en-US');

/** Print rows (arrays of cells) as an aligned table; numbers-looking cells align right. */
function table(title, head, rows) {
  const all = [head, ...rows].map((r) => r.map(String));
  const w = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const right = (s) => /^[\d,.\s%—~<>-]+( ms| KiB| B| %)?$/.test(s) && s !== '';
  const line = (r) => r.map((c, i) => (i > 0 && right(c) ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ');
  console.log(`\n${title}`);
  console.log(line(all[0]));
  console.log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const r of all.slice(1)) console.log(line(r));
}

const gzip = (buf) => gzipSync(buf, { level: zc.Z_BEST_COMPRESSION }).length;

/** The files an HTML page of the build makes the browser fetch on first load. */
function firstLoadFiles(htmlName) {
  const html = readFileSync(join(dist, htmlName), 'utf8');
  const refs = new Set([htmlName]);
  const patterns = [
    /<link\b[^>]*\bhref="([^"]+)"/g, // stylesheet, icon, preload, modulepreload
    /<script\b[^>]*\bsrc="([^"]+)"/g,
    /\bfrom\s+'([^']+)'/g, // Trunk's inline module: import init from './x.js'
    /module_or_path:\s*'([^']+)'/g,
  ];
  for (const re of patterns) for (const m of html.matchAll(re)) refs.add(m[1]);
  return [...refs]
    .map((r) => r.replace(/^\.\//, '').split(/[?#]/)[0])
    .filter((r) => r && !/^[a-z]+:/i.test(r) && existsSync(join(dist, r)));
}

const kindOf = (f) => (f.endsWith('.wasm') ? 'wasm' : f.endsWith('.js') ? 'JS' : f.endsWith('.css') ? 'CSS'
  : f.endsWith('.html') ? 'HTML' : f.split('.').pop());

// ---------------------------------------------------------------- 1. bytes

function bytesReport() {
  // One page (lab.html only forwards the Lab's old address to it), then the Lab's worker.
  const sets = [
    ['First load of index.html (every study page)', firstLoadFiles('index.html').filter((f) => !WORKER_FILES.includes(f)), BUDGET],
    ['The Lab\'s worker, fetched on top when the Lab first opens', WORKER_FILES.filter((f) => existsSync(join(dist, f))), WORKER_BUDGET],
  ];
  for (const [title, files, budget] of sets) {
    const rows = [];
    let raw = 0;
    let gz = 0;
    for (const f of files) {
      const buf = readFileSync(join(dist, f));
      const g = gzip(buf);
      raw += buf.length;
      gz += g;
      rows.push([kindOf(f), f, int(buf.length), int(g), kib(g)]);
    }
    const order = { HTML: 0, JS: 1, wasm: 2, CSS: 3 };
    rows.sort((a, b) => (order[a[0]] ?? 9) - (order[b[0]] ?? 9));
    rows.push(['total', '', int(raw), int(gz), kib(gz)]);
    rows.push(['budget', `${int(budget)} B gzip`, '', int(budget), `${((gz / budget) * 100).toFixed(0)} %`]);
    table(`1. ${title}: bytes (gzip -9 by node's zlib)`, ['kind', 'file', 'raw B', 'gzip B', 'gzip'], rows);
  }
}

// ---------------------------------------------------------------- floor page

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The glossary and the cards as plain static HTML: the floor any app is measured against. */
function floorPage() {
  const paras = (file) => readFileSync(join(seeds, file), 'utf8').split('\n\n').map((s) => s.trim()).filter(Boolean);
  const files = readdirSync(seeds).filter((f) => f.endsWith('.txt')).sort();
  const out = ['<!doctype html>', '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Vango Study Lab (static floor)</title></head><body>'];
  let first = true;
  for (const f of files) {
    const p = paras(f);
    // The seeds open with the site name, the page title and a lede.
    out.push(first ? `<h1>${esc(p[1])}</h1>` : `<h2>${esc(p[1])}</h2>`);
    out.push(`<p>${esc(p[2])}</p>`);
    first = false;
    for (const para of p.slice(3)) out.push(`<p>${esc(para).replace(/\n/g, '<br>')}</p>`);
  }
  out.push('</body></html>');
  const dir = mkdtempSync(join(tmpdir(), 'vango-floor-'));
  writeFileSync(join(dir, 'index.html'), out.join('\n'));
  return dir;
}

// ---------------------------------------------------------------- 2. load times

/** Runs in the page before anything else: note when the app has mounted. */
function watchMount() {
  const w = window;
  w.__bench = { mounted: NaN, started: NaN };
  addEventListener('TrunkApplicationStarted', () => { w.__bench.started = performance.now(); });
  const check = () => {
    if (!Number.isNaN(w.__bench.mounted)) return;
    if (document.querySelector('h1') && !document.getElementById('boot')) {
      w.__bench.mounted = performance.now();
      obs.disconnect();
    }
  };
  const obs = new MutationObserver(check);
  obs.observe(document, { childList: true, subtree: true });
  document.addEventListener('DOMContentLoaded', check);
}

async function loadOnce(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  try {
    await context.addInitScript(watchMount);
    const page = await context.newPage();
    await page.goto(url, { timeout: 30_000 });
    await page.waitForFunction(() => !Number.isNaN(window.__bench.mounted), null, { timeout: 30_000 });
    // FCP is reported once the paint happened; give it a few frames at most.
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, null,
      { timeout: 5_000 }).catch(() => {});
    return await page.evaluate(() => {
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      const nav = performance.getEntriesByType('navigation')[0];
      return {
        fcp: fcp ? fcp.startTime : NaN,
        mounted: window.__bench.mounted,
        started: window.__bench.started,
        dcl: nav ? nav.domContentLoadedEventEnd : NaN,
      };
    });
  } finally {
    await context.close();
  }
}

async function loadReport(browser, appUrl, floorUrl) {
  const labUrl = `${appUrl}#/lab`;
  const targets = [
    ['app, home (#/)', `${appUrl}#/`],
    ['app, glossary (#/glossary)', `${appUrl}#/glossary`],
    ['app, Lab', labUrl],
    ['static floor page (glossary + cards)', floorUrl],
  ];
  const rows = [];
  for (const [name, url] of targets) {
    const runs = [];
    for (let i = 0; i < LOADS; i++) runs.push(await loadOnce(browser, url));
    const col = (k) => runs.map((r) => r[k]).filter(Number.isFinite);
    rows.push([name, ms(median(col('fcp'))), ms(median(col('mounted'))), ms(median(col('started'))),
      `${ms(Math.min(...col('mounted')))} – ${ms(Math.max(...col('mounted')))}`]);
  }
  table(`2. Load, median of ${LOADS} fresh contexts each (ms after navigation start; "interactive" = #boot gone and h1 shown)`,
    ['page', 'first contentful paint', 'interactive', 'wasm started', 'interactive min – max'], rows);
  console.log('   (the app\'s first contentful paint is its "Loading…" line; "wasm started" is Trunk\'s TrunkApplicationStarted event)');
}

// ---------------------------------------------------------------- 3. Lab step

async function openLab(browser, appUrl, state = '') {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${appUrl}#/lab${state ? `?${state}` : ''}`, { timeout: 30_000 });
  await page.waitForSelector('#boot', { state: 'detached', timeout: 30_000 });
  await page.getByRole('heading', { level: 1, name: 'The Lab' }).waitFor({ timeout: 30_000 });
  // The heading shows while the worker starts; its first view brings the rest.
  await page.locator('.step-count').waitFor({ timeout: 30_000 });
  return { context, page };
}

async function stepReport(browser, appUrl) {
  const { context, page } = await openLab(browser, appUrl);
  try {
    // Which scenario has the longest script: ask the page itself.
    const select = page.getByRole('combobox', { name: 'Choose a drill' });
    const options = await select.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, title: o.textContent })));
    let longest = { value: '', title: '', steps: -1 };
    for (const o of options) {
      // The chooser is redrawn from each view the worker sends back: an
      // option that cannot be chosen within a few seconds is left out.
      if (!(await select.selectOption(o.value, { timeout: 5_000 }).then(() => true, () => false))) continue;
      // Time for the worker's view of this drill to arrive and be drawn.
      await page.waitForTimeout(300);
      await page.getByText(/^Step 0 of \d+$/).waitFor();
      const n = Number(((await page.getByText(/^Step 0 of \d+$/).textContent()) ?? '').split(' of ')[1]);
      if (n > longest.steps) longest = { ...o, steps: n };
    }
    const chosen = await select.selectOption({ label: longest.title }, { timeout: 10_000 }).then(() => true, () => false);
    if (!chosen) {
      console.log(`\n3. Lab step: could not measure: "${longest.title}" could not be chosen again`);
      return;
    }
    // The count read in the loop may be the previous drill's (the worker's
    // view arrives later): the measured drill's length is read again here.
    await page.waitForTimeout(500);
    const count = page.getByText(/^Step 0 of \d+$/);
    await count.waitFor();
    longest.steps = Number(((await count.textContent()) ?? '').split(' of ')[1]);
    // Steps, not predictions: "Next ▶" moves on at once.
    const predict = page.getByRole('checkbox', { name: 'Pause to predict' });
    if (await predict.count() && await predict.isChecked()) await predict.uncheck();

    // Each sample, in the page, starts just after a frame has been produced:
    //   script  = click → the worker's view has arrived and the page has
    //             rendered it (the step counter changed, then every microtask
    //             queued by that render has run, measured at the next task);
    //   layout  = script, then a forced style and layout of the whole page;
    //   painted = the next frame after that has been painted (rAF, then a task
    //             queued from it), so it includes waiting for that frame.
    const samples = await page.evaluate(async ({ wanted, limit }) => {
      const task = () => new Promise((r) => { const ch = new MessageChannel(); ch.port1.onmessage = () => r(performance.now()); ch.port2.postMessage(0); });
      const frame = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
      const nextButton = () => [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Next ▶');
      // The step counter shows something else than `before` (the worker's reply is rendered).
      const changed = (before) => new Promise((r) => {
        const el = document.querySelector('.step-count');
        if (el.textContent !== before) { r(); return; }
        const mo = new MutationObserver(() => { if (el.textContent !== before) { mo.disconnect(); r(); } });
        mo.observe(el, { childList: true, characterData: true, subtree: true });
        setTimeout(() => { mo.disconnect(); r(); }, 5000);
      });
      const out = [];
      for (let guard = 0; out.length < wanted && guard < limit; guard++) {
        const next = nextButton();
        if (!next) return { error: 'no "Next ▶" button' };
        if (next.disabled) {
          const at = document.querySelector('.step-count').textContent;
          document.querySelector('button[aria-label="Go to the start"]').click();
          await changed(at);
          await frame();
          await task();
          continue;
        }
        await frame();
        await task();
        const before = document.querySelector('.step-count').textContent;
        const t0 = performance.now();
        next.click();
        await changed(before);
        const t1 = await task();
        const shown = document.querySelector('.step-count').textContent !== before;
        document.body.getBoundingClientRect();
        void document.body.offsetHeight;
        const t2 = performance.now();
        await frame();
        const t3 = await task();
        const after = document.querySelector('.step-count').textContent;
        if (after === before) return { error: `the step counter did not move (${before})` };
        out.push({ script: t1 - t0, layout: t2 - t0, paint: t3 - t0, shown });
      }
      return { out };
    }, { wanted: STEPS, limit: STEPS * 4 });
    if (samples.error) {
      console.log(`\n3. Lab step: could not measure: ${samples.error}`);
      return;
    }
    const col = (k) => samples.out.map((x) => x[k]);
    const row = (name, xs) => [name, ms(median(xs)), ms(pct(xs, 95)), ms(Math.max(...xs))];
    table(`3. Lab: "Next ▶" on "${longest.title}" (${longest.steps} steps), ${samples.out.length} steps measured in the page; target < 16 ms`,
      ['measure', 'median', 'p95', 'max'], [
        row('click → view back from the worker and rendered', col('script')),
        row('click → style and layout done', col('layout')),
        row('click → next frame painted (incl. frame wait)', col('paint')),
      ]);
    const early = samples.out.filter((x) => x.shown).length;
    console.log(`   (${early} of ${samples.out.length} steps had the new step in the DOM when "script done" was taken)`);
    await stepThreads(page);
  } finally {
    await context.close();
  }
}

/**
 * The same step, split by thread from a Chromium trace: what the page's own
 * thread did (script, style and layout, paint) from the click to the painted
 * frame, and what the worker did meanwhile. The figures above include the
 * wait for the worker and for the frame; these are the work that can delay
 * the page (the goal: under 16 ms of script + style + layout per step).
 */
async function stepThreads(page) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', {
    categories: 'toplevel,devtools.timeline,disabled-by-default-devtools.timeline,blink.user_timing,v8.execute',
    transferMode: 'ReportEvents',
  });
  const n = await page.evaluate(async (wanted) => {
    const task = () => new Promise((r) => { const ch = new MessageChannel(); ch.port1.onmessage = () => r(); ch.port2.postMessage(0); });
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    const count = () => document.querySelector('.step-count').textContent;
    const next = () => [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Next ▶');
    // A mutation observer, not polling: the bench adds no tasks of its own.
    const moved = (before) => new Promise((r) => {
      const el = document.querySelector('.step-count');
      const mo = new MutationObserver(() => { if (count() !== before) { mo.disconnect(); r(); } });
      mo.observe(el, { childList: true, characterData: true, subtree: true });
      setTimeout(() => { mo.disconnect(); r(); }, 5000);
    });
    let i = 0;
    for (let guard = 0; i < wanted && guard < wanted * 4; guard++) {
      if (next().disabled) {
        const at = count();
        document.querySelector('button[aria-label="Go to the start"]').click();
        await moved(at); await frame(); await task();
        continue;
      }
      await frame(); await task();
      const before = count();
      performance.mark(`bench-step-${i}-start`);
      next().click();
      await moved(before);
      await frame(); await task();
      performance.mark(`bench-step-${i}-end`);
      i++;
    }
    return i;
  }, Math.min(STEPS, 40));
  await cdp.send('Tracing.end');
  await done;
  await cdp.detach();

  const threadName = new Map(events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args.name]));
  const marks = new Map(events.filter((e) => e.cat?.includes('blink.user_timing') && e.name.startsWith('bench-step-')).map((e) => [e.name, e]));
  const start = marks.get('bench-step-0-start');
  if (!start || !n) { console.log('   (trace: no step marks recorded)'); return; }
  const pid = start.pid;
  const thread = (re) => [...threadName].filter(([k, v]) => k.startsWith(`${pid}:`) && re.test(v)).map(([k]) => k);
  const main = new Set(thread(/^CrRendererMain$/));
  const worker = new Set(thread(/Worker/));
  // Complete events ("X") that are top-level tasks, and the kinds inside them.
  const tasks = events.filter((e) => e.ph === 'X' && e.name === 'RunTask');
  const kinds = { script: /^(FunctionCall|EvaluateScript|v8\.callFunction|TimerFire|FireAnimationFrame|EventDispatch|RunMicrotasks|v8\.run)$/, style: /^(UpdateLayoutTree|RecalculateStyles)$/, layout: /^Layout$/, paint: /^(Paint|PrePaint|Layerize|UpdateLayer|CompositeLayers|Commit)$/ };
  const inner = events.filter((e) => e.ph === 'X' && main.has(`${e.pid}:${e.tid}`));
  const busy = (set, from, to) => tasks.filter((e) => set.has(`${e.pid}:${e.tid}`))
    .reduce((sum, e) => sum + Math.max(0, Math.min(e.ts + e.dur, to) - Math.max(e.ts, from)), 0) / 1000;
  // Nested events of one kind overlap (a FunctionCall inside an EventDispatch):
  // count only the outermost of each kind.
  const kindTime = (re, from, to) => {
    const xs = inner.filter((e) => re.test(e.name) && e.ts < to && e.ts + e.dur > from).sort((a, b) => a.ts - b.ts);
    let sum = 0, end = -Infinity;
    for (const e of xs) {
      const a = Math.max(e.ts, from, end), b = Math.min(e.ts + e.dur, to);
      if (b > a) { sum += b - a; end = b; }
    }
    return sum / 1000;
  };
  const rows = { main: [], script: [], styleLayout: [], paint: [], worker: [] };
  for (let i = 0; i < n; i++) {
    const a = marks.get(`bench-step-${i}-start`)?.ts, b = marks.get(`bench-step-${i}-end`)?.ts;
    if (a === undefined || b === undefined) continue;
    rows.main.push(busy(main, a, b));
    rows.script.push(kindTime(kinds.script, a, b));
    rows.styleLayout.push(kindTime(kinds.style, a, b) + kindTime(kinds.layout, a, b));
    rows.paint.push(kindTime(kinds.paint, a, b));
    rows.worker.push(busy(worker, a, b));
  }
  const row = (name, xs) => [name, ms(median(xs)), ms(pct(xs, 95)), ms(Math.max(...xs))];
  table(`3a. The same step by thread (Chromium trace, ${rows.main.length} steps, click → next painted frame)`,
    ['work', 'median', 'p95', 'max'], [
      row("page thread, all tasks", rows.main),
      row('  of which script', rows.script),
      row('  of which style + layout', rows.styleLayout),
      row('  of which paint', rows.paint),
      row('  script + style + layout (goal < 16 ms)', rows.script.map((x, i) => x + rows.styleLayout[i])),
      row("the Lab's worker (the model's step, off the page's thread)", rows.worker),
    ]);
}

// ---------------------------------------------------------------- 3b. opening the Lab

/** In the page: click the header's "Lab", then time until the picture has been painted. */
async function clickLab(page) {
  return page.evaluate(async () => {
    const task = () => new Promise((r) => { const ch = new MessageChannel(); ch.port1.onmessage = () => r(performance.now()); ch.port2.postMessage(0); });
    const frame = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
    const picture = () => document.querySelector('svg[role="img"]');
    const link = [...document.querySelectorAll('nav[aria-label="Sections"] a')].find((a) => a.textContent.trim() === 'Lab');
    const t0 = performance.now();
    link.click();
    await new Promise((r) => {
      if (picture()) { r(); return; }
      const mo = new MutationObserver(() => { if (picture()) { mo.disconnect(); r(); } });
      mo.observe(document.body, { childList: true, subtree: true });
    });
    await frame();
    return (await task()) - t0;
  });
}

async function goHome(page) {
  await page.getByRole('link', { name: 'Vango Study Lab' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Vango Study Lab' }).waitFor();
}

async function labOpenReport(browser, appUrl) {
  const runs = { first: [], cached: [], again: [] };
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${appUrl}#/`, { timeout: 30_000 });
      await page.waitForSelector('#boot', { state: 'detached', timeout: 30_000 });
      // Cold: a fresh browser, the Lab clicked as soon as the home page is up.
      runs.first.push(await clickLab(page));
      // Warm worker: back home and into the Lab again (the worker kept running).
      await goHome(page);
      runs.again.push(await clickLab(page));
      // Warm cache: a new page load (files cached, a new worker), the idle prefetch done.
      await page.goto(`${appUrl}#/glossary`);
      await page.reload();
      await page.waitForSelector('#boot', { state: 'detached', timeout: 30_000 });
      await page.waitForTimeout(500);
      runs.cached.push(await clickLab(page));
    } finally {
      await context.close();
    }
  }
  const row = (name, xs) => [name, ms(median(xs)), ms(Math.min(...xs)), ms(Math.max(...xs))];
  table(`3b. Clicking "Lab" → its picture painted, ${LOADS} browser contexts`, ['case', 'median', 'min', 'max'], [
    row('cold: fresh browser, first visit (worker fetched, compiled, started)', runs.first),
    row('warm cache: after a reload (worker files cached, new worker)', runs.cached),
    row('warm worker: second visit in the same page load', runs.again),
  ]);
}

// ---------------------------------------------------------------- 4. checker

async function runChecker(page) {
  const status = page.locator('.checker').getByRole('status');
  // In the page: when the click arrived, and when the status first said the result.
  await page.evaluate(() => {
    const w = window;
    w.__check = { click: NaN, done: NaN, longest: 0 };
    // The page must stay responsive while the worker searches: its longest task.
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!Number.isNaN(w.__check.click) && Number.isNaN(w.__check.done)) w.__check.longest = Math.max(w.__check.longest, e.duration);
    }).observe({ type: 'longtask' });
    const done = /^(Found:|Nothing breaks|No invariant breaks|Search cancelled)/;
    document.addEventListener('click', () => { if (Number.isNaN(w.__check.click)) w.__check.click = performance.now(); }, { capture: true, once: true });
    const el = document.querySelector('.checker [role=status]');
    const mo = new MutationObserver(() => {
      if (done.test(el.textContent ?? '')) { w.__check.done = performance.now(); mo.disconnect(); }
    });
    mo.observe(el, { childList: true, characterData: true, subtree: true });
  });
  await page.getByRole('button', { name: 'Find a failure' }).click();
  await page.waitForFunction(() => !Number.isNaN(window.__check.done), null, { timeout: 120_000, polling: 20 });
  const wall = Math.round(await page.evaluate(() => window.__check.done - window.__check.click));
  const longest = Math.round(await page.evaluate(() => window.__check.longest));
  const text = (await status.textContent()) ?? '';
  const found = text.match(/^Found: (\d+) more step\(s\) break “(.+)” \((\d+) states in (\d+) ms\)/);
  if (found) return { result: `found, ${found[1]} step(s)`, invariant: found[2], states: Number(found[3]), ms: Number(found[4]), wall, longest };
  // "Nothing breaks: <how far> (N states) … (T ms)".
  const states = text.match(/\((\d+) states\)/);
  const took = text.match(/\((\d+) ms\)\s*$/);
  const reach = /every state these moves can reach/.test(text) ? 'all reachable states'
    : (text.match(/up to (\d+) moves/) ?? [])[1] ? `depth ${text.match(/up to (\d+) moves/)[1]}`
      : 'state bound';
  const nothing = /^(Nothing breaks|No invariant)/.test(text);
  return { result: nothing ? `nothing found (${reach})` : text.slice(0, 40), invariant: '—',
    states: states ? Number(states[1]) : NaN, ms: took ? Number(took[1]) : NaN, wall, longest, text };
}

async function checkerReport(browser, appUrl) {
  const { context, page } = await openLab(browser, appUrl);
  let modes;
  try {
    const radios = page.getByRole('group', { name: /^Naive behaviour/ }).getByRole('radio');
    modes = (await radios.evaluateAll((rs) => rs.map((r) => r.parentElement.textContent.trim())))
      .filter((n) => !n.startsWith('None'));
  } finally {
    await context.close();
  }
  const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const rows = [];
  for (const mode of modes) {
    // From the Lab's default start (what a learner sees first), then from the
    // anti-pattern's own drill ("Break it in the Lab", the host bench's start).
    for (const [where, state] of [['the Lab\'s default start', ''], ['its drill', `ap=${slug(mode)}`]]) {
      const lab = await openLab(browser, appUrl, state);
      try {
        const radio = lab.page.getByRole('group', { name: /^Naive behaviour/ }).getByRole('radio', { name: mode, exact: true });
        await radio.check();
        const r = await runChecker(lab.page);
        rows.push([mode, where, r.result, r.invariant, Number.isFinite(r.states) ? int(r.states) : '—',
          Number.isFinite(r.ms) ? `${r.ms} ms` : '—', `${r.wall} ms`, r.longest ? `${r.longest} ms` : 'none > 50 ms']);
      } finally {
        await lab.context.close();
      }
    }
  }
  table('4. "Find a failure" per anti-pattern, at step 0 ("ms" as the status reports it, the worker\'s search; "click → shown" measured in the page, until the result is in the status line)',
    ['anti-pattern switched on', 'start', 'result', 'invariant broken', 'states', 'ms', 'click → shown', 'page\'s longest task'], rows);
}

// ---------------------------------------------------------------- main

console.log(`Vango Study Lab bench — ${new Date().toISOString()}`);
console.log(`dist: ${dist}`);
if (!existsSync(join(dist, 'index.html'))) {
  console.log('No dist/index.html: build first (make dist).');
  process.exit(1);
}
bytesReport();

const floorDir = floorPage();
// BENCH_PORT (and the next port) lets the bench share the machine with e2e runs.
const port = Number(process.env.BENCH_PORT ?? 4331);
const app = await serveDist(dist, port);
const floor = await serveDist(floorDir, port + 1);
const browser = await chromium.launch(launchArgs);
const version = browser.version();
// `--only checker` (or load, step, open) runs one section.
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt > 0 ? process.argv[onlyAt + 1] : '';
const wanted = (name) => !only || only === name;
try {
  if (wanted('load')) await loadReport(browser, app.url, floor.url);
  if (wanted('step')) await stepReport(browser, app.url);
  if (wanted('open')) await labOpenReport(browser, app.url);
  if (wanted('checker')) await checkerReport(browser, app.url);
} finally {
  await browser.close();
  app.close();
  floor.close();
  rmSync(floorDir, { recursive: true, force: true });
}
console.log(`\nChromium ${version}, ${LOADS} loads per page, headless, 127.0.0.1 only.`);
