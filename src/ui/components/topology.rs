use leptos::prelude::*;

use crate::lab::picture::{AllocView, ClockView, DbView, Picture, PopView, StoreView};

/// Fill class per allocation stage (colours live in the stylesheet).
fn stage_class(stage: &str) -> &'static str {
    match stage {
        "ready" => "alloc ready",
        "draining" => "alloc draining",
        "stopped" => "alloc stopped",
        "failed" => "alloc failed",
        _ => "alloc booting",
    }
}

// Whole-pixel coordinates: printing integers keeps float formatting out of the wasm.
const W: i32 = 960;
const H: i32 = 440;
const HOST_X0: i32 = 232;
const HOST_STEP: i32 = 122;
const REGION_GAP: i32 = 16;
const HOST_W: i32 = 112;
const ALLOC_W: i32 = 104;
const ALLOC_H: i32 = 56;
const ALLOC_Y0: i32 = 96;
const ALLOC_STEP: i32 = 60;
/// Allocations drawn per host; more are counted.
const ALLOCS_SHOWN: usize = 4;
const RIGHT_X: i32 = 748;
const POP_Y: [i32; 2] = [128, 238];

/// One line per session on the allocation: its name, and its draft.
fn session_marks(a: &AllocView, p: &Picture) -> String {
    a.sessions
        .iter()
        .filter_map(|n| p.sessions.iter().find(|s| &s.name == n))
        .map(|s| {
            let draft = if s.lost_silently {
                " draft lost"
            } else if s.draft && s.stored {
                " ✎ saved"
            } else if s.draft {
                " ✎ draft"
            } else {
                ""
            };
            let moved = if s.shown_moved { " “moved”" } else { "" };
            format!("{} {}{draft}{moved}", s.name, s.state)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn pop_routes(pop: &PopView) -> String {
    match &pop.target {
        Some(t) => format!("routes {} → {t}", pop.routes),
        None => format!("routes {} → nothing ready", pop.routes),
    }
}

fn store_line(s: &StoreView) -> String {
    if !s.bound {
        return "not bound".to_string();
    }
    format!(
        "in {}{}{}",
        s.region,
        if s.replicated { ", replicated" } else { "" },
        s.misrecorded_as
            .as_ref()
            .map(|r| format!(", recorded {r}!"))
            .unwrap_or_default()
    )
}

fn db_columns(db: &DbView) -> String {
    db.columns
        .iter()
        .map(|(c, present)| {
            if *present {
                c.to_string()
            } else {
                format!("{c} (dropped)")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn outage_line(c: &ClockView) -> String {
    match &c.outage {
        Some((since, why)) => format!("outage since tick {since}: {why}"),
        None => "no outage".to_string(),
    }
}

/// What an allocation warns about, if anything.
fn alloc_warning(a: &AllocView) -> Option<String> {
    if a.reads_missing {
        Some("reads a dropped column".to_string())
    } else {
        a.misrecorded_as
            .as_ref()
            .map(|r| format!("recorded in {r}"))
    }
}

/// The same picture for a narrow screen: stacked per region, cell and host
/// as text (the SVG's text would be a few pixels high on a phone). CSS shows
/// one of the two; they say the same.
#[component]
pub fn TopologyStack(picture: Signal<Picture>) -> impl IntoView {
    move || {
        let p = picture.get();
        let o = &p.owner;
        let c = &p.clock;
        let db = &p.database;
        let regions = p.regions.iter().map(|r| {
            let cells = r.cells.iter().map(|cell| {
                let hosts = cell.hosts.iter().map(|h| {
                    let status = match (h.cordoned, h.upgraded) {
                        (true, _) => " · cordoned",
                        (false, true) => " · upgraded",
                        _ => "",
                    };
                    let allocs = h.allocs.iter().map(|a| {
                        let marks = session_marks(a, &p);
                        view! {
                            <li class=format!("stack-alloc {}", stage_class(&a.stage)) class:preview=a.env == "preview" class:changed=a.changed>
                                <strong>{format!("{} · {}", a.name, a.artifact)}</strong>
                                {format!(" — {}{}", a.stage, if a.env == "preview" { " · preview" } else { "" })}
                                {(!a.routed_from.is_empty()).then(|| format!(" · ← {}", a.routed_from.join(", ")))}
                                {alloc_warning(a).map(|w| view! { <span class="stack-warn">{format!(" · ⚠ {w}")}</span> })}
                                {(!marks.is_empty()).then(|| view! { <span class="stack-sessions">{marks}</span> })}
                            </li>
                        }
                    }).collect_view();
                    view! {
                        <li class="stack-host" class:cordoned=h.cordoned>
                            <span class="stack-label">{format!("{}{status}", h.name)}</span>
                            {if h.allocs.is_empty() {
                                view! { <span class="stack-empty">" — empty"</span> }.into_any()
                            } else {
                                view! { <ul>{allocs}</ul> }.into_any()
                            }}
                        </li>
                    }
                }).collect_view();
                view! {
                    <li class="stack-cell"><span class="stack-label">{format!("cell {}", cell.name)}</span><ul>{hosts}</ul></li>
                }
            }).collect_view();
            view! {
                <section class="stack-region" class:failed=!r.up>
                    <p class="stack-region-title">{format!("{} · {}{}", r.name, r.stage, if r.up { "" } else { " · DOWN" })}</p>
                    <ul>{cells}</ul>
                </section>
            }
        }).collect_view();
        let pops = p.pops.iter().map(|pop| view! {
            <li class:fail-closed=pop.fail_closed class:changed=pop.changed><strong>{format!("POP {}", pop.name)}</strong>
                {format!(": applied epoch {} · seq {} · {} · {}", pop.applied_epoch, pop.seq, pop_routes(pop), if pop.fail_closed { "FAIL-CLOSED: 503" } else { "open" })}</li>
        }).collect_view();
        let stores = p
            .stores
            .iter()
            .map(|st| {
                view! {
                    <li><strong>{st.name.to_string()}</strong>{format!(": {}", store_line(st))}</li>
                }
            })
            .collect_view();
        let events = p.events.iter().map(|e| view! {
            <li>{format!("seq {} · epoch {} → {} · {}", e.seq, e.epoch, e.artifact,
                if e.consumed_by.is_empty() { "not consumed".to_string() } else { format!("read by {}", e.consumed_by.join(", ")) })}</li>
        }).collect_view();
        view! {
            <div class="topology-stack">
                <p class="stack-box" class:changed=o.changed><strong>"Route owner: "</strong>
                    {format!("artifact {} · epoch {} · region {} · {} · wake: {}{}", o.artifact, o.epoch, o.region, o.digest, c.wake, if c.frozen { " · frozen" } else { "" })}</p>
                <ul class="stack-list">{pops}</ul>
                {regions}
                <ul class="stack-list">{stores}
                    <li class:changed=db.changed><strong>{format!("Database ({}{})", db.region, if db.replicated { ", replicated" } else { "" })}</strong>
                        {format!(": {}; {} write(s); backup has {}{}", db_columns(db), db.writes, db.backup_writes, if db.fenced { "; writers fenced" } else { "" })}</li>
                </ul>
                <p class="stack-box" class:outage=c.outage.is_some()><strong>{format!("Tick {} · {}", c.tick, if c.serving { "serving" } else { "NOT serving" })}</strong>
                    {format!(" — {} · RTO {} tick(s) · RPO {} write(s)", outage_line(c), c.rto, c.rpo)}</p>
                {(!p.events.is_empty()).then(|| view! {
                    <p class="stack-label">"Route event stream"</p><ul class="stack-list">{events}</ul>
                })}
            </div>
        }
    }
}

/// The topology, drawn from the picture the Lab derived: route owner and
/// POPs on the left, regions → cells → hosts → allocations in the middle,
/// stores, database and the clock (outage window, RTO, RPO) on the right,
/// the event stream along the bottom. The picture says nothing the tables do
/// not; its accessible name is a one-sentence summary.
#[component]
pub fn Topology(picture: Signal<Picture>) -> impl IntoView {
    let body = move || {
        let p = picture.get();
        // Where each allocation box is, for the traffic arrows.
        let mut placed: Vec<(String, i32, i32)> = Vec::new();
        let mut k = 0;
        let mut regions = Vec::new();
        for (ri, r) in p.regions.iter().enumerate() {
            let first = HOST_X0 + k * HOST_STEP + ri as i32 * REGION_GAP;
            let mut cells = Vec::new();
            for c in &r.cells {
                let cell_x = HOST_X0 + k * HOST_STEP + ri as i32 * REGION_GAP - 4;
                let mut hosts = Vec::new();
                for h in &c.hosts {
                    let x = HOST_X0 + k * HOST_STEP + ri as i32 * REGION_GAP;
                    k += 1;
                    let allocs = h.allocs.iter().take(ALLOCS_SHOWN).enumerate().map(|(i, a)| {
                        let y = ALLOC_Y0 + i as i32 * ALLOC_STEP;
                        placed.push((a.name.clone(), x + 4, y));
                        let marks = session_marks(a, &p);
                        let warn = alloc_warning(a);
                        view! {
                            <g class="alloc-group">
                                <rect class=stage_class(&a.stage) class:preview=a.env == "preview" class:routed=!a.routed_from.is_empty()
                                    class:changed=a.changed x=x + 4 y=y width=ALLOC_W height=ALLOC_H rx="7"/>
                                <text class="alloc-title" x=x + 10 y=y + 16>{format!("{} · {}", a.name, a.artifact)}</text>
                                <text class="alloc-line" x=x + 10 y=y + 31>{format!("{}{}", a.stage, if a.env == "preview" { " · preview" } else { "" })}</text>
                                {match warn {
                                    Some(t) => view! { <text class="alloc-warn" x=x + 10 y=y + 47>{t}</text> }.into_any(),
                                    None => view! { <text class="alloc-line session-line" x=x + 10 y=y + 47>{marks}</text> }.into_any(),
                                }}
                            </g>
                        }
                    }).collect_view();
                    let more = h.allocs.len().saturating_sub(ALLOCS_SHOWN);
                    let status = match (h.cordoned, h.upgraded) {
                        (true, _) => " · cordoned",
                        (false, true) => " · upgraded",
                        _ => "",
                    };
                    hosts.push(view! {
                        <g class="host" class:cordoned=h.cordoned>
                            <rect x=x y="72" width=HOST_W height="274" rx="8"/>
                            <text class="host-label" x=x + 8 y="88">{format!("{}{status}", h.name)}</text>
                            {allocs}
                            {(more > 0).then(|| view! { <text class="alloc-line" x=x + 8 y="340">{format!("+{more} more")}</text> })}
                        </g>
                    });
                }
                let cell_w = c.hosts.len() as i32 * HOST_STEP - (HOST_STEP - HOST_W) + 8;
                cells.push(view! {
                    <g class="cell">
                        <rect x=cell_x y="48" width=cell_w height="304" rx="10"/>
                        <text class="cell-label" x=cell_x + 8 y="64">{format!("cell {}", c.name)}</text>
                        {hosts}
                    </g>
                });
            }
            let last = HOST_X0 + k * HOST_STEP + ri as i32 * REGION_GAP - (HOST_STEP - HOST_W);
            let label = format!(
                "{} · {}{}",
                r.name,
                r.stage,
                if r.up { "" } else { " · DOWN" }
            );
            regions.push(view! {
                <g>
                    <rect class="region" class:failed=!r.up x=first - 10 y="20" width=last - first + 20 height="340" rx="14"/>
                    <text class="region-label" x=first - 2 y="38">{label}</text>
                    {cells}
                </g>
            });
        }

        // Traffic: from each POP to the allocation its next production request reaches.
        let arrows = p
            .pops
            .iter()
            .zip(POP_Y)
            .filter_map(|(pop, py)| {
                let target = pop.target.as_ref()?;
                let (_, x, y) = placed.iter().find(|(n, _, _)| n == target)?;
                let (sx, sy) = (210, py + 46);
                let (tx, ty) = (*x, y + ALLOC_H / 2);
                let d = format!(
                    "M {sx} {sy} C {} {sy}, {} {ty}, {tx} {ty}",
                    sx + 40,
                    tx - 40
                );
                Some(view! { <path class="traffic" d=d marker-end="url(#arrow)"/> })
            })
            .collect_view();

        let pops = p.pops.iter().zip(POP_Y).map(|(pop, y)| {
            let routes = pop_routes(pop);
            view! {
                <g class="box pop-box" class:fail-closed=pop.fail_closed class:changed=pop.changed>
                    <rect x="20" y=y width="190" height="96" rx="10"/>
                    <text class="box-title" x="32" y=y + 22>{format!("POP {}", pop.name)}</text>
                    <text class="box-line" x="32" y=y + 42>{format!("applied epoch {} · seq {}", pop.applied_epoch, pop.seq)}</text>
                    <text class="box-line" x="32" y=y + 62>{routes}</text>
                    <text class="box-line" class:alloc-warn=pop.fail_closed x="32" y=y + 82>{if pop.fail_closed { "FAIL-CLOSED: 503" } else { "open" }}</text>
                </g>
            }
        }).collect_view();

        let stores = p
            .stores
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let y = 20 + i as i32 * 56;
                let line = store_line(s);
                view! {
                    <g class="store" class:unbound=!s.bound>
                        <rect x=RIGHT_X y=y width="196" height="48" rx="10"/>
                        <text class="box-title" x=RIGHT_X + 12 y=y + 19>{s.name.clone()}</text>
                        <text class="box-line" x=RIGHT_X + 12 y=y + 38>{line}</text>
                    </g>
                }
            })
            .collect_view();

        let db = &p.database;
        let columns = db_columns(db);
        let c = &p.clock;
        let outage = outage_line(c);
        let owner = &p.owner;
        let events = p.events.iter().enumerate().map(|(i, e)| {
            let x = 20 + i as i32 * 152;
            let consumed = if e.consumed_by.is_empty() {
                "not consumed".to_string()
            } else {
                format!("read by {}", e.consumed_by.join(", "))
            };
            view! {
                <g class="event" class:applied=!e.consumed_by.is_empty()>
                    <rect x=x y=H - 56 width="144" height="46" rx="6"/>
                    <text class="box-line" x=x + 7 y=H - 38>{format!("seq {} · epoch {} → {}", e.seq, e.epoch, e.artifact)}</text>
                    <text class="box-line small" x=x + 7 y=H - 20>{consumed}</text>
                </g>
            }
        }).collect_view();

        view! {
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head"/>
                </marker>
            </defs>
            <g class="box owner-box" class:changed=owner.changed>
                <rect x="20" y="20" width="190" height="96" rx="10"/>
                <text class="box-title" x="32" y="42">"Route owner"</text>
                <text class="box-line" x="32" y="64">{format!("artifact {} · epoch {}", owner.artifact, owner.epoch)}</text>
                <text class="box-line" x="32" y="84">{format!("region {} · {}", owner.region, owner.digest)}</text>
                <text class="box-line" x="32" y="104">{format!("wake: {}{}", c.wake, if c.frozen { " · frozen" } else { "" })}</text>
            </g>
            {pops}
            {regions}
            {arrows}
            {stores}
            <g class="box db-box" class:changed=db.changed>
                <rect x=RIGHT_X y="190" width="196" height="84" rx="10"/>
                <text class="box-title" x=RIGHT_X + 12 y="210">{format!("Database ({}{})", db.region, if db.replicated { ", replicated" } else { "" })}</text>
                <foreignObject x=RIGHT_X + 10 y="216" width="180" height="56">
                    <p class="svg-text">{columns}<br/>{format!("{} write(s); backup has {}{}", db.writes, db.backup_writes, if db.fenced { "; writers fenced" } else { "" })}</p>
                </foreignObject>
            </g>
            <g class="box clock-box" class:outage=c.outage.is_some()>
                <rect x=RIGHT_X y="282" width="196" height="98" rx="10"/>
                <text class="box-title" x=RIGHT_X + 12 y="302">{format!("Tick {} · {}", c.tick, if c.serving { "serving" } else { "NOT serving" })}</text>
                <foreignObject x=RIGHT_X + 10 y="308" width="180" height="72">
                    <p class="svg-text">{outage}<br/>{format!("RTO {} tick(s) · RPO {} write(s)", c.rto, c.rpo)}</p>
                </foreignObject>
            </g>
            <text class="stream-label" x="20" y=H - 64>"Route event stream — filled: read by a POP"</text>
            {events}
        }
    };
    view! {
        <figure class="topology">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=move || picture.with(|p| p.summary.clone()) preserveAspectRatio="xMidYMid meet">
                {body}
            </svg>
            <TopologyStack picture=picture/>
            <figcaption class="legend">
                <span><i class="swatch ready"></i>"ready"</span>
                <span><i class="swatch booting"></i>"pulling / starting"</span>
                <span><i class="swatch draining"></i>"draining"</span>
                <span><i class="swatch failed"></i>"failed"</span>
                <span><i class="swatch preview"></i>"preview (dashed)"</span>
                <span>"✎ unsaved draft"</span>
                <span class="routed-key">"→ where a POP sends production traffic"</span>
            </figcaption>
        </figure>
    }
}
