//! The Lab's scenarios as the rest of the app lists them: (slug, title).

pub fn scenario_list() -> Vec<(String, String)> {
    crate::model::scenarios()
        .into_iter()
        .map(|s| (s.slug.to_string(), s.title.to_string()))
        .collect()
}
