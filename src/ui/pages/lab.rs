use leptos::prelude::*;
#[component]
pub fn LabPage(state: Option<String>) -> impl IntoView {
    let _ = state;
    view! { <div class="page"><h1>"Lab"</h1></div> }
}
