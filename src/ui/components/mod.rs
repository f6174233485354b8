//! Reusable widgets: one component per file.

pub mod header;
pub mod learned_toggle;
pub mod notices;
pub mod search;
pub mod topology;
pub mod trace;
pub mod update_notice;
pub mod uses;
