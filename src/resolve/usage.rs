//! Usage records: every block entry the user wrote, registered once when it
//! is evaluated (templates, overlays whether selected or not, and `for`
//! bodies, whose iterations share one record), with the [`Mark`] that the
//! model's reads set. What no read marked has had no effect; the model
//! reports it (`mcl::check::no_effect`) with a reason from the key schema.

use std::collections::HashMap;

use crate::resolve::value::{Layer, Mark};
use crate::span::Span;

/// The item an entry was written in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// The `cluster` block.
    Cluster,
    /// A cluster-wide block (`leader { … }` at top level), by canonical name.
    Section(String),
    /// A host (the first name a `for` body gave it).
    Host(String),
    /// A template.
    Template(String),
    /// An extra service.
    Service(String),
    /// A block written as a value (`let x = { … }`).
    Value,
}

/// One entry as written.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The whole entry (`key = value`, `key { … }`).
    pub span: Span,
    /// The key as written (section aliases kept).
    pub key: String,
    /// Where the key is.
    pub key_span: Span,
    /// The layer it was written in.
    pub layer: Layer,
    /// The item it was written in.
    pub item: Item,
    /// The entry whose block holds it.
    pub parent: Option<usize>,
    /// Whether its value is a block, and whether that block is empty.
    pub block: Option<bool>,
    /// Set when the model reads any copy of it.
    pub mark: Mark,
}

/// Every entry of a compilation, in the order first evaluated (a parent
/// before its children).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Entries {
    /// The entries.
    pub list: Vec<Entry>,
    by_span: HashMap<Span, usize, BuildSpanHasher>,
}

/// A hasher for spans (two `u32`s): every evaluated entry is looked up,
/// a million times in a large `for`, and SipHash was a tenth of a check.
/// The keys are source offsets, not input an attacker chooses freely to
/// collide (and a collision costs a comparison, not correctness).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct BuildSpanHasher;

impl std::hash::BuildHasher for BuildSpanHasher {
    type Hasher = SpanHasher;
    fn build_hasher(&self) -> SpanHasher {
        SpanHasher(0)
    }
}

/// Multiply-rotate hashing of a few integers (FxHash's step).
struct SpanHasher(u64);

impl std::hash::Hasher for SpanHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u32(u32::from(*b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(n)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Entries {
    /// Registers the entry at `span` (once: a `for` body's later iterations
    /// find the first record) and returns its index and mark.
    pub(crate) fn register(&mut self, new: impl FnOnce() -> Entry, span: Span) -> (usize, Mark) {
        if let Some(&i) = self.by_span.get(&span) {
            return (i, self.list[i].mark.clone());
        }
        let entry = new();
        let mark = entry.mark.clone();
        self.list.push(entry);
        self.by_span.insert(span, self.list.len() - 1);
        (self.list.len() - 1, mark)
    }

    /// Whether the entry at `span` is registered already.
    pub(crate) fn registered(&self, span: Span) -> bool {
        self.by_span.contains_key(&span)
    }

    /// Records whether the block value of entry `i` is empty.
    pub(crate) fn set_block(&mut self, i: usize, empty: bool) {
        if let Some(e) = self.list.get_mut(i) {
            e.block = Some(empty);
        }
    }

    /// Whether each entry had an effect: it was read, or something inside
    /// its block was.
    pub fn used(&self) -> Vec<bool> {
        let mut used: Vec<bool> = self.list.iter().map(|e| e.mark.is_set()).collect();
        // Children come after their parent: one pass from the end carries
        // a child's use up to every ancestor.
        for i in (0..self.list.len()).rev() {
            if used[i]
                && let Some(p) = self.list[i].parent
            {
                used[p] = true;
            }
        }
        used
    }

    /// The keys from the item's top down to entry `i` (`["leader", "flags", "x"]`).
    pub fn path(&self, i: usize) -> Vec<&str> {
        let mut path = Vec::new();
        let mut at = Some(i);
        while let Some(j) = at {
            path.push(self.list[j].key.as_str());
            at = self.list[j].parent;
        }
        path.reverse();
        path
    }
}
