// Inlined into every page's <head> by Trunk (and hashed into its CSP by
// scripts/finish-dist.mjs). Three jobs, all before the wasm arrives:
// 0. The saved theme, before the body paints (no light flash in dark): the
//    app mirrors it to its own key (THEME_KEY in src/progress/store.rs).
// 1. A page that cannot start says why and what to do, instead of "Loading…"
//    forever: no WebAssembly, a script or wasm that failed to load (an update
//    half uploaded, a dropped connection), an error while starting.
// 2. The offline copy (sw.js): register it, and when a new release has
//    installed, tell the app (the update notice, src/ui/components/update_notice.rs).
(function () {
  'use strict';
  try {
    var theme = localStorage.getItem('vango-study-lab/theme');
    if (theme === 'light' || theme === 'dark') document.documentElement.setAttribute('data-theme', theme);
  } catch (_) {
    // Storage blocked: the system theme until the app starts, as before.
  }
  // The static shell (index.html) paints the heading and lede of the page the
  // address opens. This only picks which words to paint first (the app's
  // Route::parse decides the page): a section's own address, or one of its
  // items where the page keeps the section's heading (a term, a card). Other
  // addresses (a lesson, a trace, a typo) show only the "Loading…" line.
  var SHELL_DEPTH = { learn: 1, glossary: 2, 'anti-patterns': 2, decisions: 2, lifecycles: 2, review: 1, progress: 1 };
  var path = location.hash.replace(/^#\/?/, '').split('?')[0].split('/').filter(Boolean);
  var shell = path.length === 0 ? 'home'
    : Object.prototype.hasOwnProperty.call(SHELL_DEPTH, path[0]) && path.length <= SHELL_DEPTH[path[0]] ? path[0]
    : 'elsewhere';
  document.documentElement.setAttribute('data-boot', shell);
  var started = false;
  addEventListener('TrunkApplicationStarted', function () { started = true; });

  /** Replace the "Loading…" line (or, if the app got that far, put on top) with why and what to do. */
  function cannotStart(why) {
    if (!document.body) {
      document.addEventListener('DOMContentLoaded', function () { cannotStart(why); });
      return;
    }
    if (document.getElementById('boot-failed')) return; // the first cause is the one to show
    var box = document.createElement('div');
    box.id = 'boot-failed';
    box.className = 'boot boot-failed';
    box.setAttribute('role', 'alert');
    var title = document.createElement('h1');
    title.textContent = 'The Vango Study Lab could not start';
    var reason = document.createElement('p');
    reason.textContent = why;
    var todo = document.createElement('p');
    todo.textContent = 'Reload the page. If this keeps happening, try again later or in another ' +
      'up-to-date browser. Your saved progress is kept in this browser either way.';
    var reload = document.createElement('button');
    reload.type = 'button';
    reload.textContent = 'Reload';
    reload.addEventListener('click', function () { location.reload(); });
    box.append(title, reason, todo, reload);
    var boot = document.getElementById('boot');
    if (boot) boot.replaceWith(box); else document.body.prepend(box);
  }

  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
    cannotStart('This browser cannot run WebAssembly, which the Lab is built on. It may be ' +
      'switched off (some security settings and "lockdown" modes do that).');
  }
  // Capture: a script that fails to load reports on its own element, which does not bubble.
  addEventListener('error', function (event) {
    var el = event.target;
    if (el === window) fatal(event.error || event.message);
    else if (el && el.tagName === 'SCRIPT' && !started) {
      cannotStart('Part of the app did not load (' + (el.src || 'its start-up script') +
        '). The connection may have dropped, or the site is being updated.');
    }
    // Anything else that failed to load (the stylesheet) leaves the app working.
  }, true);
  addEventListener('unhandledrejection', function (event) { fatal(event.reason); });

  /** An error before the app started stops it; after, only a crash of the wasm itself does. */
  function fatal(error) {
    var crashed = typeof WebAssembly === 'object' && error instanceof WebAssembly.RuntimeError;
    if (started && !crashed) return;
    var text = String((error && error.message) || error || 'unknown error');
    // The wasm did not arrive (fetch failed), or what arrived is not it (an error page, a cut-off file).
    var notLoaded = !started && ((error instanceof TypeError && /fetch/i.test(text)) ||
      (typeof WebAssembly === 'object' && error instanceof WebAssembly.CompileError));
    cannotStart(notLoaded
      ? 'Part of the app did not load (its WebAssembly: ' + text + '). The connection may have ' +
        'dropped, or the site is being updated.'
      : started ? 'It stopped after an internal error (' + text + ').'
        : 'An error stopped it while starting (' + text + ').');
  }

  // Slow, not broken: say so after a while (the app removes this line when it starts).
  setTimeout(function () {
    var boot = document.getElementById('boot-status');
    if (boot && !started) {
      boot.textContent = 'Still loading… On a slow connection this can take a minute; ' +
        'if nothing changes, reload the page.';
    }
  }, 20000);

  // Service workers need a secure context: https, or localhost for development.
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  var container = navigator.serviceWorker;
  var hadController = !!container.controller;
  var waiting = null;
  var applying = false;

  function announce(worker) {
    waiting = worker;
    document.documentElement.setAttribute('data-update-ready', '');
    dispatchEvent(new Event('vango:update-ready'));
  }

  // The update notice's Reload button.
  addEventListener('vango:update-apply', function () {
    applying = true;
    if (waiting && waiting.state === 'installed') waiting.postMessage('skip-waiting');
    else location.reload();
  });

  container.addEventListener('controllerchange', function () {
    if (applying) location.reload();
    // Another tab chose to reload into the new release: this one runs the old one.
    else if (hadController) announce(null);
    hadController = true;
  });

  container.register('sw.js', { updateViaCache: 'none' }).then(function (reg) {
    // Installed while the page was away, or before it loaded: waiting since.
    if (reg.waiting && container.controller) announce(reg.waiting);
    reg.addEventListener('updatefound', function () {
      var worker = reg.installing;
      if (!worker) return;
      worker.addEventListener('statechange', function () {
        // With no controller this is the first install, not an update.
        if (worker.state === 'installed' && container.controller) announce(worker);
      });
    });
    // A tab left open for days still hears of a new release.
    setInterval(function () { reg.update().catch(function () {}); }, 60 * 60 * 1000);
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'visible') reg.update().catch(function () {});
    });
  }).catch(function () {
    // No offline copy (private mode, blocked storage): the app works online as before.
  });
})();
