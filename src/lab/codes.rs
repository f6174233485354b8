//! Short, readable codes for the simulator's actions, for share links:
//! two letters for the kind, then one digit per argument (`pr12` is
//! "operator ben promote C"). Every index the simulator uses is below ten,
//! so a digit each keeps a hundred steps under a kilobyte.

use crate::sim::world::{
    ARTIFACTS, COLUMNS, HOSTS, MAX_ALLOCS, MAX_MSGS, MAX_OPS, MAX_REQUESTS, MAX_SESSIONS,
    OPERATORS, POPS, REGIONS,
};
use crate::sim::Action;

/// The code letters of each kind, by `ACTION_KINDS` index.
const LETTERS: [&str; 35] = [
    "de", "pr", "rb", "ak", "mg", "rs", "en", "fo", "dh", "fz", "wn", "rr", "sz", "pc", "ps", "dl",
    "cg", "cw", "ct", "cr", "cc", "cx", "t", "xw", "yw", "xr", "xl", "xd", "xy", "xe", "xp", "xt",
    "xo", "xs", "xq",
];

/// The action's code, e.g. `wn0` for "worker promotion#1 next".
pub fn encode(a: &Action) -> String {
    use Action::*;
    let args: Vec<u8> = match *a {
        Deploy { by, artifact } | Promote { by, artifact } | Rollback { by, artifact } => {
            vec![by, artifact]
        }
        Ack { by, op } => vec![by, op],
        Migrate {
            by,
            column,
            destructive,
        } => vec![by, column, destructive as u8],
        Restore { by } | Freeze { by } => vec![by],
        EnableRegion { by, region } | Failover { by, region } => vec![by, region],
        DrainHost { by, host } => vec![by, host],
        WorkerNext { op } | CrashWorker { op } | RetryWorker { op } => vec![op],
        RunnerReport { alloc } | CrashRunner { alloc } | SlowReadiness { alloc } => vec![alloc],
        PopConsume { pop } | PopSnapshot { pop } | ClientGet { pop } => vec![pop],
        PopRedeliver { pop } | PopRestart { pop } => vec![pop],
        Deliver { report }
        | LoseReport { report }
        | DuplicateReport { report }
        | DelayReport { report } => vec![report],
        ClientWebhook { payment, key } => vec![payment, key as u8],
        ClientType { session } | ClientReconnect { session } | ClientClose { session } => {
            vec![session]
        }
        RegionOutage { region } => vec![region],
        ProviderRetry { request } => vec![request],
        ScaleToZero | ClientWrite | Tick | RetentionDrop => vec![],
    };
    let mut out = LETTERS[a.kind_index()].to_string();
    for d in args {
        out.push(char::from(b'0' + d));
    }
    out
}

/// Reads a code back; `None` for anything `encode` never writes (an unknown
/// kind, a wrong number of digits, an index out of the world's range).
pub fn decode(code: &str) -> Option<Action> {
    use Action::*;
    let split = code
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(code.len());
    let (letters, digits) = code.split_at(split);
    let kind = LETTERS.iter().position(|l| *l == letters)?;
    let d: Vec<u8> = digits
        .bytes()
        .map(|b| b.is_ascii_digit().then(|| b - b'0'))
        .collect::<Option<_>>()?;
    // The digit at `i`, if it is below `max`.
    let at = |i: usize, max: usize| d.get(i).copied().filter(|v| (*v as usize) < max);
    let by = || at(0, OPERATORS.len());
    let want = |n: usize| (d.len() == n).then_some(());
    let a = match kind {
        0..=2 => {
            want(2)?;
            let (by, artifact) = (by()?, at(1, ARTIFACTS)?);
            match kind {
                0 => Deploy { by, artifact },
                1 => Promote { by, artifact },
                _ => Rollback { by, artifact },
            }
        }
        3 => {
            want(2)?;
            Ack {
                by: by()?,
                op: at(1, MAX_OPS)?,
            }
        }
        4 => {
            want(3)?;
            Migrate {
                by: by()?,
                column: at(1, COLUMNS.len())?,
                destructive: at(2, 2)? == 1,
            }
        }
        5 | 9 => {
            want(1)?;
            let by = by()?;
            if kind == 5 {
                Restore { by }
            } else {
                Freeze { by }
            }
        }
        6 | 7 => {
            want(2)?;
            let (by, region) = (by()?, at(1, REGIONS)?);
            if kind == 6 {
                EnableRegion { by, region }
            } else {
                Failover { by, region }
            }
        }
        8 => {
            want(2)?;
            DrainHost {
                by: by()?,
                host: at(1, HOSTS)?,
            }
        }
        10 | 23 | 24 => {
            want(1)?;
            let op = at(0, MAX_OPS)?;
            match kind {
                10 => WorkerNext { op },
                23 => CrashWorker { op },
                _ => RetryWorker { op },
            }
        }
        11 | 25 | 33 => {
            want(1)?;
            let alloc = at(0, MAX_ALLOCS)?;
            match kind {
                11 => RunnerReport { alloc },
                25 => CrashRunner { alloc },
                _ => SlowReadiness { alloc },
            }
        }
        13 | 14 | 16 | 29 | 30 => {
            want(1)?;
            let pop = at(0, POPS)?;
            match kind {
                13 => PopConsume { pop },
                14 => PopSnapshot { pop },
                16 => ClientGet { pop },
                29 => PopRedeliver { pop },
                _ => PopRestart { pop },
            }
        }
        15 | 26 | 27 | 28 => {
            want(1)?;
            let report = at(0, MAX_MSGS)?;
            match kind {
                15 => Deliver { report },
                26 => LoseReport { report },
                27 => DuplicateReport { report },
                _ => DelayReport { report },
            }
        }
        17 => {
            want(2)?;
            ClientWebhook {
                payment: at(0, 2)?,
                key: at(1, 2)? == 1,
            }
        }
        18..=20 => {
            want(1)?;
            let session = at(0, MAX_SESSIONS)?;
            match kind {
                18 => ClientType { session },
                19 => ClientReconnect { session },
                _ => ClientClose { session },
            }
        }
        32 => {
            want(1)?;
            RegionOutage {
                region: at(0, REGIONS)?,
            }
        }
        34 => {
            want(1)?;
            ProviderRetry {
                request: at(0, MAX_REQUESTS)?,
            }
        }
        _ => {
            want(0)?;
            match kind {
                12 => ScaleToZero,
                21 => ClientWrite,
                22 => Tick,
                _ => RetentionDrop,
            }
        }
    };
    Some(a)
}

/// Every action the simulator can be asked for, each once (for tests and
/// the Lab's list of moves). Worked out once: it tries every code up to
/// three digits long (about 33,000), and the Lab asks on every view.
pub fn every_action() -> &'static [Action] {
    static EVERY: std::sync::OnceLock<Vec<Action>> = std::sync::OnceLock::new();
    EVERY.get_or_init(|| {
        let mut out = Vec::new();
        for code in LETTERS {
            // Arities are read off the encoder: try every digit string up to 3 long.
            let mut stack = vec![String::new()];
            while let Some(d) = stack.pop() {
                if let Some(a) = decode(&format!("{code}{d}")) {
                    out.push(a);
                }
                if d.len() < 3 {
                    for i in 0..10 {
                        stack.push(format!("{d}{i}"));
                    }
                }
            }
        }
        out.sort_by_key(|a| (a.kind_index(), encode(a)));
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_round_trips_and_covers_every_kind() {
        let all = every_action();
        for a in all {
            assert_eq!(decode(&encode(a)), Some(*a), "{}", encode(a));
        }
        for k in 0..LETTERS.len() {
            assert!(all.iter().any(|a| a.kind_index() == k), "kind {k}");
        }
        assert_eq!(decode("pr"), None);
        assert_eq!(decode("pr19"), None);
        assert_eq!(decode("t1"), None);
        assert_eq!(decode("zz"), None);
    }
}
