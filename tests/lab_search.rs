//! "Find a failure" from the start the Lab opens with (no link): for each
//! switch, which invariant it breaks and in how many moves, or, where this
//! world is too far from the switch's harm, the drill that shows it.

use std::time::Instant;
use vango_study_lab::checker::{Checker, Status};
use vango_study_lab::lab::search::{alphabet, Search, SearchStatus, MAX_STATES};
use vango_study_lab::lab::{drill_for_card, LabSession};
use vango_study_lab::sim::check::SimModel;
use vango_study_lab::sim::{step, Policy, Switch, World, INVARIANTS, SWITCHES};

/// The Lab's default session at its opening step, with `switch` on.
fn default_start(switch: Option<Switch>) -> LabSession {
    let mut s = LabSession::default_session();
    s.set_switch(switch);
    s
}

/// The invariants broken at `w`, by id.
fn broken(w: &World) -> Vec<u8> {
    INVARIANTS
        .iter()
        .filter(|i| !(i.check)(w).is_empty())
        .map(|i| i.id)
        .collect()
}

/// What the search finds from the default start with each switch: the
/// invariant broken and the number of moves (None: nothing breaks).
const EXPECTED: [(&str, Option<(u8, usize)>); 7] = [
    // Promotion kills the old allocation and shows its session as moved.
    ("sessions-teleport", Some((8, 12))),
    // The console reads a report for a stage the record does not have.
    ("logs-as-truth", Some((10, 8))),
    // A redelivered event is applied a second time.
    ("event-bus-as-database", Some((4, 12))),
    // The new capacity, healthy but not committed, takes a GET.
    ("routing-by-healthy-backend", Some((5, 6))),
    // The app falls asleep; a webhook is held past the wake budget.
    ("unsafe-wake-replay", Some((14, 7))),
    // The us allocation of an enablement is stamped eu.
    ("mvp-erases-topology", Some((11, 3))),
    // Its harm needs a dropped column: far more moves than a search goes.
    ("warm-deploy-equals-safe-rollback", None),
];

#[test]
fn from_the_default_start_each_switch_finds_its_failure_or_names_the_drill_that_shows_it() {
    for (slug, expected) in EXPECTED {
        let switch = Switch::from_slug(slug).unwrap();
        let s = default_start(Some(switch));
        let t = Instant::now();
        let found = Search::new(&s).run_to_end();
        eprintln!(
            "{slug}: {:.1} ms: {found:?}",
            t.elapsed().as_secs_f64() * 1e3
        );
        match (found, expected) {
            (
                SearchStatus::Found {
                    invariant,
                    actions,
                    states,
                    ..
                },
                Some((want, moves)),
            ) => {
                assert_eq!((invariant, actions.len()), (want, moves), "{slug}");
                assert!(states < MAX_STATES, "{slug}: {states} states");
                // Replayed, every move is taken, every invariant holds until
                // the last move, and the last one breaks the one reported.
                let mut w = s.world_now();
                for (i, a) in actions.iter().enumerate() {
                    assert!(broken(&w).is_empty(), "{slug}: broken before move {i}");
                    w = step(&w, a, s.policy)
                        .unwrap_or_else(|e| panic!("{slug}: move {i} refused: {e}"))
                        .world;
                }
                assert!(broken(&w).contains(&invariant), "{slug}: {:?}", broken(&w));
                // The switch is the cause: the correct platform, offered the
                // same moves as deep, breaks nothing.
                let correct = SimModel::new(s.world_now(), Policy::correct(), alphabet(&s));
                let status = Checker::new(correct, moves).run_to_end();
                assert!(matches!(status, Status::Done(_)), "{slug}: {status:?}");
            }
            (SearchStatus::Nothing { why, depth, .. }, None) => {
                let drill = drill_for_card(slug).unwrap();
                assert!(depth >= 14, "{slug}: only {depth} moves deep");
                assert!(why.contains(&format!("“{}”", drill.title)), "{why}");
                assert!(why.contains(&format!("“{}”", drill.start)), "{why}");
            }
            (other, _) => panic!("{slug}: expected {expected:?}, got {other:?}"),
        }
    }
}

#[test]
fn from_the_default_start_the_correct_platform_breaks_nothing() {
    let s = default_start(None);
    match Search::new(&s).run_to_end() {
        SearchStatus::Nothing { why, depth, .. } => {
            assert!(depth >= 14, "only {depth} moves deep");
            assert!(why.contains("switch on an anti-pattern"), "{why}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_switch_is_covered() {
    let covered: Vec<_> = EXPECTED.iter().map(|(slug, _)| *slug).collect();
    let all: Vec<_> = SWITCHES.iter().map(|s| s.card_slug()).collect();
    assert_eq!(covered, all);
}

/// "The correct policy never violates", as the Lab's own search sees it:
/// from the start of every drill played correctly, every ordering of its
/// moves and the platform's, as deep as the Lab goes, breaks nothing. (It
/// found a promotion committing under a starting wake, a failover retiring
/// the only serving capacity and a restore missing a planned allocation.)
#[test]
fn from_every_correct_drill_s_start_the_search_finds_nothing() {
    for d in vango_study_lab::sim::drill::drills() {
        let s = LabSession::open(d.clone());
        if s.policy != Policy::correct() {
            continue;
        }
        match Search::new(&s).run_to_end() {
            SearchStatus::Nothing { depth, .. } => assert!(depth >= 8, "{}: {depth}", d.slug),
            other => panic!("{}: {other:?}", d.slug),
        }
    }
}
