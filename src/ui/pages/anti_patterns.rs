use leptos::prelude::*;

use crate::content::{catalog, Card};
use crate::progress::Progress;
use crate::route::Route;
use crate::ui::app::{link, use_app};
use crate::ui::browser;
use crate::ui::components::learned_toggle::Toggle;

/// The seven anti-pattern cards, in teaching order.
#[component]
pub fn AntiPatternsPage(card: Option<String>) -> impl IntoView {
    let c = catalog();
    // A link to a card this version does not have: say so, show them all.
    let unknown = card.clone().filter(|k| c.card(k).is_none());
    let card = card.filter(|_| unknown.is_none());
    if let Some(slug) = &card {
        browser::reveal_after_render(format!("card-{slug}"));
    }
    view! {
        <div class="page cards-page">
            <h1>"Anti-patterns"</h1>
            <p class="lede">{c.cards_intro.clone()}</p>
            {unknown.map(|k| view! {
                <p class="notice" role="status">"There is no anti-pattern card “"{k}"”. "
                    "It may have been renamed; here are all the cards."</p>
            })}
            <ol class="card-list">
                {c.cards.iter().enumerate().map(|(i, k)| view! {
                    <li><CardEntry card=k.clone() number=i + 1 focused=card.as_deref() == Some(k.slug.as_str())/></li>
                }).collect_view()}
            </ol>
        </div>
    }
}

/// One card: the lie, the better model, the warning signals as a checklist,
/// the terms it rests on, and the way into the Lab.
#[component]
fn CardEntry(card: Card, number: usize, focused: bool) -> impl IntoView {
    let app = use_app();
    let slug = card.slug.clone();
    let terms = catalog().terms_of_card(&card.slug);
    let heading = format!("card-{}-name", card.slug);
    let labelled_by = heading.clone();
    let signals = card
        .signals
        .iter()
        .enumerate()
        .map(|(i, signal)| {
            let idx = i as u8;
            let slug = slug.clone();
            let slug2 = slug.clone();
            let id = format!("signal-{}-{i}", card.slug);
            view! {
                <li>
                    <input type="checkbox" id=id.clone()
                        prop:checked=move || app.progress.with(|p| p.is_ticked(&slug, idx))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            app.progress.update(|p| { p.tick_signal(&slug2, idx, on); });
                        }/>
                    <label for=id>{signal.clone()}</label>
                </li>
            }
        })
        .collect_view();
    let lab = Route::Lab {
        state: Some(format!("ap={}", card.slug)),
    };
    let uses =
        crate::ui::components::uses::uses_links(crate::learn::crosslinks::card_uses(&card.slug));
    view! {
        <article id=format!("card-{}", card.slug) class="card" class:focused=focused tabindex="-1"
                 aria-labelledby=labelled_by>
            <header class="card-head">
                <span class="card-number" aria-hidden="true">{number}</span>
                <h2 id=heading><a class="anchor" href=Route::AntiPatterns { card: Some(card.slug.clone()) }.href()>{card.name.clone()}</a></h2>
            </header>
            <div class="card-body">
                <section class="lie">
                    <h3>"The lie"</h3>
                    <p>{card.lie.clone()}</p>
                </section>
                <section class="better">
                    <h3>"Better model"</h3>
                    <p>{card.better_model.clone()}</p>
                </section>
                <section class="signals">
                    <h3>"Warning signals"</h3>
                    <p class="hint">"Tick each one you could spot in a real system."</p>
                    <ul class="checklist">{signals}</ul>
                </section>
            </div>
            <footer class="card-foot">
                <div class="links">
                <p class="rests-on"><span class="links-label">"Rests on: "</span>
                    {terms.into_iter().map(|t| view! { <a href=Route::Glossary { category: None, term: Some(t.slug.clone()) }.href()>{t.name.clone()}</a> }).collect_view()}
                </p>
                {uses}
                </div>
                <div class="card-actions">
                    <a class="button primary" href=link(&lab)>"Break it in the Lab"</a>
                    <Toggle label="I can spot this" name=format!("I can spot this: {}", card.name) slug=card.slug.clone()
                        read=Progress::is_spotted write=Progress::set_spotted/>
                </div>
            </footer>
        </article>
    }
}
