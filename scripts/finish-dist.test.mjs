// node --test scripts/ : the build's last step on small made-up folders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finish, inlineScripts, release, withoutComments, withPolicy } from './finish-dist.mjs';

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>t</title>
  <script>boot()</script>
  <script type="module">
import init from './app-0123.js';
await init('./app-0123_bg.wasm');
</script>
  <script src="other.js"></script>
</head>
<body></body>
</html>
`;
const sha = (s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
const policyOf = (html) => html.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)[1];

function folder(files) {
  const dir = mkdtempSync(join(tmpdir(), 'finish-dist-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

test('the policy hashes exactly the inline scripts as written and comes before them', () => {
  const html = withPolicy(PAGE);
  const csp = policyOf(html);
  assert.equal(inlineScripts(html).length, 2);
  for (const body of inlineScripts(html)) assert.ok(csp.includes(sha(body)), `hash of ${body}`);
  assert.equal((csp.match(/'sha256-/g) || []).length, 2);
  assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<script'));
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' /);
  assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'|https?:/);
});

test('writing the policy twice gives the same page; a changed script changes its hash', () => {
  const once = withPolicy(PAGE);
  assert.equal(withPolicy(once), once);
  const changed = withPolicy(once.replace('boot()', 'boot(1)'));
  assert.notEqual(policyOf(changed), policyOf(once));
  assert.ok(policyOf(changed).includes(sha('boot(1)')));
});

test('inline styles are refused rather than silently blocked', () => {
  assert.throws(() => withPolicy(PAGE.replace('<title>', '<style>p{}</style><title>')), /inline styles/);
  assert.throws(() => withPolicy(PAGE.replace('<body>', '<body style="color:red">')), /inline styles/);
  assert.throws(() => withPolicy(PAGE.replace('<meta charset="utf-8">', '')), /charset/);
});

test('the release lists every served file with its hash, not the worker or precompressed copies', () => {
  const dir = folder({ 'index.html': PAGE, 'lab.html': PAGE, 'app-0123_bg.wasm': 'wasm', 'sw.js': 'old',
    'app.js.gz': 'gz', '.hidden': 'x', 'icons/a.png': 'png' });
  const rel = release(dir);
  assert.deepEqual(Object.keys(rel.files), ['app-0123_bg.wasm', 'icons/a.png', 'index.html', 'lab.html']);
  assert.equal(rel.files['app-0123_bg.wasm'], `sha256-${createHash('sha256').update('wasm').digest('base64')}`);
  assert.equal(rel.home, 'index.html');
  assert.match(rel.id, /^[0-9a-f]{16}$/);
  writeFileSync(join(dir, 'app-0123_bg.wasm'), 'wasm2');
  assert.notEqual(release(dir).id, rel.id, 'one changed byte is a new release');
});

test('finish writes the policy into every page and a worker for this release, generic over pages', () => {
  const dir = folder({ 'app.html': PAGE, 'style-9.css': 'p{}' });
  const rel = finish(dir);
  assert.equal(rel.home, 'app.html', 'no index.html: the one page is home');
  assert.ok(readFileSync(join(dir, 'app.html'), 'utf8').includes('Content-Security-Policy'));
  const sw = readFileSync(join(dir, 'sw.js'), 'utf8');
  const written = JSON.parse(sw.match(/\/\* RELEASE \*\/ (.*);/)[1]);
  assert.deepEqual(written, rel);
  assert.deepEqual(Object.keys(written.files), ['app.html', 'style-9.css']);
  // Run again on the finished folder: same release (the old sw.js is not part of it).
  assert.deepEqual(finish(dir), rel);
  assert.equal(readFileSync(join(dir, 'sw.js'), 'utf8'), sw);
});

test('a folder with no page is an error, not an empty offline copy', () => {
  assert.throws(() => release(folder({ 'a.css': '' })), /no HTML page/);
});

test('inline scripts lose whole-line comments and blank lines only', () => {
  const src = "// why\n  // more\nvar a = 'http://x'; // kept\n\n  f('//');\n";
  assert.equal(withoutComments(src), "var a = 'http://x'; // kept\n  f('//');");
  const html = withPolicy(PAGE.replace('<script>boot()', '<script>\n// a comment\nboot()'));
  assert.ok(!html.includes('a comment'));
  assert.ok(policyOf(html).includes(sha('boot()')));
});
