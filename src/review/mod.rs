//! Review: what the learner should remember, asked as questions generated
//! from the content, and planned by a spaced-repetition scheduler.
//!
//! Pure: the clock comes in as milliseconds, randomness as a seed. What is
//! saved is only the review log (`schedule::Review`); every item's schedule,
//! mastery and the due queue are derived from it.

pub mod plan;
pub mod questions;
pub mod schedule;
pub mod session;

pub use plan::{Plan, Settings};
pub use questions::{all_items, question, Form, Item, Question, Subject};
pub use schedule::{
    day_of, history, mastery_of, queue, replay, Grade, ItemState, Mastery, Millis, Queue, Review,
    Scheduler,
};
pub use session::{Phase, Session};
