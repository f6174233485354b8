//! One screen per file.

pub mod anti_patterns;
pub mod glossary;
pub mod home;
pub mod lab;
pub mod not_found;
pub mod progress;
