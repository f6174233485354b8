//! Learning built on the simulator: the guided path's lessons and the
//! decision labs. Pure: pages render these values and send intents back.

pub mod crosslinks;
pub mod decisions;
pub mod lesson_schema;
pub mod lessons;
pub mod lifecycles;
pub mod search_entries;
pub mod situations;
pub mod walk;
pub mod walkthroughs;

pub use decisions::{lab, DecisionLab, Input, Outcome, Tone, LABS};
pub use lessons::{lesson, lessons, next_lesson, prediction, Lesson, Prediction};
