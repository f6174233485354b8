//! The Lab's share link: scenario, seed, anti-pattern switches, the actions
//! taken and the step shown, in a compact, versioned text that lives in the
//! URL fragment (so opening it sends nothing to the host).
//!
//! Format, version 1: `v1~<scenario>~<seed>~<switches>~<a.b.c>~<step>` where
//! switches is a bit mask (bit i = the i-th anti-pattern in teaching order)
//! and each action is its model code. Every field is URL-safe as is.

use std::fmt;

use crate::content::schema::is_valid_slug as is_slug;

pub const VERSION: u32 = 1;
/// A longer payload is not something this app wrote; refuse it unread.
pub const MAX_LINK: usize = 4096;
pub const MAX_ACTIONS: usize = 500;
const MAX_CODE: usize = 16;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabLink {
    pub scenario: String,
    pub seed: u64,
    pub switches: u8,
    /// Action codes, as the model writes them.
    pub actions: Vec<String>,
    /// Which step is shown: 0 is the start, `actions.len()` the end.
    pub step: usize,
}

/// Why a link could not be opened; `Display` is a sentence for the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    TooLong(usize),
    NewerVersion(u32),
    NotALabLink,
    Damaged(&'static str),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::TooLong(n) => write!(
                f,
                "This link is {n} characters long, far more than the Lab ever writes, so it was not opened."
            ),
            LinkError::NewerVersion(v) => write!(
                f,
                "This link was made by a newer version of the Study Lab (link format {v}). Open it there, or update this copy."
            ),
            LinkError::NotALabLink => {
                write!(f, "This address does not hold a Lab moment the Study Lab can read.")
            }
            LinkError::Damaged(what) => write!(
                f,
                "This Lab link is damaged or cut short ({what}). Ask for the link again."
            ),
        }
    }
}

impl LabLink {
    pub fn encode(&self) -> String {
        format!(
            "v{VERSION}~{}~{}~{}~{}~{}",
            self.scenario,
            self.seed,
            self.switches,
            self.actions.join("."),
            self.step
        )
    }

    /// Read a link. Total: any input gives a link or a reason, never a panic.
    pub fn decode(text: &str) -> Result<LabLink, LinkError> {
        if text.len() > MAX_LINK {
            return Err(LinkError::TooLong(text.len()));
        }
        let Some(rest) = text.strip_prefix('v') else {
            return Err(LinkError::NotALabLink);
        };
        let (version, rest) = rest.split_once('~').ok_or(LinkError::NotALabLink)?;
        let version: u32 = version.parse().map_err(|_| LinkError::NotALabLink)?;
        if version > VERSION {
            return Err(LinkError::NewerVersion(version));
        }
        if version == 0 {
            return Err(LinkError::NotALabLink);
        }
        let fields: Vec<&str> = rest.split('~').collect();
        let [scenario, seed, switches, actions, step] = fields.as_slice() else {
            return Err(LinkError::Damaged("it has the wrong number of parts"));
        };
        if !is_slug(scenario) {
            return Err(LinkError::Damaged("the scenario name is not readable"));
        }
        let seed = seed
            .parse::<u64>()
            .map_err(|_| LinkError::Damaged("the seed is not a number"))?;
        let switches =
            switches
                .parse::<u8>()
                .ok()
                .filter(|s| *s < 1 << 7)
                .ok_or(LinkError::Damaged(
                    "the anti-pattern switches are not readable",
                ))?;
        let actions: Vec<String> = if actions.is_empty() {
            Vec::new()
        } else {
            actions.split('.').map(str::to_string).collect()
        };
        if actions.len() > MAX_ACTIONS {
            return Err(LinkError::Damaged(
                "it holds more steps than the Lab allows",
            ));
        }
        if actions.iter().any(|a| !is_code(a)) {
            return Err(LinkError::Damaged("an action is not readable"));
        }
        let step = step
            .parse::<usize>()
            .ok()
            .filter(|s| *s <= actions.len())
            .ok_or(LinkError::Damaged("the step number is out of range"))?;
        Ok(LabLink {
            scenario: (*scenario).to_string(),
            seed,
            switches,
            actions,
            step,
        })
    }
}

fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_CODE
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> LabLink {
        LabLink {
            scenario: "ap-unsafe-wake-replay".into(),
            seed: 42,
            switches: 0b001_0000,
            actions: vec!["Bw".into(), "P1".into(), "xR".into()],
            step: 2,
        }
    }

    #[test]
    fn round_trips() {
        let link = sample();
        assert_eq!(LabLink::decode(&link.encode()), Ok(link));
    }

    #[test]
    fn a_hundred_steps_stay_well_under_two_thousand_characters() {
        let link = LabLink {
            actions: vec!["Abcd".into(); 100],
            step: 100,
            ..sample()
        };
        assert!(link.encode().len() < 2000, "{}", link.encode().len());
    }

    #[test]
    fn bad_links_say_why() {
        let good = sample().encode();
        assert_eq!(
            LabLink::decode("v9~x~1~0~~0"),
            Err(LinkError::NewerVersion(9))
        );
        assert_eq!(LabLink::decode("hello"), Err(LinkError::NotALabLink));
        assert!(matches!(
            LabLink::decode(&good[..good.len() - 4]),
            Err(LinkError::Damaged(_))
        ));
        assert!(matches!(
            LabLink::decode("v1~x~1~0~a.b~3"),
            Err(LinkError::Damaged(_))
        ));
        assert!(matches!(
            LabLink::decode("v1~x~1~200~~0"),
            Err(LinkError::Damaged(_))
        ));
        assert!(matches!(
            LabLink::decode("v1~<b>~1~0~~0"),
            Err(LinkError::Damaged(_))
        ));
        assert!(matches!(
            LabLink::decode(&"v1~".repeat(5000)),
            Err(LinkError::TooLong(_))
        ));
    }

    proptest! {
        #[test]
        fn never_panics(s in ".{0,600}") {
            let _ = LabLink::decode(&s);
        }

        #[test]
        fn any_link_round_trips(
            scenario in "[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?",
            seed in any::<u64>(),
            switches in 0u8..128,
            actions in proptest::collection::vec("[A-Za-z0-9_-]{1,6}", 0..120),
            step_frac in 0.0f64..=1.0,
        ) {
            let step = (actions.len() as f64 * step_frac) as usize;
            let link = LabLink { scenario, seed, switches, actions, step };
            prop_assert_eq!(LabLink::decode(&link.encode()), Ok(link));
        }

        #[test]
        fn truncation_never_panics_and_never_misreads(cut in 0usize..60) {
            let good = sample().encode();
            let cut = cut.min(good.len());
            if let Ok(l) = LabLink::decode(&good[..cut]) {
                // A cut that still parses must be a shorter valid link, never garbage.
                prop_assert!(l.step <= l.actions.len());
            }
        }
    }
}
