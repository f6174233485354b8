//! The app's addresses, carried in the URL fragment (`#/glossary/drain`).
//!
//! Why the fragment: the build must run unchanged from any static file server,
//! at the root or under a subpath, including a reload on a deep link. A plain
//! server (`python3 -m http.server`) knows nothing of the app and would answer
//! 404 for `/glossary/drain`; the fragment never reaches the server, so every
//! address loads `index.html`. leptos_router has no fragment mode, so this
//! small parser is the router. It is total: any fragment maps to some route.

use std::fmt;

use crate::content::schema::is_valid_slug as is_slug;

/// Where the learner is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    /// The glossary, optionally filtered by a category slug and focused on a term.
    Glossary {
        category: Option<String>,
        term: Option<String>,
    },
    AntiPatterns {
        card: Option<String>,
    },
    /// The Lab; `state` is the share-link payload, decoded by the Lab itself.
    Lab {
        state: Option<String>,
    },
    Progress,
    /// The guided path, or one lesson of it.
    Learn {
        lesson: Option<String>,
    },
    /// The decision labs, optionally scrolled to one.
    Decisions {
        lab: Option<String>,
    },
    /// The lifecycle diagrams, optionally one operation kind's.
    Lifecycles {
        kind: Option<String>,
    },
    /// Today's review.
    Review,
    /// The request traces, or one of them, played through the model.
    Traces {
        trace: Option<String>,
    },
    /// The runbooks, or one of them, played through the model.
    Runbooks {
        runbook: Option<String>,
    },
    /// One printable page: terms, cards, invariants and decision rules.
    CheatSheet,
    NotFound(String),
}

/// Fragments longer than this are not addresses anyone wrote by hand or by a
/// share button; refusing them early bounds the work a hostile link causes.
pub const MAX_FRAGMENT: usize = 8192;

/// Longest category value kept from a link (it is only ever shown as text
/// in "there is no such category").
const MAX_PARAM: usize = 64;

/// Decodes `%XX` escapes (as browsers write non-ASCII and some punctuation in
/// `location.hash`, e.g. `%C3%A9` or `%7E` for `~`). Invalid escapes stay as
/// they are; bytes that are not UTF-8 become U+FFFD. Never panics.
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Escapes what would change the meaning of a fragment (`/ ? & # % =`),
/// spaces and controls, so that `parse(href())` gives the value back.
fn escape_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '/' | '?' | '&' | '#' | '%' | '=' | ' ') || c.is_control() {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl Route {
    /// Parse `location.hash` (with or without the leading `#`). Escapes
    /// are decoded in each part, after splitting, so `%2F` in a slug cannot
    /// make a new path segment.
    pub fn parse(fragment: &str) -> Route {
        if fragment.len() > MAX_FRAGMENT {
            return Route::NotFound("(an address too long to be a link of this app)".into());
        }
        let f = fragment.strip_prefix('#').unwrap_or(fragment);
        let f = f.strip_prefix('/').unwrap_or(f);
        let (path, query) = match f.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (f, None),
        };
        let segments: Vec<String> = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(percent_decode)
            .collect();
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        let param = |name: &str| query.and_then(|q| query_param(q, name));
        match segments.as_slice() {
            [] => Route::Home,
            ["glossary"] => Route::Glossary {
                category: param("category"),
                term: None,
            },
            ["glossary", term] if is_slug(term) => Route::Glossary {
                category: param("category"),
                term: Some((*term).to_string()),
            },
            ["anti-patterns"] => Route::AntiPatterns { card: None },
            ["anti-patterns", card] if is_slug(card) => Route::AntiPatterns {
                card: Some((*card).to_string()),
            },
            // The share link is decoded whole: its own separators (`~`) may
            // arrive escaped (`%7E`) from a chat client or a browser.
            ["lab"] => Route::Lab {
                state: query.map(percent_decode).filter(|q| !q.is_empty()),
            },
            ["progress"] => Route::Progress,
            ["learn"] => Route::Learn { lesson: None },
            ["learn", lesson] if is_slug(lesson) => Route::Learn {
                lesson: Some((*lesson).to_string()),
            },
            ["decisions"] => Route::Decisions { lab: None },
            ["decisions", lab] if is_slug(lab) => Route::Decisions {
                lab: Some((*lab).to_string()),
            },
            ["lifecycles"] => Route::Lifecycles { kind: None },
            ["lifecycles", kind] if is_slug(kind) => Route::Lifecycles {
                kind: Some((*kind).to_string()),
            },
            ["review"] => Route::Review,
            ["traces"] => Route::Traces { trace: None },
            ["traces", t] if is_slug(t) => Route::Traces {
                trace: Some((*t).to_string()),
            },
            ["runbooks"] => Route::Runbooks { runbook: None },
            ["runbooks", r] if is_slug(r) => Route::Runbooks {
                runbook: Some((*r).to_string()),
            },
            ["cheat-sheet"] => Route::CheatSheet,
            _ => Route::NotFound(percent_decode(f).chars().take(80).collect()),
        }
    }

    /// The Lab opened on a drill, optionally after its first `step` lines
    /// (`LabSession::open_query` reads it back).
    pub fn lab_drill(slug: &str, step: Option<usize>) -> Route {
        Route::Lab {
            state: Some(match step {
                Some(n) => format!("drill={slug}&step={n}"),
                None => format!("drill={slug}"),
            }),
        }
    }

    /// The fragment for this route, starting with `#/`.
    pub fn href(&self) -> String {
        self.to_string()
    }

    /// Which top-level section this route belongs to (for the navigation).
    pub fn section(&self) -> Section {
        match self {
            Route::Home | Route::NotFound(_) => Section::Home,
            Route::Glossary { .. } => Section::Glossary,
            Route::AntiPatterns { .. } => Section::AntiPatterns,
            Route::Lab { .. } => Section::Lab,
            Route::Progress => Section::Progress,
            Route::Learn { .. }
            | Route::Decisions { .. }
            | Route::Lifecycles { .. }
            | Route::Traces { .. }
            | Route::Runbooks { .. }
            | Route::CheatSheet => Section::Learn,
            Route::Review => Section::Review,
        }
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Route::Home => write!(f, "#/"),
            Route::Glossary { category, term } => {
                write!(f, "#/glossary")?;
                if let Some(t) = term {
                    write!(f, "/{t}")?;
                }
                if let Some(c) = category {
                    write!(f, "?category={}", escape_component(c))?;
                }
                Ok(())
            }
            Route::AntiPatterns { card: None } => write!(f, "#/anti-patterns"),
            Route::AntiPatterns { card: Some(c) } => write!(f, "#/anti-patterns/{c}"),
            Route::Lab { state: None } => write!(f, "#/lab"),
            Route::Lab { state: Some(s) } => write!(f, "#/lab?{s}"),
            Route::Progress => write!(f, "#/progress"),
            Route::Learn { lesson: None } => write!(f, "#/learn"),
            Route::Learn { lesson: Some(l) } => write!(f, "#/learn/{l}"),
            Route::Decisions { lab: None } => write!(f, "#/decisions"),
            Route::Decisions { lab: Some(l) } => write!(f, "#/decisions/{l}"),
            Route::Lifecycles { kind: None } => write!(f, "#/lifecycles"),
            Route::Lifecycles { kind: Some(k) } => write!(f, "#/lifecycles/{k}"),
            Route::Review => write!(f, "#/review"),
            Route::Traces { trace: None } => write!(f, "#/traces"),
            Route::Traces { trace: Some(t) } => write!(f, "#/traces/{t}"),
            Route::Runbooks { runbook: None } => write!(f, "#/runbooks"),
            Route::Runbooks { runbook: Some(r) } => write!(f, "#/runbooks/{r}"),
            Route::CheatSheet => write!(f, "#/cheat-sheet"),
            Route::NotFound(p) => write!(f, "#/{p}"),
        }
    }
}

impl Route {
    /// The document title: the page's subject (a term's or lesson's name,
    /// when it has one), its section, and the app's name.
    pub fn title(&self, subject: Option<&str>) -> String {
        let section = match self {
            Route::Home => return APP_NAME.to_string(),
            Route::Glossary { .. } => "Glossary",
            Route::AntiPatterns { .. } => "Anti-patterns",
            Route::Lab { .. } => "The Lab",
            Route::Progress => "Progress",
            Route::Learn { .. } => "Learn",
            Route::Decisions { .. } => "Decision labs",
            Route::Lifecycles { .. } => "Lifecycles",
            Route::Review => "Review",
            Route::Traces { .. } => "Request traces",
            Route::Runbooks { .. } => "Runbooks",
            Route::CheatSheet => "Cheat sheet",
            Route::NotFound(_) => "Page not found",
        };
        match subject.filter(|s| !s.is_empty()) {
            Some(s) => format!("{s} — {section} — {APP_NAME}"),
            None => format!("{section} — {APP_NAME}"),
        }
    }
}

/// The product's name, last in every document title.
pub const APP_NAME: &str = "Vango Study Lab";

/// The top-level sections, in navigation order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Home,
    Learn,
    Glossary,
    AntiPatterns,
    Lab,
    Review,
    Progress,
}

/// The decoded value of `name` in `a=1&b=2`: at most 64 characters, no
/// controls. It need not be a slug: the page says when it names nothing.
fn query_param(query: &str, name: &str) -> Option<String> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| percent_decode(v))
        .map(|v| {
            v.chars()
                .filter(|c| !c.is_control())
                .take(MAX_PARAM)
                .collect::<String>()
        })
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_section() {
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("#"), Route::Home);
        assert_eq!(Route::parse("#/"), Route::Home);
        assert_eq!(
            Route::parse("#/glossary/drain"),
            Route::Glossary {
                category: None,
                term: Some("drain".into())
            }
        );
        assert_eq!(
            Route::parse("#/glossary?category=nats"),
            Route::Glossary {
                category: Some("nats".into()),
                term: None
            }
        );
        assert_eq!(
            Route::parse("#/anti-patterns/logs-as-truth"),
            Route::AntiPatterns {
                card: Some("logs-as-truth".into())
            }
        );
        assert_eq!(Route::parse("#/lab"), Route::Lab { state: None });
        assert_eq!(
            Route::parse("#/lab?v1.x"),
            Route::Lab {
                state: Some("v1.x".into())
            }
        );
        assert_eq!(Route::parse("#/progress"), Route::Progress);
        assert_eq!(Route::parse("#/review"), Route::Review);
        for (text, route) in [
            ("#/learn", Route::Learn { lesson: None }),
            (
                "#/learn/who-owns-the-route",
                Route::Learn {
                    lesson: Some("who-owns-the-route".into()),
                },
            ),
            ("#/decisions", Route::Decisions { lab: None }),
            (
                "#/decisions/wake-request",
                Route::Decisions {
                    lab: Some("wake-request".into()),
                },
            ),
            ("#/lifecycles", Route::Lifecycles { kind: None }),
            (
                "#/lifecycles/promotion",
                Route::Lifecycles {
                    kind: Some("promotion".into()),
                },
            ),
            ("#/traces", Route::Traces { trace: None }),
            (
                "#/traces/get-while-hot",
                Route::Traces {
                    trace: Some("get-while-hot".into()),
                },
            ),
            ("#/runbooks", Route::Runbooks { runbook: None }),
            (
                "#/runbooks/bad-deploy",
                Route::Runbooks {
                    runbook: Some("bad-deploy".into()),
                },
            ),
            ("#/cheat-sheet", Route::CheatSheet),
        ] {
            assert_eq!(Route::parse(text), route);
            assert_eq!(route.href(), text, "round trip");
            assert_eq!(route.section(), Section::Learn);
        }
        assert!(matches!(
            Route::parse("#/learn/Not A Slug"),
            Route::NotFound(_)
        ));
        assert!(matches!(Route::parse("#/nowhere"), Route::NotFound(_)));
        assert!(matches!(Route::parse("#/traces/a/b"), Route::NotFound(_)));
        assert!(matches!(
            Route::parse("#/runbooks/Bad%20Deploy"),
            Route::NotFound(_)
        ));
        assert!(matches!(
            Route::parse("#/glossary/Not A Slug"),
            Route::NotFound(_)
        ));
    }

    #[test]
    fn hostile_query_values_are_kept_as_bounded_text() {
        // Shown as text ("no category …"), never as markup; bounded.
        assert_eq!(
            Route::parse("#/glossary?category=<script>"),
            Route::Glossary {
                category: Some("<script>".into()),
                term: None
            }
        );
        let long = format!("#/glossary?category={}", "x".repeat(500));
        let Route::Glossary {
            category: Some(c), ..
        } = Route::parse(&long)
        else {
            panic!()
        };
        assert_eq!(c.len(), MAX_PARAM);
        assert_eq!(
            Route::parse("#/glossary?category="),
            Route::Glossary {
                category: None,
                term: None
            }
        );
    }

    #[test]
    fn escapes_are_decoded_where_a_link_is_read() {
        assert_eq!(
            Route::parse("#/lab?v1%7Eroll%7E7"),
            Route::Lab {
                state: Some("v1~roll~7".into())
            }
        );
        assert_eq!(
            Route::parse("#/glossary/%64rain"),
            Route::Glossary {
                category: None,
                term: Some("drain".into())
            }
        );
        assert_eq!(
            Route::parse("#/gloss%C3%A4ry"),
            Route::NotFound("glossäry".into())
        );
        // %2F decodes inside its segment; it never makes a new one.
        assert!(matches!(
            Route::parse("#/glossary/a%2Fb"),
            Route::NotFound(_)
        ));
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%FF"), "\u{fffd}");
    }

    #[test]
    fn href_round_trips() {
        for r in [
            Route::Home,
            Route::Glossary {
                category: Some("api".into()),
                term: Some("rpo".into()),
            },
            Route::Glossary {
                category: Some("a/b?c&d=e#f%g h".into()),
                term: None,
            },
            Route::AntiPatterns { card: None },
            Route::Lab {
                state: Some("v1.abc".into()),
            },
            Route::Progress,
        ] {
            assert_eq!(Route::parse(&r.href()), r);
        }
    }

    #[test]
    fn titles_name_the_subject_then_the_section() {
        let drain = Route::Glossary {
            category: None,
            term: Some("drain".into()),
        };
        assert_eq!(
            drain.title(Some("Drain")),
            "Drain — Glossary — Vango Study Lab"
        );
        assert_eq!(drain.title(None), "Glossary — Vango Study Lab");
        assert_eq!(Route::Home.title(Some("x")), "Vango Study Lab");
        assert_eq!(
            Route::Lab { state: None }.title(Some("")),
            "The Lab — Vango Study Lab"
        );
        assert_ne!(
            Route::Review.title(None),
            Route::Progress.title(None),
            "every section has its own title"
        );
    }

    #[test]
    fn a_lab_link_can_name_a_step_of_a_drill() {
        let r = Route::lab_drill("trace-get-hot", Some(2));
        assert_eq!(r.href(), "#/lab?drill=trace-get-hot&step=2");
        assert_eq!(Route::parse(&r.href()), r);
        assert_eq!(
            Route::lab_drill("promotion", None).href(),
            "#/lab?drill=promotion"
        );
    }

    #[test]
    fn huge_fragment_is_not_found() {
        let long = format!("#/lab?{}", "a".repeat(MAX_FRAGMENT * 2));
        assert!(matches!(Route::parse(&long), Route::NotFound(_)));
    }
}
