//! The static shell in `index.html` (painted before the wasm arrives) shows
//! the heading and lede of the page the address opens, word for word, so the
//! page does not change its words when the app mounts. `public/boot.js` picks
//! the shell and `style/main.css` shows it: the three name the same pages.

use vango_study_lab::content::catalog;

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text between `open` and `close` after the first `open` in `text`.
fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text.find(open).unwrap_or_else(|| panic!("no {open:?}")) + open.len();
    let len = text[start..]
        .find(close)
        .unwrap_or_else(|| panic!("no {close:?} after {open:?}"));
    &text[start..start + len]
}

/// `index.html`'s shells: (data-shell, the shell's outer classes, its markup).
fn shells() -> Vec<(String, String, String)> {
    let html = read("index.html");
    let boot = between(&html, "<main id=\"boot\">", "</main>");
    boot.split("<div class=\"")
        .skip(1)
        .map(|part| {
            let classes = between(part, "", "\"").to_string();
            let key = between(part, "data-shell=\"", "\"").to_string();
            (key, classes, part.to_string())
        })
        .collect()
}

/// A page's heading and lede, as its component writes them: the first
/// `<div class="{classes}">` in `file` and the literals after it.
fn page_words(file: &str, classes: &str) -> (String, String) {
    let source = read(file);
    let page = between(&source, &format!("<div class=\"{classes}\">"), "</div>");
    let heading = between(page, "<h1>\"", "\"</h1>").to_string();
    let lede = between(page, "<p class=\"lede\">", "</p>").trim_matches('"');
    (heading, lede.to_string())
}

#[test]
fn every_shell_is_its_pages_heading_and_lede() {
    let c = catalog();
    let shells = shells();
    let keys: Vec<&str> = shells.iter().map(|(k, _, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "home",
            "learn",
            "glossary",
            "anti-patterns",
            "decisions",
            "lifecycles",
            "review",
            "progress"
        ]
    );
    for (key, classes, markup) in &shells {
        let (heading, lede) = match key.as_str() {
            "home" => {
                let home = read("src/ui/pages/home.rs");
                let hero = between(&home, "<section class=\"hero\">", "</section>");
                (
                    between(hero, "<h1>\"", "\"</h1>").to_string(),
                    between(hero, "<p class=\"lede\">\"", "\"</p>").to_string(),
                )
            }
            page => {
                let file = format!("src/ui/pages/{}.rs", page.replace('-', "_"));
                let (heading, lede) = page_words(&file, classes);
                // These two pages show the seed files' intros.
                let intro = match page {
                    "glossary" => Some(("{c.glossary_intro.clone()}", &c.glossary_intro)),
                    "anti-patterns" => Some(("{c.cards_intro.clone()}", &c.cards_intro)),
                    _ => None,
                };
                match intro {
                    Some((expression, text)) => {
                        assert_eq!(lede, expression, "{file}");
                        (heading, text.clone())
                    }
                    None => (heading, lede),
                }
            }
        };
        assert!(lede.len() > 40, "{key}: the lede {lede:?}");
        assert_eq!(between(markup, "<h1>", "</h1>"), heading, "{key}");
        assert_eq!(between(markup, "<p class=\"lede\">", "</p>"), lede, "{key}");
    }
}

#[test]
fn boot_js_and_the_stylesheet_name_every_shell() {
    let boot = read("public/boot.js");
    let table = between(&boot, "var SHELL_DEPTH = {", "};");
    let css = read("style/main.css");
    for (key, _, _) in shells() {
        let rule = format!("[data-boot={key}] [data-shell={key}]");
        assert!(css.contains(&rule), "style/main.css shows no {key} shell");
        if key != "home" {
            assert!(
                table.contains(&format!("{key}:")) || table.contains(&format!("'{key}':")),
                "public/boot.js never picks the {key} shell"
            );
        }
    }
    assert_eq!(table.matches(':').count(), shells().len() - 1);
}
