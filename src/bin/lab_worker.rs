//! The Lab's Web Worker: the simulator and the checker, off the page's
//! thread. A thin adapter: a message (a `LabRequest` as JSON) goes to
//! `lab::service::LabService`, each reply is posted back as JSON. "Find a
//! failure" runs in slices with a yield to the event loop between them, so a
//! Cancel (or any other request) is heard while it runs.

#[cfg(target_arch = "wasm32")]
mod worker {
    use std::cell::{Cell, RefCell};

    use vango_study_lab::lab::service::{reply_json, LabReply, LabService};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    // The worker's global scope, only the members used here (declared here
    // rather than through web-sys features, which would rebuild the UI stack).
    #[wasm_bindgen]
    extern "C" {
        type Scope;
        #[wasm_bindgen(method, js_name = postMessage)]
        fn post_message(this: &Scope, message: &JsValue);
        #[wasm_bindgen(method, setter)]
        fn set_onmessage(this: &Scope, handler: &js_sys::Function);
        #[wasm_bindgen(method, js_name = setTimeout)]
        fn set_timeout(this: &Scope, handler: &js_sys::Function, ms: i32) -> i32;
        #[wasm_bindgen(method, getter)]
        fn performance(this: &Scope) -> web_sys::Performance;
    }

    /// Time per slice: long enough to explore well, short enough that a
    /// Cancel is answered at once and progress moves several times a second.
    const SLICE_MS: f64 = 40.0;

    thread_local! {
        static SERVICE: RefCell<LabService> = RefCell::new(LabService::new());
        static BUDGET: Cell<usize> = const { Cell::new(256) };
        static SCHEDULED: Cell<bool> = const { Cell::new(false) };
    }

    fn scope() -> Scope {
        js_sys::global().unchecked_into()
    }

    fn now() -> f64 {
        scope().performance().now()
    }

    fn post(texts: impl IntoIterator<Item = String>) {
        let scope = scope();
        for t in texts {
            scope.post_message(&JsValue::from_str(&t));
        }
    }

    /// Run one slice of the search, then come back after a yield if it goes on.
    fn slice() {
        SCHEDULED.with(|s| s.set(false));
        let budget = BUDGET.with(Cell::get);
        let started = now();
        let replies = SERVICE.with(|s| s.borrow_mut().search_slice(budget));
        let took = (now() - started).max(0.1);
        // Aim each slice at SLICE_MS whatever the machine.
        let next = ((budget as f64) * (SLICE_MS / took)).clamp(16.0, 200_000.0) as usize;
        BUDGET.with(|b| b.set(next));
        post(replies.iter().map(reply_json));
        schedule();
    }

    fn schedule() {
        let searching = SERVICE.with(|s| s.borrow().searching());
        if !searching || SCHEDULED.with(Cell::get) {
            return;
        }
        SCHEDULED.with(|s| s.set(true));
        let cb = Closure::once_into_js(slice);
        scope().set_timeout(cb.unchecked_ref(), 0);
    }

    pub fn start() {
        console_error_panic_hook::set_once();
        let on_message = Closure::<dyn Fn(JsValue)>::new(|ev: JsValue| {
            let data = js_sys::Reflect::get(&ev, &JsValue::from_str("data")).unwrap_or_default();
            let replies = match data.as_string() {
                Some(text) => SERVICE.with(|s| s.borrow_mut().handle_json(&text)),
                None => vec![reply_json(&LabReply::Error {
                    message: "The Lab's worker received something that is not a request.".into(),
                })],
            };
            BUDGET.with(|b| b.set(256));
            post(replies);
            schedule();
        });
        scope().set_onmessage(on_message.as_ref().unchecked_ref());
        on_message.forget();
        // Messages sent before this point were dropped: the page waits for this.
        post([reply_json(&LabReply::Ready)]);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    vango_study_lab::print_how_to_run();
}
