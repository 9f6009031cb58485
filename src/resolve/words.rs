//! The words the user wrote for names the resolver canonicalises.
//!
//! MCL accepts aliases (`master` for `leader`, `agent` for `follower`), and
//! the resolver files everything under the canonical name. Messages should
//! still speak the user's language: someone who wrote `agent` greps the file
//! for `agent`. So the resolver records every place a word of an alias pair
//! was written (a block name, a host's or template's block key, a bare name
//! in a value such as `roles = [agent]`), and [`Words::word_at`] gives the
//! word for a message about one place, [`Words::word`] the file's word for
//! cluster-wide messages.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::span::Span;

/// Every alias the resolver accepts, with its canonical name.
pub const ALIASES: &[(&str, &str)] = &[("master", "leader"), ("agent", "follower")];

/// The canonical name of `word` when it is one of an alias pair (either
/// spelling), with the spelling as a `'static` word.
fn pair(word: &str) -> Option<(&'static str, &'static str)> {
    ALIASES.iter().find_map(|(alias, canonical)| {
        (word == *alias)
            .then_some((*canonical, *alias))
            .or((word == *canonical).then_some((*canonical, *canonical)))
    })
}

/// One place a word of an alias pair was written.
#[derive(Clone, Debug, PartialEq)]
struct Written {
    /// The canonical name (`follower`).
    canonical: &'static str,
    /// The word as written (`agent`).
    word: &'static str,
    /// What the word names: the whole block (`agent { … }`), or the word
    /// itself (`roles = [agent]`).
    scope: Span,
}

/// Which word of each alias pair the user wrote where.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Words {
    /// By where the word is (a `for` body's iterations record it once).
    written: BTreeMap<Span, Written>,
    /// What the queries read, built on the first query after the last
    /// record: a message about each of 10,000 hosts must not scan every
    /// word written.
    index: OnceLock<Index>,
}

/// The recorded words arranged for queries.
#[derive(Clone, Debug, Default, PartialEq)]
struct Index {
    /// Each canonical name of [`ALIASES`] with the file's word for it.
    file: Vec<(&'static str, &'static str)>,
    /// Each canonical name with the scopes its words name, sorted by start
    /// (the outer of two with one start first).
    scopes: Vec<(&'static str, Vec<Scope>)>,
}

/// One scope a word names, in an [`Index`].
#[derive(Clone, Debug, PartialEq)]
struct Scope {
    /// What the word names.
    span: Span,
    /// Where the word is written (ties go to the first).
    at: Span,
    /// The word.
    word: &'static str,
    /// The innermost scope around this one (the file's blocks nest).
    parent: Option<usize>,
}

impl Index {
    fn new(written: &BTreeMap<Span, Written>) -> Index {
        let file = ALIASES
            .iter()
            .map(|(_, canonical)| (*canonical, file_word(written, canonical)))
            .collect();
        let scopes = ALIASES
            .iter()
            .map(|(_, canonical)| (*canonical, scopes_of(written, canonical)))
            .collect();
        Index { file, scopes }
    }

    fn scopes(&self, canonical: &str) -> &[Scope] {
        self.scopes
            .iter()
            .find(|(c, _)| *c == canonical)
            .map_or(&[], |(_, s)| s.as_slice())
    }
}

/// The file's word for `canonical` (see [`Words::word`]).
fn file_word(written: &BTreeMap<Span, Written>, canonical: &'static str) -> &'static str {
    let of = written.values().filter(move |w| w.canonical == canonical);
    match of.clone().next() {
        Some(_) => preferred(canonical, of),
        None => match alias_preferred(written.values()) {
            true => alias_of(canonical).unwrap_or(canonical),
            false => canonical,
        },
    }
}

/// The scopes of `canonical`'s words, sorted, each with its parent: the
/// nearest earlier scope still open around it.
fn scopes_of(written: &BTreeMap<Span, Written>, canonical: &str) -> Vec<Scope> {
    let mut out: Vec<Scope> = written
        .iter()
        .filter(|(_, w)| w.canonical == canonical)
        .map(|(at, w)| Scope {
            span: w.scope,
            at: *at,
            word: w.word,
            parent: None,
        })
        .collect();
    out.sort_by_key(|s| (s.span.start, std::cmp::Reverse(s.span.end), s.at));
    let mut open: Vec<usize> = Vec::new();
    for i in 0..out.len() {
        let span = out[i].span;
        while let Some(&top) = open.last() {
            if contains(out[top].span, span) {
                break;
            }
            open.pop();
        }
        out[i].parent = open.last().copied();
        open.push(i);
    }
    out
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

impl Words {
    /// Records `word` written at `at`, naming `scope`, when it is a word of
    /// an alias pair (other words are ignored).
    pub(crate) fn record(&mut self, word: &str, at: Span, scope: Span) {
        if at.is_detached() || self.written.contains_key(&at) {
            return;
        }
        if let Some((canonical, word)) = pair(word) {
            let w = Written {
                canonical,
                word,
                scope,
            };
            self.written.insert(at, w);
            self.index.take();
        }
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::new(&self.written))
    }

    /// The word for `canonical` in a message about the whole cluster: the
    /// spelling written most often, the first written on a tie. A file that
    /// writes neither spelling gets the vocabulary it uses for the other
    /// pairs (one that writes `agent` reads "no host has the `master`
    /// role"), else the canonical name.
    pub fn word(&self, canonical: &'static str) -> &'static str {
        let file = &self.index().file;
        file.iter()
            .find(|(c, _)| *c == canonical)
            .map_or(canonical, |(_, w)| *w)
    }

    /// The word written exactly at `at`, when it is one of an alias pair.
    pub fn written(&self, at: Span) -> Option<&'static str> {
        self.written.get(&at).map(|w| w.word)
    }

    /// The word for `canonical` in a message about the place `at`: the word
    /// written for the innermost block that holds `at` (an entry of
    /// `agent { … }`), else the word the place itself holds (a host with
    /// `roles = [agent]`), else the file's word ([`Words::word`]).
    pub fn word_at(&self, canonical: &'static str, at: Span) -> &'static str {
        if at.is_detached() {
            return self.word(canonical);
        }
        let scopes = self.index().scopes(canonical);
        // The last scope starting at or before `at`; the innermost one
        // around `at` is it or one of its parents (scopes nest).
        let last = scopes.partition_point(|s| s.span.start <= at.start);
        let mut next = last.checked_sub(1);
        while let Some(i) = next {
            if contains(scopes[i].span, at) {
                return scopes[i].word;
            }
            next = scopes[i].parent;
        }
        let first = scopes.partition_point(|s| s.span.start < at.start);
        let inside = scopes[first..]
            .iter()
            .take_while(|s| s.span.start <= at.end)
            .filter(|s| s.span.end <= at.end);
        let (alias, plain) = inside
            .clone()
            .fold((0, 0), |(a, p), s| match s.word == canonical {
                true => (a, p + 1),
                false => (a + 1, p),
            });
        let earliest = inside.min_by_key(|s| s.at);
        match (alias.cmp(&plain), earliest) {
            (_, None) => self.word(canonical),
            (std::cmp::Ordering::Greater, _) => alias_of(canonical).unwrap_or(canonical),
            (std::cmp::Ordering::Less, _) => canonical,
            (std::cmp::Ordering::Equal, Some(s)) => s.word,
        }
    }
}

/// The spelling written most often among `written` (all of `canonical`),
/// the first on a tie, the canonical name when there is none.
fn preferred<'a>(
    canonical: &'static str,
    written: impl Iterator<Item = &'a Written> + Clone,
) -> &'static str {
    match alias_preferred(written) {
        true => alias_of(canonical).unwrap_or(canonical),
        false => canonical,
    }
}

/// Whether `written` has more aliases than canonical names, or as many and
/// an alias first.
fn alias_preferred<'a>(written: impl Iterator<Item = &'a Written> + Clone) -> bool {
    let alias = written.clone().filter(|w| w.word != w.canonical).count();
    let plain = written.clone().filter(|w| w.word == w.canonical).count();
    match alias.cmp(&plain) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => written.take(1).any(|w| w.word != w.canonical),
    }
}

/// The alias of a canonical name.
fn alias_of(canonical: &str) -> Option<&'static str> {
    ALIASES
        .iter()
        .find_map(|(alias, c)| (*c == canonical).then_some(*alias))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(written: &[(&str, u32, u32)]) -> Words {
        let mut w = Words::default();
        for (word, start, end) in written {
            w.record(word, Span::new(*start, *start + 1), Span::new(*start, *end));
        }
        w
    }

    #[test]
    fn the_file_word_is_the_most_written_then_the_first() {
        assert_eq!(Words::default().word("follower"), "follower");
        assert_eq!(words(&[("agent", 0, 5)]).word("follower"), "agent");
        // A file that writes only `agent` speaks of `master`s too.
        assert_eq!(words(&[("agent", 0, 5)]).word("leader"), "master");
        assert_eq!(words(&[("follower", 0, 5)]).word("leader"), "leader");
        assert_eq!(words(&[("agent", 0, 5)]).word("zookeeper"), "zookeeper");
        assert_eq!(
            words(&[("agent", 0, 5)]).written(Span::new(0, 1)),
            Some("agent")
        );
        assert_eq!(words(&[("agent", 0, 5)]).written(Span::new(0, 5)), None);
        let mixed = words(&[("follower", 0, 5), ("agent", 10, 15), ("agent", 20, 25)]);
        assert_eq!(mixed.word("follower"), "agent");
        let mixed = words(&[("follower", 0, 5), ("follower", 6, 8), ("agent", 10, 15)]);
        assert_eq!(mixed.word("follower"), "follower");
        // Each role follows its own words, not the other pair's.
        let apart = words(&[("agent", 0, 5), ("leader", 10, 15), ("leader", 20, 25)]);
        assert_eq!(apart.word("follower"), "agent");
        assert_eq!(apart.word("leader"), "leader");
        let tie = words(&[("agent", 0, 5), ("follower", 10, 15)]);
        assert_eq!(tie.word("follower"), "agent");
        let tie = words(&[("follower", 0, 5), ("agent", 10, 15)]);
        assert_eq!(tie.word("follower"), "follower");
        assert_eq!(words(&[("master", 3, 4)]).word("leader"), "master");
        assert_eq!(words(&[("zookeeper", 3, 4)]), Words::default());
        // A word with no place (a value built by mesosc) is not the user's.
        let mut detached = Words::default();
        detached.record("agent", Span::DETACHED, Span::DETACHED);
        assert_eq!(detached, Words::default());
    }

    /// `word_at` by scanning every word (what the index must agree with).
    fn scanned(w: &Words, canonical: &'static str, at: Span) -> &'static str {
        let of = || w.written.values().filter(|x| x.canonical == canonical);
        let around = of()
            .filter(|x| contains(x.scope, at))
            .min_by_key(|x| x.scope.len());
        if let Some(x) = around {
            return x.word;
        }
        let inside = || of().filter(|x| contains(at, x.scope));
        match inside().next() {
            Some(_) => preferred(canonical, inside()),
            None => w.word(canonical),
        }
    }

    #[test]
    fn the_index_answers_as_a_scan_of_every_word_would() {
        // Nested blocks (hosts holding role blocks holding words), in
        // both spellings, then every place queried.
        let mut w = Words::default();
        let mut places = Vec::new();
        for host in 0..40u32 {
            let base = host * 100;
            let word = |n: u32| match n % 3 {
                0 => ("agent", "master"),
                1 => ("follower", "leader"),
                _ => ("agent", "leader"),
            };
            let (f, l) = word(host);
            if host % 4 != 0 {
                w.record(
                    f,
                    Span::new(base + 10, base + 15),
                    Span::new(base + 10, base + 60),
                );
            }
            w.record(
                f,
                Span::new(base + 20, base + 25),
                Span::new(base + 20, base + 25),
            );
            if host % 5 != 0 {
                w.record(
                    l,
                    Span::new(base + 30, base + 36),
                    Span::new(base + 30, base + 36),
                );
            }
            for (s, e) in [
                (0, 100),
                (12, 14),
                (22, 24),
                (40, 50),
                (61, 99),
                (20, 25),
                (20, 30),
                (5, 35),
            ] {
                places.push(Span::new(base + s, base + e));
            }
        }
        places.push(Span::new(0, 4000));
        for at in places {
            for canonical in ["follower", "leader"] {
                assert_eq!(
                    w.word_at(canonical, at),
                    scanned(&w, canonical, at),
                    "{canonical} at {at:?}"
                );
            }
        }
    }

    #[test]
    fn a_place_takes_the_word_written_around_it_then_inside_it() {
        // `follower { … }` at 0..100 holding `agent { … }` at 10..50; a
        // host at 200..300 with `roles = [agent]` at 210; `follower` at 400.
        let w = words(&[
            ("follower", 0, 100),
            ("agent", 10, 50),
            ("agent", 210, 215),
            ("follower", 400, 410),
            ("follower", 420, 430),
        ]);
        assert_eq!(w.word_at("follower", Span::new(20, 25)), "agent");
        assert_eq!(w.word_at("follower", Span::new(60, 65)), "follower");
        assert_eq!(w.word_at("follower", Span::new(200, 300)), "agent");
        assert_eq!(w.word_at("follower", Span::new(500, 600)), "follower");
        assert_eq!(w.word_at("follower", Span::DETACHED), "follower");
        // No `leader` or `master` anywhere: the file's vocabulary (two
        // aliases, three canonical names).
        assert_eq!(w.word_at("leader", Span::new(20, 25)), "leader");
        // exact bounds count as inside
        assert_eq!(w.word_at("follower", Span::new(10, 50)), "agent");
        assert_eq!(w.word_at("follower", Span::new(210, 215)), "agent");
    }
}
