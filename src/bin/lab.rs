//! Entry point of `lab.html`: the Lab page, with the simulator, in a wasm of
//! its own so the rest of the app loads without it.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    leptos::mount::mount_to_body(vango_study_lab::ui::LabApp);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The Study Lab runs in a browser: build it with `make serve` (Trunk).");
}
