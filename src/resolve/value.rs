//! Evaluated values: what an expression means once names, arithmetic and
//! interpolation are resolved, and the tables that blocks become.
//!
//! Every value keeps the span that wrote it, and every table entry keeps the
//! [`Layer`] it came from plus the origins it overrode, so diagnostics and
//! `explain` can say "set in common.mcl:12, overridden by environment debug".

use std::fmt;
use std::net::IpAddr;

use crate::span::Span;

/// A value after evaluation.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A string, interpolation done.
    Str(String),
    /// An integer.
    Int(i64),
    /// `true` / `false`.
    Bool(bool),
    /// `auto`.
    Auto,
    /// A bare word that names no variable: an enum word, a role, a unit name.
    Symbol(String),
    /// A duration in Mesos units.
    Duration {
        /// Nanoseconds.
        nanos: u128,
        /// As written (`30secs`).
        text: String,
    },
    /// A byte size.
    Bytes {
        /// Bytes.
        bytes: u64,
        /// As written (`16GB`).
        text: String,
    },
    /// An IP address literal.
    Ip(IpAddr),
    /// A list.
    List(Vec<Val>),
    /// An inclusive range of integers.
    Range(i64, i64),
    /// A block.
    Table(Table),
    /// `file("/path")`: a secret kept on the host; only the path is known.
    File(String),
}

impl Value {
    /// A short name of the value's kind, for messages ("a string", "a list").
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Int(_) => "an integer",
            Value::Bool(_) => "a boolean",
            Value::Auto => "`auto`",
            Value::Symbol(_) => "a name",
            Value::Duration { .. } => "a duration",
            Value::Bytes { .. } => "a byte size",
            Value::Ip(_) => "an IP address",
            Value::List(_) => "a list",
            Value::Range(..) => "a range",
            Value::Table(_) => "a block",
            Value::File(_) => "a `file()` reference",
        }
    }

    /// The text of a scalar value as it goes into a flag or a string
    /// (`None` for lists, blocks and secrets).
    pub fn scalar_text(&self) -> Option<String> {
        Some(match self {
            Value::Str(s) | Value::Symbol(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Auto => "auto".into(),
            Value::Duration { text, .. } | Value::Bytes { text, .. } => text.clone(),
            Value::Ip(ip) => ip.to_string(),
            Value::Range(a, b) => format!("{a}..{b}"),
            Value::List(_) | Value::Table(_) | Value::File(_) => return None,
        })
    }
}

/// A value and the span of the expression that produced it.
#[derive(Clone, Debug, PartialEq)]
pub struct Val {
    /// The value.
    pub value: Value,
    /// Where it was written.
    pub span: Span,
}

impl Val {
    /// Wraps a value.
    pub fn new(value: Value, span: Span) -> Self {
        Val { value, span }
    }
}

/// Which layer of the precedence order set a value (lowest first).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Layer {
    /// Built into mesosc.
    Default,
    /// A cluster-wide block (`leader { … }` at top level, or the `cluster` block).
    Cluster,
    /// A template merged with `uses`.
    Template(String),
    /// The host's own block.
    Host,
    /// The selected environment overlay.
    Environment(String),
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Layer::Default => f.write_str("built-in default"),
            Layer::Cluster => f.write_str("cluster-wide block"),
            Layer::Template(t) => write!(f, "template `{t}`"),
            Layer::Host => f.write_str("host block"),
            Layer::Environment(e) => write!(f, "environment `{e}`"),
        }
    }
}

/// Where a setting was written, and in which layer.
#[derive(Clone, Debug, PartialEq)]
pub struct Origin {
    /// The span of the whole entry (`key = value`).
    pub span: Span,
    /// Its layer.
    pub layer: Layer,
    /// Set when the model reads the entry (see [`Mark`]).
    pub mark: Mark,
}

/// Whether a source entry has been read (or overridden where it was
/// looked up): one flag per entry as written,
/// shared by every copy of it (a template merged into each host that uses
/// it, every iteration of a `for` body, a merged layer), so reading any
/// copy marks the entry. [`Table`]'s lookups set it; what no lookup ever
/// set has had no effect (`mcl::check::no_effect`, [`super::usage`]).
#[derive(Clone, Debug, Default)]
pub struct Mark(std::sync::Arc<std::sync::atomic::AtomicU8>);

const READ: u8 = 1;
const OVERRIDDEN: u8 = 2;

impl Mark {
    /// Marks the entry read.
    pub fn set(&self) {
        self.0.fetch_or(READ, std::sync::atomic::Ordering::Relaxed);
    }

    /// Records that a higher layer overrode the entry where it was read.
    pub fn overridden(&self) {
        self.0
            .fetch_or(OVERRIDDEN, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether the entry was read.
    pub fn is_set(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed) & READ != 0
    }

    /// Whether a higher layer overrode it where it was looked up.
    pub fn was_overridden(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed) & OVERRIDDEN != 0
    }
}

/// Marks are bookkeeping, not part of a value: every two are equal.
impl PartialEq for Mark {
    fn eq(&self, _: &Mark) -> bool {
        true
    }
}

/// One setting of a table.
#[derive(Clone, Debug, PartialEq)]
pub struct Slot {
    /// The key as written.
    pub key: String,
    /// Where the key was written (in the winning layer).
    pub key_span: Span,
    /// The label of a labelled block (`credential "marathon" { … }`).
    pub label: Option<String>,
    /// Where the label was written ([`Span::DETACHED`] without one).
    pub label_span: Span,
    /// The value.
    pub val: Val,
    /// The entry that set it.
    pub origin: Origin,
    /// Entries of lower layers that this one replaced, lowest first.
    pub overridden: Vec<Origin>,
}

/// A block after evaluation: settings in the order they were first written.
///
/// Lookups are linear: blocks hold a handful of keys, and keeping source order
/// gives diagnostics and generated files a stable, readable order. The two
/// places that look up every key of a block (evaluating it, with its
/// duplicate check, and merging one table over another) switch to a hash
/// index once a block is large ([`SlotIndex`]), so a block of 80,000 keys
/// costs linear time, not quadratic.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Table {
    /// The settings.
    pub slots: Vec<Slot>,
    /// The span of the block that created the table (`{ … }`).
    pub span: Span,
}

impl Table {
    /// An empty table for a block at `span`.
    pub fn new(span: Span) -> Self {
        Table {
            slots: Vec::new(),
            span,
        }
    }

    /// The setting for an unlabelled key, marked read (every lookup of a
    /// table marks what it finds: see [`Mark`]).
    pub fn get(&self, key: &str) -> Option<&Slot> {
        self.peek(key).inspect(|s| s.mark_read())
    }

    /// The setting for an unlabelled key, without marking it read: for
    /// diagnostics and tools that look at a setting without using it.
    pub fn peek(&self, key: &str) -> Option<&Slot> {
        self.slots
            .iter()
            .find(|s| s.key == key && s.label.is_none())
    }

    /// The setting for a key and label, marked read.
    pub fn get_labelled(&self, key: &str, label: Option<&str>) -> Option<&Slot> {
        self.peek_labelled(key, label).inspect(|s| s.mark_read())
    }

    /// The setting for a key and label, not marked.
    pub fn peek_labelled(&self, key: &str, label: Option<&str>) -> Option<&Slot> {
        self.slots.iter().find(|s| {
            count_comparison();
            s.key == key && s.label.as_deref() == label
        })
    }

    /// The nested table of an unlabelled key, not marked read (for checks
    /// of what was written, which are not uses).
    pub fn peek_table(&self, key: &str) -> Option<&Table> {
        match &self.peek(key)?.val.value {
            Value::Table(t) => Some(t),
            _ => None,
        }
    }

    /// Marks every setting read, nested blocks included: for a block that
    /// applies elsewhere by design (a service of another environment).
    pub fn mark_all(&self) {
        for slot in self.entries() {
            if let Value::Table(t) = &slot.val.value {
                t.mark_all();
            }
        }
    }

    /// Every setting, each marked read: for blocks whose every entry is
    /// used (flags, settings, attributes, metadata).
    pub fn entries(&self) -> impl Iterator<Item = &Slot> + '_ {
        self.slots.iter().inspect(|s| s.mark_read())
    }

    /// The value of an unlabelled key.
    pub fn value(&self, key: &str) -> Option<&Val> {
        self.get(key).map(|s| &s.val)
    }

    /// The nested table of an unlabelled key, when it holds a block.
    pub fn table(&self, key: &str) -> Option<&Table> {
        match &self.get(key)?.val.value {
            Value::Table(t) => Some(t),
            _ => None,
        }
    }

    /// Every setting with this key, labelled or not, in order, marked read.
    pub fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Slot> + 'a {
        self.slots
            .iter()
            .filter(move |s| s.key == key)
            .inspect(|s| s.mark_read())
    }

    /// Whether the table has no settings.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Merges `over` on top of `self`: blocks merge key by key, anything else is
    /// replaced whole, and the replaced origins are kept in `overridden`.
    pub fn merge(&mut self, over: &Table) {
        // Where each of `over`'s settings goes (both tables hold each key and
        // label once), found before anything moves.
        let targets: Vec<Option<usize>> = if self.slots.len() <= LINEAR_MAX {
            let find = |slot: &Slot| self.slots.iter().position(|s| same_key(s, slot));
            over.slots.iter().map(find).collect()
        } else {
            let index = SlotIndex::of(&self.slots);
            over.slots
                .iter()
                .map(|s| index.find(&s.key, s.label.as_deref()))
                .collect()
        };
        for (slot, target) in over.slots.iter().zip(targets) {
            match target {
                Some(i) => self.slots[i].merge(slot),
                None => self.slots.push(slot.clone()),
            }
        }
    }

    /// Sets the layer of every setting, recursively (used when a body is
    /// merged into another layer, e.g. a template into a host).
    pub fn set_layer(&mut self, layer: &Layer) {
        for slot in &mut self.slots {
            slot.origin.layer = layer.clone();
            if let Value::Table(t) = &mut slot.val.value {
                t.set_layer(layer);
            }
        }
    }
}

/// The most settings a table searches linearly.
pub(crate) const LINEAR_MAX: usize = 16;

fn same_key(a: &Slot, b: &Slot) -> bool {
    count_comparison();
    a.key == b.key && a.label == b.label
}

/// The settings of a large table by key and label.
pub(crate) struct SlotIndex<'a> {
    map: std::collections::HashMap<(&'a str, Option<&'a str>), usize>,
}

impl<'a> SlotIndex<'a> {
    /// Indexes `slots`.
    pub(crate) fn of(slots: &'a [Slot]) -> Self {
        let map = (slots.iter().enumerate())
            .map(|(i, s)| ((s.key.as_str(), s.label.as_deref()), i))
            .collect();
        SlotIndex { map }
    }

    /// The position of the setting for `key` and `label`.
    pub(crate) fn find(&self, key: &str, label: Option<&str>) -> Option<usize> {
        count_comparison();
        self.map.get(&(key, label)).copied()
    }
}

#[cfg(test)]
thread_local! {
    /// Key comparisons and index lookups made by this thread (tests count
    /// work instead of timing it).
    pub(crate) static COMPARISONS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

#[inline]
fn count_comparison() {
    #[cfg(test)]
    COMPARISONS.with(|c| c.set(c.get() + 1));
}

impl Slot {
    /// Marks the entry read. An entry it overrode had no effect here,
    /// unless an environment overlay overrode it: then the entry below the
    /// overlays is what every other environment reads, and it is marked.
    pub fn mark_read(&self) {
        self.origin.mark.set();
        for o in &self.overridden {
            o.mark.overridden();
        }
        if matches!(self.origin.layer, Layer::Environment(_))
            && let Some(base) =
                (self.overridden.iter().rev()).find(|o| !matches!(o.layer, Layer::Environment(_)))
        {
            base.mark.set();
        }
    }

    fn merge(&mut self, over: &Slot) {
        if let (Value::Table(mine), Value::Table(theirs)) = (&mut self.val.value, &over.val.value) {
            mine.merge(theirs);
            return;
        }
        let mut overridden = std::mem::take(&mut self.overridden);
        overridden.push(self.origin.clone());
        overridden.extend(over.overridden.iter().cloned());
        *self = over.clone();
        self.overridden = overridden;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comparisons(run: impl FnOnce()) -> u64 {
        COMPARISONS.with(|c| c.set(0));
        run();
        COMPARISONS.with(std::cell::Cell::get)
    }

    /// Checks a cluster whose `leader` block holds `n` keys (twice: the
    /// cluster-wide block and an overlay merged over it).
    fn check_keys(n: usize) {
        let keys: String = (0..n).map(|i| format!("  k{i} = {i}\n")).collect();
        let text = format!(
            "cluster \"c\" {{ mesos = \"1.11.0\"  environment = \"e\" }}\n\
             host \"a\" {{ address = 10.0.0.1  roles = [zookeeper, leader, follower] }}\n\
             leader {{\n{keys}}}\nenvironment \"e\" {{\n  leader {{\n{keys}  }}\n}}\n"
        );
        let checked = crate::compile::check_text(&text);
        assert!(checked.diagnostics.len() >= n, "every key is unknown");
    }

    #[test]
    fn a_block_of_many_keys_costs_linear_work() {
        let small = comparisons(|| check_keys(1_000));
        let large = comparisons(|| check_keys(8_000));
        // Eight times the keys: about eight times the lookups (it was 64
        // times, each key compared with every key before it).
        assert!(large < small * 10, "{small} then {large}");
    }

    #[test]
    fn merging_large_tables_costs_linear_work() {
        let table = |n: usize, from: usize| Table {
            slots: (from..from + n)
                .map(|i| Slot {
                    key: format!("k{i}"),
                    key_span: Span::DETACHED,
                    label: None,
                    label_span: Span::DETACHED,
                    val: Val::new(Value::Int(i as i64), Span::DETACHED),
                    origin: Origin {
                        span: Span::DETACHED,
                        layer: Layer::Default,
                        mark: Mark::default(),
                    },
                    overridden: Vec::new(),
                })
                .collect(),
            span: Span::DETACHED,
        };
        let merge = |n: usize| {
            comparisons(|| {
                let mut base = table(n, 0);
                base.merge(&table(n, n / 2));
                assert_eq!(base.slots.len(), n + n / 2);
                assert_eq!(base.slots[n - 1].overridden.len(), 1);
            })
        };
        let (small, large) = (merge(1_000), merge(8_000));
        assert!(large < small * 10, "{small} then {large}");
    }
}
