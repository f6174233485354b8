//! Places: region enablement and its gates, failover (a promotion to an
//! eligible region), host drain with its headroom gate, region outages.

use super::decide::{host_drain, region_gates, HostDrain, RegionGate};
use super::lifecycle::is_terminal;
use super::step::{
    fail, new_op, record, retire, running_on, say, stamp, start_alloc, Cx, Reason, Refusal,
};
use super::world::*;

pub fn request_enablement(cx: &mut Cx, by: u8, region: u8) -> Result<(), Refusal> {
    if cx.w.regions[region as usize].stage != RegionStage::Disabled {
        return Err("the region is already enabled or being enabled");
    }
    new_op(cx, OpKind::RegionEnable, Actor::Operator(by), region)?;
    cx.w.regions[region as usize].stage = RegionStage::Requested;
    Ok(())
}

/// The region's enablement gates, as far as `stage` needs them.
pub fn gates(w: &World, region: u8) -> RegionGate {
    let r = &w.regions[region as usize];
    let db = &w.db;
    let store = &w.session_store;
    let data_ready = (db.replicated || db.region == region)
        && (!store.bound || store.replicated || store.region == region);
    let artifacts = w.artifacts[w.owner.artifact as usize].replicated;
    region_gates(r.residency_allowed, r.secrets, data_ready, artifacts)
}

pub fn enablement_next(cx: &mut Cx, op: u8) -> Result<(), Refusal> {
    let o = cx.w.ops[op as usize];
    let region = o.target;
    let g = gates(cx.w, region);
    let blocked = match o.stage {
        0 => g == RegionGate::BlockedResidency,
        1 => g == RegionGate::BlockedSecrets,
        2 => g == RegionGate::BlockedDataTopology,
        _ => false,
    };
    if blocked {
        cx.w.regions[region as usize].stage = RegionStage::Disabled;
        say!(cx, "Gate not met: {}.", g.words());
        fail(cx, op, Reason::RegionGate);
        return Ok(());
    }
    let r = &mut cx.w.regions[region as usize];
    match o.stage {
        0 => {
            r.stage = RegionStage::Provisioning;
            record(cx, op, 1);
        }
        1 => {
            r.stage = RegionStage::BindingServices;
            // The broadcast backend gets a regional binding, with the region it is in.
            let stamped_region = stamp(cx, region);
            cx.w.broadcast = Binding {
                bound: true,
                region,
                stamped_region,
                replicated: false,
            };
            say!(
                cx,
                "Broadcast backend bound in {}.",
                REGION_NAMES[region as usize]
            );
            record(cx, op, 2);
        }
        2 => {
            let owner = cx.w.owner.artifact;
            cx.w.artifacts[owner as usize].replicated = true;
            cx.w.regions[region as usize].stage = RegionStage::ReplicatingArtifacts;
            say!(
                cx,
                "Artifact {} replicated to {}.",
                ARTIFACT_NAMES[owner as usize],
                REGION_NAMES[region as usize]
            );
            record(cx, op, 3);
        }
        _ => {
            cx.w.regions[region as usize].stage = RegionStage::Eligible;
            record(cx, op, 4);
        }
    }
    Ok(())
}

pub fn request_failover(cx: &mut Cx, by: u8, region: u8) -> Result<(), Refusal> {
    let r = cx.w.regions[region as usize];
    if r.stage != RegionStage::Eligible || !r.up {
        return Err("failover may only target an eligible region that is up");
    }
    if region == cx.w.owner.region {
        return Err("production is already bound to that region");
    }
    let owner = cx.w.owner.artifact;
    let op = new_op(cx, OpKind::Failover, Actor::Operator(by), owner)?;
    cx.w.ops[op as usize].region = region;
    Ok(())
}

pub fn outage(cx: &mut Cx, region: u8) -> Result<(), Refusal> {
    if !cx.w.regions[region as usize].up {
        return Err("already down");
    }
    cx.w.regions[region as usize].up = false;
    say!(cx, "Region {} is down.", REGION_NAMES[region as usize]);
    for i in 0..MAX_ALLOCS as u8 {
        let a = cx.w.allocs[i as usize];
        if a.used && a.state.running() && a.region() == region {
            super::sessions::detach_all(cx, i);
        }
    }
    Ok(())
}

pub fn request_host_drain(cx: &mut Cx, by: u8, host: u8) -> Result<(), Refusal> {
    if cx.w.hosts[host as usize].cordoned {
        return Err("the host is already cordoned");
    }
    if cx
        .w
        .ops
        .iter()
        .any(|o| o.used && o.kind == OpKind::HostDrain && !is_terminal(o.kind, o.stage))
    {
        return Err("one host drain at a time");
    }
    new_op(cx, OpKind::HostDrain, Actor::Operator(by), host)?;
    cx.w.hosts[host as usize].cordoned = true;
    say!(
        cx,
        "{} cordoned: no new allocations.",
        HOST_TABLE[host as usize].0
    );
    Ok(())
}

/// Running allocations on `host` that still need a replacement.
fn on_host(w: &World, host: u8) -> impl Iterator<Item = u8> + '_ {
    (0..MAX_ALLOCS as u8).filter(move |&i| {
        let a = &w.allocs[i as usize];
        a.used && a.host == host && a.state.running() && a.state != AllocState::Draining
    })
}

/// Room in the cell for a replacement of each allocation on the host.
pub fn headroom(w: &World, host: u8) -> bool {
    let cell = host_cell(host);
    let need = on_host(w, host).count() as u8;
    let free: u8 = (0..HOSTS as u8)
        .filter(|&h| h != host && host_cell(h) == cell && !w.hosts[h as usize].cordoned)
        .map(|h| HOST_SLOTS.saturating_sub(running_on(w, h)))
        .sum();
    free >= need
}

pub fn host_drain_next(cx: &mut Cx, op: u8) -> Result<(), Refusal> {
    let o = cx.w.ops[op as usize];
    let host = o.target;
    let name = HOST_TABLE[host as usize].0;
    match o.stage {
        0 => {
            if host_drain(headroom(cx.w, host), false) == HostDrain::BlockedNoHeadroom {
                return Err(
                    "blocked: no headroom in the cell for replacements (cordon is not enough)",
                );
            }
            let olds: Vec<u8> = on_host(cx.w, host).collect();
            for i in olds {
                let a = cx.w.allocs[i as usize];
                start_alloc(cx, a.artifact, a.env, a.region(), Some(host));
            }
            record(cx, op, 1);
        }
        1 => {
            let w = &*cx.w;
            let replaced = on_host(w, host).all(|i| {
                let a = w.allocs[i as usize];
                w.allocs.iter().any(|b| {
                    b.used
                        && b.host != host
                        && b.artifact == a.artifact
                        && b.env == a.env
                        && b.state == AllocState::Ready
                })
            });
            if !replaced {
                return Err("waiting for the replacements to be ready");
            }
            let olds: Vec<u8> = on_host(cx.w, host).collect();
            let to = super::step::owner_target(cx.w);
            for i in olds {
                retire(cx, i, to);
            }
            record(cx, op, 2);
        }
        2 => {
            let w = &*cx.w;
            let left = w
                .allocs
                .iter()
                .any(|a| a.used && a.host == host && a.state.running());
            if host_drain(true, left) != HostDrain::Safe {
                return Err("blocked: sessions still drain on the host");
            }
            record(cx, op, 3);
        }
        3 => {
            cx.w.hosts[host as usize].upgraded = true;
            say!(cx, "{name} upgraded.");
            record(cx, op, 4);
        }
        _ => {
            cx.w.hosts[host as usize].cordoned = false;
            say!(cx, "{name} passed its postcheck and is uncordoned.");
            record(cx, op, 5);
        }
    }
    Ok(())
}
