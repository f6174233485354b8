//! Property tests: the simulator is deterministic, and random walks of every
//! move (operators, workers, runners, POPs, clients, time, faults) never break
//! an invariant under the correct policy.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use vango_study_lab::sim::check::{candidates, Alphabet};
use vango_study_lab::sim::world::*;
use vango_study_lab::sim::*;

/// Every kind, plus operator moves over every artifact, region, host, column.
fn everything() -> Alphabet {
    use Action::*;
    let mut a = Alphabet {
        kinds: u64::MAX,
        ..Alphabet::default()
    };
    for by in 0..2 {
        for artifact in 0..ARTIFACTS as u8 {
            a.exact.extend([
                Deploy { by, artifact },
                Promote { by, artifact },
                Rollback { by, artifact },
            ]);
        }
    }
    for op in 0..MAX_OPS as u8 {
        a.exact.push(Ack { by: 0, op });
    }
    for region in 0..REGIONS as u8 {
        a.exact
            .extend([EnableRegion { by: 0, region }, Failover { by: 1, region }]);
    }
    for host in 0..HOSTS as u8 {
        a.exact.push(DrainHost { by: 0, host });
    }
    for column in 0..2 {
        a.exact.extend([
            Migrate {
                by: 0,
                column,
                destructive: false,
            },
            Migrate {
                by: 0,
                column,
                destructive: true,
            },
        ]);
    }
    for payment in 0..2 {
        a.exact.extend([
            ClientWebhook { payment, key: true },
            ClientWebhook {
                payment,
                key: false,
            },
        ]);
    }
    a.exact.extend([Restore { by: 1 }, Freeze { by: 0 }]);
    a
}

/// Each step: the move, the world after it, its narration.
type Trace = Vec<(Action, World, Vec<String>)>;

/// Walks `choices` from a preset: each choice picks one of the enabled moves.
fn walk(start: usize, choices: &[u16], p: Policy) -> (Trace, Vec<(usize, Vec<InvResult>)>) {
    let mut w = preset(PRESETS[start % PRESETS.len()].0).unwrap();
    let alphabet = everything();
    let mut trace = Vec::new();
    let mut broken = Vec::new();
    let mut buf = Vec::new();
    for (i, c) in choices.iter().enumerate() {
        buf.clear();
        candidates(&w, &alphabet, &mut buf);
        let enabled: Vec<(Action, Stepped)> = buf
            .iter()
            .filter_map(|a| step(&w, a, p).ok().map(|s| (*a, s)))
            .collect();
        if enabled.is_empty() {
            break;
        }
        let (a, s) = enabled[*c as usize % enabled.len()].clone();
        w = s.world;
        let bad: Vec<InvResult> = check_all(&w).into_iter().filter(|r| !r.holds).collect();
        if !bad.is_empty() {
            broken.push((i, bad));
        }
        trace.push((a, w, s.narration));
    }
    (trace, broken)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn same_moves_same_worlds(start in 0usize..16, choices in prop::collection::vec(any::<u16>(), 0..40)) {
        let (a, _) = walk(start, &choices, Policy::correct());
        let (b, _) = walk(start, &choices, Policy::correct());
        prop_assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            prop_assert_eq!(x.0, y.0);
            prop_assert_eq!(x.1, y.1);
            prop_assert_eq!(&x.2, &y.2);
        }
    }

    #[test]
    fn the_correct_policy_never_breaks_an_invariant(start in 0usize..16, choices in prop::collection::vec(any::<u16>(), 0..120)) {
        let (trace, broken) = walk(start, &choices, Policy::correct());
        if let Some((i, bad)) = broken.first() {
            let mut w = preset(PRESETS[start % PRESETS.len()].0).unwrap();
            let lines: Vec<String> = trace[..=*i].iter().map(|(a, next, _)| { let l = format_action(&w, a); w = *next; l }).collect();
            prop_assert!(false, "from {}: {:?} after {:?}", PRESETS[start % PRESETS.len()].0, bad, lines);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Every allocation and session change the correct step code makes is a
    /// row of its declared lifecycle table (so diagrams drawn from the tables
    /// tell the truth).
    #[test]
    fn lifecycle_changes_follow_their_tables(start in 0usize..16, choices in prop::collection::vec(any::<u16>(), 0..80)) {
        use vango_study_lab::sim::lifecycle::{ALLOCATION, SESSION};
        let mut before = preset(PRESETS[start % PRESETS.len()].0).unwrap();
        let (trace, _) = walk(start, &choices, Policy::correct());
        for (a, after, _) in &trace {
            for (x, y) in before.allocs.iter().zip(after.allocs.iter()) {
                let same = x.used && y.used && (x.artifact, x.host, x.env) == (y.artifact, y.host, y.env);
                let reused = matches!(x.state, AllocState::Stopped | AllocState::Failed) && y.state == AllocState::Planned;
                if same && !reused && x.state != y.state {
                    let (f, t) = (x.state.name(), y.state.name());
                    prop_assert!(ALLOCATION.iter().any(|m| m.from == f && m.to == t), "allocation {f} -> {t} on {a:?}");
                }
            }
            for (x, y) in before.sessions.iter().zip(after.sessions.iter()) {
                if x.state != y.state {
                    let (f, t) = (x.state.name(), y.state.name());
                    prop_assert!(SESSION.iter().any(|m| m.from == f && m.to == t), "session {f} -> {t} on {a:?}");
                }
            }
            before = *after;
        }
    }
}
