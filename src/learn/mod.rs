//! Learning built on the simulator: the decision labs (and, next, the guided
//! path's lessons). Pure: pages render these values and send intents back.

pub mod decisions;

pub use decisions::{lab, DecisionLab, Input, Outcome, Tone, LABS};
