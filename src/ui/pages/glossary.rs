use leptos::prelude::*;

use crate::content::{catalog, Category, Term};
use crate::progress::Progress;
use crate::route::Route;
use crate::ui::browser;
use crate::ui::components::learned_toggle::Toggle;

/// The glossary: every term, alphabetical, filterable by category. A term in
/// the route is scrolled to and highlighted.
#[component]
pub fn GlossaryPage(category: Option<String>, term: Option<String>) -> impl IntoView {
    let c = catalog();
    let chosen = category.as_deref().and_then(Category::from_slug);
    // A link may name a category or term this version does not have (a typo,
    // an older or newer link): say so instead of silently showing the list.
    let unknown_category = category.clone().filter(|_| chosen.is_none());
    let unknown_term = term.clone().filter(|t| c.term(t).is_none());
    let term = term.filter(|_| unknown_term.is_none());
    let shown = c.terms_in(chosen);
    // A deep link to a term outside the filter still shows the term.
    let focus_outside_filter = term
        .as_deref()
        .is_some_and(|t| !shown.iter().any(|s| s.slug == t));
    let shown = if focus_outside_filter {
        c.terms_in(None)
    } else {
        shown
    };
    let chosen = if focus_outside_filter { None } else { chosen };
    let count = format!(
        "Showing {} of {} terms{}",
        shown.len(),
        c.terms.len(),
        chosen
            .map(|k| format!(" in {}", k.label()))
            .unwrap_or_default()
    );

    if let Some(slug) = &term {
        browser::reveal_after_render(format!("term-{slug}"));
    }

    let filter = move |k: Option<Category>| {
        let label = k.map(Category::label).unwrap_or("All");
        let route = Route::Glossary {
            category: k.map(|k| k.slug().to_string()),
            term: None,
        };
        view! {
            <a class="chip" href=route.href() aria-current=(chosen == k).then_some("true")>{label}</a>
        }
    };

    view! {
        <div class="page glossary-page">
            <h1>"Glossary"</h1>
            <p class="lede">{c.glossary_intro.clone()}</p>
            <nav class="filters" aria-label="Filter by category">
                {filter(None)}
                {Category::ALL.into_iter().map(|k| filter(Some(k))).collect_view()}
            </nav>
            {unknown_category.map(|k| view! {
                <p class="notice" role="status">"There is no category “"{k}"” in the glossary, so every term is shown."</p>
            })}
            {unknown_term.map(|t| view! {
                <p class="notice" role="status">"There is no term “"{t}"” in the glossary. "
                    "It may have been renamed; press "<kbd>"/"</kbd>" to search, or pick one below."</p>
            })}
            <p class="count" role="status">{count}</p>
            <div class="term-list">
                {shown.into_iter().map(|t| view! { <TermEntry term=t.clone() focused=term.as_deref() == Some(t.slug.as_str())/> }).collect_view()}
            </div>
        </div>
    }
}

/// One term: definition, the trap set apart, links out, and "Learned".
#[component]
fn TermEntry(term: Term, focused: bool) -> impl IntoView {
    let c = catalog();
    let related: Vec<&Term> = term.related.iter().filter_map(|r| c.term(r)).collect();
    let cards = c.cards_mentioning(&term.slug);
    let uses =
        crate::ui::components::uses::uses_links(crate::learn::crosslinks::term_uses(&term.slug));
    let heading_id = format!("term-{}-name", term.slug);
    let labelled_by = heading_id.clone();
    view! {
        <article id=format!("term-{}", term.slug) class="term" class:focused=focused
                 tabindex="-1" aria-labelledby=labelled_by>
            <header class="term-head">
                <h2 id=heading_id><a class="anchor" href=Route::Glossary { category: None, term: Some(term.slug.clone()) }.href()>{term.name.clone()}</a></h2>
                <a class="badge" href=Route::Glossary { category: Some(term.category.slug().into()), term: None }.href()>{term.category.label()}</a>
            </header>
            <p class="definition">{term.definition.clone()}</p>
            <aside class="trap" aria-label=format!("Common trap: {}", term.name)>
                <p class="trap-label"><span aria-hidden="true">"⚠ "</span>"Common trap"</p>
                <p>{term.trap.clone()}</p>
            </aside>
            <div class="links">
                {(!related.is_empty()).then(|| view! {
                    <p><span class="links-label">"Related: "</span>
                    {related.into_iter().map(|r| view! { <a href=Route::Glossary { category: None, term: Some(r.slug.clone()) }.href()>{r.name.clone()}</a> }).collect_view()}
                    </p>
                })}
                {(!cards.is_empty()).then(|| view! {
                    <p><span class="links-label">"Anti-patterns: "</span>
                    {cards.into_iter().map(|k| view! { <a href=Route::AntiPatterns { card: Some(k.slug.clone()) }.href()>{k.name.clone()}</a> }).collect_view()}
                    </p>
                })}
                {uses}
            </div>
            <Toggle label="Learned" name=format!("Learned: {}", term.name) slug=term.slug.clone()
                read=Progress::is_learned write=Progress::set_learned/>
        </article>
    }
}
