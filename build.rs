//! Reads `content/*.toml`, refuses to build if any rule in
//! `src/content/schema.rs` is broken, and hands the app a compact JSON copy
//! (so the wasm carries no TOML parser).

#[path = "src/content/schema.rs"]
#[allow(dead_code)]
mod schema;

use std::{env, fs, path::Path};

fn read<T: serde::de::DeserializeOwned>(path: &str) -> T {
    println!("cargo:rerun-if-changed={path}");
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    toml::from_str(&text).unwrap_or_else(|e| panic!("\n\n{path} is not valid content:\n{e}\n"))
}

fn main() {
    println!("cargo:rerun-if-changed=src/content/schema.rs");
    let glossary: schema::GlossaryFile = read("content/glossary.toml");
    let cards: schema::CardsFile = read("content/anti_patterns.toml");
    let problems = schema::problems(&glossary, &cards);
    if !problems.is_empty() {
        panic!(
            "\n\nThe content in content/ has {} problem(s):\n  - {}\n",
            problems.len(),
            problems.join("\n  - ")
        );
    }
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let write = |name: &str, json: String| {
        fs::write(Path::new(&out).join(name), json).expect("OUT_DIR is writable");
    };
    write(
        "glossary.json",
        serde_json::to_string(&glossary).expect("serializable"),
    );
    write(
        "anti_patterns.json",
        serde_json::to_string(&cards).expect("serializable"),
    );
}
