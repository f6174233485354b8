//! `drill`: plays a drill file and prints each step, its narration, the
//! invariants and signals, and the goal — as text or JSON — and runs the
//! checker from the drill's start world. For instructors writing drills.
//!
//! ```text
//! cargo run --bin drill -- content/drills/promotion.toml [--json] [--check DEPTH]
//! cargo run --bin drill -- --list
//! ```

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(host::main(std::env::args().skip(1).collect()));
}

#[cfg(not(target_arch = "wasm32"))]
mod host {
    use vango_study_lab::checker::{Checker, Status};
    use vango_study_lab::sim::check::SimModel;
    use vango_study_lab::sim::drill::{self, Drill, Played};
    use vango_study_lab::sim::{format_action, Policy, INVARIANTS};

    const USAGE: &str = "usage: drill FILE.toml [--json] [--check DEPTH] | drill --list";

    pub fn main(args: Vec<String>) -> i32 {
        match run(&args) {
            Ok(ok) => i32::from(!ok),
            Err(e) => {
                eprintln!("{e}");
                2
            }
        }
    }

    /// Returns whether every goal was met (exit status 0) .
    fn run(args: &[String]) -> Result<bool, String> {
        if args.iter().any(|a| a == "--list") {
            for d in drill::drills() {
                println!("{:<40} {:<13} {}", d.slug, d.kind, d.title);
            }
            return Ok(true);
        }
        let json = args.iter().any(|a| a == "--json");
        let depth = match args.iter().position(|a| a == "--check") {
            Some(i) => Some(
                args.get(i + 1)
                    .and_then(|d| d.parse::<usize>().ok())
                    .filter(|d| (1..=40).contains(d))
                    .ok_or(format!("--check needs a depth 1..40\n{USAGE}"))?,
            ),
            None => None,
        };
        let file = args
            .iter()
            .enumerate()
            .find(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--check"))
            .map(|(_, a)| a)
            .ok_or(USAGE)?;
        let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?;
        let d = drill::from_toml(file, &text)?;
        let mut runs = vec![drill::play_correct(&d)?];
        if d.switch.is_some() {
            runs.push(drill::play_naive(&d)?);
        }
        let checks = match depth {
            Some(depth) => check(&d, depth)?,
            None => Vec::new(),
        };
        if json {
            let out = serde_json::json!({ "drill": d.slug, "runs": runs, "checks": checks });
            println!(
                "{}",
                serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
            );
        } else {
            println!(
                "Drill {} — {} ({})\n{}\n",
                d.slug, d.title, d.kind, d.teaches
            );
            for r in &runs {
                print_run(&d, r);
            }
            for c in &checks {
                println!("{}", c["text"].as_str().unwrap_or_default());
            }
        }
        Ok(runs.iter().all(Played::goal_met))
    }

    fn print_run(d: &Drill, r: &Played) {
        let policy = if r.policy.is_empty() {
            "correct".to_string()
        } else {
            format!("naive {}", r.policy.join(", "))
        };
        println!("== Start {} — policy: {policy}", d.start);
        for (i, s) in r.steps.iter().enumerate() {
            println!("{:>3}. {}", i + 1, s.line);
            if let Some(why) = &s.refused {
                println!("     refused: {why}");
            }
            for n in &s.narration {
                println!("     {n}");
            }
            let broken: Vec<String> = s
                .invariants
                .iter()
                .filter(|r| !r.holds)
                .map(|r| format!("{} {} ({})", r.id, r.name, r.objects.join("; ")))
                .collect();
            if broken.is_empty() {
                println!("     invariants: all 14 hold");
            } else {
                println!("     invariants BROKEN: {}", broken.join(" | "));
            }
            if !s.signals.is_empty() {
                println!("     signals: {}", s.signals.join(", "));
            }
            println!(
                "     production {}",
                if s.serving { "serving" } else { "NOT serving" }
            );
        }
        let goal = if r.goal_met() {
            "met".to_string()
        } else {
            format!("NOT met: {}", r.unmet.join("; "))
        };
        println!(
            "Goal ({policy}): {goal}. RTO {} tick(s), RPO {} write(s).\n",
            r.end.rto, r.end.db.lost_writes
        );
    }

    /// Runs the checker from the drill's start, correct and (if any) with its switch.
    fn check(d: &Drill, depth: usize) -> Result<Vec<serde_json::Value>, String> {
        let start = drill::start_world(d)?;
        let alphabet = drill::alphabet(d)?;
        let mut policies = vec![Policy::correct()];
        if d.switch.is_some() {
            policies.push(drill::switch_policy(d)?);
        }
        let mut out = Vec::new();
        for p in policies {
            let name = if p.is_correct() {
                "correct".to_string()
            } else {
                p.switches()
                    .map(|s| s.card_slug())
                    .collect::<Vec<_>>()
                    .join(",")
            };
            let t = std::time::Instant::now();
            let mut checker = Checker::new(SimModel::new(start, p, alphabet.clone()), depth);
            let status = checker.run_to_end();
            let states = checker.progress().distinct_states;
            let ms = t.elapsed().as_millis();
            let (text, path) = match status {
                Status::Violated(cex) => {
                    let mut w = start;
                    let lines: Vec<String> = cex
                        .path
                        .actions
                        .iter()
                        .map(|a| {
                            let l = format_action(&w, a);
                            w = vango_study_lab::sim::step(&w, a, p).map(|s| s.world).unwrap_or(w);
                            l
                        })
                        .collect();
                    let id = INVARIANTS.iter().find(|i| i.name == cex.property).map_or(0, |i| i.id);
                    (format!("Checker ({name}, depth {depth}): invariant {id} ({}) breaks after {} step(s) [{states} states, {ms} ms]:\n  {}", cex.property, lines.len(), lines.join("\n  ")), lines)
                }
                _ => (format!("Checker ({name}, depth {depth}): no invariant breaks [{states} distinct states, {ms} ms]."), Vec::new()),
            };
            out.push(serde_json::json!({ "policy": name, "depth": depth, "states": states, "ms": ms as u64, "counterexample": path, "text": text }));
        }
        Ok(out)
    }
}
