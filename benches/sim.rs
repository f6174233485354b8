//! Simulator benchmarks (plain harness): step throughput, checker throughput,
//! states per depth with and without the abstraction, time to each switch's
//! shortest failure, and the correct policy's exhaustive depth in 10 s.
//! Run: `cargo bench --bench sim`; `cargo bench --bench sim -- checker` runs
//! only the checker's throughput (to compare builds under the same load).

use std::hint::black_box;
use std::time::{Duration, Instant};
use vango_study_lab::checker::{Checker, Progress, Status};
use vango_study_lab::sim::check::{Alphabet, SimModel};
use vango_study_lab::sim::drill::{self, Drill};
use vango_study_lab::sim::*;

/// Every drill's steps as actions, with its start world and policy.
fn scripts() -> Vec<(World, Policy, Vec<Action>)> {
    let mut out = Vec::new();
    for d in drill::drills() {
        let mut policies = vec![Policy::correct()];
        if d.switch.is_some() {
            policies.push(drill::switch_policy(&d).unwrap());
        }
        for p in policies {
            let start = drill::start_world(&d).unwrap();
            let mut w = start;
            let mut actions = Vec::new();
            for line in &d.steps {
                for a in parse_action(&w, line).unwrap() {
                    if let Ok(s) = step(&w, &a, p) {
                        w = s.world;
                    }
                    actions.push(a);
                }
            }
            out.push((start, p, actions));
        }
    }
    out
}

fn steps_per_second(budget: Duration) -> f64 {
    let runs = scripts();
    let t0 = Instant::now();
    let mut steps = 0u64;
    let mut n = Narration::off();
    while t0.elapsed() < budget {
        for (start, p, actions) in &runs {
            let mut w = *start;
            for a in actions {
                let mut next = w;
                if apply(&mut next, a, *p, &mut n).is_ok() {
                    w = next;
                }
                black_box(first_broken(&w));
                steps += 1;
            }
        }
    }
    steps as f64 / t0.elapsed().as_secs_f64()
}

/// The alphabet of the exhaustive test: two concurrent operations, clients, faults.
fn broad(start: &str) -> Alphabet {
    use Action::*;
    let exact = match start {
        "full-cell" => vec![DrainHost { by: 0, host: 0 }, Promote { by: 1, artifact: 1 }],
        _ => vec![
            Promote { by: 0, artifact: 1 },
            Promote { by: 1, artifact: 2 },
            Ack { by: 0, op: 1 },
        ],
    };
    Alphabet {
        exact,
        ..Alphabet::platform()
    }
    .with_kinds(&[
        "get",
        "type",
        "reconnect",
        "crash-worker",
        "retry-worker",
        "crash-runner",
    ])
}

/// Time this thread has run on a CPU (Linux; None elsewhere). On a shared
/// machine wall time also counts the time other processes had the core.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// The exploration's progress, wall time and CPU time.
fn explore(
    start: &str,
    abstract_states: bool,
    depth: usize,
) -> (Progress, Duration, Option<Duration>) {
    let mut m = SimModel::new(preset(start).unwrap(), Policy::correct(), broad(start));
    m.abstract_states = abstract_states;
    let mut c = Checker::new(m, depth);
    let (t, cpu) = (Instant::now(), cpu_time());
    let status = c.run_to_end();
    assert!(
        !matches!(status, Status::Violated(_)),
        "the correct policy broke: {status:?}"
    );
    let cpu = cpu.zip(cpu_time()).map(|(a, b)| b - a);
    (c.progress(), t.elapsed(), cpu)
}

fn shortest_failure(d: &Drill) -> (Duration, Option<usize>, usize) {
    let m = SimModel::new(
        drill::start_world(d).unwrap(),
        drill::switch_policy(d).unwrap(),
        drill::alphabet(d).unwrap(),
    );
    let mut c = Checker::new(m, 16);
    let t = Instant::now();
    let found = match c.run_to_end() {
        Status::Violated(cex) => Some(cex.path.depth()),
        _ => None,
    };
    (t.elapsed(), found, c.progress().distinct_states)
}

/// Deepest depth the correct policy is explored to completion within `budget`.
fn depth_in(start: &str, budget: Duration) -> (usize, usize) {
    let t0 = Instant::now();
    let mut c = Checker::new(
        SimModel::new(preset(start).unwrap(), Policy::correct(), broad(start)),
        64,
    );
    let mut done = 0;
    loop {
        let status = c.run(20_000);
        let p = c.progress();
        if matches!(status, Status::Done(_)) {
            return (p.depth, p.distinct_states);
        }
        assert!(!matches!(status, Status::Violated(_)));
        // Depth `p.depth` is complete once the frontier moved past it.
        done = done.max(p.depth.saturating_sub(1));
        if t0.elapsed() > budget {
            return (done, p.distinct_states);
        }
    }
}

fn main() {
    let only_checker = std::env::args().skip(1).any(|a| a == "checker");
    if !only_checker {
        println!(
            "sim: {:.0} steps/s (every drill, correct and naive; narration off, invariants checked)",
            steps_per_second(Duration::from_secs(2))
        );
    }

    let (p, t, cpu) = explore("full-cell", true, 10);
    println!(
        "checker: {} distinct states in {:.2} s = {:.0} states/s (full-cell, correct, depth 10; {} transitions, {:.1} per state)",
        p.distinct_states,
        t.as_secs_f64(),
        p.distinct_states as f64 / t.as_secs_f64(),
        p.transitions,
        p.transitions as f64 / p.distinct_states as f64
    );
    if let Some(cpu) = cpu {
        println!(
            "  {:.2} s on the CPU = {:.0} states per CPU-second",
            cpu.as_secs_f64(),
            p.distinct_states as f64 / cpu.as_secs_f64()
        );
    }
    println!("  per depth {:?}", p.states_per_depth);
    if only_checker {
        return;
    }

    let depth = 8;
    let (p, ta, _) = explore("standby", true, depth);
    let (with, a) = (p.states_per_depth, p.distinct_states);
    let (p, tb, _) = explore("standby", false, depth);
    let (without, b) = (p.states_per_depth, p.distinct_states);
    println!("states per depth, standby, depth {depth}:");
    println!(
        "  with abstraction    {with:?} = {a} ({:.2} s)",
        ta.as_secs_f64()
    );
    println!(
        "  without abstraction {without:?} = {b} ({:.2} s)",
        tb.as_secs_f64()
    );

    println!("shortest failure per switch (checker from the drill's start, its own moves + the platform's):");
    for s in SWITCHES {
        let all = drill::drills();
        let d = all
            .iter()
            .find(|d| d.switch.as_deref() == Some(s.card_slug()))
            .unwrap();
        let (t, found, states) = shortest_failure(d);
        println!(
            "  {:<34} {:>8.2} ms  {} steps  ({states} states, drill {})",
            s.card_slug(),
            t.as_secs_f64() * 1e3,
            found.map_or("none".into(), |n| n.to_string()),
            d.slug
        );
    }

    for start in ["standby", "full-cell"] {
        let (depth, states) = depth_in(start, Duration::from_secs(10));
        println!("correct policy, {start}: exhaustive to depth {depth} in 10 s ({states} states)");
    }
}
