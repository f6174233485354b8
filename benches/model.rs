//! Model benchmarks (plain harness): step throughput, checker throughput, and the
//! time to find each anti-pattern's counterexample. Run: `cargo bench --bench model`.

use std::hint::black_box;
use std::time::{Duration, Instant};
use vango_study_lab::model::*;

/// Replays every scenario script (correct policy and its own) until `budget` passes.
fn steps_per_second(budget: Duration) -> (u64, f64) {
    let runs: Vec<(World, Policy, Vec<Action>)> = scenarios()
        .into_iter()
        .flat_map(|s| {
            [
                (s.start, Policy::default(), s.script.clone()),
                (s.start, s.policy, s.script),
            ]
        })
        .collect();
    let t0 = Instant::now();
    let mut steps = 0u64;
    while t0.elapsed() < budget {
        for _ in 0..50 {
            for (start, policy, script) in &runs {
                let mut w = *start;
                for a in script {
                    if let Ok(s) = step(&w, a, policy) {
                        w = s.world;
                    }
                    steps += 1;
                }
                black_box(&w);
            }
        }
    }
    (steps, steps as f64 / t0.elapsed().as_secs_f64())
}

fn main() {
    println!("Vango Study Lab model benchmarks (one core)\n");
    let (steps, sps) = steps_per_second(Duration::from_secs(2));
    println!("{:<44} {:>14}", "measure", "value");
    println!("{}", "-".repeat(60));
    println!(
        "{:<44} {:>14.0}",
        "step() calls per second (narrated, checked)", sps
    );
    println!("{:<44} {:>14}", "  steps measured", steps);

    for (name, start, depth) in [
        ("checker, all off, default world", World::new(7), 6),
        ("checker, all off, sleeping world", World::sleeping(7), 6),
    ] {
        let t0 = Instant::now();
        let mut e = Explorer::new(start, Policy::default(), depth);
        let status = e.run();
        let dt = t0.elapsed().as_secs_f64();
        let verdict = match status {
            CheckStatus::Exhausted { depth, .. } => format!("none to depth {depth}"),
            CheckStatus::Found(c) => format!("FOUND at depth {}", c.depth),
            CheckStatus::Running { .. } => "unfinished".into(),
        };
        println!("{name:<44} {verdict:>14}");
        println!(
            "{:<44} {:>14.0}",
            "  distinct states per second",
            e.explored() as f64 / dt
        );
        println!(
            "{:<44} {:>14.0}",
            "  transitions per second",
            e.transitions() as f64 / dt
        );
        println!("{:<44} {:>14}", "  distinct states", e.explored());
        println!("{:<44} {:>14.3}", "  seconds", dt);
    }

    println!(
        "\n{:<36} {:>6} {:>9} {:>10}  counterexample",
        "anti-pattern", "depth", "states", "time"
    );
    println!("{}", "-".repeat(90));
    for ap in AntiPattern::ALL {
        let Some(s) = scenario(&format!("ap-{}", ap.slug())) else {
            continue;
        };
        let t0 = Instant::now();
        let mut e = Explorer::new(s.start, Policy::with(ap), s.check_depth);
        let status = e.run();
        let dt = t0.elapsed();
        match status {
            CheckStatus::Found(c) => println!(
                "{:<36} {:>6} {:>9} {:>8.2}ms  {} -> invariant {}",
                ap.slug(),
                c.depth,
                c.explored,
                dt.as_secs_f64() * 1e3,
                script_to_code(&c.actions),
                c.violation.invariant.number()
            ),
            other => println!("{:<36} NOT FOUND {other:?}", ap.slug()),
        }
    }
}
