use leptos::prelude::*;

use crate::learn::crosslinks::Uses;
use crate::route::Route;
use crate::ui::app::link;
use crate::ui::lab_catalog::drill_link;

/// "Lessons: … Drills: …" under a term or a card (nothing when unused).
pub fn uses_links(uses: Uses) -> impl IntoView {
    let lessons = (!uses.lessons.is_empty()).then(|| {
        let items = uses
            .lessons
            .iter()
            .map(|l| view! { <a href=link(&Route::Learn { lesson: Some(l.slug.clone()) })>{l.title.clone()}</a> })
            .collect_view();
        view! { <p><span class="links-label">"Lessons: "</span>{items}</p> }
    });
    let drills = (!uses.drills.is_empty()).then(|| {
        let items = uses
            .drills
            .iter()
            .map(|(slug, title)| view! { <a href=drill_link(slug)>{title.clone()}</a> })
            .collect_view();
        view! { <p><span class="links-label">"Drills: "</span>{items}</p> }
    });
    view! { {lessons}{drills} }
}
