//! What differs between two worlds, in the model's words, one line per object
//! and each line tagged with the object it is about. The walkthrough pages
//! list the lines ("what changed" per step); the Lab's trace places them in
//! the lane of the object they touched. Every field a move can change without
//! the clock moving has a line, so a step changed nothing exactly when it has
//! no line.

use super::action::{alloc_name, op_name, session_name};
use super::lifecycle::stage_name;
use super::world::*;

/// The object a change is about (indices are table positions in `World`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Object {
    RouteOwner,
    /// An operation's record: created, waiting for or given an acknowledgement.
    Operation(u8),
    /// An operation's stage or its worker: what the worker did.
    Stage(u8),
    /// A worker's report on its way to the control plane.
    Report(u8),
    Artifact(u8),
    Region(u8),
    Host(u8),
    Alloc(u8),
    /// The app's wake state.
    App,
    Session(u8),
    Pop(u8),
    /// The route event stream.
    Stream,
    Request(u8),
    Payment(u8),
    Database,
    /// The session store, the idempotency store, the broadcast backend.
    Store,
    /// The control plane's own state: the promotion freeze, rejected reports.
    Control,
    /// Whether production serves, and what the outage cost.
    Serving,
    Clock,
}

/// One thing that changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub object: Object,
    pub text: String,
}

fn artifact(a: u8) -> &'static str {
    ARTIFACT_NAMES.get(a as usize).copied().unwrap_or("?")
}

fn yes(b: bool, on: &str, off: &str) -> String {
    (if b { on } else { off }).to_string()
}

/// `req#2`, the name a held request has on every page.
pub fn request_name(r: u8) -> String {
    format!("req#{}", r + 1)
}

/// What a request is: `GET` or `webhook pay-n`.
pub fn request_kind(r: &Request) -> String {
    match r.kind {
        ReqKind::Get => "GET".to_string(),
        ReqKind::Webhook => format!("webhook pay-{}", r.payment + 1),
    }
}

/// Everything that differs from `a` to `b`, in the order of the world's tables.
pub fn changes(a: &World, b: &World) -> Vec<Change> {
    let mut out = Vec::new();
    let mut say = |object: Object, text: String| out.push(Change { object, text });
    if a.owner != b.owner {
        say(
            Object::RouteOwner,
            format!(
                "Route owner: {} at epoch {} → {} at epoch {}",
                artifact(a.owner.artifact),
                a.owner.epoch,
                artifact(b.owner.artifact),
                b.owner.epoch
            ),
        );
    } else if a.commits != b.commits {
        say(
            Object::RouteOwner,
            "Route history: a commit recorded, the owner unchanged".to_string(),
        );
    }
    for (i, (x, y)) in a.artifacts.iter().zip(&b.artifacts).enumerate() {
        let name = artifact(i as u8);
        if y.exists && !x.exists {
            say(
                Object::Artifact(i as u8),
                format!("Artifact {name} built (sha:{:04x})", y.digest),
            );
        }
        if y.validated && !x.validated {
            say(
                Object::Artifact(i as u8),
                format!("Artifact {name} validated"),
            );
        }
        if y.replicated != x.replicated {
            say(
                Object::Artifact(i as u8),
                format!(
                    "Artifact {name} {}",
                    yes(y.replicated, "replicated", "no longer replicated")
                ),
            );
        }
    }
    for (i, (x, y)) in a.ops.iter().zip(&b.ops).enumerate() {
        let (op, name) = (i as u8, op_name(b, i as u8));
        if y.used && !x.used {
            say(
                Object::Operation(op),
                format!("{name}: {}", stage_name(y.kind, y.stage)),
            );
        } else if y.used && x.stage != y.stage {
            say(
                Object::Stage(op),
                format!(
                    "{name}: {} → {}",
                    stage_name(x.kind, x.stage),
                    stage_name(y.kind, y.stage)
                ),
            );
        }
        if y.used && x.used && x.worker != y.worker {
            say(
                Object::Stage(op),
                format!(
                    "{name}: worker {}",
                    yes(y.worker == WorkerState::Crashed, "crashed", "running again")
                ),
            );
        }
        if y.used && y.logged_ahead && !x.logged_ahead {
            say(
                Object::Stage(op),
                format!("{name}: the log says done before the record does"),
            );
        }
        if y.used && y.needs_ack && !x.needs_ack {
            say(
                Object::Operation(op),
                format!("{name} waits for an acknowledgement"),
            );
        }
        if y.used && y.acked && !x.acked {
            say(Object::Operation(op), format!("{name} acknowledged"));
        }
    }
    for (i, (x, y)) in a.reports.iter().zip(&b.reports).enumerate() {
        let name = format!("report#{}", i + 1);
        let about = |r: &Report| format!("promoted {} at epoch {}", artifact(r.artifact), r.epoch);
        if y.used && (!x.used || (x.op, x.artifact, x.epoch) != (y.op, y.artifact, y.epoch)) {
            say(
                Object::Report(i as u8),
                format!("{name} in flight: {}", about(y)),
            );
        } else if x.used && !y.used {
            say(
                Object::Report(i as u8),
                format!("{name} gone from the wire"),
            );
        } else if y.used && x.delayed != y.delayed {
            say(
                Object::Report(i as u8),
                format!("{name} {}", yes(y.delayed, "held back", "released")),
            );
        }
    }
    for (i, (x, y)) in a.allocs.iter().zip(&b.allocs).enumerate() {
        let (id, name) = (i as u8, alloc_name(i as u8));
        let fresh = y.used && (!x.used || (x.artifact, x.host) != (y.artifact, y.host));
        if fresh {
            say(
                Object::Alloc(id),
                format!(
                    "{name}: {} of {} ({}) on {}",
                    y.state.name(),
                    artifact(y.artifact),
                    if y.env == PREVIEW {
                        "preview"
                    } else {
                        "production"
                    },
                    HOST_TABLE[y.host as usize].0
                ),
            );
        } else if y.used && x.state != y.state {
            say(
                Object::Alloc(id),
                format!("{name}: {} → {}", x.state.name(), y.state.name()),
            );
        }
        if y.used && y.slow > x.slow {
            say(
                Object::Alloc(id),
                format!("{name}: readiness slowed by {} tick(s)", y.slow),
            );
        }
        if y.used && y.logged_listening && !x.logged_listening {
            say(Object::Alloc(id), format!("{name} logged “listening”"));
        }
    }
    for (i, (x, y)) in a.sessions.iter().zip(&b.sessions).enumerate() {
        let (id, name) = (i as u8, session_name(i as u8));
        if x.state != y.state {
            say(
                Object::Session(id),
                format!("Session {name}: {} → {}", x.state.name(), y.state.name()),
            );
        } else if x.alloc != y.alloc && y.state.live() {
            say(
                Object::Session(id),
                format!("Session {name} now on {}", alloc_name(y.alloc)),
            );
        }
        if x.draft != y.draft {
            say(
                Object::Session(id),
                format!(
                    "Session {name}: {}",
                    yes(y.draft, "unsaved draft typed", "draft gone")
                ),
            );
        }
        if x.stored != y.stored && y.draft {
            say(
                Object::Session(id),
                format!(
                    "Session {name}: draft {}",
                    yes(y.stored, "in the session store", "not in the store")
                ),
            );
        }
        if (x.handshake, x.schema) != (y.handshake, y.schema) && x.state == y.state {
            say(
                Object::Session(id),
                format!(
                    "Session {name}: handshake with {} (schema {})",
                    alloc_name(y.handshake),
                    y.schema
                ),
            );
        }
        if y.lost_silently && !x.lost_silently {
            say(
                Object::Session(id),
                format!("Session {name}: draft lost, the user not told"),
            );
        }
        if y.shown_moved && !x.shown_moved {
            say(
                Object::Session(id),
                format!("Session {name}: the page claims it moved"),
            );
        }
    }
    for (i, (x, y)) in a.pops.iter().zip(&b.pops).enumerate() {
        let (id, name) = (i as u8, POP_NAMES[i]);
        if x.applied_epoch != y.applied_epoch || x.artifact != y.artifact {
            say(
                Object::Pop(id),
                format!(
                    "POP {name} applied epoch {} (routes {})",
                    y.applied_epoch,
                    artifact(y.artifact)
                ),
            );
        } else if x.cursor != y.cursor {
            say(
                Object::Pop(id),
                format!("POP {name} read up to seq {}", y.cursor),
            );
        } else if x.applied_seqs != y.applied_seqs {
            say(
                Object::Pop(id),
                format!("POP {name} applied an event again"),
            );
        }
        if let (true, Some((art, epoch))) = (x.last_served != y.last_served, y.last_served) {
            say(
                Object::Pop(id),
                format!(
                    "POP {name} routed a request to {} (by epoch {epoch})",
                    artifact(art)
                ),
            );
        }
        if y.served_preview && !x.served_preview {
            say(
                Object::Pop(id),
                format!("POP {name} sent production traffic to a preview"),
            );
        }
        if x.fail_closed != y.fail_closed {
            say(
                Object::Pop(id),
                format!(
                    "POP {name} {}",
                    yes(y.fail_closed, "fails closed", "open again")
                ),
            );
        }
        for (flag, was, now) in [
            ("skipped a gap in the stream", x.skipped_gap, y.skipped_gap),
            (
                "applied one event twice",
                x.double_applied,
                y.double_applied,
            ),
            ("went back to an older epoch", x.rewound, y.rewound),
        ] {
            if now && !was {
                say(Object::Pop(id), format!("POP {name} {flag}"));
            }
        }
    }
    if a.next_seq != b.next_seq {
        say(
            Object::Stream,
            format!(
                "Route event stream: up to seq {}",
                b.next_seq.saturating_sub(1)
            ),
        );
    }
    let oldest = |w: &World| w.events.iter().filter(|e| e.seq > 0).map(|e| e.seq).min();
    if a.next_seq == b.next_seq && oldest(a) != oldest(b) {
        say(
            Object::Stream,
            match oldest(b) {
                Some(seq) => format!("Route event stream: oldest kept is seq {seq}"),
                None => "Route event stream: no event kept".to_string(),
            },
        );
    }
    if a.wake != b.wake {
        say(
            Object::App,
            format!("App: {} → {}", a.wake.name(), b.wake.name()),
        );
    }
    if b.hot_before_ready && !a.hot_before_ready {
        say(
            Object::App,
            "App declared hot before an allocation was ready".to_string(),
        );
    }
    for (i, (x, y)) in a.requests.iter().zip(&b.requests).enumerate() {
        let state = |r: &Request| match r.state {
            ReqState::Held => "held",
            ReqState::Served => "served",
            ReqState::Retry => "503 + Retry-After",
        };
        let kind = request_kind(y);
        let (id, name) = (i as u8, request_name(i as u8));
        if y.used && !x.used {
            say(
                Object::Request(id),
                format!("{name} ({kind}): {}", state(y)),
            );
        } else if y.used && x.state != y.state {
            say(
                Object::Request(id),
                format!("{name} ({kind}): {} → {}", state(x), state(y)),
            );
        } else if y.used && y.retried && !x.retried {
            say(
                Object::Request(id),
                format!("{name} ({kind}): sent again by the provider"),
            );
        }
    }
    for (i, (x, y)) in a.charges.iter().zip(&b.charges).enumerate() {
        if x != y {
            say(
                Object::Payment(i as u8),
                format!("Payment pay-{} charged {y} time(s)", i + 1),
            );
        }
    }
    for i in 0..b.charges.len() {
        let seen = |w: &World| w.idem_seen & (1 << i) != 0;
        if seen(b) != seen(a) {
            say(
                Object::Store,
                format!(
                    "Idempotency store: key of pay-{} {}",
                    i + 1,
                    yes(seen(b), "recorded", "forgotten")
                ),
            );
        }
    }
    if b.late_replay && !a.late_replay {
        say(
            Object::App,
            "A held webhook replayed after the wake budget had passed".to_string(),
        );
    }
    for (c, name) in COLUMNS.iter().enumerate() {
        let had = |w: &World| w.db.columns & (1 << c) != 0;
        if had(a) != had(b) {
            say(
                Object::Database,
                format!("Column {name} {}", yes(had(b), "added", "dropped")),
            );
        }
    }
    if a.db.fenced != b.db.fenced {
        say(
            Object::Database,
            yes(b.db.fenced, "Writers fenced", "Writers unfenced"),
        );
    }
    if a.db.writes != b.db.writes {
        say(
            Object::Database,
            format!("Database: {} write(s)", b.db.writes),
        );
    }
    if (a.db.backup_columns, a.db.backup_writes) != (b.db.backup_columns, b.db.backup_writes) {
        say(
            Object::Database,
            format!("Backup: {} write(s)", b.db.backup_writes),
        );
    }
    if (a.db.region, a.db.replicated) != (b.db.region, b.db.replicated) {
        say(
            Object::Database,
            format!(
                "Database in {}{}",
                REGION_NAMES[b.db.region as usize],
                yes(b.db.replicated, ", replicated", "")
            ),
        );
    }
    if a.db.lost_writes != b.db.lost_writes {
        say(
            Object::Database,
            format!("Writes lost (RPO): {}", b.db.lost_writes),
        );
    }
    for (name, x, y) in [
        ("Session store", a.session_store, b.session_store),
        (
            "Idempotency store",
            a.idempotency_store,
            b.idempotency_store,
        ),
        ("Broadcast backend", a.broadcast, b.broadcast),
    ] {
        if x != y {
            say(
                Object::Store,
                format!(
                    "{name}: {} in {}{}",
                    yes(y.bound, "bound", "unbound"),
                    REGION_NAMES[y.region as usize],
                    yes(y.replicated, ", replicated", "")
                ),
            );
        }
    }
    for (i, (x, y)) in a.regions.iter().zip(&b.regions).enumerate() {
        let (id, name) = (i as u8, REGION_NAMES[i]);
        if x.stage != y.stage {
            say(
                Object::Region(id),
                format!("Region {name}: {}", y.stage.name()),
            );
        }
        if x.up != y.up {
            say(
                Object::Region(id),
                format!("Region {name} {}", yes(y.up, "up", "down")),
            );
        }
    }
    for (i, (x, y)) in a.hosts.iter().zip(&b.hosts).enumerate() {
        let (id, name) = (i as u8, HOST_TABLE[i].0);
        if x.cordoned != y.cordoned {
            say(
                Object::Host(id),
                format!("Host {name} {}", yes(y.cordoned, "cordoned", "uncordoned")),
            );
        }
        if x.upgraded != y.upgraded && y.upgraded {
            say(Object::Host(id), format!("Host {name} upgraded"));
        }
    }
    if a.frozen != b.frozen {
        say(
            Object::Control,
            yes(b.frozen, "Promotions frozen", "Promotions unfrozen"),
        );
    }
    if a.rejected_reports != b.rejected_reports {
        say(
            Object::Control,
            format!("Late or duplicate reports rejected: {}", b.rejected_reports),
        );
    }
    if a.failed_requests != b.failed_requests {
        say(
            Object::Serving,
            format!("Requests failed (500): {}", b.failed_requests),
        );
    }
    if a.outage_start.is_some() != b.outage_start.is_some() {
        say(
            Object::Serving,
            yes(
                b.outage_start.is_some(),
                "Production stopped serving",
                "Production serving again",
            ),
        );
    }
    if a.rto != b.rto {
        say(
            Object::Serving,
            format!("Longest outage (RTO): {} tick(s)", b.rto),
        );
    }
    if a.clock != b.clock {
        say(Object::Clock, format!("Clock: {} → {}", a.clock, b.clock));
    }
    out
}
