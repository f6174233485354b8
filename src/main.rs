//! Thin entry point: install the panic hook and mount the app. Everything else
//! lives in the library so tests can import it.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(vango_study_lab::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The Study Lab runs in a browser: build it with `make serve` (Trunk).");
}
