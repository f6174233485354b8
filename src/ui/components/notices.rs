use leptos::prelude::*;

use crate::progress::{Mode, Notice};
use crate::ui::app::use_app;
use crate::ui::{browser, persist};

/// Banners about saving: damaged data kept aside (with a download), storage
/// unavailable or full, newer or migrated formats. They stay until dismissed,
/// except the lasting "memory only" notice, which stays while it is true.
#[component]
pub fn Notices() -> impl IntoView {
    let app = use_app();
    let dismiss = move |n: &Notice| {
        let n = n.clone();
        app.saved.update(|s| s.notices.retain(|m| m != &n));
    };
    let banner = move |n: Notice| {
        let class = match n {
            Notice::Migrated { .. } => "notice info",
            Notice::Damaged { .. } | Notice::PartlyRecovered { .. } => "notice error",
            _ => "notice",
        };
        let download = n.download_key().map(str::to_string).map(|key| {
            let k = key.clone();
            view! {
                <button type="button" on:click=move |_| {
                    if let Some((_, text)) = persist::damaged_blobs().into_iter().find(|(kk, _)| kk == &k) {
                        if let Err(e) = browser::download("vango-study-lab-unreadable-progress.txt", "text/plain", &text) {
                            persist::notify(app, Notice::SaveFailed(e.to_string()));
                        }
                    }
                }>"Download the kept data"</button>
                <button type="button" class="danger" on:click=move |_| persist::discard_damaged(app, &key)>"Delete it"</button>
            }
        });
        let lasting = matches!(n, Notice::StorageUnavailable(_));
        let nn = n.clone();
        view! {
            <div class=class role="alert">
                <p>{n.message()}</p>
                {download}
                {(!lasting).then(|| view! { <button type="button" on:click=move |_| dismiss(&nn)>"Dismiss"</button> })}
            </div>
        }
    };
    let memory_only = move || {
        app.saved.with(|s| match &s.mode {
            Mode::MemoryOnly(_) if !s.notices.iter().any(|n| matches!(n, Notice::StorageUnavailable(_))) => Some(view! {
                <div class="notice" role="status"><p>"Progress is kept in memory only and will not survive a reload. "
                    <a href=crate::ui::app::link(&crate::route::Route::Progress)>"Export it"</a>" to keep it."</p></div>
            }),
            _ => None,
        })
    };
    view! {
        <div class="notices" aria-live="polite">
            {move || app.saved.with(|s| s.notices.clone()).into_iter().map(banner).collect_view()}
            {memory_only}
        </div>
    }
}
