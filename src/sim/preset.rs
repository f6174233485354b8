//! Named start worlds and the overrides a drill may apply to them.

use super::invariant::BOOTSTRAP_OP;
use super::world::*;

pub const LEGACY: u8 = 1 << 0;
pub const DISPLAY: u8 = 1 << 1;

/// Every preset name, with what it shows.
pub const PRESETS: &[(&str, &str)] = &[
    ("steady", "A serves production from eu; B (warm) and C (cold) are validated builds, D (a warm fix) and P (a cold change) are not built yet; one live session; session store in eu."),
    ("asleep", "The app is scaled to zero: A owns the route, no allocation runs."),
    ("two-regions", "Like steady, with us enabled and eligible and the database replicated."),
    ("expand-contract", "A reads legacy_name; B reads display_name, which the database does not have yet."),
    ("full-cell", "Cell eu-a is full: no headroom to evacuate a host."),
    ("standby", "Like steady, with ready standby capacity of B and C on h2 (not owners: no traffic)."),
    ("after-contract", "B owns production (epoch 2, after A); legacy_name has been dropped; A's allocations are gone."),
];

fn base() -> World {
    let mut artifacts = [Artifact::default(); ARTIFACTS];
    let specs = [
        (1, LEGACY, true),
        (1, DISPLAY, true),
        (2, DISPLAY, true),
        (1, DISPLAY, false),
        (1, DISPLAY, false),
    ];
    for (i, (schema, reads, validated)) in specs.into_iter().enumerate() {
        artifacts[i] = Artifact {
            exists: true,
            digest: 0xa1 + i as u16 * 0x11,
            schema,
            reads,
            validated,
            replicated: false,
        };
    }
    let mut commits = [Commit::default(); MAX_COMMITS];
    commits[0] = Commit {
        epoch: 1,
        artifact: 0,
        expected: 0,
        op: BOOTSTRAP_OP,
        validated: true,
        db_compatible: true,
        cold_unacked: false,
        rollback: false,
    };
    let pop = Pop {
        applied_epoch: 1,
        cursor: 0,
        artifact: 0,
        max_epoch: 1,
        ..Pop::default()
    };
    let mut allocs = [Alloc::default(); MAX_ALLOCS];
    allocs[0] = Alloc {
        used: true,
        artifact: 0,
        env: PROD,
        host: 0,
        stamped_region: 0,
        state: AllocState::Ready,
        ..Alloc::default()
    };
    let mut sessions = [Session::default(); MAX_SESSIONS];
    sessions[0] = Session {
        state: SessionState::Connected,
        alloc: 0,
        handshake: 0,
        schema: 1,
        ..Session::default()
    };
    World {
        clock: 0,
        q: Quantities::default(),
        regions: [
            Region {
                stage: RegionStage::Eligible,
                up: true,
                secrets: true,
                residency_allowed: true,
            },
            Region {
                stage: RegionStage::Disabled,
                up: true,
                secrets: true,
                residency_allowed: true,
            },
        ],
        hosts: [Host::default(); HOSTS],
        artifacts,
        allocs,
        sessions,
        session_store: Binding {
            bound: true,
            region: 0,
            stamped_region: 0,
            replicated: false,
        },
        idempotency_store: Binding::default(),
        broadcast: Binding::default(),
        db: Database {
            columns: LEGACY | DISPLAY,
            writes: 0,
            backup_columns: LEGACY | DISPLAY,
            backup_writes: 0,
            lost_writes: 0,
            fenced: false,
            region: 0,
            replicated: false,
        },
        owner: RouteOwner {
            artifact: 0,
            region: 0,
            epoch: 1,
        },
        commits,
        events: [Event::default(); MAX_EVENTS],
        next_seq: 1,
        pops: [pop; POPS],
        ops: [Operation::default(); MAX_OPS],
        reports: [Report::default(); MAX_MSGS],
        requests: [Request::default(); MAX_REQUESTS],
        wake: WakeState::Hot,
        frozen: false,
        charges: [0; 2],
        idem_seen: 0,
        late_replay: false,
        hot_before_ready: false,
        rejected_reports: 0,
        outage_start: None,
        outage_cause: OutageCause::None,
        rto: 0,
        failed_requests: 0,
    }
}

/// A named start world.
pub fn preset(name: &str) -> Option<World> {
    let mut w = base();
    match name {
        "steady" => {}
        "asleep" => {
            w.allocs = [Alloc::default(); MAX_ALLOCS];
            w.sessions = [Session::default(); MAX_SESSIONS];
            w.wake = WakeState::Sleeping;
            w.outage_start = Some(0);
            w.outage_cause = OutageCause::Sleep;
        }
        "two-regions" => {
            w.regions[1].stage = RegionStage::Eligible;
            w.artifacts[0].replicated = true;
            w.artifacts[1].replicated = true;
            w.db.replicated = true;
        }
        "expand-contract" => {
            w.db.columns = LEGACY;
            w.db.backup_columns = LEGACY;
        }
        "full-cell" => {
            for (i, host) in [(1, 0), (2, 1), (3, 1)] {
                w.allocs[i] = Alloc {
                    host,
                    ..w.allocs[0]
                };
            }
        }
        "standby" => {
            w.allocs[1] = Alloc {
                artifact: 1,
                host: 1,
                ..w.allocs[0]
            };
            w.allocs[2] = Alloc {
                artifact: 2,
                host: 1,
                ..w.allocs[0]
            };
        }
        "after-contract" => {
            w.commits[1] = Commit {
                epoch: 2,
                artifact: 1,
                expected: 1,
                ..w.commits[0]
            };
            w.owner = RouteOwner {
                artifact: 1,
                region: 0,
                epoch: 2,
            };
            w.allocs[0] = Alloc {
                artifact: 1,
                ..w.allocs[0]
            };
            w.db.columns = DISPLAY;
            for p in w.pops.iter_mut() {
                *p = Pop {
                    applied_epoch: 2,
                    artifact: 1,
                    max_epoch: 2,
                    ..*p
                };
            }
        }
        _ => return None,
    }
    Some(w)
}

/// Every override key, with what it sets.
pub const OVERRIDES: &[(&str, &str)] = &[
    ("session_store", "none | eu | us | replicated"),
    ("idempotency_store", "true | false"),
    (
        "draft",
        "true: s1 has an unsaved draft (saved to the store if one is reachable)",
    ),
    (
        "second_session",
        "true: s2 connected on the same allocation",
    ),
    ("us_secrets", "true | false"),
    ("us_residency", "true | false"),
    ("db_replicated", "true | false"),
    ("wake_budget", "ticks"),
    ("drain_deadline", "ticks"),
    ("resume_window", "ticks"),
    ("readiness", "ticks"),
    ("retention", "ticks"),
    (
        "p_state_changed",
        "true: build P changes the persisted session schema (a cold deploy)",
    ),
];

fn flag(v: &str) -> Result<bool, String> {
    match v {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!("`{v}` is not true or false")),
    }
}

fn ticks(v: &str) -> Result<u8, String> {
    v.parse::<u8>()
        .ok()
        .filter(|t| (1..=8).contains(t))
        .ok_or_else(|| format!("`{v}` is not a tick count 1..8"))
}

/// Applies one `key = value` override.
pub fn apply_override(w: &mut World, key: &str, value: &str) -> Result<(), String> {
    match key {
        "session_store" => {
            w.session_store = match value {
                "none" => Binding::default(),
                "eu" => Binding {
                    bound: true,
                    region: 0,
                    stamped_region: 0,
                    replicated: false,
                },
                "us" => Binding {
                    bound: true,
                    region: 1,
                    stamped_region: 1,
                    replicated: false,
                },
                "replicated" => Binding {
                    bound: true,
                    region: 0,
                    stamped_region: 0,
                    replicated: true,
                },
                _ => {
                    return Err(format!(
                        "session_store: `{value}` is not none, eu, us or replicated"
                    ))
                }
            }
        }
        "idempotency_store" => {
            w.idempotency_store = Binding {
                bound: flag(value)?,
                ..Binding::default()
            };
        }
        "draft" => {
            let d = flag(value)?;
            let reachable = super::sessions::store_reachable(w);
            let s = &mut w.sessions[0];
            if s.state == SessionState::None {
                return Err("draft: this world has no live session".into());
            }
            s.draft = d;
            s.stored = d && reachable;
        }
        "second_session" => {
            if flag(value)? {
                if w.sessions[0].state == SessionState::None {
                    return Err("second_session: this world has no live session".into());
                }
                w.sessions[1] = Session {
                    draft: false,
                    stored: false,
                    ..w.sessions[0]
                };
            }
        }
        "us_secrets" => w.regions[1].secrets = flag(value)?,
        "us_residency" => w.regions[1].residency_allowed = flag(value)?,
        "db_replicated" => w.db.replicated = flag(value)?,
        "wake_budget" => w.q.wake_budget = ticks(value)?,
        "drain_deadline" => w.q.drain_deadline = ticks(value)?,
        "resume_window" => w.q.resume_window = ticks(value)?,
        "readiness" => w.q.readiness = ticks(value)?,
        "retention" => w.q.retention = ticks(value)?,
        "p_state_changed" => {
            let owner = w.artifacts[w.owner.artifact as usize].schema;
            let p = &mut w.artifacts[ARTIFACT_NAMES.len() - 1];
            p.schema = if flag(value)? {
                owner.wrapping_add(1).max(1)
            } else {
                owner
            };
        }
        _ => return Err(format!("unknown override `{key}`")),
    }
    Ok(())
}
