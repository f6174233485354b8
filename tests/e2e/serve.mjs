// Shared by the benchmark, the screenshot and audit scripts and the update
// specs: Debian's Chromium with the flags that keep it off the network, and
// static servers for dist/ on 127.0.0.1.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, gzip as gzipCb, constants as zc } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzip = promisify(gzipCb);

export const launchArgs = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
};

/** Serve `dir` with python's http.server on a free-ish port on 127.0.0.1. */
export async function serveDist(dir = '../../dist', port = 4321) {
  const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir],
    { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try { const r = await fetch(url); if (r.ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, close: () => child.kill() };
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.json', '.webmanifest', '.svg', '.txt']);
// A file named with a content hash (`main-0123abcd.css`, `lab-…_bg.wasm`) never changes.
const HASHED = /-[0-9a-f]{16}(_bg)?\.[a-z]+$/;

// Compressed once per content, at the highest levels (what a host that
// precompresses serves), off the event loop.
const compressedCache = new Map();
function compressed(body, encoding) {
  const key = `${encoding}:${createHash('sha256').update(body).digest('hex')}`;
  if (!compressedCache.has(key)) {
    compressedCache.set(key, encoding === 'br'
      ? brotli(body, { params: { [zc.BROTLI_PARAM_QUALITY]: 11, [zc.BROTLI_PARAM_SIZE_HINT]: body.length } })
      : gzip(body, { level: 9 }));
  }
  return compressedCache.get(key);
}

/**
 * A small static server in this process, the way the README's hosting notes
 * ask for: brotli or gzip when the browser accepts it, hashed files cached
 * for a year, everything else revalidated. `root` may be changed while it
 * runs (a new release uploaded); `fail(path)` may answer 503 or drop the
 * connection for chosen paths (an upload or connection interrupted).
 */
export async function serveStatic({ root, port = 0, compress = true, mounts = ['/'] } = {}) {
  const state = { root, fail: () => null, log: [] };
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    state.log.push(path);
    const mount = mounts.filter((m) => path.startsWith(m)).sort((a, b) => b.length - a.length)[0];
    const failure = state.fail(path);
    if (failure === 'drop') return req.socket.destroy();
    if (failure === 'error') { res.writeHead(503); return res.end('unavailable'); }
    if (!mount) { res.writeHead(404); return res.end('not found'); }
    let rel = path.slice(mount.length);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(state.root, rel));
    if (!file.startsWith(normalize(state.root))) { res.writeHead(403); return res.end(); }
    let body;
    try { body = await readFile(file); } catch { res.writeHead(404, { 'content-type': 'text/plain' }); return res.end('not found'); }
    const ext = extname(file);
    const headers = {
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'cache-control': HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
      vary: 'Accept-Encoding',
    };
    const accepts = String(req.headers['accept-encoding'] ?? '');
    const encoding = !compress || !COMPRESSIBLE.has(ext) ? null
      : /\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : null;
    if (encoding) {
      body = await compressed(body, encoding);
      headers['content-encoding'] = encoding;
    }
    headers['content-length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}/`;
  return {
    url,
    state,
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
