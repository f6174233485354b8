//! Thin entry point: install the panic hook and mount the app. Everything else
//! lives in the library so tests can import it.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    // The static "Loading…" line paints before the wasm arrives; drop it now.
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    leptos::mount::mount_to_body(vango_study_lab::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The Study Lab runs in a browser: build it with `make serve` (Trunk).");
}
