//! The domain-free checker on toy models written here: a racy counter (lost
//! update), its compare-and-swap fix, symmetry, slices, witnesses, bounds, and
//! random graphs against an independent breadth-first search.

use proptest::prelude::*;
use std::collections::{HashMap, HashSet, VecDeque};
use vango_study_lab::checker::*;

// ---------------------------------------------------------------------------
// Processes incrementing a shared counter: read it, then write read + 1.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Pc {
    Read,
    /// Holds the value read.
    Write(u8),
    Done,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Shared {
    value: u8,
    procs: Vec<Pc>,
}

struct Increment {
    procs: usize,
    /// Write with compare-and-swap: if the value moved since the read, read again.
    cas: bool,
    /// Processes are interchangeable: sort them in the abstraction.
    symmetry: bool,
}

impl Increment {
    fn racy(procs: usize) -> Self {
        Increment {
            procs,
            cas: false,
            symmetry: false,
        }
    }
    fn cas(procs: usize) -> Self {
        Increment {
            procs,
            cas: true,
            symmetry: false,
        }
    }
    fn symmetric(self) -> Self {
        Increment {
            symmetry: true,
            ..self
        }
    }
}

fn all_done(s: &Shared) -> bool {
    s.procs.iter().all(|&p| p == Pc::Done)
}

impl Model for Increment {
    type State = Shared;
    /// The index of the process that takes its next step.
    type Action = usize;
    type Abstract = Shared;

    fn init_states(&self) -> Vec<Shared> {
        vec![Shared {
            value: 0,
            procs: vec![Pc::Read; self.procs],
        }]
    }

    fn actions(&self, s: &Shared, actions: &mut Vec<usize>) {
        actions.extend((0..s.procs.len()).filter(|&i| s.procs[i] != Pc::Done));
    }

    fn next_state(&self, s: &Shared, &i: &usize) -> Option<Shared> {
        let mut t = s.clone();
        match s.procs[i] {
            Pc::Read => t.procs[i] = Pc::Write(s.value),
            Pc::Write(read) if self.cas && s.value != read => t.procs[i] = Pc::Read,
            Pc::Write(read) => {
                t.value = read + 1;
                t.procs[i] = Pc::Done;
            }
            Pc::Done => return None,
        }
        Some(t)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        vec![
            Property::always("no lost update", |m, s| {
                !all_done(s) || usize::from(s.value) == m.procs
            }),
            Property::sometimes("all done", |_, s| all_done(s)),
            Property::sometimes("value above the process count", |m: &Self, s: &Shared| {
                usize::from(s.value) > m.procs
            }),
        ]
    }

    fn abstraction(&self, s: &Shared) -> Shared {
        let mut a = s.clone();
        if self.symmetry {
            a.procs.sort();
        }
        a
    }
}

/// Every reachable state's abstraction, by a plain search over whole states
/// kept in a std `HashSet` (no fingerprints, no depth bound, no properties).
fn brute_force<M: Model>(model: &M) -> HashSet<M::Abstract>
where
    M::State: Eq + std::hash::Hash,
{
    let mut seen: HashSet<M::State> = HashSet::new();
    let mut todo: Vec<M::State> = model.init_states();
    let mut actions = Vec::new();
    while let Some(s) = todo.pop() {
        if !seen.insert(s.clone()) {
            continue;
        }
        actions.clear();
        model.actions(&s, &mut actions);
        todo.extend(actions.iter().filter_map(|a| model.next_state(&s, a)));
    }
    seen.iter().map(|s| model.abstraction(s)).collect()
}

fn verdict<A: Clone>(c: &[Verdict<A>], name: &str) -> Outcome<A> {
    c.iter()
        .find(|v| v.name == name)
        .map(|v| v.outcome.clone())
        .unwrap_or_else(|| panic!("no property {name}"))
}

#[test]
fn finds_the_lost_update_with_the_shortest_path() {
    let mut checker = Checker::new(Increment::racy(2), 50);
    let Status::Violated(cex) = checker.run_to_end() else {
        panic!("the racy counter loses an update");
    };
    assert_eq!(cex.property, "no lost update");
    // Both read 0, then both write 1: four steps, and fewer cannot finish two
    // processes of two steps each. Breadth-first in action order finds this one.
    assert_eq!(
        cex.path,
        Path {
            init: 0,
            actions: vec![0, 1, 0, 1]
        }
    );
    let states = cex.path.replay(checker.model()).expect("the path replays");
    assert_eq!(states.len(), 5);
    let last = &states[4];
    assert!(all_done(last) && last.value == 1, "{last:?}");
    assert_eq!(checker.status(), Status::Violated(cex.clone()));
    assert_eq!(
        verdict(&checker.verdicts(), "no lost update"),
        Outcome::Counterexample(cex.path)
    );
    // Calling again changes nothing.
    let before = checker.progress();
    assert!(matches!(checker.run(100), Status::Violated(_)));
    assert_eq!(checker.progress(), before);
}

#[test]
fn lost_update_with_three_processes_takes_six_steps() {
    let mut checker = Checker::new(Increment::racy(3), 50);
    let Status::Violated(cex) = checker.run_to_end() else {
        panic!("three racy processes lose an update");
    };
    // All three must finish (6 steps), and two must overlap: still no fewer than 6.
    assert_eq!(cex.path.depth(), 6);
    let states = cex.path.replay(checker.model()).unwrap();
    assert!(all_done(&states[6]) && states[6].value < 3);
}

#[test]
fn cas_counter_holds_and_the_state_count_is_exact() {
    let mut checker = Checker::new(Increment::cas(2), 50);
    assert_eq!(checker.run_to_end(), Status::Done(Coverage::Complete));
    let p = checker.progress();
    // By hand, two processes (R read, W(v) holds v, D done; value = number done):
    // RR; RW0 W0R; W0W0; DR RD; DW0 W0D; DW1 W1D; DD = 11.
    assert_eq!(p.distinct_states, 11);
    assert_eq!(p.states_per_depth, vec![1, 2, 3, 4, 1]);
    assert_eq!(p.states_per_depth.iter().sum::<usize>(), p.distinct_states);
    assert_eq!(p.depth, 4);
    assert_eq!(p.frontier, 0);
    assert_eq!(brute_force(checker.model()).len(), 11);

    let verdicts = checker.verdicts();
    assert_eq!(verdict(&verdicts, "no lost update"), Outcome::NotBroken);
    assert_eq!(
        verdict(&verdicts, "value above the process count"),
        Outcome::NeverSeen
    );

    for procs in 3..=4 {
        let mut checker = Checker::new(Increment::cas(procs), 100);
        assert_eq!(checker.run_to_end(), Status::Done(Coverage::Complete));
        assert_eq!(
            checker.progress().distinct_states,
            brute_force(checker.model()).len(),
            "{procs} processes"
        );
    }
}

#[test]
fn transitions_count_every_step_that_leads_somewhere() {
    let mut checker = Checker::new(Increment::cas(2), 50);
    checker.run_to_end();
    // Independently: the enabled, accepted actions summed over reachable states.
    let model = checker.model();
    let mut seen = HashSet::new();
    let mut todo = model.init_states();
    let mut transitions = 0;
    while let Some(s) = todo.pop() {
        if !seen.insert(s.clone()) {
            continue;
        }
        let mut actions = Vec::new();
        model.actions(&s, &mut actions);
        for a in &actions {
            if let Some(t) = model.next_state(&s, a) {
                transitions += 1;
                todo.push(t);
            }
        }
    }
    assert_eq!(checker.progress().transitions, transitions);
}

#[test]
fn symmetry_merges_interchangeable_processes_with_the_same_verdict() {
    for procs in 2..=4 {
        let mut plain = Checker::new(Increment::cas(procs), 100);
        let mut sorted = Checker::new(Increment::cas(procs).symmetric(), 100);
        assert_eq!(plain.run_to_end(), Status::Done(Coverage::Complete));
        assert_eq!(sorted.run_to_end(), Status::Done(Coverage::Complete));
        let (a, b) = (
            plain.progress().distinct_states,
            sorted.progress().distinct_states,
        );
        assert!(b < a, "{procs} processes: {b} sorted vs {a} plain");
        // The sorted count is the number of orbits of the reachable states.
        assert_eq!(b, brute_force(sorted.model()).len());
        assert_eq!(plain.verdicts().len(), sorted.verdicts().len());
        for (x, y) in plain.verdicts().iter().zip(&sorted.verdicts()) {
            assert_eq!(
                std::mem::discriminant(&x.outcome),
                std::mem::discriminant(&y.outcome)
            );
        }
    }
    // Two processes by hand: RR, RW0, W0W0, DR, DW0, DW1, DD.
    let mut sorted = Checker::new(Increment::cas(2).symmetric(), 50);
    sorted.run_to_end();
    assert_eq!(sorted.progress().distinct_states, 7);

    // The racy counter: the same shortest counterexample length either way.
    for procs in 2..=3 {
        let lengths: Vec<usize> = [Increment::racy(procs), Increment::racy(procs).symmetric()]
            .into_iter()
            .map(|m| match Checker::new(m, 50).run_to_end() {
                Status::Violated(c) => c.path.depth(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(lengths[0], lengths[1]);
    }
}

/// Runs in slices of `budget`, checking that progress only grows between them.
fn run_in_slices<M: Model>(checker: &mut Checker<M>, budget: usize) -> (Status<M::Action>, usize) {
    let mut slices = 0;
    let mut last = checker.progress();
    loop {
        slices += 1;
        let status = checker.run(budget);
        let now = checker.progress();
        assert!(now.distinct_states >= last.distinct_states);
        assert!(now.transitions >= last.transitions);
        last = now;
        if !matches!(status, Status::Running) {
            return (status, slices);
        }
    }
}

#[test]
fn slices_give_the_same_result_as_one_run() {
    for model in [
        || Increment::cas(3),
        || Increment::racy(3),
        || Increment::cas(4).symmetric(),
    ] {
        let mut whole = Checker::new(model(), 100);
        let status = whole.run(usize::MAX);
        assert_ne!(status, Status::Running);
        for budget in [1, 2, 3, 7, 64] {
            let mut sliced = Checker::new(model(), 100);
            let (s, slices) = run_in_slices(&mut sliced, budget);
            assert_eq!(s, status, "budget {budget}");
            assert_eq!(sliced.progress(), whole.progress(), "budget {budget}");
            assert_eq!(sliced.verdicts(), whole.verdicts(), "budget {budget}");
            if budget == 1 {
                assert!(slices > 10, "one state per slice: {slices} slices");
            }
        }
    }
}

#[test]
fn a_zero_budget_explores_nothing_and_a_slice_stops_at_its_budget() {
    let mut checker = Checker::new(Increment::cas(3), 100);
    assert_eq!(checker.run(0), Status::Running);
    // Only the initial state is seen: nothing was expanded.
    assert_eq!(checker.progress().distinct_states, 1);
    assert_eq!(checker.run(1), Status::Running);
    // One expansion: the initial state's three successors.
    assert_eq!(checker.progress().distinct_states, 4);
    assert_eq!(checker.progress().frontier, 3);
    assert_eq!(checker.progress().transitions, 3);
}

#[test]
fn sometimes_gives_a_shortest_witness() {
    let mut checker = Checker::new(Increment::cas(2), 50);
    checker.run_to_end();
    let Outcome::Witness(path) = verdict(&checker.verdicts(), "all done") else {
        panic!("both processes can finish");
    };
    // Each process reads then writes: four steps at least; p0 first, then p1.
    assert_eq!(path.actions, vec![0, 0, 1, 1]);
    let states = path.replay(checker.model()).unwrap();
    assert!(all_done(states.last().unwrap()));

    // Found as soon as seen, before the search is over.
    let mut early = Checker::new(Increment::cas(3), 100);
    while !matches!(verdict(&early.verdicts(), "all done"), Outcome::Witness(_)) {
        assert_eq!(early.run(1), Status::Running);
    }
    assert!(early.progress().frontier > 0);
}

#[test]
fn depth_bound_stops_short_and_says_so() {
    // The lost update needs four steps: three are not enough to see it.
    let mut checker = Checker::new(Increment::racy(2), 3);
    assert_eq!(checker.run_to_end(), Status::Done(Coverage::DepthBound));
    let p = checker.progress();
    assert_eq!(p.states_per_depth.len(), 4);
    assert_eq!(p.depth, 3);
    assert_eq!(
        verdict(&checker.verdicts(), "no lost update"),
        Outcome::NotBroken
    );
    assert_eq!(verdict(&checker.verdicts(), "all done"), Outcome::NeverSeen);
    let mut four = Checker::new(Increment::racy(2), 4);
    assert!(matches!(four.run_to_end(), Status::Violated(_)));

    // Depth 0: the initial states only.
    let mut none = Checker::new(Increment::cas(2), 0);
    assert_eq!(none.run_to_end(), Status::Done(Coverage::DepthBound));
    assert_eq!(none.progress().distinct_states, 1);
    assert_eq!(none.progress().transitions, 0);

    // The deepest state (both done) is four steps away. A bound of four leaves
    // it unexpanded, so the checker cannot tell it has no successors; five
    // expands it and the search is complete.
    let mut four = Checker::new(Increment::cas(2), 4);
    assert_eq!(four.run_to_end(), Status::Done(Coverage::DepthBound));
    let mut five = Checker::new(Increment::cas(2), 5);
    assert_eq!(five.run_to_end(), Status::Done(Coverage::Complete));
    assert_eq!(five.progress(), {
        let mut p = four.progress();
        p.transitions = five.progress().transitions;
        p
    });
}

#[test]
fn state_bound_stops_at_the_limit() {
    let mut checker = Checker::new(Increment::cas(3), 100).max_states(20);
    assert_eq!(checker.run_to_end(), Status::Done(Coverage::StateBound));
    assert_eq!(checker.progress().distinct_states, 20);
}

// ---------------------------------------------------------------------------
// Directed graphs: a state is a node, an action is an edge's target.

#[derive(Clone, Debug)]
struct Graph {
    edges: Vec<Vec<u8>>,
    inits: Vec<u8>,
    /// The `Always` property is "never at `target`".
    target: Option<u8>,
}

impl Model for Graph {
    type State = u8;
    type Action = u8;
    type Abstract = u8;
    fn init_states(&self) -> Vec<u8> {
        self.inits.clone()
    }
    fn actions(&self, s: &u8, actions: &mut Vec<u8>) {
        actions.extend(&self.edges[usize::from(*s)]);
    }
    fn next_state(&self, _: &u8, to: &u8) -> Option<u8> {
        Some(*to)
    }
    fn properties(&self) -> Vec<Property<Self>> {
        vec![Property::always("never at target", |m, s| {
            m.target != Some(*s)
        })]
    }
    fn abstraction(&self, s: &u8) -> u8 {
        *s
    }
}

/// Shortest distance from any initial node, by a textbook queue.
fn distances(g: &Graph) -> HashMap<u8, usize> {
    let mut dist = HashMap::new();
    let mut queue = VecDeque::new();
    for &i in &g.inits {
        if let std::collections::hash_map::Entry::Vacant(e) = dist.entry(i) {
            e.insert(0);
            queue.push_back(i);
        }
    }
    while let Some(n) = queue.pop_front() {
        let d = dist[&n];
        for &m in &g.edges[usize::from(n)] {
            if let std::collections::hash_map::Entry::Vacant(e) = dist.entry(m) {
                e.insert(d + 1);
                queue.push_back(m);
            }
        }
    }
    dist
}

#[test]
fn a_broken_initial_state_is_a_path_of_no_actions() {
    let g = Graph {
        edges: vec![vec![]; 6],
        inits: vec![2, 2, 5],
        target: Some(5),
    };
    let mut checker = Checker::new(g, 10);
    let Status::Violated(cex) = checker.run(0) else {
        panic!("initial state 5 is the target");
    };
    // The repeated 2 is one state, but indices are the model's own.
    assert_eq!(
        cex.path,
        Path {
            init: 2,
            actions: vec![]
        }
    );
    assert_eq!(cex.path.replay(checker.model()), Some(vec![5]));
}

#[test]
fn replay_refuses_a_path_the_model_does_not_have() {
    let path: Path<usize> = Path {
        init: 1,
        actions: vec![],
    };
    assert_eq!(path.replay(&Increment::cas(2)), None);
    let path = Path {
        init: 0,
        actions: vec![0, 0, 0],
    };
    // Process 0 is done after two steps: a third is refused.
    assert_eq!(path.replay(&Increment::cas(2)), None);
}

#[test]
fn fingerprints_are_deterministic_and_tell_values_apart() {
    assert_eq!(fingerprint(&(1u8, "ab")), fingerprint(&(1u8, "ab")));
    assert_ne!(fingerprint(&("ab", "")), fingerprint(&("a", "b")));
    assert_ne!(fingerprint(&[0u8; 3][..]), fingerprint(&[0u8; 4][..]));
    let all: HashSet<u64> = (0u32..100_000).map(|i| fingerprint(&i)).collect();
    assert_eq!(all.len(), 100_000);
}

fn graphs() -> impl Strategy<Value = (Graph, usize)> {
    (1usize..=24).prop_flat_map(|n| {
        let node = 0..n as u8;
        (
            prop::collection::vec(prop::collection::vec(node.clone(), 0..4), n),
            prop::collection::vec(node, 1..=3),
            0usize..=8,
        )
            .prop_map(|(edges, inits, max_depth)| {
                (
                    Graph {
                        edges,
                        inits,
                        target: None,
                    },
                    max_depth,
                )
            })
    })
}

proptest! {
    /// Each node is first reported at its true shortest distance, and the
    /// levels hold exactly the nodes at each distance.
    #[test]
    fn depth_is_the_shortest_distance((graph, max_depth) in graphs()) {
        let dist = distances(&graph);
        let deepest_cut = dist.values().any(|&d| d == max_depth);

        let mut all = Checker::new(graph.clone(), max_depth);
        let expected = if deepest_cut { Coverage::DepthBound } else { Coverage::Complete };
        prop_assert_eq!(all.run_to_end(), Status::Done(expected));
        let mut histogram = vec![0; dist.values().copied().filter(|&d| d <= max_depth).max().unwrap_or(0) + 1];
        for &d in dist.values().filter(|&&d| d <= max_depth) {
            histogram[d] += 1;
        }
        prop_assert_eq!(&all.progress().states_per_depth, &histogram);

        for target in 0..graph.edges.len() as u8 {
            let model = Graph { target: Some(target), ..graph.clone() };
            let mut checker = Checker::new(model, max_depth);
            // Small slices, so that resuming is exercised on every graph too.
            let (status, _) = run_in_slices(&mut checker, 3);
            match (status, dist.get(&target)) {
                (Status::Violated(cex), Some(&d)) => {
                    prop_assert!(d <= max_depth);
                    prop_assert_eq!(cex.path.depth(), d);
                    let states = cex.path.replay(checker.model()).unwrap();
                    prop_assert_eq!(states[0], graph.inits[cex.path.init]);
                    prop_assert_eq!(*states.last().unwrap(), target);
                }
                (Status::Violated(cex), None) => prop_assert!(false, "unreachable {} found: {:?}", target, cex),
                (status, d) => {
                    prop_assert!(matches!(status, Status::Done(_)), "{:?}", status);
                    prop_assert!(d.is_none_or(|&d| d > max_depth), "missed {} at {:?}", target, d);
                }
            }
        }
    }
}
