// Shared by the benchmark and the screenshot script: Debian's Chromium with
// the flags that keep it off the network, and a plain static server for dist/.
import { spawn } from 'node:child_process';

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
