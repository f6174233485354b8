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
    NotFound(String),
}

/// Fragments longer than this are not addresses anyone wrote by hand or by a
/// share button; refusing them early bounds the work a hostile link causes.
pub const MAX_FRAGMENT: usize = 8192;

impl Route {
    /// Parse `location.hash` (with or without the leading `#`).
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
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
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
            ["lab"] => Route::Lab {
                state: query.filter(|q| !q.is_empty()).map(str::to_string),
            },
            ["progress"] => Route::Progress,
            _ => Route::NotFound(f.chars().take(80).collect()),
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
                    write!(f, "?category={c}")?;
                }
                Ok(())
            }
            Route::AntiPatterns { card: None } => write!(f, "#/anti-patterns"),
            Route::AntiPatterns { card: Some(c) } => write!(f, "#/anti-patterns/{c}"),
            Route::Lab { state: None } => write!(f, "#/lab"),
            Route::Lab { state: Some(s) } => write!(f, "#/lab?{s}"),
            Route::Progress => write!(f, "#/progress"),
            Route::NotFound(p) => write!(f, "#/{p}"),
        }
    }
}

/// The two HTML pages the build ships. The Lab (the simulator and its
/// checker) is a page of its own so that the first load of everything else
/// does not pay for it; both read the same fragment routes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// `index.html` (served as `./`): home, glossary, cards, progress.
    Shell,
    /// `lab.html`.
    Lab,
}

impl Page {
    /// The page's address relative to the folder the build is served from.
    pub fn file(self) -> &'static str {
        match self {
            Page::Shell => "./",
            Page::Lab => "lab.html",
        }
    }
}

impl Route {
    /// Which page renders this route.
    pub fn page(&self) -> Page {
        match self {
            Route::Lab { .. } => Page::Lab,
            _ => Page::Shell,
        }
    }

    /// A link to this route from a page: just the fragment on the same page,
    /// the other page's file plus the fragment otherwise. Relative, so the
    /// build works at any subpath.
    pub fn link_from(&self, from: Page) -> String {
        if self.page() == from {
            self.href()
        } else {
            format!("{}{}", self.page().file(), self.href())
        }
    }
}

/// The top-level sections, in navigation order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Home,
    Glossary,
    AntiPatterns,
    Lab,
    Progress,
}

/// The value of `name` in `a=1&b=2`, if it is a plain slug.
fn query_param(query: &str, name: &str) -> Option<String> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| is_slug(v))
        .map(str::to_string)
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
        assert!(matches!(Route::parse("#/nowhere"), Route::NotFound(_)));
        assert!(matches!(
            Route::parse("#/glossary/Not A Slug"),
            Route::NotFound(_)
        ));
    }

    #[test]
    fn hostile_query_values_are_dropped() {
        assert_eq!(
            Route::parse("#/glossary?category=<script>"),
            Route::Glossary {
                category: None,
                term: None
            }
        );
    }

    #[test]
    fn href_round_trips() {
        for r in [
            Route::Home,
            Route::Glossary {
                category: Some("api".into()),
                term: Some("rpo".into()),
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
    fn links_cross_pages_only_when_needed() {
        let lab = Route::Lab { state: None };
        let drain = Route::Glossary {
            category: None,
            term: Some("drain".into()),
        };
        assert_eq!(lab.link_from(Page::Shell), "lab.html#/lab");
        assert_eq!(lab.link_from(Page::Lab), "#/lab");
        assert_eq!(drain.link_from(Page::Lab), "./#/glossary/drain");
        assert_eq!(drain.link_from(Page::Shell), "#/glossary/drain");
    }

    #[test]
    fn huge_fragment_is_not_found() {
        let long = format!("#/lab?{}", "a".repeat(MAX_FRAGMENT * 2));
        assert!(matches!(Route::parse(&long), Route::NotFound(_)));
    }
}
