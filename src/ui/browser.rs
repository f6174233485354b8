//! The few browser calls the views need, in one place, with failures absorbed:
//! a missing `window` or a throwing API must never take the page down.

use crate::route::Route;

pub fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The current fragment (`#/glossary`), or empty.
pub fn current_fragment() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Go to a route by setting the fragment; the `hashchange` listener does the rest.
pub fn navigate(route: &Route) {
    if let Some(w) = window() {
        let _ = w.location().set_hash(&route.href());
    }
}

/// Replace the fragment without a new history entry and without `hashchange`
/// (used by the Lab to keep its share link current while stepping). The
/// entry keeps its state (its id for scroll restoration).
pub fn replace_fragment(fragment: &str) {
    if let Some(history) = window().and_then(|w| w.history().ok()) {
        let state = history.state().unwrap_or(wasm_bindgen::JsValue::NULL);
        let _ = history.replace_state_with_url(&state, "", Some(fragment));
    }
}

// Scroll restoration. Every history entry of this document gets an id in its
// `history.state`; the scroll position of the entry being left is kept under
// its id, and Back or Forward to an entry with a known id scrolls there once
// the page has rendered. The browser's own restoration is off: it would act
// before the new page exists.
thread_local! {
    static ENTRY: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
    static SCROLL: std::cell::RefCell<std::collections::HashMap<u64, f64>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
    /// A scroll position waiting for the page to render: pages do not jump
    /// to their own targets meanwhile.
    static RESTORING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn history() -> Option<web_sys::History> {
    window().and_then(|w| w.history().ok())
}

/// Ids unique across reloads of this tab (entries outlive the document).
fn fresh_entry_id() -> f64 {
    js_sys::Date::now() * 1000.0 + (js_sys::Math::random() * 1000.0).floor()
}

/// Give the current entry an id (or take the one it has); call once at start.
pub fn start_history() {
    let Some(h) = history() else { return };
    // `history.scrollRestoration = "manual"` (set by name: one property is
    // not worth a web-sys feature and a rebuild of everything on top of it).
    let _ = js_sys::Reflect::set(
        &h,
        &wasm_bindgen::JsValue::from_str("scrollRestoration"),
        &wasm_bindgen::JsValue::from_str("manual"),
    );
    let id = h.state().ok().and_then(|s| s.as_f64()).unwrap_or_else(|| {
        let id = fresh_entry_id();
        let _ = h.replace_state(&wasm_bindgen::JsValue::from_f64(id), "");
        id
    });
    ENTRY.with(|e| e.set(id));
}

/// On `hashchange`: remember where the page being left was scrolled, then
/// name the entry arrived at. `Some(y)` when it is an entry seen before
/// (Back, Forward) whose scroll position is known.
pub fn enter_history_entry() -> Option<f64> {
    let w = window()?;
    let left = ENTRY.with(|e| e.get());
    let y = w.scroll_y().unwrap_or(0.0);
    SCROLL.with(|m| m.borrow_mut().insert(left.to_bits(), y));
    let h = history()?;
    match h.state().ok().and_then(|s| s.as_f64()) {
        Some(id) => {
            ENTRY.with(|e| e.set(id));
            SCROLL.with(|m| m.borrow().get(&id.to_bits()).copied())
        }
        None => {
            let id = fresh_entry_id();
            let _ = h.replace_state(&wasm_bindgen::JsValue::from_f64(id), "");
            ENTRY.with(|e| e.set(id));
            None
        }
    }
}

/// Scroll to `y` once the route's page has rendered (the next frame).
pub fn restore_scroll_after_render(y: f64) {
    RESTORING.with(|r| r.set(true));
    leptos::prelude::request_animation_frame(move || {
        RESTORING.with(|r| r.set(false));
        if let Some(w) = window() {
            w.scroll_to_with_x_and_y(0.0, y);
        }
    });
}

/// The document's title (the tab, the history menu, screen readers).
pub fn set_title(title: &str) {
    if let Some(d) = window().and_then(|w| w.document()) {
        d.set_title(title);
    }
}

/// Apply the theme: `None` follows the system setting.
pub fn apply_theme(theme: Option<&str>) {
    let Some(root) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match theme {
        Some(t) => root.set_attribute("data-theme", t),
        None => root.remove_attribute("data-theme"),
    };
}

/// Once the page has rendered, bring a deep-linked item into view and give it
/// keyboard focus (so screen readers and the keyboard start there too).
pub fn reveal_after_render(id: String) {
    // Back to this page: its old scroll position wins over its target.
    if RESTORING.with(|r| r.get()) {
        return;
    }
    // A scroll or focus before the page's first paint ends the browser's
    // largest-paint (LCP) measurement: Lighthouse then finds none on a deep
    // link. Smooth scrolling shows the slide from the top anyway.
    after_paint(move || {
        scroll_to_id(&id);
        focus_id(&id);
    });
}

/// Is the static shell showing a page's heading and lede? `public/boot.js`
/// names the page in `data-boot` on the root element, `elsewhere` for none.
pub fn shell_shown() -> bool {
    window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|root| root.get_attribute("data-boot"))
        .is_some_and(|page| page != "elsewhere")
}

/// Run `f` once what is on screen now has been painted and presented: a task
/// queued from the frame after next (one frame proved not always enough for
/// Chromium to record the paint). In a hidden tab frames wait for it to show.
pub fn after_paint(f: impl FnOnce() + 'static) {
    leptos::prelude::request_animation_frame(move || {
        leptos::prelude::request_animation_frame(move || {
            leptos::prelude::set_timeout(f, std::time::Duration::ZERO);
        });
    });
}

/// Scroll an element into view, respecting reduced motion through CSS
/// (`scroll-behavior` is set there).
pub fn scroll_to_id(id: &str) {
    if let Some(el) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        el.scroll_into_view();
    }
}

pub fn scroll_to_top() {
    if let Some(w) = window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Move keyboard focus to an element by id, if it exists.
pub fn focus_id(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Offer `text` as a file download named `name`.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let window = window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser refused to make the file")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser refused to make the file")?;
    let a = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or("cannot create a link")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Does the learner prefer reduced motion?
pub fn prefers_reduced_motion() -> bool {
    window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

/// Milliseconds since page load, for the Lab's time-sliced checker.
pub fn now_ms() -> f64 {
    window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Copy text to the clipboard; false if the browser refused.
pub fn copy_text(text: &str) -> bool {
    match window().map(|w| w.navigator().clipboard()) {
        Some(clipboard) => {
            let _ = clipboard.write_text(text);
            true
        }
        None => false,
    }
}

/// The wall clock, in milliseconds since the Unix epoch (the review log's time).
pub fn epoch_ms() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

/// Minutes east of UTC here, so "today" is the learner's own day.
pub fn utc_offset_minutes() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

/// Is the key event aimed at a text field, so app shortcuts must stay out of it?
pub fn typing_in_field(ev: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.is_content_editable()
        })
}

/// Is the key event aimed at a button or link, which acts on Enter and Space itself?
pub fn on_control(ev: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "BUTTON" | "A" | "SUMMARY"))
}

/// Is the key event aimed inside a dialog (its own keys come first)?
pub fn in_dialog(ev: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("dialog, [role=dialog]").ok().flatten())
        .is_some()
}

/// Fired on `window` by `public/boot.js` when a new release of the app has
/// installed and waits; it also marks `<html data-update-ready>` in case that
/// happened before the app mounted.
pub const UPDATE_READY_EVENT: &str = "vango:update-ready";

/// Has a new release installed and is waiting for a reload?
pub fn update_ready() -> bool {
    window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .is_some_and(|root| root.has_attribute("data-update-ready"))
}

/// Ask `public/boot.js` to switch to the waiting release and reload.
pub fn apply_update() {
    if let (Some(w), Ok(event)) = (window(), web_sys::Event::new("vango:update-apply")) {
        let _ = w.dispatch_event(&event);
    }
}

/// Opens the browser's print dialog (the cheat sheet's Print button).
pub fn print() {
    if let Some(w) = window() {
        let _ = w.print();
    }
}
