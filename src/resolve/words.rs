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
        }
    }

    /// The word for `canonical` in a message about the whole cluster: the
    /// spelling written most often, the first written on a tie. A file that
    /// writes neither spelling gets the vocabulary it uses for the other
    /// pairs (one that writes `agent` reads "no host has the `master`
    /// role"), else the canonical name.
    pub fn word(&self, canonical: &'static str) -> &'static str {
        match self.of(canonical).next() {
            Some(_) => preferred(canonical, self.of(canonical)),
            None => match alias_preferred(self.written.values()) {
                true => alias_of(canonical).unwrap_or(canonical),
                false => canonical,
            },
        }
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
        let around = self
            .of(canonical)
            .filter(|w| w.scope.start <= at.start && at.end <= w.scope.end)
            .min_by_key(|w| w.scope.len());
        if let Some(w) = around {
            return w.word;
        }
        let inside = || {
            self.of(canonical)
                .filter(|w| at.start <= w.scope.start && w.scope.end <= at.end)
        };
        match inside().next() {
            Some(_) => preferred(canonical, inside()),
            None => self.word(canonical),
        }
    }

    /// The places `canonical` was written, in source order.
    fn of(&self, canonical: &'static str) -> impl Iterator<Item = &Written> + Clone {
        self.written
            .values()
            .filter(move |w| w.canonical == canonical)
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
