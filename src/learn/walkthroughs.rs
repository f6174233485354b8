//! Request traces and runbooks (docs/domain.md): each a page whose steps are
//! drills played through the model, line by line, with the platform's
//! narration and what changed in the world. The drills' own title and
//! `teaches` text say what each shows; this table only groups them under
//! the spec's four traces and four runbooks.

use crate::sim::action::{alloc_name, op_name, session_name};
use crate::sim::drill::{drills, holds, start_world, Drill};
use crate::sim::lifecycle::stage_name;
use crate::sim::world::*;
use crate::sim::{check_all, format_action, parse_action, step, Policy};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WalkKind {
    Trace,
    Runbook,
}

impl WalkKind {
    /// The drill kind (`content/drills/*.toml`) its drills have.
    pub fn drill_kind(self) -> &'static str {
        match self {
            WalkKind::Trace => "trace",
            WalkKind::Runbook => "runbook",
        }
    }
}

/// One request trace or runbook of the spec, and the drills that play it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Walkthrough {
    pub kind: WalkKind,
    pub slug: &'static str,
    pub title: &'static str,
    /// Drill slugs, the usual path first, then its variants.
    pub drills: &'static [&'static str],
}

const fn w(
    kind: WalkKind,
    slug: &'static str,
    title: &'static str,
    drills: &'static [&'static str],
) -> Walkthrough {
    Walkthrough {
        kind,
        slug,
        title,
        drills,
    }
}

/// The four request traces of the spec.
pub static TRACES: &[Walkthrough] = &[
    w(
        WalkKind::Trace,
        "get-while-hot",
        "GET while hot",
        &["trace-get-hot"],
    ),
    w(
        WalkKind::Trace,
        "get-while-sleeping",
        "GET while sleeping",
        &["trace-get-sleeping", "trace-get-past-budget"],
    ),
    w(
        WalkKind::Trace,
        "websocket-reconnect",
        "WebSocket reconnect",
        &["trace-websocket-reconnect"],
    ),
    w(
        WalkKind::Trace,
        "post-while-cold",
        "POST while cold",
        &["trace-post-while-cold", "trace-post-idempotent"],
    ),
];

/// The four runbooks of the spec.
pub static RUNBOOKS: &[Walkthrough] = &[
    w(
        WalkKind::Runbook,
        "bad-deploy",
        "Bad deploy",
        &["runbook-bad-deploy"],
    ),
    w(
        WalkKind::Runbook,
        "stuck-wake",
        "Stuck wake",
        &["runbook-stuck-wake"],
    ),
    w(
        WalkKind::Runbook,
        "replay-gap",
        "Route event replay gap",
        &["runbook-replay-gap"],
    ),
    w(
        WalkKind::Runbook,
        "restore",
        "Database restore",
        &["runbook-restore"],
    ),
];

pub fn trace(slug: &str) -> Option<&'static Walkthrough> {
    TRACES.iter().find(|t| t.slug == slug)
}

pub fn runbook(slug: &str) -> Option<&'static Walkthrough> {
    RUNBOOKS.iter().find(|r| r.slug == slug)
}

/// One line of a drill, played.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkStep {
    /// 1-based; the Lab link `step=n` shows the world after it.
    pub n: usize,
    /// The line as the drill writes it.
    pub line: String,
    /// The actions it gave, in the vocabulary.
    pub actions: Vec<String>,
    /// Why the platform refused it, if it did (the rest of the line is skipped).
    pub refused: Option<String>,
    pub narration: Vec<String>,
    /// What changed in the world, in words.
    pub changes: Vec<String>,
    /// Invariants broken after it, by number and name (none, when the
    /// platform is right).
    pub broken: Vec<(u8, &'static str)>,
}

/// A drill played for a trace or runbook page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Walked {
    pub drill: Drill,
    pub steps: Vec<WalkStep>,
    /// The drill's goal, each predicate with whether it held at the end.
    pub goal: Vec<(String, bool)>,
}

/// Plays a drill under the correct policy, one line at a time.
pub fn walk_drill(slug: &str) -> Result<Walked, String> {
    let d = drills()
        .into_iter()
        .find(|d| d.slug == slug)
        .ok_or_else(|| format!("unknown drill `{slug}`"))?;
    let p = Policy::correct();
    let mut w = start_world(&d)?;
    let mut kept_serving = true;
    let mut steps = Vec::new();
    for (i, line) in d.steps.iter().enumerate() {
        let before = w;
        let mut s = WalkStep {
            n: i + 1,
            line: line.clone(),
            actions: Vec::new(),
            refused: None,
            narration: Vec::new(),
            changes: Vec::new(),
            broken: Vec::new(),
        };
        for a in parse_action(&w, line)? {
            s.actions.push(format_action(&w, &a));
            match step(&w, &a, p) {
                Ok(next) => {
                    w = next.world;
                    s.narration.extend(next.narration);
                }
                Err(r) => {
                    s.refused = Some(r.to_string());
                    break;
                }
            }
        }
        kept_serving &= w.outage_cause != OutageCause::Platform;
        s.changes = changes(&before, &w);
        s.broken = check_all(&w)
            .into_iter()
            .filter(|r| !r.holds)
            .map(|r| (r.id, r.name))
            .collect();
        steps.push(s);
    }
    let goal = d
        .expect
        .iter()
        .map(|q| (q.clone(), holds(&w, p, q, kept_serving).unwrap_or(false)))
        .collect();
    Ok(Walked {
        drill: d,
        steps,
        goal,
    })
}

fn artifact(a: u8) -> &'static str {
    ARTIFACT_NAMES.get(a as usize).copied().unwrap_or("?")
}

fn yes(b: bool, on: &str, off: &str) -> String {
    (if b { on } else { off }).to_string()
}

/// What differs between two worlds, in the model's words (one line per object).
pub fn changes(a: &World, b: &World) -> Vec<String> {
    let mut out = Vec::new();
    if a.owner != b.owner {
        out.push(format!(
            "Route owner: {} at epoch {} → {} at epoch {}",
            artifact(a.owner.artifact),
            a.owner.epoch,
            artifact(b.owner.artifact),
            b.owner.epoch
        ));
    }
    for (i, (x, y)) in a.ops.iter().zip(&b.ops).enumerate() {
        let name = op_name(b, i as u8);
        if y.used && !x.used {
            out.push(format!("{name}: {}", stage_name(y.kind, y.stage)));
        } else if y.used && x.stage != y.stage {
            out.push(format!(
                "{name}: {} → {}",
                stage_name(x.kind, x.stage),
                stage_name(y.kind, y.stage)
            ));
        }
        if y.used && y.needs_ack && !x.needs_ack {
            out.push(format!("{name} waits for an acknowledgement"));
        }
        if y.used && y.acked && !x.acked {
            out.push(format!("{name} acknowledged"));
        }
    }
    for (i, (x, y)) in a.allocs.iter().zip(&b.allocs).enumerate() {
        let name = alloc_name(i as u8);
        let fresh = y.used && (!x.used || (x.artifact, x.host) != (y.artifact, y.host));
        if fresh {
            out.push(format!(
                "{name}: {} of {} ({}) on {}",
                y.state.name(),
                artifact(y.artifact),
                if y.env == PREVIEW {
                    "preview"
                } else {
                    "production"
                },
                HOST_TABLE[y.host as usize].0
            ));
        } else if y.used && x.state != y.state {
            out.push(format!("{name}: {} → {}", x.state.name(), y.state.name()));
        }
    }
    for (i, (x, y)) in a.sessions.iter().zip(&b.sessions).enumerate() {
        let name = session_name(i as u8);
        if x.state != y.state {
            out.push(format!(
                "Session {name}: {} → {}",
                x.state.name(),
                y.state.name()
            ));
        } else if x.alloc != y.alloc && y.state.live() {
            out.push(format!("Session {name} now on {}", alloc_name(y.alloc)));
        }
        if x.draft != y.draft {
            out.push(format!(
                "Session {name}: {}",
                yes(y.draft, "unsaved draft typed", "draft gone")
            ));
        }
    }
    for (i, (x, y)) in a.pops.iter().zip(&b.pops).enumerate() {
        let name = POP_NAMES[i];
        if x.applied_epoch != y.applied_epoch || x.artifact != y.artifact {
            out.push(format!(
                "POP {name} applied epoch {} (routes {})",
                y.applied_epoch,
                artifact(y.artifact)
            ));
        } else if x.cursor != y.cursor {
            out.push(format!("POP {name} read up to seq {}", y.cursor));
        }
        if let (true, Some((art, epoch))) = (x.last_served != y.last_served, y.last_served) {
            out.push(format!(
                "POP {name} routed a request to {} (by epoch {epoch})",
                artifact(art)
            ));
        }
        if x.fail_closed != y.fail_closed {
            out.push(format!(
                "POP {name} {}",
                yes(y.fail_closed, "fails closed", "open again")
            ));
        }
    }
    if a.next_seq != b.next_seq {
        out.push(format!(
            "Route event stream: up to seq {}",
            b.next_seq.saturating_sub(1)
        ));
    }
    if a.wake != b.wake {
        out.push(format!("App: {} → {}", a.wake.name(), b.wake.name()));
    }
    for (i, (x, y)) in a.requests.iter().zip(&b.requests).enumerate() {
        let state = |r: &Request| match r.state {
            ReqState::Held => "held",
            ReqState::Served => "served",
            ReqState::Retry => "503 + Retry-After",
        };
        let kind = match y.kind {
            ReqKind::Get => "GET".to_string(),
            ReqKind::Webhook => format!("webhook pay-{}", y.payment + 1),
        };
        if y.used && !x.used {
            out.push(format!("req#{} ({kind}): {}", i + 1, state(y)));
        } else if y.used && x.state != y.state {
            out.push(format!(
                "req#{} ({kind}): {} → {}",
                i + 1,
                state(x),
                state(y)
            ));
        }
    }
    for (i, (x, y)) in a.charges.iter().zip(&b.charges).enumerate() {
        if x != y {
            out.push(format!("Payment pay-{} charged {y} time(s)", i + 1));
        }
    }
    for (c, name) in COLUMNS.iter().enumerate() {
        let had = |w: &World| w.db.columns & (1 << c) != 0;
        if had(a) != had(b) {
            out.push(format!("Column {name} {}", yes(had(b), "added", "dropped")));
        }
    }
    if a.db.fenced != b.db.fenced {
        out.push(yes(b.db.fenced, "Writers fenced", "Writers unfenced"));
    }
    if a.db.writes != b.db.writes {
        out.push(format!("Database: {} write(s)", b.db.writes));
    }
    if a.db.lost_writes != b.db.lost_writes {
        out.push(format!("Writes lost (RPO): {}", b.db.lost_writes));
    }
    for (i, (x, y)) in a.regions.iter().zip(&b.regions).enumerate() {
        let name = REGION_NAMES[i];
        if x.stage != y.stage {
            out.push(format!("Region {name}: {}", y.stage.name()));
        }
        if x.up != y.up {
            out.push(format!("Region {name} {}", yes(y.up, "up", "down")));
        }
    }
    for (i, (x, y)) in a.hosts.iter().zip(&b.hosts).enumerate() {
        let name = HOST_TABLE[i].0;
        if x.cordoned != y.cordoned {
            out.push(format!(
                "Host {name} {}",
                yes(y.cordoned, "cordoned", "uncordoned")
            ));
        }
        if x.upgraded != y.upgraded && y.upgraded {
            out.push(format!("Host {name} upgraded"));
        }
    }
    if a.frozen != b.frozen {
        out.push(yes(b.frozen, "Promotions frozen", "Promotions unfrozen"));
    }
    if a.rejected_reports != b.rejected_reports {
        out.push(format!(
            "Late or duplicate reports rejected: {}",
            b.rejected_reports
        ));
    }
    if a.failed_requests != b.failed_requests {
        out.push(format!("Requests failed (500): {}", b.failed_requests));
    }
    if a.outage_start.is_some() != b.outage_start.is_some() {
        out.push(yes(
            b.outage_start.is_some(),
            "Production stopped serving",
            "Production serving again",
        ));
    }
    if a.clock != b.clock {
        out.push(format!("Clock: {} → {}", a.clock, b.clock));
    }
    out
}
