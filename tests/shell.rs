//! The static shell in `index.html` (painted before the wasm arrives) shows
//! the home page's heading and lede word for word, so the page does not
//! change its words when the app mounts.

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

#[test]
fn the_shell_is_the_home_pages_heading_and_lede() {
    let home = read("src/ui/pages/home.rs");
    let shell = read("index.html");
    let shell = between(&shell, "<section class=\"hero\">", "</section>");
    let heading = between(&home, "<h1>\"", "\"</h1>");
    let lede = between(&home, "<p class=\"lede\">\"", "\"</p>");
    assert!(lede.len() > 80, "the home page's lede: {lede}");
    assert_eq!(between(shell, "<h1>", "</h1>"), heading);
    assert_eq!(between(shell, "<p class=\"lede\">", "</p>"), lede);
}
