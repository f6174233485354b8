//! The Lab's drills as the rest of the app lists them: (slug, title).

pub fn scenario_list() -> Vec<(String, String)> {
    crate::sim::drill::drills()
        .into_iter()
        .map(|d| (d.slug, d.title))
        .collect()
}
