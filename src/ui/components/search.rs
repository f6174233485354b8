use leptos::prelude::*;

use crate::content::catalog;
use crate::content::search::{Hit, Index, Kind, Segment};
use crate::ui::app::use_app;
use crate::ui::browser;

fn highlighted(segments: Vec<Segment>) -> impl IntoView {
    segments
        .into_iter()
        .map(|s| {
            if s.matched {
                view! { <mark>{s.text}</mark> }.into_any()
            } else {
                s.text.into_any()
            }
        })
        .collect_view()
}

/// The search dialog: one box over every term, card, lesson, decision lab,
/// lifecycle, trace, runbook and the Lab's words, opened with `/` or the
/// header button. Arrow keys move, Enter opens, Escape closes.
#[component]
pub fn SearchDialog() -> impl IntoView {
    let app = use_app();
    // Built the first time a search runs, not while the page starts.
    let index = StoredValue::new(std::sync::OnceLock::<Index>::new());
    let query = RwSignal::new(String::new());
    let active = RwSignal::new(0usize);
    let results = Memo::new(move |_| {
        let q = query.get();
        index.with_value(|i| {
            i.get_or_init(|| {
                Index::new(catalog()).with_entries(crate::learn::search_entries::entries())
            })
            .search(&q)
        })
    });
    let flat = Memo::new(move |_| results.with(|r| r.all().cloned().collect::<Vec<Hit>>()));

    let close = move || {
        app.search_open.set(false);
        query.set(String::new());
        active.set(0);
    };
    let open_hit = move |hit: &Hit| {
        browser::navigate(&hit.route);
        close();
    };

    // Focus the box as soon as it exists (an effect, not the next frame, so
    // keys typed right after "/" land in it).
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });

    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let n = flat.with(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if n > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + 1) % n);
            }
            "ArrowUp" if n > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + n - 1) % n);
            }
            "Enter" => {
                ev.prevent_default();
                if let Some(hit) = flat.with(|f| f.get(active.get_untracked()).cloned()) {
                    open_hit(&hit);
                }
            }
            "Escape" => {
                ev.prevent_default();
                close();
            }
            _ => {}
        }
    };

    let option = move |hit: Hit, i: usize| {
        let id = format!("search-option-{i}");
        let snippet = hit.snippet.clone().map(|(field, segs)| {
            view! { <span class="hit-snippet"><span class="hit-field">{field.label()}": "</span>{highlighted(segs)}</span> }
        });
        let go = hit.clone();
        let kind = (!matches!(hit.kind, Kind::Term | Kind::Card))
            .then(|| view! { <span class="hit-kind">{hit.kind.label()}</span> });
        view! {
            <div role="option" id=id aria-selected=move || (active.get() == i).to_string()
                class="hit" class:active=move || active.get() == i
                on:mousemove=move |_| active.set(i) on:click=move |_| open_hit(&go)>
                // An option is chosen, not followed: no link inside (nested controls confuse screen readers).
                <span class="hit-name">{kind}{highlighted(hit.name.clone())}</span>
                {snippet}
            </div>
        }
    };

    let groups = move || {
        let r = results.get();
        let mut at = 0;
        [
            (&r.terms, "Glossary terms"),
            (&r.cards, "Anti-pattern cards"),
            (
                &r.learn,
                "Learn: lessons, labs, lifecycles, traces, runbooks",
            ),
            (&r.lab, "Lab: drills, moves, invariants"),
        ]
        .into_iter()
        .filter(|(hits, _)| !hits.is_empty())
        .map(|(hits, label)| {
            let first = at;
            at += hits.len();
            let items = hits
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, h)| option(h, first + i))
                .collect_view();
            view! { <div role="group" class="hit-group" aria-label=label>{items}</div> }
        })
        .collect_view()
    };

    let status = move || {
        let q = query.get();
        if q.trim().is_empty() {
            return "Type a term, a trap, a warning signal, a lesson or a Lab word.".to_string();
        }
        let r = results.get();
        if r.is_empty() {
            format!("No matches for “{}”.", q.trim())
        } else {
            let n = r.len();
            format!(
                "{n} {} for “{}”.",
                if n == 1 { "match" } else { "matches" },
                q.trim()
            )
        }
    };

    view! {
        <Show when=move || app.search_open.get()>
            <div class="search-backdrop" on:click=move |_| close()></div>
            <div class="search-dialog" role="dialog" aria-modal="true" aria-labelledby="search-title">
                <h2 id="search-title" class="visually-hidden">"Search the study lab"</h2>
                <div class="search-box">
                    // type="text": a combobox role is not allowed on type="search" (HTML-ARIA).
                    <input node_ref=input id="search-input" type="text" enterkeyhint="search" autocomplete="off" spellcheck="false"
                        role="combobox" aria-autocomplete="list" aria-controls="search-results"
                        aria-expanded=move || (!flat.with(Vec::is_empty)).to_string()
                        aria-activedescendant=move || (!flat.with(Vec::is_empty)).then(|| format!("search-option-{}", active.get()))
                        aria-label="Search terms and anti-patterns, lessons and the Lab"
                        placeholder="Search: drain, epoch, duplicate payments…"
                        prop:value=move || query.get()
                        on:input=move |ev| { query.set(event_target_value(&ev)); active.set(0); }
                        on:keydown=on_keydown/>
                    <button type="button" class="search-close" on:click=move |_| close()>"Close"</button>
                </div>
                <p class="search-status" role="status" aria-live="polite">{status}</p>
                <div id="search-results" role="listbox" aria-label="Results">{groups}</div>
                <Show when=move || results.with(|r| r.is_empty() && !r.suggestions.is_empty())>
                    <p class="suggestions">"Did you mean "
                        {move || results.get().suggestions.into_iter().map(|s| {
                            let fill = s.clone();
                            view! { <button type="button" class="suggestion" on:click=move |_| {
                                query.set(fill.clone());
                                browser::focus_id("search-input");
                            }>{s}</button> }
                        }).collect_view()}
                        "?"
                    </p>
                </Show>
                <p class="search-help" aria-hidden="true"><kbd>"↑"</kbd><kbd>"↓"</kbd>" move · "<kbd>"Enter"</kbd>" open · "<kbd>"Esc"</kbd>" close"</p>
            </div>
        </Show>
    }
}
