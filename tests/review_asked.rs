//! The prediction steps the page reads at start-up (`src/review/asked.rs`)
//! are what the model works out now: regenerate them with
//! `UPDATE_ASKED=1 cargo test --test review_asked` after changing a drill or
//! the simulator.

use vango_study_lab::review::predictions::{asked_source, compute_prediction_steps, ASKED};

#[test]
fn asked_steps_are_what_the_model_computes() {
    let computed = compute_prediction_steps();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/review/asked.rs");
    if std::env::var_os("UPDATE_ASKED").is_some() {
        std::fs::write(path, asked_source(&computed)).expect("write asked.rs");
    }
    let table: Vec<(String, Vec<usize>)> = ASKED
        .iter()
        .map(|(slug, steps)| (slug.to_string(), steps.to_vec()))
        .collect();
    assert!(!computed.is_empty(), "the drills give predictions");
    assert_eq!(
        table, computed,
        "src/review/asked.rs is stale: run UPDATE_ASKED=1 cargo test --test review_asked"
    );
}
