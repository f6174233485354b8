//! Entry point of `index.html`, the whole app. Thin on purpose: everything
//! lives in the library so tests can import it.

#[cfg(target_arch = "wasm32")]
fn main() {
    vango_study_lab::ui::start(vango_study_lab::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    vango_study_lab::print_how_to_run();
}
