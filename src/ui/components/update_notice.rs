use leptos::prelude::*;

use crate::ui::browser;

/// "A new version is ready — reload": shown when the service worker has
/// installed a new release next to the running one (`public/boot.js` hears
/// it). The page keeps the release it started with until the learner
/// chooses; Reload switches every file at once, Later hides the notice.
#[component]
pub fn UpdateNotice() -> impl IntoView {
    let ready = RwSignal::new(browser::update_ready());
    let on_ready =
        window_event_listener_untyped(browser::UPDATE_READY_EVENT, move |_| ready.set(true));
    on_cleanup(move || on_ready.remove());

    // The live region is there from the start, so the notice is announced when it appears.
    view! {
        <div class="update-region" role="status">
            <Show when=move || ready.get()>
                <div class="notice info update-notice">
                    <p>"A new version of the Vango Study Lab is ready. Reload to use it; your progress is kept."</p>
                    <button type="button" class="primary" on:click=|_| browser::apply_update()>"Reload"</button>
                    <button type="button" on:click=move |_| ready.set(false)>"Later"</button>
                </div>
            </Show>
        </div>
    }
}
