//! The default world and the control-plane helpers every action uses.

use super::few::Few;
use super::hash::splitmix64;
use super::lifecycle::{AllocLife, DeployStage, PromotionStage, Res, Stage, WakeStage, Why};
use super::narrate::{LogEntry, LogLine};
use super::policy::{AntiPattern, Policy};
use super::world::*;

impl World {
    /// A sensible default: one region/cell, artifact A live in production with two
    /// live sessions, builds B (warm, additive), C (warm, destructive) and D (cold,
    /// additive) ready to deploy; no stores bound; the app is hot.
    pub fn new(seed: u64) -> World {
        let mut rng = seed;
        let mut digest = || splitmix64(&mut rng) as u32;
        let mut artifacts = Few::default();
        let specs: [(u8, Migration, u8); 4] = [
            (1, Migration::None, 0b0111),
            (1, Migration::Additive { column: 3 }, 0b1111),
            (1, Migration::Destructive { column: 2 }, 0b0011),
            (2, Migration::Additive { column: 3 }, 0b1111),
        ];
        for (i, (schema, migration, reads)) in specs.into_iter().enumerate() {
            artifacts.push(Artifact {
                digest: digest(),
                state_schema: schema,
                migration,
                reads,
                deploy_op: (i == 0).then_some(0),
                migrated: i == 0,
                was_owner: i == 0,
            });
        }
        let mut regions = Few::default();
        regions.push(Region {
            id: 0,
            cells: 1,
            failed: false,
            slots: DEFAULT_SLOTS,
        });
        let mut allocations = Few::default();
        allocations.push(Allocation {
            id: 0,
            artifact: 0,
            env: Env::Production,
            place: Place::at(0),
            life: AllocLife::Ready,
            healthy: true,
        });
        let a_digest = artifacts.as_slice()[0].digest;
        let owner = RouteOwner {
            artifact: 0,
            digest: a_digest,
            place: Place::at(0),
            epoch: 1,
        };
        let mut sessions = Few::default();
        for id in 0..2 {
            sessions.push(Session {
                id,
                allocation: 0,
                state_schema: 1,
                notice: SessionNotice::Live,
                stale: false,
            });
        }
        let mut operations = Few::default();
        let mut deploy = Operation {
            id: 0,
            kind: OpKind::Deploy,
            ..Default::default()
        };
        for s in [
            DeployStage::Queued,
            DeployStage::Building,
            DeployStage::Validating,
            DeployStage::PreviewReady,
        ] {
            deploy.stages.push(Stage::Deploy(s));
        }
        let mut promote = Operation {
            id: 1,
            kind: OpKind::Promote,
            ..Default::default()
        };
        for s in [
            PromotionStage::Requested,
            PromotionStage::PolicyCheck,
            PromotionStage::RouteCas,
            PromotionStage::EdgePropagating,
            PromotionStage::Healthy,
        ] {
            promote.stages.push(Stage::Promotion(s));
        }
        operations.push(deploy);
        operations.push(promote);
        let mut events = Few::default();
        events.push(Event {
            seq: 1,
            key: Env::Preview,
            epoch: 1,
            artifact: 0,
            region: 0,
        });
        events.push(Event {
            seq: 2,
            key: Env::Production,
            epoch: 1,
            artifact: 0,
            region: 0,
        });
        let key = |seq| EdgeKey {
            last_applied_epoch: 1,
            artifact: 0,
            region: 0,
            last_seq: seq,
            applies: 1,
        };
        let mut logs = Few::default();
        logs.push(LogLine {
            place: Place::at(0),
            entry: LogEntry::Stage {
                op: 1,
                stage: Stage::Promotion(PromotionStage::Healthy),
            },
        });
        let mut w = World {
            seed,
            regions,
            artifacts,
            allocations,
            route_owners: [owner, owner],
            sessions,
            session_store: None,
            idempotency_store: None,
            broadcast: None,
            fanout: 0,
            idempotency_keys: 0,
            operations,
            events,
            next_seq: 3,
            edge: Edge {
                keys: [key(2), key(1)],
                cursor: 2,
                snapshot_seq: 0,
            },
            logs,
            db: Db {
                columns: 0b0111,
                applied: [0, 0],
            },
            requests: Few::default(),
            wake: WakeStage::Hot,
            wake_op: None,
            wake_allocation: None,
            console: None,
            cli: None,
            next_allocation: 1,
            next_op: 2,
            next_session: 2,
            next_request: 0,
        };
        w.refresh_views(&Policy::default());
        w
    }

    /// The default world after it went idle: scaled to zero, no sessions.
    pub fn sleeping(seed: u64) -> World {
        let mut w = World::new(seed);
        w.sessions = Few::default();
        w.allocations = Few::default();
        w.wake = WakeStage::Sleeping;
        w
    }

    /// This world with the session and/or idempotency store bound in region 0.
    pub fn with_stores(mut self, session: bool, idempotency: bool) -> World {
        let b = Binding {
            place: Place::at(0),
        };
        self.session_store = session.then_some(b);
        self.idempotency_store = idempotency.then_some(b);
        self
    }

    /// The default world with the session store bound, B built and running in
    /// preview, and a full cell: two slots, taken by A's production allocation and
    /// B's preview, so nothing can start until a slot is freed.
    pub fn full_cell(seed: u64) -> World {
        let mut w = World::new(seed).with_stores(true, false);
        let p = Policy::default();
        // Deploying B to preview cannot be refused in the default world; if it
        // were, the drill would simply start without the preview.
        let _ = super::promote::deploy(&mut w, &p, 1, &mut super::narrate::Say::off());
        if let Some(r) = w.regions.iter_mut().find(|r| r.id == 0) {
            r.slots = 2;
        }
        w.refresh_views(&p);
        w
    }

    /// Running allocations in a region's cell (an allocation with no known place
    /// counts against every cell: nobody can tell where it runs).
    pub fn running_in(&self, region: u8) -> usize {
        self.allocations
            .iter()
            .filter(|a| a.life.is_running() && a.place.region.is_none_or(|r| r == region))
            .count()
    }

    /// The cell of `region` has room for one more running allocation.
    pub fn has_room(&self, region: u8) -> bool {
        let slots = self
            .regions
            .iter()
            .find(|r| r.id == region)
            .map(|r| r.slots)
            .unwrap_or(0);
        self.running_in(region) < slots as usize
    }

    /// Operation by id.
    pub fn op(&self, id: u8) -> Option<&Operation> {
        self.operations.iter().find(|o| o.id == id)
    }
    pub(crate) fn op_mut(&mut self, id: u8) -> Option<&mut Operation> {
        self.operations.iter_mut().find(|o| o.id == id)
    }
    /// Allocation by id.
    pub fn allocation(&self, id: u8) -> Option<&Allocation> {
        self.allocations.iter().find(|a| a.id == id)
    }
    pub(crate) fn alloc_mut(&mut self, id: u8) -> Option<&mut Allocation> {
        self.allocations.iter_mut().find(|a| a.id == id)
    }
    /// Artifact by index.
    pub fn artifact(&self, a: u8) -> Option<&Artifact> {
        self.artifacts.as_slice().get(a as usize)
    }
    /// Route owner of a key.
    pub fn owner(&self, env: Env) -> &RouteOwner {
        &self.route_owners[env.ix()]
    }
    /// Live sessions attached to an allocation.
    pub fn session_count(&self, alloc: u8) -> usize {
        self.sessions
            .iter()
            .filter(|s| s.allocation == alloc)
            .count()
    }
    /// The artifact's deploy operation reached preview_ready: it is validated.
    pub fn validated(&self, a: u8) -> bool {
        self.artifact(a)
            .and_then(|art| art.deploy_op)
            .and_then(|op| self.op(op))
            .is_some_and(|o| {
                o.stages
                    .iter()
                    .any(|s| *s == Stage::Deploy(DeployStage::PreviewReady))
            })
    }
    /// First region that has not failed.
    pub fn live_region(&self) -> u8 {
        self.regions
            .iter()
            .find(|r| !r.failed)
            .map(|r| r.id)
            .unwrap_or(0)
    }
    /// Where new production allocations start: the route owner's region while
    /// it is up, else a live one (an owner erased of topology has none).
    pub fn owner_region(&self) -> u8 {
        self.owner(Env::Production)
            .place
            .region
            .filter(|r| self.regions.iter().any(|x| x.id == *r && !x.failed))
            .unwrap_or_else(|| self.live_region())
    }
    /// The router's pick for production traffic, per policy.
    ///
    /// Correct: only ready, healthy production allocations of the artifact the edge
    /// applied for the production key. Naive: the newest healthy allocation of any kind.
    pub fn route_target(&self, p: &Policy) -> Option<u8> {
        if p.is_naive(AntiPattern::RoutingByHealthyBackend) {
            return self
                .allocations
                .iter()
                .rev()
                .find(|a| a.life == AllocLife::Ready && a.healthy)
                .map(|a| a.id);
        }
        let art = self.edge.keys[Env::Production.ix()].artifact;
        self.allocations
            .iter()
            .find(|a| {
                a.env == Env::Production
                    && a.artifact == art
                    && a.life == AllocLife::Ready
                    && a.healthy
            })
            .map(|a| a.id)
    }

    pub(crate) fn place(&self, p: &Policy, region: u8) -> Place {
        if p.is_naive(AntiPattern::MvpErasesTopology) {
            Place::default()
        } else {
            Place::at(region)
        }
    }

    pub(crate) fn log(&mut self, p: &Policy, region: u8, entry: LogEntry) {
        let place = self.place(p, region);
        self.logs.push_evict(LogLine { place, entry });
    }

    /// Plans a new allocation (lifecycle `planned`), evicting a finished one if full.
    pub(crate) fn new_allocation(
        &mut self,
        p: &Policy,
        artifact: u8,
        env: Env,
        region: u8,
    ) -> Res<u8> {
        if !self.has_room(region) {
            return Err(Why("No spare capacity: the cell has no room for another allocation. Stop one that is no longer needed first."));
        }
        if self.allocations.is_full() {
            let sessions = self.sessions;
            let wake = self.wake_allocation;
            let victim = self.allocations.iter().position(|a| {
                !a.life.is_running()
                    && Some(a.id) != wake
                    && !sessions.iter().any(|s| s.allocation == a.id)
            });
            match victim {
                Some(i) => self.allocations.remove(i),
                None => return Err(Why("The cell has no room for another allocation.")),
            }
        }
        let allocations = &self.allocations;
        let id = fresh_id(&mut self.next_allocation, |id| {
            allocations.iter().any(|a| a.id == id)
        });
        let place = self.place(p, region);
        self.allocations.push(Allocation {
            id,
            artifact,
            env,
            place,
            life: AllocLife::Planned,
            healthy: false,
        });
        Ok(id)
    }

    /// Moves an allocation through its lifecycle (a refusal if the move is illegal).
    pub(crate) fn alloc_go(&mut self, id: u8, to: AllocLife) -> Res<()> {
        let a = self.alloc_mut(id).ok_or(Why("No such allocation."))?;
        a.life = a.life.go(to)?;
        Ok(())
    }

    /// Runs a new allocation all the way to ready.
    pub(crate) fn start_allocation(
        &mut self,
        p: &Policy,
        artifact: u8,
        env: Env,
        region: u8,
    ) -> Res<u8> {
        let id = self.new_allocation(p, artifact, env, region)?;
        for to in [AllocLife::Pulling, AllocLife::Starting, AllocLife::Ready] {
            self.alloc_go(id, to)?;
        }
        Ok(id)
    }

    /// Opens a new operation record, evicting an old finished one if full.
    pub(crate) fn new_op(&mut self, kind: OpKind, artifact: u8, read_epoch: u16) -> Res<u8> {
        if self.operations.is_full() {
            let keep: Vec<u8> = self.artifacts.iter().filter_map(|a| a.deploy_op).collect();
            let wake = self.wake_op;
            let victim = self.operations.iter().position(|o| {
                let done = match o.stage() {
                    Some(Stage::Deploy(s)) => s.is_done(),
                    Some(Stage::Promotion(s)) => s.is_done(),
                    Some(Stage::Wake(s)) => !s.is_waking(),
                    None => true,
                };
                done && !keep.contains(&o.id) && Some(o.id) != wake
            });
            match victim {
                Some(i) => self.operations.remove(i),
                None => return Err(Why("Too many operations are in flight.")),
            }
        }
        let operations = &self.operations;
        let id = fresh_id(&mut self.next_op, |id| {
            operations.iter().any(|o| o.id == id)
        });
        self.operations.push(Operation {
            id,
            kind,
            artifact,
            read_epoch,
            ..Default::default()
        });
        Ok(id)
    }

    /// Writes the next durable stage record of an operation (and a log line as evidence).
    pub(crate) fn record(&mut self, p: &Policy, op: u8, stage: Stage) -> Res<()> {
        let region = self.owner(Env::Production).place.region.unwrap_or(0);
        let o = self.op_mut(op).ok_or(Why("No such operation."))?;
        let ok = match o.stage() {
            Some(last) => last.allows(stage),
            None => matches!(
                stage,
                Stage::Deploy(DeployStage::Queued)
                    | Stage::Promotion(PromotionStage::Requested)
                    | Stage::Wake(WakeStage::WakeRequested)
            ),
        };
        if !ok || !o.stages.push(stage) {
            return Err(Why("That operation cannot move to this stage."));
        }
        self.log(p, region, LogEntry::Stage { op, stage });
        Ok(())
    }

    /// Publishes the committed route owner of `key` on the stream (retention may drop the oldest).
    pub(crate) fn publish(&mut self, key: Env) {
        let o = *self.owner(key);
        let seq = self.next_seq;
        self.next_seq = seq.wrapping_add(1);
        self.events.push_evict(Event {
            seq,
            key,
            epoch: o.epoch,
            artifact: o.artifact,
            region: o.place.region.unwrap_or(0),
        });
    }

    /// Recomputes what the console and the CLI show for the latest operation.
    pub(crate) fn refresh_views(&mut self, p: &Policy) {
        let Some(latest) = self.operations.last().copied() else {
            self.console = None;
            self.cli = None;
            return;
        };
        let record = latest.stage().map(|stage| StatusView {
            op: latest.id,
            kind: latest.kind,
            stage,
        });
        self.cli = record;
        self.console = if p.is_naive(AntiPattern::LogsAsTruth) {
            // Naive: show the newest status line in the logs, whichever worker wrote it.
            self.logs
                .iter()
                .rev()
                .find_map(|l| match l.entry {
                    LogEntry::Stage { op, stage } => Some((op, stage)),
                    _ => None,
                })
                .map(|(op, stage)| StatusView {
                    op,
                    kind: self.op(op).map(|o| o.kind).unwrap_or(latest.kind),
                    stage,
                })
                .or(record)
        } else {
            record
        };
    }
}

/// The next id from `next` that is not `in_use`. Ids wrap around (they are
/// u8 to keep the world small); skipping live ones keeps identity unique.
fn fresh_id(next: &mut u8, in_use: impl Fn(u8) -> bool) -> u8 {
    let mut id = *next;
    while in_use(id) {
        id = id.wrapping_add(1);
    }
    *next = id.wrapping_add(1);
    id
}
