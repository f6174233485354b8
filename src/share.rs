//! The Lab's share link: where the session started (a drill or a preset),
//! the one anti-pattern switch (if any), the actions taken and the step
//! shown, in a compact, versioned text that lives in the URL fragment (so
//! opening it sends nothing to the host).
//!
//! Format, version 2: `v2~<start>~<switch>~<a.b.c>~<step>` where start is
//! `d.<drill-slug>` or `p.<preset>`, switch is 0 (the correct platform) or
//! 1-7 (the n-th anti-pattern card), and each action is its short code
//! (`lab::codes`). Version 1 links named the old simulator's scenarios; they
//! are recognised and refused with a sentence, never replayed.

use std::fmt;

use crate::content::schema::is_valid_slug as is_slug;

pub const VERSION: u32 = 2;
/// A longer payload is not something this app wrote; refuse it unread.
pub const MAX_LINK: usize = 4096;
pub const MAX_ACTIONS: usize = 500;
const MAX_CODE: usize = 8;
/// Switches are 1..=SWITCHES; 0 is the correct platform.
pub const SWITCHES: u8 = 7;

/// Where a shared session starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkStart {
    Drill(String),
    Preset(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabLink {
    pub start: LinkStart,
    /// 0: no switch; n: the n-th anti-pattern switch.
    pub switch: u8,
    /// Action codes, as `lab::codes` writes them.
    pub actions: Vec<String>,
    /// Which step is shown: 0 is the start, `actions.len()` the end.
    pub step: usize,
}

/// Why a link could not be opened; `Display` is a sentence for the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    TooLong(usize),
    NewerVersion(u32),
    OlderVersion(u32),
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
            LinkError::OlderVersion(v) => write!(
                f,
                "This link was made by an older version of the Lab (link format {v}), whose simulator had other scenarios and actions, so it cannot be replayed here. Ask for a new link, or pick the drill below."
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

impl LinkStart {
    fn encode(&self) -> String {
        match self {
            LinkStart::Drill(s) => format!("d.{s}"),
            LinkStart::Preset(s) => format!("p.{s}"),
        }
    }
    fn decode(text: &str) -> Option<LinkStart> {
        let (kind, slug) = text.split_once('.')?;
        if !is_slug(slug) {
            return None;
        }
        match kind {
            "d" => Some(LinkStart::Drill(slug.to_string())),
            "p" => Some(LinkStart::Preset(slug.to_string())),
            _ => None,
        }
    }
}

impl LabLink {
    pub fn encode(&self) -> String {
        format!(
            "v{VERSION}~{}~{}~{}~{}",
            self.start.encode(),
            self.switch,
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
        if version < VERSION {
            return Err(LinkError::OlderVersion(version));
        }
        let fields: Vec<&str> = rest.split('~').collect();
        let [start, switch, actions, step] = fields.as_slice() else {
            return Err(LinkError::Damaged("it has the wrong number of parts"));
        };
        let start = LinkStart::decode(start).ok_or(LinkError::Damaged(
            "the drill or preset name is not readable",
        ))?;
        let switch =
            switch
                .parse::<u8>()
                .ok()
                .filter(|s| *s <= SWITCHES)
                .ok_or(LinkError::Damaged(
                    "the anti-pattern switch is not readable",
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
            start,
            switch,
            actions,
            step,
        })
    }

    /// The same as [`LabLink::decode`] (the name the fuzz tests call).
    pub fn parse(text: &str) -> Result<LabLink, LinkError> {
        LabLink::decode(text)
    }
}

fn is_code(s: &str) -> bool {
    !s.is_empty() && s.len() <= MAX_CODE && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> LabLink {
        LabLink {
            start: LinkStart::Drill("ap-wake-replay".into()),
            switch: 5,
            actions: vec!["cw10".into(), "wn0".into(), "t".into()],
            step: 2,
        }
    }

    #[test]
    fn round_trips() {
        let link = sample();
        assert_eq!(LabLink::decode(&link.encode()), Ok(link));
        let preset = LabLink {
            start: LinkStart::Preset("steady".into()),
            switch: 0,
            actions: vec![],
            step: 0,
        };
        assert_eq!(preset.encode(), "v2~p.steady~0~~0");
        assert_eq!(LabLink::parse(&preset.encode()), Ok(preset));
    }

    #[test]
    fn a_hundred_steps_stay_well_under_a_thousand_characters() {
        let link = LabLink {
            actions: vec!["pr12".into(); 100],
            step: 100,
            ..sample()
        };
        assert!(link.encode().len() < 1000, "{}", link.encode().len());
    }

    #[test]
    fn a_version_1_link_is_refused_as_older_not_replayed() {
        let v1 = "v1~ap-unsafe-wake-replay~42~16~Bw.P1.xR~2";
        assert_eq!(LabLink::decode(v1), Err(LinkError::OlderVersion(1)));
        assert!(LinkError::OlderVersion(1)
            .to_string()
            .contains("made by an older version of the Lab"));
    }

    #[test]
    fn bad_links_say_why() {
        let good = sample().encode();
        assert_eq!(
            LabLink::decode("v9~x~1~~0"),
            Err(LinkError::NewerVersion(9))
        );
        assert_eq!(LabLink::decode("hello"), Err(LinkError::NotALabLink));
        assert_eq!(LabLink::decode("v0~x"), Err(LinkError::NotALabLink));
        assert!(matches!(
            LabLink::decode(&good[..good.len() - 4]),
            Err(LinkError::Damaged(_))
        ));
        for bad in [
            "v2~d.x~0~a.b~3",
            "v2~d.x~8~~0",
            "v2~d.<b>~0~~0",
            "v2~q.x~0~~0",
            "v2~x~0~~0",
            "v2~d.x~0~a-b~1",
        ] {
            assert!(
                matches!(LabLink::decode(bad), Err(LinkError::Damaged(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            LabLink::decode(&"v2~".repeat(5000)),
            Err(LinkError::TooLong(_))
        ));
    }

    proptest! {
        #[test]
        fn never_panics(s in ".{0,600}") {
            let _ = LabLink::decode(&s);
        }

        #[test]
        fn link_shaped_text_never_panics(s in "v[0-3]~[dp.a-z0-9~-]{0,30}~[0-9]{0,2}~[a-z0-9.]{0,40}~[0-9]{0,3}") {
            if let Ok(l) = LabLink::decode(&s) {
                prop_assert!(l.step <= l.actions.len());
                prop_assert!(l.switch <= SWITCHES);
            }
        }

        #[test]
        fn any_link_round_trips(
            drill in any::<bool>(),
            slug in "[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?",
            switch in 0u8..=SWITCHES,
            actions in proptest::collection::vec("[a-z]{1,2}[0-9]{0,3}", 0..120),
            step_frac in 0.0f64..=1.0,
        ) {
            let step = (actions.len() as f64 * step_frac) as usize;
            let start = if drill { LinkStart::Drill(slug) } else { LinkStart::Preset(slug) };
            let link = LabLink { start, switch, actions, step };
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
