//! Entry point of `lab.html`: the Lab, with the simulator, in a wasm of its
//! own so the rest of the app loads without it.

#[cfg(target_arch = "wasm32")]
fn main() {
    vango_study_lab::ui::start(vango_study_lab::ui::LabApp);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    vango_study_lab::print_how_to_run();
}
