//! The `drill` host tool: plays a drill file as text and JSON, runs the
//! checker, and explains a broken file instead of panicking.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

fn drill(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_drill"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn plays_a_drill_as_json_and_checks_it() {
    let (code, out, err) = drill(&[
        "content/drills/ap-warm-rollback.toml",
        "--json",
        "--check",
        "6",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "correct and naive");
    assert!(runs
        .iter()
        .all(|r| r["unmet"].as_array().unwrap().is_empty()));
    assert_eq!(
        runs[1]["broken"].as_array().unwrap().len(),
        3,
        "9, 12 and 13 break with the switch on"
    );
    let checks = v["checks"].as_array().unwrap();
    assert!(
        checks[0]["counterexample"].as_array().unwrap().is_empty(),
        "the correct policy holds"
    );
    assert_eq!(checks[1]["counterexample"].as_array().unwrap().len(), 3);
}

#[test]
fn prints_the_trace_as_text() {
    let (code, out, _) = drill(&["content/drills/promotion.toml"]);
    assert_eq!(code, 0);
    assert!(out.contains("  1. operator promote B"));
    assert!(out.contains("Route owner := B in eu, epoch 2 (expected 1)."));
    assert!(out.contains("Goal (correct): met."));
}

#[test]
fn a_broken_file_is_explained() {
    let dir = std::env::temp_dir().join("sim-cli-test");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text, says) in [
        ("garbage.toml", "slug = [", "is not a valid drill"),
        ("unknown.toml", "slug='x'\ntitle='t'\nkind='race'\nteaches='t'\nstart='nowhere'\nsteps=['time tick']\nexpect=['serving']\n", "unknown start world"),
        ("step.toml", "slug='x'\ntitle='t'\nkind='race'\nteaches='t'\nstart='steady'\nsteps=['operator fly B']\nexpect=['serving']\n", "unknown operator verb"),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let (code, _, err) = drill(&[path.to_str().unwrap()]);
        assert_eq!(code, 2, "{name}");
        assert!(err.contains(says), "{name}: {err}");
    }
    let (code, _, err) = drill(&["/nonexistent.toml"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"));
}

/// The example drill in the README plays to its goal.
#[test]
fn the_readme_example_drill_plays() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme
        .find("```toml\nslug = ")
        .expect("the README shows a drill file")
        + 8;
    let end = start + readme[start..].find("```").unwrap();
    let d = vango_study_lab::sim::drill::from_toml("README.md", &readme[start..end]).unwrap();
    let played = vango_study_lab::sim::drill::play_correct(&d).unwrap();
    assert!(played.goal_met(), "{:?}", played.unmet);
}
