//! The Lab's drills as the rest of the app lists them: (slug, title).

pub fn scenario_list() -> Vec<(String, String)> {
    crate::sim::drill::drills()
        .into_iter()
        .map(|d| (d.slug, d.title))
        .collect()
}

/// A link that opens the Lab on a drill. The Lab reads its own address, so
/// the drill is handed over as the share-link payload the Lab accepts.
pub fn drill_link(slug: &str) -> String {
    crate::ui::app::link(&crate::route::Route::lab_drill(slug, None))
}

/// A link that opens the Lab on a drill after its first `step` lines.
pub fn drill_step_link(slug: &str, step: usize) -> String {
    crate::ui::app::link(&crate::route::Route::lab_drill(slug, Some(step)))
}

/// A drill's title as its file writes it (its slug if the drill is gone).
pub fn drill_title(slug: &str) -> String {
    crate::sim::drill::drills()
        .into_iter()
        .find(|d| d.slug == slug)
        .map_or_else(|| slug.to_string(), |d| d.title)
}
