use leptos::prelude::*;

use crate::content::catalog;
use crate::learn::situations::situation;
use crate::learn::{lab, DecisionLab, Tone, LABS};
use crate::route::Route;
use crate::ui::app::{link, use_app};
use crate::ui::lab_catalog::{drill_step_link, drill_title};

/// The decision labs: flip the inputs, see what the platform decides and
/// why. `focus` scrolls to one lab (a deep link).
#[component]
pub fn DecisionsPage(focus: Option<String>) -> impl IntoView {
    let unknown = focus.as_deref().filter(|s| lab(s).is_none()).map(|s| {
        view! { <p class="notice" role="alert">{format!("There is no decision lab called “{s}”. Here are all seven.")}</p> }
    });
    if let Some(id) = focus.as_deref().filter(|s| lab(s).is_some()) {
        crate::ui::browser::reveal_after_render(format!("lab-{id}"));
    }
    let labs = LABS
        .iter()
        .map(|l| view! { <LabCard lab=l/> })
        .collect_view();
    view! {
        <div class="page decisions">
            <h1>"Decision labs"</h1>
            <p class="lede">"Each lab is one decision the platform makes. Flip its inputs and see the decision and the reason — computed by the same code the Lab's simulator runs."</p>
            {unknown}
            <div class="lab-cards">{labs}</div>
        </div>
    }
}

#[component]
fn LabCard(lab: &'static DecisionLab) -> impl IntoView {
    let app = use_app();
    let values = RwSignal::new(lab.defaults());
    // Flipping any input is trying the lab: progress counts it once.
    let tried = move || {
        app.progress.update(|p| {
            p.set_lab_tried(lab.slug);
        })
    };
    let decision = move || values.with(|v| lab.decide(v));
    let inputs = lab
        .inputs
        .iter()
        .enumerate()
        .map(|(i, input)| {
            let id = format!("{}-{}", lab.slug, input.key);
            let value = move || values.with(|v| v[i]);
            if input.is_switch() {
                view! {
                    <li class="lab-input">
                        <input type="checkbox" id=id.clone() prop:checked=move || value() == 1
                               on:change=move |ev| {
                                   let on = event_target_checked(&ev);
                                   values.update(|v| v[i] = u8::from(on));
                                   tried();
                               }/>
                        <label for=id>{input.label}</label>
                    </li>
                }
                .into_any()
            } else {
                let max = input.max;
                view! {
                    <li class="lab-input number">
                        <label for=id.clone()>{input.label}</label>
                        <input type="number" id=id min="0" max=max.to_string() prop:value=move || value().to_string()
                               on:input=move |ev| {
                                   if let Ok(n) = event_target_value(&ev).parse::<u8>() {
                                       values.update(|v| v[i] = n.min(max));
                                       tried();
                                   }
                               }/>
                    </li>
                }
                .into_any()
            }
        })
        .collect_view();
    let c = catalog();
    let terms = lab
        .terms
        .iter()
        .filter_map(|t| c.term(t))
        .map(|t| view! { <a href=link(&Route::Glossary { category: None, term: Some(t.slug.clone()) })>{t.name.clone()}</a> })
        .collect_view();
    view! {
        <section class="panel lab-card" id=format!("lab-{}", lab.slug) tabindex="-1" aria-labelledby=format!("{}-title", lab.slug)>
            <h2 id=format!("{}-title", lab.slug)>{lab.title}</h2>
            <p class="question">{lab.question}</p>
            <p class="hint">{move || if app.progress.with(|p| p.is_lab_tried(lab.slug)) { "✓ Tried" } else { "Not tried yet: flip an input" }}</p>
            <ul class="lab-inputs">{inputs}</ul>
            <div class="decision" aria-live="polite">
                {move || {
                    let d = decision();
                    let (tone, mark) = match d.tone {
                        Tone::Proceed => ("decision proceed", "✓"),
                        Tone::Caution => ("decision caution", "!"),
                        Tone::Stop => ("decision stop", "✗"),
                    };
                    view! {
                        <p class=tone><span class="decision-mark" aria-hidden="true">{mark}</span>" "<strong>{d.label}</strong></p>
                        <p class="why">{d.why}</p>
                    }
                }}
            </div>
            <p class="lab-link">{move || {
                let d = decision();
                match situation(lab.slug, d.key) {
                    Some(s) => view! {
                        <a href=drill_step_link(&s.drill, s.line)>"See this decision in the Lab"</a>
                        {format!(": drill “{}”, just before its step {}.", drill_title(&s.drill), s.line + 1)}
                    }.into_any(),
                    None => view! { {format!("No drill in the Lab reaches “{}” yet.", d.label)} }.into_any(),
                }
            }}</p>
            <p class="rests-on"><span class="links-label">"Terms: "</span>{terms}</p>
        </section>
    }
}
