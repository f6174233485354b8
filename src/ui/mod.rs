//! The Leptos projection of the app. Components read plain state from the
//! pure modules and send the learner's intent back; no domain rule lives here.

mod app;
pub mod browser;
mod components;
mod lab_catalog;
mod pages;
mod persist;

pub use app::{App, LabApp};
