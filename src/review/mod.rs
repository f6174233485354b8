//! Review: what the learner should remember, asked as questions generated
//! from the content and the model (predictions played by the simulator,
//! lessons explained back), and planned by a spaced-repetition scheduler.
//!
//! Pure: the clock comes in as milliseconds, randomness as a seed. What is
//! saved is only the review log (`schedule::Review`); every item's schedule,
//! mastery and the due queue are derived from it.

pub mod plan;
pub mod predictions;
pub mod questions;
pub mod schedule;
pub mod session;

pub use plan::{LessonMastery, Plan, Settings};
pub use questions::{all_items, lesson_items, question, Form, Item, Question, Subject};
pub use schedule::{
    day_of, history, mastery_of, queue, replay, Grade, ItemState, Mastery, Millis, Queue, Review,
    Scheduler,
};
pub use session::{explain_grade, Phase, Session};
