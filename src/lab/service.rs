//! The Lab as a request/reply service: what the Web Worker runs (see
//! `src/bin/lab_worker.rs`, a thin adapter) and the page talks to. The page
//! sends a [`LabRequest`] (an intent) and renders the [`LabView`] it gets back;
//! it holds no session. Pure and host-tested: no clock (the page times the
//! search itself), no browser. A bad request is answered with an error reply
//! and leaves the session as it was; nothing here panics on outside input.

use serde::{Deserialize, Serialize};

use super::search::{Search, SearchStatus};
use super::trace::{trace, TraceView};
use super::{clip, drill_for_card, LabSession, LabView};
use crate::share::LabLink;
use crate::sim::{Action, SWITCHES};

/// What the page asks for.
// Externally tagged (`{"jump":{"step":3}}`, `"back"`): an internally tagged
// enum is read through a buffer whose generic code costs the page's wasm ~30 KB.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LabRequest {
    /// Open what an address names: `ap=<card>`, `drill=<slug>`,
    /// `scenario=<slug>`, `preset=<name>` or a share link (`v2~…`); `None`
    /// is the default drill. A bad one opens the default and says why.
    OpenLink {
        state: Option<String>,
    },
    /// Reopen the learner's own last Lab moment ("Continue where you left
    /// off"): a share link this browser saved as its last place, so what was
    /// played there is the learner's and its goal counts. The page sends it
    /// only when the link is the one it saved.
    Resume {
        link: String,
    },
    /// Open a drill (`d:<slug>`) or a start world (`p:<name>`) from the chooser.
    OpenStart {
        value: String,
    },
    /// Take an action given by its link code (`ActionView::code`).
    Act {
        code: String,
    },
    Back,
    Forward,
    /// Move the cursor (clamped to the timeline).
    Jump {
        step: usize,
    },
    Undo,
    Redo,
    RestoreFork {
        index: usize,
    },
    /// Turn on one anti-pattern by its card slug, or none.
    SetSwitch {
        card: Option<String>,
    },
    Restart,
    SearchStart,
    SearchCancel,
    /// The steps as swim lanes (asked only while the trace is on screen).
    Trace,
}

/// What the service answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LabReply {
    /// The worker has started and takes requests.
    Ready,
    /// Everything the page shows, after any change.
    View {
        view: Box<LabView>,
    },
    /// The address named nothing this Lab has: it opened the default instead.
    LinkError {
        message: String,
    },
    /// A request that could not be honoured; nothing changed.
    Error {
        message: String,
    },
    SearchProgress {
        states: usize,
        depth: usize,
        max_depth: usize,
    },
    /// A failure was found and loaded into the timeline (a `View` follows).
    SearchFound {
        steps: usize,
        states: usize,
        invariant: String,
    },
    SearchNothing {
        why: String,
    },
    SearchCancelled,
    /// The trace of the session at its cursor.
    Trace {
        trace: Box<TraceView>,
    },
}

/// The one session of a Lab, and its search if one runs.
pub struct LabService {
    session: LabSession,
    search: Option<(Search, Vec<Action>)>,
}

impl Default for LabService {
    fn default() -> Self {
        LabService::new()
    }
}

/// The session an address asks for, or the default and why not.
fn open_link(state: Option<&str>) -> (LabSession, Option<String>) {
    let default = LabSession::default_session;
    let Some(state) = state else {
        return (default(), None);
    };
    if let Some(card) = state.strip_prefix("ap=") {
        return match drill_for_card(card) {
            Some(d) => (LabSession::open(d), None),
            None => (
                default(),
                Some(format!(
                    "There is no Lab drill for an anti-pattern called “{}”.",
                    clip(card)
                )),
            ),
        };
    }
    for prefix in ["drill=", "scenario="] {
        if let Some(slug) = state.strip_prefix(prefix) {
            // A slug, optionally `&step=N` (after the drill's first N lines).
            return match LabSession::open_query(slug) {
                Some(s) => (s, None),
                None => (
                    default(),
                    Some(format!("There is no Lab drill called “{}”.", clip(slug))),
                ),
            };
        }
    }
    if let Some(name) = state.strip_prefix("preset=") {
        return match LabSession::open_preset(name) {
            Some(s) => (s, None),
            None => (
                default(),
                Some(format!("There is no start world called “{}”.", clip(name))),
            ),
        };
    }
    match LabLink::decode(state)
        .map_err(|e| e.to_string())
        .and_then(|l| LabSession::from_link(&l))
    {
        Ok(s) => (s, None),
        Err(e) => (default(), Some(e)),
    }
}

fn open_start(value: &str) -> Option<LabSession> {
    match value.split_once(':')? {
        ("d", slug) => LabSession::open_slug(slug),
        ("p", name) => LabSession::open_preset(name),
        _ => None,
    }
}

fn error(message: String) -> Vec<LabReply> {
    vec![LabReply::Error { message }]
}

impl LabService {
    /// A service on the default drill.
    pub fn new() -> LabService {
        LabService {
            session: LabSession::default_session(),
            search: None,
        }
    }

    pub fn view(&self) -> LabReply {
        LabReply::View {
            view: Box::new(self.session.view()),
        }
    }

    /// Is a search waiting for more slices?
    pub fn searching(&self) -> bool {
        self.search.is_some()
    }

    /// One request, its replies in order. Any change to the session stops a
    /// running search first (its answer would be about another timeline).
    pub fn handle(&mut self, request: LabRequest) -> Vec<LabReply> {
        let mut out = Vec::new();
        // Cancelling and reading the trace leave the session (and its search) as they are.
        let changes = !matches!(request, LabRequest::SearchCancel | LabRequest::Trace);
        if changes && self.search.take().is_some() {
            out.push(LabReply::SearchCancelled);
        }
        let s = &mut self.session;
        match request {
            LabRequest::OpenLink { state } => {
                let (session, problem) = open_link(state.as_deref());
                *s = session;
                if let Some(message) = problem {
                    out.push(LabReply::LinkError { message });
                }
            }
            LabRequest::Resume { link } => {
                let (session, problem) = open_link(Some(&link));
                *s = session;
                match problem {
                    Some(message) => out.push(LabReply::LinkError { message }),
                    None => s.shared = false,
                }
            }
            LabRequest::OpenStart { value } => match open_start(&value) {
                Some(session) => *s = session,
                None => {
                    return error(format!(
                        "There is no drill or start world “{}”.",
                        clip(&value)
                    ))
                }
            },
            LabRequest::Act { code } => {
                if !s.act_code(&code) {
                    return error(format!(
                        "There is no action with the code “{}”.",
                        clip(&code)
                    ));
                }
            }
            LabRequest::Back => s.timeline.back(),
            LabRequest::Forward => s.timeline.forward(),
            LabRequest::Jump { step } => s.timeline.jump(step),
            LabRequest::Undo => s.timeline.undo(),
            LabRequest::Redo => s.timeline.redo(),
            LabRequest::RestoreFork { index } => {
                if index >= s.timeline.forks().len() {
                    return error(format!("There is no kept future number {}.", index + 1));
                }
                s.timeline.restore_fork(index);
            }
            LabRequest::SetSwitch { card: None } => s.set_switch(None),
            LabRequest::SetSwitch { card: Some(slug) } => {
                match SWITCHES.iter().find(|sw| sw.card_slug() == slug) {
                    Some(sw) => s.set_switch(Some(*sw)),
                    None => {
                        return error(format!(
                            "There is no anti-pattern switch “{}”.",
                            clip(&slug)
                        ))
                    }
                }
            }
            LabRequest::Restart => s.restart(),
            LabRequest::SearchStart => {
                let search = Search::new(s);
                let prefix = s.timeline.actions()[..s.timeline.cursor()].to_vec();
                out.push(LabReply::SearchProgress {
                    states: 0,
                    depth: 0,
                    max_depth: search.max_depth,
                });
                self.search = Some((search, prefix));
                return out;
            }
            LabRequest::SearchCancel => {
                if self.search.take().is_some() {
                    out.push(LabReply::SearchCancelled);
                }
                return out;
            }
            LabRequest::Trace => {
                return vec![LabReply::Trace {
                    trace: Box::new(trace(s)),
                }]
            }
        }
        out.push(self.view());
        out
    }

    /// Explore at most `budget` more states of the running search: its
    /// progress, or its end (a found failure is loaded into the timeline).
    pub fn search_slice(&mut self, budget: usize) -> Vec<LabReply> {
        let Some((mut search, prefix)) = self.search.take() else {
            return Vec::new();
        };
        let max_depth = search.max_depth;
        match search.run(budget) {
            SearchStatus::Running { states, depth } => {
                self.search = Some((search, prefix));
                vec![LabReply::SearchProgress {
                    states,
                    depth,
                    max_depth,
                }]
            }
            SearchStatus::Found {
                invariant,
                name,
                actions,
                states,
            } => {
                let steps = actions.len();
                let mut all = prefix;
                all.extend(actions);
                let end = all.len();
                self.session.timeline.replace(all, end);
                vec![
                    LabReply::SearchFound {
                        steps,
                        states,
                        invariant: format!("{invariant}. {name}"),
                    },
                    self.view(),
                ]
            }
            SearchStatus::Nothing { why, .. } => vec![LabReply::SearchNothing { why }],
        }
    }

    /// The same over text, as the worker receives and posts it: a request
    /// that is not one (not JSON, an unknown kind) is answered with an error.
    pub fn handle_json(&mut self, text: &str) -> Vec<String> {
        let replies = match serde_json::from_str::<LabRequest>(text) {
            Ok(r) => self.handle(r),
            Err(e) => error(format!("The Lab could not read a request ({e}).")),
        };
        replies.iter().map(reply_json).collect()
    }
}

/// A reply as the text the worker posts.
pub fn reply_json(r: &LabReply) -> String {
    // Plain data (strings, numbers, lists): serialising cannot fail.
    serde_json::to_string(r).unwrap_or_default()
}

/// A request as the text the page posts.
pub fn request_json(r: &LabRequest) -> String {
    serde_json::to_string(r).unwrap_or_default()
}
