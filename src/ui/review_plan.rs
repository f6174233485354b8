//! The review plan as a memo over progress: what is due, mastery, the queue.
//! The clock is read here (the pure `review` module never reads one) and again
//! each minute, so "due" moves on while a page stays open.

use leptos::prelude::*;

use crate::content::catalog;
use crate::progress::Progress;
use crate::review::Plan;
use crate::ui::browser;

/// The plan for now, recomputed when progress changes or a minute passes.
/// Built once per page by the frame (`AppState::review`).
pub fn plan(progress: RwSignal<Progress>) -> Memo<Plan> {
    let minute = RwSignal::new(0u32);
    let tick = set_interval_with_handle(
        move || minute.update(|m| *m = m.wrapping_add(1)),
        std::time::Duration::from_secs(60),
    );
    on_cleanup(move || {
        if let Ok(h) = tick {
            h.clear();
        }
    });
    Memo::new(move |_| {
        minute.track();
        progress.with(|p| {
            Plan::new(
                catalog(),
                p.answers(),
                p.review_settings(),
                browser::epoch_ms(),
                browser::utc_offset_minutes(),
            )
        })
    })
}
