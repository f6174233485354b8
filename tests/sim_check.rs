//! Breadth-first search over the simulator: with each switch on, ordinary
//! moves and faults produce the failure (shortest path found); with every
//! switch off, the same alphabet finds nothing.

use vango_study_lab::checker::{fingerprint, Checker, Status};
use vango_study_lab::sim::check::{canonical, Alphabet, SimModel};
use vango_study_lab::sim::world::*;
use vango_study_lab::sim::*;

/// Shortest path to a state breaking an invariant: (invariant id, path), and
/// the distinct states explored.
fn bfs(m: &SimModel, depth: usize) -> (Option<(u8, Vec<Action>)>, usize) {
    let mut checker = Checker::new(m.clone(), depth);
    let found = match checker.run_to_end() {
        Status::Violated(cex) => {
            let id = INVARIANTS
                .iter()
                .find(|i| i.name == cex.property)
                .map(|i| i.id)
                .unwrap();
            Some((id, cex.path.actions))
        }
        _ => None,
    };
    (found, checker.progress().distinct_states)
}

struct Case {
    switch: Switch,
    start: &'static str,
    overrides: &'static [(&'static str, &'static str)],
    exact: Vec<Action>,
    kinds: &'static [&'static str],
    depth: usize,
    breaks: &'static [u8],
}

fn world(c: &Case) -> World {
    let mut w = preset(c.start).unwrap();
    for (k, v) in c.overrides {
        apply_override(&mut w, k, v).unwrap();
    }
    w
}

fn cases() -> Vec<Case> {
    use Action::*;
    vec![
        Case {
            switch: Switch::SessionsTeleport,
            start: "standby",
            overrides: &[("draft", "true")],
            exact: vec![Promote { by: 0, artifact: 1 }],
            kinds: &["next", "report", "consume", "tick", "reconnect"],
            depth: 9,
            breaks: &[8],
        },
        Case {
            switch: Switch::LogsAsTruth,
            start: "standby",
            overrides: &[("second_session", "false")],
            exact: vec![
                Promote { by: 0, artifact: 1 },
                Promote { by: 1, artifact: 2 },
                Ack { by: 0, op: 1 },
                Ack { by: 0, op: 0 },
            ],
            kinds: &["next", "deliver", "crash-worker"],
            depth: 10,
            breaks: &[1, 2, 10],
        },
        Case {
            switch: Switch::EventBusAsDatabase,
            start: "standby",
            overrides: &[],
            exact: vec![Promote { by: 0, artifact: 1 }],
            kinds: &[
                "next",
                "consume",
                "redeliver",
                "restart",
                "retention-drop",
                "snapshot",
            ],
            depth: 8,
            breaks: &[4],
        },
        Case {
            switch: Switch::RoutingByHealthyBackend,
            start: "steady",
            overrides: &[],
            exact: vec![Deploy { by: 0, artifact: 4 }, ClientGet { pop: 0 }],
            kinds: &["next", "report", "tick"],
            depth: 8,
            breaks: &[5],
        },
        Case {
            switch: Switch::UnsafeWakeReplay,
            start: "asleep",
            overrides: &[],
            exact: vec![ClientWebhook {
                payment: 0,
                key: false,
            }],
            kinds: &["next", "report", "tick", "provider-retry"],
            depth: 9,
            breaks: &[6, 14],
        },
        Case {
            switch: Switch::MvpErasesTopology,
            start: "two-regions",
            overrides: &[],
            exact: vec![Failover { by: 0, region: 1 }],
            kinds: &["next", "report", "tick", "region-outage"],
            depth: 6,
            breaks: &[11],
        },
        Case {
            switch: Switch::WarmDeployEqualsSafeRollback,
            start: "after-contract",
            overrides: &[],
            exact: vec![Rollback { by: 0, artifact: 0 }],
            kinds: &["next", "report", "tick"],
            depth: 6,
            breaks: &[12, 9, 13],
        },
    ]
}

#[test]
fn each_switch_produces_its_failure_and_the_correct_policy_does_not() {
    for c in cases() {
        let alphabet = Alphabet {
            exact: c.exact.clone(),
            ..Alphabet::default()
        }
        .with_kinds(c.kinds);
        let naive = SimModel::new(world(&c), Policy::only(c.switch), alphabet.clone());
        let (found, states) = bfs(&naive, c.depth);
        let (inv, path) = found.unwrap_or_else(|| {
            panic!(
                "{:?}: no failure within {} steps ({states} states)",
                c.switch, c.depth
            )
        });
        let mut w = naive.start;
        let lines: Vec<String> = path
            .iter()
            .map(|a| {
                let l = format_action(&w, a);
                w = step(&w, a, naive.policy).unwrap().world;
                l
            })
            .collect();
        println!(
            "{:?}: invariant {inv} breaks after {} steps ({states} states): {lines:?}",
            c.switch,
            path.len()
        );
        assert!(
            c.breaks.contains(&inv),
            "{:?} broke {inv}, expected one of {:?}: {lines:?}",
            c.switch,
            c.breaks
        );
        let correct = SimModel::new(world(&c), Policy::correct(), alphabet);
        let (found, states) = bfs(&correct, c.depth);
        assert!(
            found.is_none(),
            "{:?} alphabet breaks the correct policy: {found:?} ({states} states)",
            c.switch
        );
    }
}

/// Every fault the environment can inject.
const FAULTS: &[&str] = &[
    "crash-worker",
    "retry-worker",
    "crash-runner",
    "lose",
    "duplicate",
    "delay",
    "redeliver",
    "restart",
    "retention-drop",
    "region-outage",
    "slow-readiness",
    "provider-retry",
];

/// The operator moves studied from each start world (two concurrent operations).
fn studied(start: &str) -> Vec<Action> {
    use Action::*;
    match start {
        "steady" | "standby" => vec![
            Promote { by: 0, artifact: 1 },
            Promote { by: 1, artifact: 2 },
            Ack { by: 0, op: 1 },
        ],
        "asleep" => vec![
            ClientWebhook {
                payment: 0,
                key: true,
            },
            ClientGet { pop: 0 },
        ],
        "two-regions" => vec![
            Failover { by: 0, region: 1 },
            Promote { by: 1, artifact: 1 },
        ],
        "expand-contract" => vec![
            Migrate {
                by: 0,
                column: 1,
                destructive: false,
            },
            Promote { by: 1, artifact: 1 },
        ],
        "full-cell" => vec![DrainHost { by: 0, host: 0 }, Promote { by: 1, artifact: 1 }],
        "after-contract" => vec![Rollback { by: 0, artifact: 0 }, Restore { by: 1 }],
        _ => vec![],
    }
}

#[test]
fn the_correct_policy_breaks_nothing_from_any_start_world() {
    let depth: usize = std::env::var("SIM_DEPTH")
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(10);
    for (start, _) in PRESETS {
        let alphabet = Alphabet {
            exact: studied(start),
            ..Alphabet::platform()
        }
        .with_kinds(&["get", "type", "reconnect"])
        .with_kinds(&[FAULTS[0], FAULTS[1], FAULTS[2]]);
        let m = SimModel::new(preset(start).unwrap(), Policy::correct(), alphabet);
        let t = std::time::Instant::now();
        let (found, states) = bfs(&m, depth);
        println!(
            "{start}: depth {depth}, {states} distinct states, {:?}",
            t.elapsed()
        );
        assert!(found.is_none(), "{start}: {found:?}");
    }
}

/// The same world with allocations `a` and `b` in each other's slots, every
/// reference to them renamed: a symmetric state, the same platform.
fn swap_allocs(w: &World, a: u8, b: u8) -> World {
    let mut m = *w;
    m.allocs.swap(a as usize, b as usize);
    let rename = |i: u8| match i {
        i if i == a => b,
        i if i == b => a,
        i => i,
    };
    for s in m.sessions.iter_mut() {
        s.alloc = rename(s.alloc);
        s.handshake = rename(s.handshake);
    }
    for o in m.ops.iter_mut().filter(|o| o.alloc > 0) {
        o.alloc = rename(o.alloc - 1) + 1;
    }
    m
}

#[test]
fn symmetric_states_share_one_fingerprint_and_count_once() {
    use Action::*;
    let p = Policy::correct();
    let mut w = preset("standby").unwrap();
    apply_override(&mut w, "second_session", "true").unwrap();
    let after = |w: &World, a: Action| step(w, &a, p).unwrap().world;
    let key = |w: &World| fingerprint(&canonical(w));

    // Two sessions on one allocation: s1 typing and s2 typing are one state.
    let (s1, s2) = (
        after(&w, ClientType { session: 0 }),
        after(&w, ClientType { session: 1 }),
    );
    assert_ne!(s1, s2);
    assert_ne!(fingerprint(&s1), fingerprint(&s2));
    assert_eq!(key(&s1), key(&s2));

    // Allocation slots: the same allocations elsewhere, references renamed.
    let busy = after(&s1, Promote { by: 0, artifact: 1 });
    let moved = swap_allocs(&busy, 0, 2);
    assert_ne!(moved, busy);
    assert_eq!(key(&moved), key(&busy));
    // Swapped without renaming, the sessions sit on C: another world.
    let mut wrong = busy;
    wrong.allocs.swap(0, 2);
    assert_ne!(key(&wrong), key(&busy));

    // Operators: the same promotion asked by ana or by ben.
    let (ana, ben) = (
        after(&w, Promote { by: 0, artifact: 1 }),
        after(&w, Promote { by: 1, artifact: 1 }),
    );
    assert_ne!(ana, ben);
    assert_eq!(key(&ana), key(&ben));
    // Another artifact is another operation.
    assert_ne!(key(&ana), key(&after(&w, Promote { by: 0, artifact: 2 })));

    // The checker counts each once with the abstraction, twice without.
    let per_depth = |abstract_states: bool, alphabet: Alphabet| {
        let mut m = SimModel::new(w, p, alphabet);
        m.abstract_states = abstract_states;
        let mut c = Checker::new(m, 2);
        assert!(matches!(c.run_to_end(), Status::Done(_)));
        c.progress().states_per_depth
    };
    let typing = Alphabet::default().with_kinds(&["type"]);
    assert_eq!(per_depth(true, typing.clone()), [1, 1, 1]);
    assert_eq!(per_depth(false, typing), [1, 2, 1]);
    let operators = Alphabet::default()
        .with(Promote { by: 0, artifact: 1 })
        .with(Promote { by: 1, artifact: 1 });
    assert_eq!(per_depth(true, operators.clone())[1], 1);
    assert_eq!(per_depth(false, operators)[1], 2);
}

/// The explorer's fingerprint (`canonical_fingerprint`, built straight from
/// the world) follows `canonical` exactly: on every state reached within a
/// few moves of each start world, correct and with each switch on, every
/// kind of move allowed (symmetric states included), two states share a
/// fingerprint if and only if their canonical worlds are equal.
#[test]
fn the_explorers_fingerprint_follows_the_canonical_world() {
    use std::collections::{HashMap, HashSet};
    use vango_study_lab::checker::Model;
    use vango_study_lab::sim::action::ACTION_KINDS;
    let kinds: Vec<&str> = ACTION_KINDS.iter().map(|k| k.name).collect();
    let mut policies = vec![Policy::correct()];
    policies.extend(SWITCHES.iter().map(|&s| Policy::correct().with(s)));
    let mut by_world: HashMap<World, u64> = HashMap::new();
    let mut by_fingerprint: HashMap<u64, World> = HashMap::new();
    let mut merged = 0;
    for (start, _) in PRESETS {
        let mut w = preset(start).unwrap();
        // A second session where there is a live one: symmetric sessions.
        let _ = apply_override(&mut w, "second_session", "true");
        for &p in &policies {
            let alphabet = Alphabet {
                exact: studied(start),
                ..Alphabet::default()
            }
            .with_kinds(&kinds);
            let m = SimModel::new(w, p, alphabet);
            let mut seen = HashSet::new();
            let mut level = vec![w];
            for _ in 0..5 {
                let mut next = Vec::new();
                for s in &level {
                    if !seen.insert(*s) {
                        continue;
                    }
                    let (c, fp) = (canonical(s), m.fingerprint(s));
                    merged += usize::from(c != *s && by_world.contains_key(&c));
                    assert_eq!(*by_world.entry(c).or_insert(fp), fp, "{start} {p:?}: {s:?}");
                    assert_eq!(
                        *by_fingerprint.entry(fp).or_insert(c),
                        c,
                        "{start} {p:?}: {s:?}"
                    );
                    let mut actions = Vec::new();
                    m.actions(s, &mut actions);
                    next.extend(actions.iter().filter_map(|a| m.next_state(s, a)));
                }
                level = next;
            }
        }
    }
    // Many worlds, and symmetric ones among them (the "if" was exercised).
    assert!(
        by_world.len() > 10_000,
        "{} canonical worlds",
        by_world.len()
    );
    println!("{} canonical worlds, {merged} met again", by_world.len());
    assert!(merged > 100, "{merged} worlds met an equal canonical world");
}
