//! One screen per file.

pub mod anti_patterns;
pub mod cheat_sheet;
pub mod decisions;
pub mod glossary;
pub mod home;
pub mod lab;
pub mod learn;
pub mod lifecycles;
pub mod not_found;
pub mod progress;
pub mod review;
pub mod walkthroughs;
