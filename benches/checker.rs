//! Checker throughput (plain harness) on a toy model of 32^4 = 1,048,576
//! states, explored to the end. Run: `cargo bench --bench checker`.

use std::time::Instant;
use vango_study_lab::checker::*;

/// Four dials of 32 positions; an action turns one dial forward (wrapping).
struct Dials;

const POSITIONS: u8 = 32;

impl Model for Dials {
    type State = [u8; 4];
    type Action = usize;
    type Abstract = [u8; 4];
    fn init_states(&self) -> Vec<[u8; 4]> {
        vec![[0; 4]]
    }
    fn actions(&self, _: &[u8; 4], actions: &mut Vec<usize>) {
        actions.extend(0..4);
    }
    fn next_state(&self, s: &[u8; 4], &dial: &usize) -> Option<[u8; 4]> {
        let mut t = *s;
        t[dial] = (t[dial] + 1) % POSITIONS;
        Some(t)
    }
    fn properties(&self) -> Vec<Property<Self>> {
        vec![
            Property::always("dials sum within bounds", |_, s: &[u8; 4]| {
                s.iter().map(|&d| u32::from(d)).sum::<u32>() <= 4 * 31
            }),
            Property::sometimes("all dials at 31", |_, s: &[u8; 4]| {
                s.iter().all(|&d| d == 31)
            }),
        ]
    }
    fn abstraction(&self, s: &[u8; 4]) -> [u8; 4] {
        *s
    }
}

fn main() {
    println!("Checker benchmark (one core): 4 dials x 32 positions, breadth-first to the end\n");
    let t0 = Instant::now();
    let mut checker = Checker::new(Dials, usize::MAX);
    // Slices of 4,096 states, as a page would run it.
    let status = checker.run_to_end();
    let secs = t0.elapsed().as_secs_f64();
    let p = checker.progress();
    let witness = checker
        .verdicts()
        .into_iter()
        .find_map(|v| match v.outcome {
            Outcome::Witness(path) => Some(path.depth().to_string()),
            _ => None,
        })
        .unwrap_or_else(|| "never seen".into());
    println!("{:<40} {:>14}", "measure", "value");
    println!("{}", "-".repeat(56));
    println!("{:<40} {:>14?}", "status", status);
    println!("{:<40} {:>14}", "distinct states", p.distinct_states);
    println!("{:<40} {:>14}", "transitions", p.transitions);
    println!("{:<40} {:>14}", "depth reached", p.depth);
    println!("{:<40} {:>14}", "witness 'all dials at 31' depth", witness);
    println!("{:<40} {:>14.2}", "seconds", secs);
    println!(
        "{:<40} {:>14.0}",
        "distinct states per second",
        p.distinct_states as f64 / secs
    );
    println!(
        "{:<40} {:>14.0}",
        "states per 5 ms slice (at that rate)",
        p.distinct_states as f64 / secs * 0.005
    );
    assert_eq!(p.distinct_states, 1 << 20);
}
