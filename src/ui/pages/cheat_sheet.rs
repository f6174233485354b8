use leptos::prelude::*;

use crate::content::catalog;
use crate::learn::LABS;
use crate::route::Route;
use crate::sim::INVARIANTS;
use crate::ui::app::link;

/// One page to print: the terms, the seven anti-patterns with their better
/// model, the invariants the simulator checks and the decision rules — all
/// read from the same data the rest of the app shows.
#[component]
pub fn CheatSheetPage() -> impl IntoView {
    let c = catalog();
    let terms = c
        .terms
        .iter()
        .map(|t| {
            view! {
                <div class="cheat-item">
                    <dt><a href=link(&Route::Glossary { category: None, term: Some(t.slug.clone()) })>{t.name.clone()}</a></dt>
                    <dd>{t.definition.clone()}</dd>
                </div>
            }
        })
        .collect_view();
    let cards = c
        .cards
        .iter()
        .map(|card| {
            view! {
                <div class="cheat-item">
                    <dt><a href=link(&Route::AntiPatterns { card: Some(card.slug.clone()) })>{card.name.clone()}</a></dt>
                    <dd><span class="cheat-label">"Better model: "</span>{card.better_model.clone()}</dd>
                </div>
            }
        })
        .collect_view();
    let invariants = INVARIANTS
        .iter()
        .map(|i| view! { <li value=i.id.to_string()>{i.name}</li> })
        .collect_view();
    let rules = LABS
        .iter()
        .map(|lab| {
            let outcomes = lab
                .outcomes
                .iter()
                .map(|o| view! { <li><strong>{o.label}</strong>" — "{o.why}</li> })
                .collect_view();
            view! {
                <div class="cheat-item">
                    <h3><a href=link(&Route::Decisions { lab: Some(lab.slug.to_string()) })>{lab.title}</a></h3>
                    <p class="cheat-question">{lab.question}</p>
                    <ul>{outcomes}</ul>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="page cheat-sheet">
            <h1>"Cheat sheet"</h1>
            <p class="lede no-print">"Everything on one page, to print or keep open: the terms, the seven anti-patterns and their better model, the invariants the Lab checks, and the platform's decision rules."</p>
            <p class="no-print"><button type="button" class="button" on:click=|_| crate::ui::browser::print()>"Print"</button></p>
            <section class="cheat-section" aria-labelledby="cheat-terms">
                <h2 id="cheat-terms">"Terms"</h2>
                <dl class="cheat-list">{terms}</dl>
            </section>
            <section class="cheat-section" aria-labelledby="cheat-cards">
                <h2 id="cheat-cards">"Anti-patterns and the better model"</h2>
                <dl class="cheat-list">{cards}</dl>
            </section>
            <section class="cheat-section" aria-labelledby="cheat-invariants">
                <h2 id="cheat-invariants">"Invariants"</h2>
                <ol class="cheat-invariants">{invariants}</ol>
            </section>
            <section class="cheat-section" aria-labelledby="cheat-rules">
                <h2 id="cheat-rules">"Decision rules"</h2>
                <div class="cheat-rules">{rules}</div>
            </section>
        </div>
    }
}
