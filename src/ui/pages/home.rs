use leptos::prelude::*;

use crate::content::catalog;
use crate::ui::app::use_app;

/// What the lab teaches, and where to start.
#[component]
pub fn HomePage() -> impl IntoView {
    let app = use_app();
    let c = catalog();
    let continue_at = move || {
        app.progress.with(|p| p.last_place().map(str::to_string)).map(|href| {
            view! { <p class="continue"><a class="button primary" href=href>"Continue where you left off"</a></p> }
        })
    };
    view! {
        <div class="page home">
            <section class="hero">
                <h1>"Vango Study Lab"</h1>
                <p class="lede">"How a stateful platform promotes, drains, wakes and rolls back — and how it fails when built on the wrong model."</p>
                {continue_at}
            </section>
            <section class="ideas" aria-labelledby="ideas-title">
                <h2 id="ideas-title">"Three ideas carry everything"</h2>
                <div class="idea-grid">
                    <div class="idea">
                        <h3>"Authority"</h3>
                        <p>"The control plane's records are the truth. Logs, caches and events are evidence or propagation."</p>
                    </div>
                    <div class="idea">
                        <h3>"Continuity"</h3>
                        <p>"A live session never moves. It drains in place, resumes from a session store, or starts fresh — and the product says which."</p>
                    </div>
                    <div class="idea">
                        <h3>"Honesty"</h3>
                        <p>"Cold deploys, unsafe replay, data risk and blocked readiness are facts to show, not to hide."</p>
                    </div>
                </div>
            </section>
            <section aria-labelledby="start-title">
                <h2 id="start-title">"Where to start"</h2>
                <ol class="steps">
                    <li><a href="#/glossary"><strong>"Glossary"</strong></a>
                        <span>{format!(" — {} terms, each with the trap people fall into.", c.terms.len())}</span></li>
                    <li><a href="#/anti-patterns"><strong>"Anti-patterns"</strong></a>
                        <span>{format!(" — {} architecture lies and the signals that give them away.", c.cards.len())}</span></li>
                    <li><a href=crate::ui::app::link(&crate::route::Route::Lab { state: None })><strong>"The Lab"</strong></a>
                        <span>" — step through promotion, drain, wake and rollback; switch on an anti-pattern and watch an invariant break."</span></li>
                    <li><a href="#/progress"><strong>"Progress"</strong></a>
                        <span>" — what you have learned so far, saved on this device."</span></li>
                </ol>
                <p class="tip">"Press " <kbd>"/"</kbd> " anywhere to search."</p>
            </section>
        </div>
    }
}
