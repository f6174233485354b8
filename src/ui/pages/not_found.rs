use leptos::prelude::*;

/// An address the app does not know: say so, and offer the way back.
#[component]
pub fn NotFound(path: String) -> impl IntoView {
    view! {
        <div class="page narrow">
            <h1>"Page not found"</h1>
            <p>"There is no page at “" <code>{path}</code> "” in the Study Lab."</p>
            <p>"Try the " <a href="#/">"home page"</a> ", the " <a href="#/glossary">"glossary"</a>
               " or press " <kbd>"/"</kbd> " to search."</p>
        </div>
    }
}
