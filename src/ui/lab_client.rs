//! The page's side of the Lab's Web Worker (`src/bin/lab_worker.rs`): start
//! it the first time the Lab opens, send it requests, hand its replies to the
//! Lab page. Browser API code, kept beside `browser.rs`. The worker lives on
//! when the learner leaves the Lab, so coming back is instant.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::lab::service::{request_json, LabReply, LabRequest};

// `Worker`, only the members used here (declared here rather than through
// web-sys features, which would rebuild the whole UI stack).
#[wasm_bindgen]
extern "C" {
    type Worker;
    #[wasm_bindgen(constructor, catch)]
    fn new(url: &str) -> Result<Worker, JsValue>;
    #[wasm_bindgen(method, js_name = postMessage)]
    fn post_message(this: &Worker, message: &JsValue);
    #[wasm_bindgen(method, setter)]
    fn set_onmessage(this: &Worker, handler: &js_sys::Function);
    #[wasm_bindgen(method, setter)]
    fn set_onerror(this: &Worker, handler: &js_sys::Function);
}

/// A property of a JS object, as text (empty when absent).
fn text_of(value: &JsValue, name: &str) -> String {
    js_sys::Reflect::get(value, &JsValue::from_str(name))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// The worker's start script (`public/lab_worker_loader.js`), relative to
/// the page, so the build works under any subpath.
const WORKER_URL: &str = "./lab_worker_loader.js";
/// What the worker fetches when it starts: fetched ahead when the browser is idle.
const WORKER_FILES: [&str; 3] = [WORKER_URL, "./lab_worker.js", "./lab_worker_bg.wasm"];

type Listener = Rc<dyn Fn(LabReply)>;

struct Client {
    worker: Worker,
    /// The worker said it listens: before that, a message would be dropped.
    ready: bool,
    queue: Vec<String>,
    _on_message: Closure<dyn Fn(JsValue)>,
    _on_error: Closure<dyn Fn(JsValue)>,
}

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
    /// The page listening, with the number `connect` gave it.
    static LISTENER: RefCell<Option<(u64, Listener)>> = const { RefCell::new(None) };
    static CONNECTIONS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

fn deliver(reply: LabReply) {
    let listener = LISTENER.with(|l| l.borrow().as_ref().map(|(_, l)| l.clone()));
    if let Some(l) = listener {
        l(reply);
    }
}

fn flush() {
    let pending = CLIENT.with(|c| {
        c.borrow_mut().as_mut().map(|c| {
            c.ready = true;
            let worker: Worker = JsValue::from(&c.worker).unchecked_into();
            (worker, std::mem::take(&mut c.queue))
        })
    });
    if let Some((worker, queue)) = pending {
        for text in queue {
            worker.post_message(&JsValue::from_str(&text));
        }
    }
}

fn on_text(text: &str) {
    match serde_json::from_str::<LabReply>(text) {
        Ok(LabReply::Ready) => flush(),
        Ok(reply) => deliver(reply),
        Err(e) => deliver(LabReply::Error {
            message: format!("The Lab's worker sent a reply the page cannot read ({e})."),
        }),
    }
}

fn spawn() -> Result<Client, String> {
    let worker = Worker::new(WORKER_URL).map_err(|_| "the browser refused to start it")?;
    let on_message = Closure::<dyn Fn(JsValue)>::new(|ev: JsValue| {
        if let Some(text) = js_sys::Reflect::get(&ev, &JsValue::from_str("data"))
            .ok()
            .and_then(|d| d.as_string())
        {
            on_text(&text);
        }
    });
    worker.set_onmessage(on_message.as_ref().unchecked_ref());
    let on_error = Closure::<dyn Fn(JsValue)>::new(|ev: JsValue| {
        // Handled here: the page says what happened, not the console.
        if let Some(e) = ev.dyn_ref::<web_sys::Event>() {
            e.prevent_default();
        }
        let detail = Some(text_of(&ev, "message"))
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| "its files did not load".into());
        // The next request starts a fresh worker.
        CLIENT.with(|c| c.borrow_mut().take());
        deliver(LabReply::Error {
            message: format!(
                "The Lab's simulator stopped ({detail}). Reload the page to start it again."
            ),
        });
    });
    worker.set_onerror(on_error.as_ref().unchecked_ref());
    Ok(Client {
        worker,
        ready: false,
        queue: Vec::new(),
        _on_message: on_message,
        _on_error: on_error,
    })
}

/// Hand the worker's replies to `listener` (the Lab page on screen),
/// starting the worker if it is not running yet. Returns the connection's
/// number, for [`disconnect`].
pub fn connect(listener: impl Fn(LabReply) + 'static) -> u64 {
    let id = CONNECTIONS.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    LISTENER.with(|l| *l.borrow_mut() = Some((id, Rc::new(listener))));
    let running = CLIENT.with(|c| c.borrow().is_some());
    if !running {
        match spawn() {
            Ok(client) => CLIENT.with(|c| *c.borrow_mut() = Some(client)),
            Err(why) => deliver(LabReply::Error {
                message: format!("The Lab's simulator could not start: {why}."),
            }),
        }
    }
    id
}

/// That Lab page is gone: its replies go nowhere (a newer page keeps its own).
pub fn disconnect(id: u64) {
    LISTENER.with(|l| {
        let mut l = l.borrow_mut();
        if l.as_ref().is_some_and(|(current, _)| *current == id) {
            *l = None;
        }
    });
}

/// Send a request; queued until the worker listens.
pub fn send(request: &LabRequest) {
    let text = request_json(request);
    CLIENT.with(|c| {
        if let Some(c) = c.borrow_mut().as_mut() {
            if c.ready {
                c.worker.post_message(&JsValue::from_str(&text));
            } else {
                c.queue.push(text);
            }
        }
    });
}

/// Fetch the worker's files once the browser is idle, so the first visit to
/// the Lab does not wait for them (they are not run until then).
pub fn prefetch_when_idle() {
    let Some(window) = super::browser::window() else {
        return;
    };
    let fetch_all = Closure::once_into_js(move || {
        let Some(window) = super::browser::window() else {
            return;
        };
        for file in WORKER_FILES {
            let promise = window.fetch_with_str(file);
            // A failure here only means the Lab fetches them itself later.
            wasm_bindgen_futures::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            });
        }
    });
    let idle = js_sys::Reflect::get(&window, &JsValue::from_str("requestIdleCallback"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match idle {
        Some(request_idle) => {
            let _ = request_idle.call1(&window, &fetch_all);
        }
        None => {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                fetch_all.unchecked_ref(),
                2000,
            );
        }
    }
}
