//! The simulator: scenarios played step by step, the regressions of issue 9,
//! determinism and "the correct policy never violates" as property tests.

use vango_study_lab::sim::world::*;
use vango_study_lab::sim::*;

/// Plays drill-vocabulary lines; panics on a refusal (with the narration so far).
fn play(start: &str, overrides: &[(&str, &str)], p: Policy, lines: &[&str]) -> World {
    let mut w = preset(start).expect("preset");
    for (k, v) in overrides {
        apply_override(&mut w, k, v).unwrap();
    }
    for line in lines {
        for a in parse_action(&w, line).unwrap_or_else(|e| panic!("{e}")) {
            match step(&w, &a, p) {
                Ok(s) => w = s.world,
                Err(r) => panic!("`{line}` refused: {r}"),
            }
        }
    }
    w
}

fn broken(w: &World) -> Vec<u8> {
    check_all(w)
        .into_iter()
        .filter(|r| !r.holds)
        .map(|r| r.id)
        .collect()
}

const PROMOTE_B: &[&str] = &[
    "operator promote B",
    "worker promotion#1 next", // starts capacity
    "runner report alloc#2",
    "time tick",
    "runner report alloc#2",
    "worker promotion#1 next", // policy_check
    "worker promotion#1 next", // logs ahead
    "worker promotion#1 next", // route_cas
    "worker promotion#1 next", // publishes
    "pop eu-1 consume",
    "pop us-1 consume",
    "worker promotion#1 next", // healthy
];

#[test]
fn a_promotion_moves_production_and_drains_the_old_allocation() {
    let w = play("steady", &[], Policy::correct(), PROMOTE_B);
    assert_eq!(w.owner.artifact, 1);
    assert_eq!(w.owner.epoch, 2);
    assert_eq!(w.allocs[0].state, AllocState::Draining);
    assert!(serving(&w));
    assert_eq!(broken(&w), Vec::<u8>::new());
    assert_eq!(promotion_status(&w, 0), "healthy");
}

fn promotion_status(w: &World, op: u8) -> &'static str {
    vango_study_lab::sim::promotion::cli_status(w, op)
}

/// Issue 9, first example: two promotions in a row, the second before the
/// edge applied the first. Production keeps serving, records stay honest.
#[test]
fn two_promotions_in_a_row_keep_production_serving() {
    let w = play(
        "steady",
        &[],
        Policy::correct(),
        &[
            "operator promote B",
            "operator ben promote C",
            "worker promotion#1 next",
            "worker promotion#2 next",
            "operator ack promotion#2", // C is cold: live session refreshes
            "worker promotion#2 next",
            "runner report alloc#2",
            "runner report alloc#3",
            "time tick",
            "runner report alloc#2",
            "runner report alloc#3",
            "worker promotion#1 next",
            "worker promotion#1 next",
            "worker promotion#1 next", // B commits epoch 2
            "worker promotion#1 next", // publishes seq 1
            "worker promotion#2 next", // C reads epoch 2
            "worker promotion#2 next",
            "worker promotion#2 next", // C commits epoch 3
            "worker promotion#2 next", // publishes seq 2
            "pop eu-1 consume",
            "worker promotion#1 next", // refused? no: pop-us still at 1
        ][..20],
    );
    assert_eq!(w.owner.epoch, 3);
    assert!(serving(&w));
    let w = {
        let mut w = w;
        for line in [
            "pop us-1 consume",
            "pop us-1 consume",
            "pop eu-1 consume",
            "worker promotion#1 next",
            "worker promotion#2 next",
        ] {
            for a in parse_action(&w, line).unwrap() {
                w = step(&w, &a, Policy::correct())
                    .unwrap_or_else(|r| panic!("{line}: {r}"))
                    .world;
            }
        }
        w
    };
    assert_eq!(promotion_status(&w, 0), "healthy");
    assert_eq!(promotion_status(&w, 1), "healthy");
    assert!(serving(&w), "production serves C");
    assert_eq!(w.owner.artifact, 2);
    assert_eq!(broken(&w), Vec::<u8>::new());
}
