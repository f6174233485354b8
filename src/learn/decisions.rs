//! The decision labs: flip a decision's inputs and see what the platform
//! decides, and why. Each lab is a row of a table: its inputs, its possible
//! outcomes with their reasons, and a function that asks the simulator's own
//! decision code (`sim::decide`), which the Lab's step code also calls — so a
//! lab can never disagree with the Lab.

use crate::sim::decide::{
    self, Continuity, EventDecision, HostDrain, Impact, RegionGate, ScaleDecision, WakeAnswer,
};

/// One input of a decision: a yes/no switch, or a small number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Input {
    pub key: &'static str,
    pub label: &'static str,
    /// Largest value; 1 means a yes/no switch.
    pub max: u8,
    /// Where the lab starts.
    pub default: u8,
}

impl Input {
    pub fn is_switch(&self) -> bool {
        self.max == 1
    }
}

/// How an outcome reads: go ahead, go ahead with care, or stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tone {
    Proceed,
    Caution,
    Stop,
}

/// One possible decision and the reason the platform gives for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub key: &'static str,
    pub label: &'static str,
    pub tone: Tone,
    pub why: &'static str,
}

/// One decision lab.
#[derive(Clone, Copy, Debug)]
pub struct DecisionLab {
    pub slug: &'static str,
    pub title: &'static str,
    /// The question the decision answers.
    pub question: &'static str,
    pub inputs: &'static [Input],
    pub outcomes: &'static [Outcome],
    /// Glossary terms and cards the lab rests on.
    pub terms: &'static [&'static str],
    pub cards: &'static [&'static str],
    /// Asks the simulator; returns the key of an outcome in `outcomes`.
    decide: fn(&[u8]) -> &'static str,
}

impl DecisionLab {
    /// The platform's decision for these input values (missing values take
    /// their default; values past an input's maximum are clamped).
    pub fn decide(&self, values: &[u8]) -> &'static Outcome {
        let values: Vec<u8> = self
            .inputs
            .iter()
            .enumerate()
            .map(|(i, input)| {
                values
                    .get(i)
                    .copied()
                    .unwrap_or(input.default)
                    .min(input.max)
            })
            .collect();
        let key = (self.decide)(&values);
        // The table test proves every key the function returns is listed.
        self.outcomes
            .iter()
            .find(|o| o.key == key)
            .unwrap_or(&self.outcomes[0])
    }

    pub fn defaults(&self) -> Vec<u8> {
        self.inputs.iter().map(|i| i.default).collect()
    }

    pub fn outcome(&self, key: &str) -> Option<&'static Outcome> {
        self.outcomes.iter().find(|o| o.key == key)
    }

    /// Every combination of input values (small by construction).
    pub fn all_inputs(&self) -> Vec<Vec<u8>> {
        let mut all = vec![Vec::new()];
        for input in self.inputs {
            all = all
                .into_iter()
                .flat_map(|prefix| {
                    (0..=input.max).map(move |v| {
                        let mut next = prefix.clone();
                        next.push(v);
                        next
                    })
                })
                .collect();
        }
        all
    }
}

const fn switch(key: &'static str, label: &'static str, default: bool) -> Input {
    Input {
        key,
        label,
        max: 1,
        default: default as u8,
    }
}

const fn number(key: &'static str, label: &'static str, max: u8, default: u8) -> Input {
    Input {
        key,
        label,
        max,
        default,
    }
}

const fn outcome(key: &'static str, label: &'static str, tone: Tone, why: &'static str) -> Outcome {
    Outcome {
        key,
        label,
        tone,
        why,
    }
}

fn on(values: &[u8], i: usize) -> bool {
    values.get(i).is_some_and(|&v| v != 0)
}

/// The seven decision labs, in the order of the guided path.
pub static LABS: &[DecisionLab] = &[
    DecisionLab {
        slug: "deploy-impact",
        title: "Deploy impact gate",
        question: "Can this build go out as it is?",
        inputs: &[
            switch("state-changed", "The persisted session state schema changed", false),
            switch("drops-read-column", "Its migration drops a column running code still reads", false),
            switch("live-sessions", "Users have live sessions right now", true),
        ],
        outcomes: &[
            outcome("warm", "Warm: goes ahead", Tone::Proceed, "Live sessions can be read by the new build (or there are none to refresh), and no running code loses a column."),
            outcome("cold-needs-ack", "Cold: waits for an acknowledgement", Tone::Caution, "Live sessions cannot be read by the new build and will refresh; an operator must accept that explicitly."),
            outcome("blocked", "Blocked", Tone::Stop, "A running allocation still reads the column this migration drops: ship code that stops reading it first (expand, then contract)."),
        ],
        terms: &["warm-deploy", "cold-deploy", "artifact"],
        cards: &["warm-deploy-equals-safe-rollback"],
        decide: |v| match decide::deploy_impact(on(v, 0), on(v, 1), on(v, 2)) {
            Impact::Warm => "warm",
            Impact::ColdNeedsAck => "cold-needs-ack",
            Impact::Blocked => "blocked",
        },
    },
    DecisionLab {
        slug: "route-event",
        title: "Route event at an edge POP",
        question: "A POP reads the next route event. What does it do with it?",
        inputs: &[
            number("applied-epoch", "Epoch the POP has applied", 4, 2),
            number("cursor", "Last sequence number the POP read", 5, 3),
            number("epoch", "Epoch the event carries", 5, 3),
            number("seq", "Sequence number of the event", 6, 4),
        ],
        outcomes: &[
            outcome("apply", "Apply, then acknowledge", Tone::Proceed, "It is the next sequence number and carries a newer epoch."),
            outcome("ignore", "Ignore (duplicate or stale)", Tone::Caution, "The POP already read this sequence number, or the epoch is not newer than the one applied: applying it again or going backwards would be wrong."),
            outcome("fail-closed", "Fail closed until a snapshot", Tone::Stop, "The sequence skips ahead: events were lost. The POP refuses traffic for the key until it loads a verified snapshot, then resumes at its sequence + 1."),
        ],
        terms: &["route-epoch", "durable-consumer", "jetstream"],
        cards: &["event-bus-as-database"],
        decide: |v| match decide::route_event(v[0], v[1], v[2], v[3]) {
            EventDecision::Apply => "apply",
            EventDecision::Ignore => "ignore",
            EventDecision::FailClosed => "fail-closed",
        },
    },
    DecisionLab {
        slug: "resume-or-fresh",
        title: "Drain, resume or fresh",
        question: "A session's browser reconnects. Where does the session continue?",
        inputs: &[
            switch("original-alive", "Its original allocation still serves it (draining)", false),
            switch("store-reachable", "A session store is bound and reachable from here", true),
            switch("schema-compatible", "The new build can read the stored state (warm)", true),
            switch("within-window", "It reconnects within the resume window", true),
        ],
        outcomes: &[
            outcome("original", "Stays on its original allocation", Tone::Proceed, "A draining allocation keeps its existing sessions until they close or the drain deadline."),
            outcome("resume", "Resumes from the session store", Tone::Proceed, "The store is reachable, the state is compatible and the window is open: the session continues on a new allocation."),
            outcome("fresh", "Starts fresh, and the user is told", Tone::Stop, "Something needed to resume is missing: the session starts fresh, its draft is gone, and the product says so."),
        ],
        terms: &["drain", "session-store", "warm-deploy"],
        cards: &["sessions-teleport"],
        decide: |v| match decide::continuity(on(v, 0), on(v, 1), on(v, 2), on(v, 3)) {
            Continuity::Original => "original",
            Continuity::Resume => "resume",
            Continuity::Fresh => "fresh",
        },
    },
    DecisionLab {
        slug: "wake-request",
        title: "Wake request classifier",
        question: "A request arrives for this app. How is it answered?",
        inputs: &[
            switch("hot", "The app is hot (ready allocations)", false),
            switch("unsafe", "The request is unsafe (POST, webhook, payment)", true),
            switch("key", "It carries an idempotency key", false),
            switch("store", "An idempotency store is bound", false),
        ],
        outcomes: &[
            outcome("serve", "Served now", Tone::Proceed, "The app is hot: the request goes to a ready allocation of the route owner."),
            outcome("hold", "Held within the wake budget", Tone::Caution, "A safe request can wait while the app wakes; past the budget it gets 503 with Retry-After."),
            outcome("hold-replay", "Held, then replayed exactly once", Tone::Caution, "The idempotency key and store make a retry attach to the first mutation, so replaying cannot charge twice."),
            outcome("retry-503", "Controlled 503 + Retry-After", Tone::Stop, "Without a key and a store a replay could repeat the mutation: the sender's own retry must be the only retry."),
        ],
        terms: &["idempotency-key", "allocation"],
        cards: &["unsafe-wake-replay"],
        decide: |v| match decide::wake_request(on(v, 0), on(v, 1), on(v, 2), on(v, 3)) {
            WakeAnswer::Serve => "serve",
            WakeAnswer::Hold => "hold",
            WakeAnswer::HoldReplay => "hold-replay",
            WakeAnswer::Retry503 => "retry-503",
        },
    },
    DecisionLab {
        slug: "scale-readiness",
        title: "Horizontal scale readiness",
        question: "May this app run more than one allocation?",
        inputs: &[
            switch("session-store", "A session store is bound", true),
            switch("broadcast", "A broadcast backend is bound", false),
            switch("idempotency", "Unsafe actions carry idempotency keys with a bound store", true),
        ],
        outcomes: &[
            outcome("allowed", "Allowed", Tone::Proceed, "Sessions can resume anywhere, shared updates reach every allocation, and retries cannot repeat a mutation."),
            outcome("blocked-no-session-store", "Blocked: no session store", Tone::Stop, "Sessions would be stranded on the allocation that holds them in memory."),
            outcome("blocked-no-broadcast", "Blocked: no broadcast backend", Tone::Stop, "A global update would reach only the clients of one allocation."),
            outcome("blocked-no-idempotency", "Blocked: no idempotency", Tone::Stop, "An unsafe action retried on another allocation could run twice."),
        ],
        terms: &["broadcast-backend", "session-store", "idempotency-key"],
        cards: &["sessions-teleport"],
        decide: |v| match decide::scale_readiness(on(v, 0), on(v, 1), on(v, 2)) {
            ScaleDecision::Allowed => "allowed",
            ScaleDecision::BlockedNoSessionStore => "blocked-no-session-store",
            ScaleDecision::BlockedNoBroadcast => "blocked-no-broadcast",
            ScaleDecision::BlockedNoIdempotency => "blocked-no-idempotency",
        },
    },
    DecisionLab {
        slug: "region-enablement",
        title: "Multi-region enablement",
        question: "Can this region take traffic (and be a failover target)?",
        inputs: &[
            switch("residency", "Data residency rules allow it", true),
            switch("secrets", "The app's secrets are present there", true),
            switch("data-ready", "Database and session store are reachable or replicated there", false),
            switch("artifacts", "The artifacts are replicated there", true),
        ],
        outcomes: &[
            outcome("eligible", "Eligible", Tone::Proceed, "Every gate holds: failover may target this region, and sessions can resume from a store reachable there."),
            outcome("blocked-residency", "Blocked: residency", Tone::Stop, "The app's data may not live in this region."),
            outcome("blocked-secrets", "Blocked: secrets missing", Tone::Stop, "The app would start without its secrets and fail."),
            outcome("blocked-data-topology", "Blocked: data topology", Tone::Stop, "The database or session store is not reachable from here: sessions could not resume and writes would fail."),
            outcome("blocked-artifacts", "Blocked: artifacts not replicated", Tone::Stop, "The exact validated digest is not here; rebuilding it here would be a different artifact."),
        ],
        terms: &["cell", "session-store", "artifact"],
        cards: &["mvp-erases-topology"],
        decide: |v| match decide::region_gates(on(v, 0), on(v, 1), on(v, 2), on(v, 3)) {
            RegionGate::Eligible => "eligible",
            RegionGate::BlockedResidency => "blocked-residency",
            RegionGate::BlockedSecrets => "blocked-secrets",
            RegionGate::BlockedDataTopology => "blocked-data-topology",
            RegionGate::BlockedArtifacts => "blocked-artifacts",
        },
    },
    DecisionLab {
        slug: "host-drain",
        title: "Host drain",
        question: "Can this host be taken down for its OS upgrade now?",
        inputs: &[
            switch("headroom", "The cell has room for the host's replacements", false),
            switch("sessions-left", "Sessions are still attached to the host's allocations", true),
        ],
        outcomes: &[
            outcome("safe", "Safe to upgrade", Tone::Proceed, "Replacements run elsewhere in the cell and no session is left on the host."),
            outcome("blocked-no-headroom", "Blocked: no headroom", Tone::Stop, "Cordon is not enough: with nowhere to start replacements, evacuating would take capacity away from production."),
            outcome("blocked-sessions", "Wait: sessions still draining", Tone::Caution, "Sessions stay until they close or the drain deadline; then they resume or start fresh, visibly."),
        ],
        terms: &["cell", "drain", "allocation"],
        cards: &["mvp-erases-topology"],
        decide: |v| match decide::host_drain(on(v, 0), on(v, 1)) {
            HostDrain::Safe => "safe",
            HostDrain::BlockedNoHeadroom => "blocked-no-headroom",
            HostDrain::BlockedSessions => "blocked-sessions",
        },
    },
];

/// A lab by slug.
pub fn lab(slug: &str) -> Option<&'static DecisionLab> {
    LABS.iter().find(|l| l.slug == slug)
}
