//! Everything that can happen next, by actor. One declarative table gives each
//! action kind its vocabulary word, label, actor and help; drills and the CLI
//! write actions in that vocabulary (`operator promote B`, `time tick`).

use super::world::*;
use serde::Serialize;

/// Who makes a move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Who {
    Operator,
    Worker,
    Runner,
    Pop,
    Control,
    Client,
    Time,
    Fault,
}

impl Who {
    pub fn word(self) -> &'static str {
        match self {
            Who::Operator => "operator",
            Who::Worker => "worker",
            Who::Runner => "runner",
            Who::Pop => "pop",
            Who::Control => "control",
            Who::Client => "client",
            Who::Time => "time",
            Who::Fault => "fault",
        }
    }
}

/// One move. Indices are table positions in `World`; operators by `OPERATORS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Action {
    Deploy {
        by: u8,
        artifact: u8,
    },
    Promote {
        by: u8,
        artifact: u8,
    },
    Rollback {
        by: u8,
        artifact: u8,
    },
    Ack {
        by: u8,
        op: u8,
    },
    Migrate {
        by: u8,
        column: u8,
        destructive: bool,
    },
    Restore {
        by: u8,
    },
    EnableRegion {
        by: u8,
        region: u8,
    },
    Failover {
        by: u8,
        region: u8,
    },
    DrainHost {
        by: u8,
        host: u8,
    },
    Freeze {
        by: u8,
    },
    WorkerNext {
        op: u8,
    },
    RunnerReport {
        alloc: u8,
    },
    ScaleToZero,
    PopConsume {
        pop: u8,
    },
    PopSnapshot {
        pop: u8,
    },
    Deliver {
        report: u8,
    },
    ClientGet {
        pop: u8,
    },
    ClientWebhook {
        payment: u8,
        key: bool,
    },
    ClientType {
        session: u8,
    },
    ClientReconnect {
        session: u8,
    },
    ClientClose {
        session: u8,
    },
    ClientWrite,
    Tick,
    CrashWorker {
        op: u8,
    },
    RetryWorker {
        op: u8,
    },
    CrashRunner {
        alloc: u8,
    },
    LoseReport {
        report: u8,
    },
    DuplicateReport {
        report: u8,
    },
    DelayReport {
        report: u8,
    },
    PopRedeliver {
        pop: u8,
    },
    PopRestart {
        pop: u8,
    },
    RetentionDrop,
    RegionOutage {
        region: u8,
    },
    SlowReadiness {
        alloc: u8,
    },
    ProviderRetry {
        request: u8,
    },
}

/// The declarative row of one action kind.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ActionKind {
    /// Vocabulary after the actor word, e.g. "promote".
    pub name: &'static str,
    pub label: &'static str,
    pub who: Who,
    pub help: &'static str,
    /// Argument pattern shown in help ("ARTIFACT", "OP", "POP"...).
    pub args: &'static str,
}

macro_rules! kinds {
    ($($who:ident $name:literal $args:literal $label:literal $help:literal;)*) => {
        /// Every action kind, by actor.
        pub const ACTION_KINDS: &[ActionKind] = &[
            $(ActionKind { name: $name, label: $label, who: Who::$who, help: $help, args: $args },)*
        ];
    };
}

kinds! {
    Operator "deploy" "ARTIFACT" "Deploy" "Build, validate and preview an artifact; classifies its state and database impact.";
    Operator "promote" "ARTIFACT" "Promote" "Ask to move production to a validated digest (compare-and-swap on the route epoch).";
    Operator "rollback" "ARTIFACT" "Roll back" "Promote an earlier validated artifact: both gates (state, database) must pass.";
    Operator "ack" "OP" "Acknowledge" "Accept a cold change: live sessions will refresh.";
    Operator "migrate" "expand|contract COLUMN" "Migrate" "Expand adds a column; contract drops one once no running allocation reads it.";
    Operator "restore" "" "Restore" "Restore the database backup: fence writers, lose the writes since (RPO).";
    Operator "enable" "REGION" "Enable region" "Enable a region through its gates.";
    Operator "failover" "REGION" "Fail over" "Move production to an eligible region (through the same CAS).";
    Operator "drain" "HOST" "Drain host" "Cordon, evacuate, upgrade and uncordon a host.";
    Operator "freeze" "" "Freeze promotions" "Stop new promotions while investigating (runbook).";
    Worker "next" "OP" "Next stage" "The operation's worker performs exactly one stage.";
    Runner "report" "ALLOC" "Runner report" "The runner advances an allocation: pulled, started, ready, or stopped after drain.";
    Runner "scale-to-zero" "" "Scale to zero" "Idle: stop production allocations; the app sleeps.";
    Pop "consume" "POP" "Consume event" "The POP reads its next route event: apply, ignore or fail closed.";
    Pop "snapshot" "POP" "Load snapshot" "A fail-closed POP loads a verified snapshot and resumes at its seq + 1.";
    Control "deliver" "REPORT" "Deliver report" "A worker's report reaches the control plane.";
    Client "get" "POP" "GET page" "A browser asks a POP for a page (safe).";
    Client "webhook" "PAYMENT [key]" "Payment webhook" "A payment provider posts a webhook (unsafe), with or without an idempotency key.";
    Client "type" "SESSION" "Type a draft" "The user types unsaved work in a live session.";
    Client "reconnect" "SESSION" "Reconnect" "The browser reconnects its WebSocket.";
    Client "close" "SESSION" "Close tab" "The user closes the page.";
    Client "write" "" "Write data" "A product write to the database.";
    Time "tick" "[N]" "Tick" "One tick passes: timers, readiness, budgets, deadlines, windows.";
    Fault "crash-worker" "OP" "Crash worker" "The operation's worker dies between stages.";
    Fault "retry-worker" "OP" "Redeliver job" "The queue redelivers a crashed worker's job; it resumes from the last recorded stage.";
    Fault "crash-runner" "ALLOC" "Crash runner" "The allocation's runner dies.";
    Fault "lose" "REPORT" "Lose report" "A report is lost on the way.";
    Fault "duplicate" "REPORT" "Duplicate report" "A report is delivered twice.";
    Fault "delay" "REPORT" "Delay report" "A report is held back until the next tick.";
    Fault "redeliver" "POP" "Redeliver event" "The POP's last acknowledgement is lost: the stream redelivers.";
    Fault "restart" "POP" "Restart consumer" "The POP's consumer restarts.";
    Fault "retention-drop" "" "Retention drop" "The stream drops its oldest event.";
    Fault "region-outage" "REGION" "Region outage" "A region goes dark.";
    Fault "slow-readiness" "ALLOC" "Slow readiness" "An allocation takes two more ticks to be ready.";
    Fault "provider-retry" "REQUEST" "Provider retry" "The payment provider retries a webhook it got no answer for (or a 503).";
}

impl Action {
    /// Index of its row in `ACTION_KINDS`.
    pub fn kind_index(&self) -> usize {
        use Action::*;
        match self {
            Deploy { .. } => 0,
            Promote { .. } => 1,
            Rollback { .. } => 2,
            Ack { .. } => 3,
            Migrate { .. } => 4,
            Restore { .. } => 5,
            EnableRegion { .. } => 6,
            Failover { .. } => 7,
            DrainHost { .. } => 8,
            Freeze { .. } => 9,
            WorkerNext { .. } => 10,
            RunnerReport { .. } => 11,
            ScaleToZero => 12,
            PopConsume { .. } => 13,
            PopSnapshot { .. } => 14,
            Deliver { .. } => 15,
            ClientGet { .. } => 16,
            ClientWebhook { .. } => 17,
            ClientType { .. } => 18,
            ClientReconnect { .. } => 19,
            ClientClose { .. } => 20,
            ClientWrite => 21,
            Tick => 22,
            CrashWorker { .. } => 23,
            RetryWorker { .. } => 24,
            CrashRunner { .. } => 25,
            LoseReport { .. } => 26,
            DuplicateReport { .. } => 27,
            DelayReport { .. } => 28,
            PopRedeliver { .. } => 29,
            PopRestart { .. } => 30,
            RetentionDrop => 31,
            RegionOutage { .. } => 32,
            SlowReadiness { .. } => 33,
            ProviderRetry { .. } => 34,
        }
    }
    pub fn kind(&self) -> &'static ActionKind {
        &ACTION_KINDS[self.kind_index()]
    }
    pub fn who(&self) -> Who {
        self.kind().who
    }
    pub fn is_fault(&self) -> bool {
        self.who() == Who::Fault
    }
}

/// `promotion#2` for operation index 1.
pub fn op_name(w: &World, op: u8) -> String {
    let o = &w.ops[op as usize];
    format!("{}#{}", o.kind.word(), op + 1)
}
pub fn alloc_name(a: u8) -> String {
    format!("alloc#{}", a + 1)
}
pub fn session_name(s: u8) -> String {
    format!("s{}", s + 1)
}

/// The action in the drill vocabulary (`operator ben promote C`, `worker promotion#1 next`).
pub fn format_action(w: &World, a: &Action) -> String {
    use Action::*;
    let k = a.kind();
    let who = k.who.word();
    let op = |by: &u8| {
        if *by == 0 {
            String::new()
        } else {
            format!("{} ", OPERATORS[*by as usize])
        }
    };
    match a {
        Deploy { by, artifact } | Promote { by, artifact } | Rollback { by, artifact } => {
            format!(
                "{who} {}{} {}",
                op(by),
                k.name,
                ARTIFACT_NAMES[*artifact as usize]
            )
        }
        Ack { by, op: o } => format!("{who} {}ack {}", op(by), op_name(w, *o)),
        Migrate {
            by,
            column,
            destructive,
        } => format!(
            "{who} {}migrate {} {}",
            op(by),
            if *destructive { "contract" } else { "expand" },
            COLUMNS[*column as usize]
        ),
        Restore { by } | Freeze { by } => format!("{who} {}{}", op(by), k.name),
        EnableRegion { by, region } | Failover { by, region } => {
            format!(
                "{who} {}{} {}",
                op(by),
                k.name,
                REGION_NAMES[*region as usize]
            )
        }
        DrainHost { by, host } => format!("{who} {}drain {}", op(by), HOST_TABLE[*host as usize].0),
        WorkerNext { op: o } => format!("worker {} next", op_name(w, *o)),
        CrashWorker { op: o } | RetryWorker { op: o } => {
            format!("{who} {} {}", k.name, op_name(w, *o))
        }
        RunnerReport { alloc } | CrashRunner { alloc } | SlowReadiness { alloc } => {
            format!("{who} {} {}", k.name, alloc_name(*alloc))
        }
        PopConsume { pop } | PopSnapshot { pop } => {
            format!("pop {} {}", POP_NAMES[*pop as usize], k.name)
        }
        ClientGet { pop } | PopRedeliver { pop } | PopRestart { pop } => {
            format!("{who} {} {}", k.name, POP_NAMES[*pop as usize])
        }
        Deliver { report }
        | LoseReport { report }
        | DuplicateReport { report }
        | DelayReport { report } => {
            format!("{who} {} report#{}", k.name, report + 1)
        }
        ClientWebhook { payment, key } => {
            format!(
                "client webhook pay-{}{}",
                payment + 1,
                if *key { " key" } else { "" }
            )
        }
        ClientType { session } | ClientReconnect { session } | ClientClose { session } => {
            format!("client {} {}", k.name, session_name(*session))
        }
        RegionOutage { region } => {
            format!("fault region-outage {}", REGION_NAMES[*region as usize])
        }
        ProviderRetry { request } => format!("fault provider-retry req#{}", request + 1),
        ScaleToZero | ClientWrite | Tick | RetentionDrop => format!("{who} {}", k.name),
    }
}

fn index_of(names: &[&str], word: &str) -> Option<u8> {
    names.iter().position(|n| *n == word).map(|i| i as u8)
}

/// `#n` suffix → index n-1.
fn numbered(word: &str, prefix: &str) -> Option<u8> {
    let n: u8 = word.strip_prefix(prefix)?.parse().ok()?;
    n.checked_sub(1)
}

fn op_ref(w: &World, word: &str) -> Result<u8, String> {
    let (kind, n) = word
        .split_once('#')
        .ok_or_else(|| format!("`{word}` is not an operation (like promotion#1)"))?;
    let i = n
        .parse::<u8>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .filter(|i| (*i as usize) < MAX_OPS)
        .ok_or_else(|| format!("`{word}`: no such operation number"))?;
    let o = &w.ops[i as usize];
    if !o.used {
        return Err(format!("`{word}`: operation #{} does not exist yet", i + 1));
    }
    if o.kind.word() != kind {
        return Err(format!(
            "`{word}`: operation #{} is a {}",
            i + 1,
            o.kind.word()
        ));
    }
    Ok(i)
}

/// Parses one line of the vocabulary against the world (operation names are
/// checked against the operations that exist). `time tick 3` expands to three ticks.
pub fn parse_action(w: &World, line: &str) -> Result<Vec<Action>, String> {
    use Action::*;
    let words: Vec<&str> = line.split_whitespace().collect();
    let bad = |what: &str| format!("`{line}`: {what}");
    let Some((&who, rest)) = words.split_first() else {
        return Err("empty step".into());
    };
    let arg = |i: usize| rest.get(i).copied().ok_or_else(|| bad("missing argument"));
    let artifact = |s: &str| index_of(&ARTIFACT_NAMES, s).ok_or_else(|| bad("unknown artifact"));
    let region = |s: &str| index_of(&REGION_NAMES, s).ok_or_else(|| bad("unknown region"));
    let pop = |s: &str| index_of(&POP_NAMES, s).ok_or_else(|| bad("unknown POP"));
    let alloc = |s: &str| {
        numbered(s, "alloc#")
            .filter(|i| (*i as usize) < MAX_ALLOCS)
            .ok_or_else(|| bad("unknown allocation (alloc#N)"))
    };
    let session = |s: &str| {
        numbered(s, "s")
            .filter(|i| (*i as usize) < MAX_SESSIONS)
            .ok_or_else(|| bad("unknown session (s1, s2)"))
    };
    let report = |s: &str| {
        numbered(s, "report#")
            .filter(|i| (*i as usize) < MAX_MSGS)
            .ok_or_else(|| bad("unknown report (report#N)"))
    };
    let one = |a: Action| Ok(vec![a]);
    match who {
        "operator" => {
            let (by, rest) = match rest.first().and_then(|s| index_of(&OPERATORS, s)) {
                Some(by) => (by, &rest[1..]),
                None => (0, rest),
            };
            let verb = rest.first().copied().ok_or_else(|| bad("missing verb"))?;
            let a1 = || rest.get(1).copied().ok_or_else(|| bad("missing argument"));
            match verb {
                "deploy" => one(Deploy {
                    by,
                    artifact: artifact(a1()?)?,
                }),
                "promote" => one(Promote {
                    by,
                    artifact: artifact(a1()?)?,
                }),
                "rollback" => one(Rollback {
                    by,
                    artifact: artifact(a1()?)?,
                }),
                "ack" => one(Ack {
                    by,
                    op: op_ref(w, a1()?).map_err(|e| bad(&e))?,
                }),
                "migrate" => {
                    let destructive = match a1()? {
                        "expand" => false,
                        "contract" => true,
                        _ => return Err(bad("migrate expand|contract COLUMN")),
                    };
                    let col = rest.get(2).copied().ok_or_else(|| bad("missing column"))?;
                    let column = index_of(&COLUMNS, col).ok_or_else(|| bad("unknown column"))?;
                    one(Migrate {
                        by,
                        column,
                        destructive,
                    })
                }
                "restore" => one(Restore { by }),
                "freeze" => one(Freeze { by }),
                "enable" => one(EnableRegion {
                    by,
                    region: region(a1()?)?,
                }),
                "failover" => one(Failover {
                    by,
                    region: region(a1()?)?,
                }),
                "drain" => {
                    let h = HOST_TABLE
                        .iter()
                        .position(|(n, _)| *n == a1().unwrap_or(""))
                        .ok_or_else(|| bad("unknown host"))?;
                    one(DrainHost { by, host: h as u8 })
                }
                _ => Err(bad("unknown operator verb")),
            }
        }
        "worker" => {
            if rest.get(1).copied() != Some("next") {
                return Err(bad("say `worker OP next`"));
            }
            one(WorkerNext {
                op: op_ref(w, arg(0)?).map_err(|e| bad(&e))?,
            })
        }
        "runner" => match arg(0)? {
            "report" => one(RunnerReport {
                alloc: alloc(arg(1)?)?,
            }),
            "scale-to-zero" => one(ScaleToZero),
            _ => Err(bad("unknown runner verb")),
        },
        "pop" => match arg(1)? {
            "consume" => one(PopConsume { pop: pop(arg(0)?)? }),
            "snapshot" => one(PopSnapshot { pop: pop(arg(0)?)? }),
            _ => Err(bad("say `pop POP consume` or `pop POP snapshot`")),
        },
        "control" => match arg(0)? {
            "deliver" => one(Deliver {
                report: report(arg(1)?)?,
            }),
            _ => Err(bad("unknown control verb")),
        },
        "client" => match arg(0)? {
            "get" => one(ClientGet { pop: pop(arg(1)?)? }),
            "webhook" => {
                let payment = numbered(arg(1)?, "pay-")
                    .filter(|p| *p < 2)
                    .ok_or_else(|| bad("unknown payment (pay-1, pay-2)"))?;
                one(ClientWebhook {
                    payment,
                    key: rest.get(2).copied() == Some("key"),
                })
            }
            "type" => one(ClientType {
                session: session(arg(1)?)?,
            }),
            "reconnect" => one(ClientReconnect {
                session: session(arg(1)?)?,
            }),
            "close" => one(ClientClose {
                session: session(arg(1)?)?,
            }),
            "write" => one(ClientWrite),
            _ => Err(bad("unknown client verb")),
        },
        "time" => match arg(0)? {
            "tick" => {
                let n: usize = match rest.get(1) {
                    Some(n) => n
                        .parse()
                        .ok()
                        .filter(|n| (1..=20).contains(n))
                        .ok_or_else(|| bad("tick count 1..20"))?,
                    None => 1,
                };
                Ok(vec![Tick; n])
            }
            _ => Err(bad("unknown time verb")),
        },
        "fault" => {
            let verb = arg(0)?;
            match verb {
                "crash-worker" => one(CrashWorker {
                    op: op_ref(w, arg(1)?).map_err(|e| bad(&e))?,
                }),
                "retry-worker" => one(RetryWorker {
                    op: op_ref(w, arg(1)?).map_err(|e| bad(&e))?,
                }),
                "crash-runner" => one(CrashRunner {
                    alloc: alloc(arg(1)?)?,
                }),
                "slow-readiness" => one(SlowReadiness {
                    alloc: alloc(arg(1)?)?,
                }),
                "lose" => one(LoseReport {
                    report: report(arg(1)?)?,
                }),
                "duplicate" => one(DuplicateReport {
                    report: report(arg(1)?)?,
                }),
                "delay" => one(DelayReport {
                    report: report(arg(1)?)?,
                }),
                "redeliver" => one(PopRedeliver { pop: pop(arg(1)?)? }),
                "restart" => one(PopRestart { pop: pop(arg(1)?)? }),
                "retention-drop" => one(RetentionDrop),
                "region-outage" => one(RegionOutage {
                    region: region(arg(1)?)?,
                }),
                "provider-retry" => {
                    let request = numbered(arg(1)?, "req#")
                        .filter(|r| (*r as usize) < MAX_REQUESTS)
                        .ok_or_else(|| bad("unknown request (req#N)"))?;
                    one(ProviderRetry { request })
                }
                _ => Err(bad("unknown fault")),
            }
        }
        _ => Err(bad(
            "a step starts with operator, worker, runner, pop, control, client, time or fault",
        )),
    }
}
