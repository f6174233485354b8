use leptos::prelude::*;

use crate::model::{
    artifact_name, region_name, AllocLife, Env, SessionNotice, Stage, World, REGION_NAMES,
};

/// Fill class per allocation lifecycle state (colours live in the stylesheet).
fn life_class(life: AllocLife) -> &'static str {
    match life {
        AllocLife::Planned | AllocLife::Pulling | AllocLife::Starting => "alloc booting",
        AllocLife::Ready => "alloc ready",
        AllocLife::Draining => "alloc draining",
        AllocLife::Stopped => "alloc stopped",
        AllocLife::Failed => "alloc failed",
    }
}

fn session_class(n: SessionNotice) -> &'static str {
    match n {
        SessionNotice::Live => "session live",
        SessionNotice::DrainingInPlace => "session draining",
        SessionNotice::Resumed => "session resumed",
        SessionNotice::Fresh => "session fresh",
        SessionNotice::Moved => "session moved",
    }
}

// Whole-pixel coordinates: printing integers keeps float formatting out of the wasm.
const W: i32 = 960;
const H: i32 = 430;
const REGION_X: i32 = 250;
const REGION_W: i32 = 480;
const ALLOC_W: i32 = 146;
const ALLOC_H: i32 = 100;

/// The topology, drawn from the world: edge and route owner on the left,
/// regions with their cell and allocations in the middle, stores and the
/// database on the right, the event stream along the bottom. The picture
/// says nothing the state table does not; it is `aria-hidden` behind a summary.
#[component]
pub fn Topology(
    /// What the last step changed: those parts pulse once.
    changed: Signal<crate::lab::Changed>,
    world: Signal<World>,
    route_target: Signal<Option<u8>>,
    summary: Signal<String>,
) -> impl IntoView {
    let body = move || {
        let w = world.get();
        let target = route_target.get();
        let ch = changed.get();
        let owner = *w.owner(Env::Production);
        let edge = w.edge.keys[Env::Production.ix()];
        let regions = w.regions.len().max(1);
        let region_h = (H - 120) / regions as i32;

        let mut alloc_pos = Vec::new();
        let region_views = w.regions.iter().enumerate().map(|(ri, r)| {
            let y = 20 + ri as i32 * region_h;
            let allocs: Vec<_> = w.allocations.iter().filter(|a| a.place.region.unwrap_or(0) == r.id && a.life != AllocLife::Stopped).collect();
            let views = allocs.iter().enumerate().map(|(i, a)| {
                let per_row = 3;
                let x = REGION_X + 16 + (i % per_row) as i32 * (ALLOC_W + 10);
                let ay = y + 34 + (i / per_row) as i32 * (ALLOC_H + 8);
                alloc_pos.push((a.id, x, ay));
                let sessions: Vec<_> = w.sessions.iter().filter(|s| s.allocation == a.id).copied().collect();
                let dots = sessions.iter().enumerate().map(|(si, s)| view! {
                    <circle class=session_class(s.notice) class:stale=s.stale cx=x + 14 + si as i32 * 16 cy=ay + ALLOC_H - 12 r="6"/>
                }).collect_view();
                let preview = a.env == Env::Preview;
                let routed = target == Some(a.id);
                let unplaced = !a.place.is_known();
                view! {
                    <g class="alloc-group">
                        <rect class=life_class(a.life) class:preview=preview class:routed=routed class:changed=ch.allocations.contains(&a.id) x=x y=ay width=ALLOC_W height=ALLOC_H rx="8"/>
                        <text class="alloc-title" x=x + 10 y=ay + 20>{format!("alloc-{}", a.id)}</text>
                        <text class="alloc-line" x=x + 10 y=ay + 38>{format!("{} · {}", artifact_name(a.artifact), if preview { "preview" } else { "production" })}</text>
                        <text class="alloc-line" x=x + 10 y=ay + 56>{a.life.name()}</text>
                        <text class="alloc-line" class:unhealthy=!a.healthy x=x + 10 y=ay + 74>{if a.healthy { "healthy" } else { "not healthy" }}</text>
                        {unplaced.then(|| view! { <text class="alloc-warn" x=x + ALLOC_W - 10 y=ay + 20 text-anchor="end">"no region!"</text> })}
                        {dots}
                    </g>
                }
            }).collect_view();
            let label = format!("{} / c1{}", region_name(r.id), if r.failed { " — failed" } else { "" });
            // Scaled to zero: say so rather than draw an empty region.
            let empty = allocs.is_empty().then(|| view! {
                <text class="region-empty" x=REGION_X + REGION_W / 2 y=y + region_h / 2 text-anchor="middle">
                    {if w.wake == crate::model::WakeStage::Sleeping { "scaled to zero: no allocation running" } else { "no allocation running" }}
                </text>
            });
            view! {
                <g>
                    <rect class="region" class:failed=r.failed x=REGION_X y=y width=REGION_W height=region_h - 12 rx="14"/>
                    // Bottom left: the traffic arrow enters the row from above.
                    <text class="region-label" x=REGION_X + 14 y=y + region_h - 24>{label}</text>
                    {views}
                    {empty}
                </g>
            }
        }).collect_view();

        // Traffic: from the edge to the allocation it routes production to.
        let arrow = target
            .and_then(|t| alloc_pos.iter().find(|(id, _, _)| *id == t))
            .map(|(_, x, y)| {
                // Over the top of the row, into the routed allocation from above.
                let (tx, ty) = (x + ALLOC_W / 2, y - 3);
                let d = format!("M 210 60 C {} 40, {tx} {}, {tx} {ty}", tx - 60, ty - 40);
                view! { <path class="traffic" d=d marker-end="url(#arrow)"/> }
            });

        let unplaced_count = w
            .allocations
            .iter()
            .filter(|a| !a.place.is_known() && a.life.is_running())
            .count();
        let unplaced = (unplaced_count > 0).then(|| view! {
            <text class="alloc-warn" x=REGION_X + 14 y=H - 96>{format!("{unplaced_count} allocation(s) with no region or cell: nobody can say where they run")}</text>
        });

        let stores = [
            ("Session store", w.session_store.is_some()),
            ("Idempotency store", w.idempotency_store.is_some()),
            ("Broadcast backend", w.broadcast.is_some()),
        ];
        let store_views = stores.iter().enumerate().map(|(i, (name, bound))| {
            let y = 20 + i as i32 * 64;
            view! {
                <g class="store" class:unbound=!*bound class:changed=ch.stores>
                    <rect x="748" y=y width="196" height="52" rx="10"/>
                    <text class="box-title" x="760" y=y + 21>{*name}</text>
                    <text class="box-line" x="760" y=y + 40>{if *bound { "bound" } else { "not bound" }}</text>
                </g>
            }
        }).collect_view();
        let columns = w.db.column_names().join(", ");
        let wake = Stage::Wake(w.wake).name();

        let events = w.events.iter().enumerate().map(|(i, e)| {
            let x = 20 + i as i32 * 150;
            let applied = e.seq <= w.edge.cursor;
            view! {
                <g class="event" class:applied=applied>
                    <rect x=x y=H - 58 width="142" height="40" rx="6"/>
                    <text class="box-line" x=x + 8 y=H - 42>{format!("#{} {}", e.seq, e.key.name())}</text>
                    <text class="box-line" x=x + 8 y=H - 26>{format!("epoch {} → {}", e.epoch, artifact_name(e.artifact))}</text>
                </g>
            }
        }).collect_view();

        view! {
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head"/>
                </marker>
            </defs>
            <g class="box edge-box" class:changed=ch.edge>
                <rect x="20" y="20" width="190" height="120" rx="10"/>
                <text class="box-title" x="32" y="44">"Edge"</text>
                <text class="box-line" x="32" y="68">{format!("applied epoch {}", edge.last_applied_epoch)}</text>
                <text class="box-line" x="32" y="88">{format!("last seq {} · cursor {}", edge.last_seq, w.edge.cursor)}</text>
                <text class="box-line" x="32" y="108">{format!("routes to {}", artifact_name(edge.artifact))}</text>
                <text class="box-line" x="32" y="128">{format!("wake: {wake}")}</text>
            </g>
            <g class="box owner-box" class:changed=ch.owner>
                <rect x="20" y="156" width="190" height="110" rx="10"/>
                <text class="box-title" x="32" y="180">"Route owner"</text>
                <text class="box-line" x="32" y="204">{format!("artifact {} · epoch {}", artifact_name(owner.artifact), owner.epoch)}</text>
                <text class="box-line" x="32" y="224">{format!("sha {:08x}", owner.digest)}</text>
                <text class="box-line" x="32" y="244">{owner.place.label()}</text>
            </g>
            {region_views}
            {arrow}
            {unplaced}
            {store_views}
            <g class="box db-box" class:changed=ch.db>
                <rect x="748" y="214" width="196" height="100" rx="10"/>
                <text class="box-title" x="760" y="236">"Database"</text>
                <foreignObject x="760" y="242" width="176" height="68">
                    <p class="svg-text">{columns}</p>
                </foreignObject>
            </g>
            <text class="stream-label" x="20" y=H - 66>"Event stream (JetStream) — filled: consumed by the edge"</text>
            {events}
        }
    };
    view! {
        <figure class="topology">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=move || summary.get() preserveAspectRatio="xMidYMid meet">
                {body}
            </svg>
            <figcaption class="legend">
                <span><i class="swatch ready"></i>"ready"</span>
                <span><i class="swatch booting"></i>"starting"</span>
                <span><i class="swatch draining"></i>"draining"</span>
                <span><i class="swatch failed"></i>"failed"</span>
                <span><i class="swatch preview"></i>"preview (dashed)"</span>
                <span><i class="dot live"></i>"live session"</span>
                <span><i class="dot resumed"></i>"resumed"</span>
                <span><i class="dot fresh"></i>"fresh"</span>
                <span><i class="dot moved"></i>"shown as moved"</span>
                <span><i class="dot live stale"></i>"shows old state"</span>
                <span class="routed-key">"→ production traffic"</span>
            </figcaption>
        </figure>
    }
}

/// Region names, for the summary sentence.
pub fn region_list(w: &World) -> String {
    w.regions
        .iter()
        .map(|r| REGION_NAMES.get(r.id as usize).copied().unwrap_or("?"))
        .collect::<Vec<_>>()
        .join(" and ")
}
