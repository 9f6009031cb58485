//! The syntax tree: what an `.mcl` file says, exactly as written.
//!
//! Every node and every name carries its [`Span`]. Nothing here is resolved:
//! identifiers are names, strings still hold their `${…}` parts, and
//! arithmetic is a tree. The `check` stage gives it meaning.

use std::net::IpAddr;

use crate::span::Span;

/// A name with its own span, so diagnostics can say "defined here" / "used here".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    /// The name (`[A-Za-z_][A-Za-z0-9_-]*`).
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// One parsed file.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct File {
    /// Top-level items in source order.
    pub items: Vec<Item>,
    /// Every comment (`# …` up to the end of the line), in source order.
    pub comments: Vec<Span>,
}

/// A top-level item (or an item inside `for` and `environment` bodies).
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// `cluster "name" { … }`
    Cluster(Cluster),
    /// `import "file.mcl"`
    Import(Import),
    /// `let name = expr`
    Let(Let),
    /// `for name in expr { items }`
    For(For),
    /// `host name [uses t1, t2] { … }`
    Host(Host),
    /// `template name { … }`
    Template(Template),
    /// `zookeeper { … }`, `leader { … }`, `auth { … }` and any other `name [label] { … }`.
    Section(Section),
    /// `service "name" { … }`
    Service(Service),
    /// `environment "name" { items }`
    Environment(Environment),
}

impl Item {
    /// The span of the whole item.
    pub fn span(&self) -> Span {
        match self {
            Item::Cluster(i) => i.span,
            Item::Import(i) => i.span,
            Item::Let(i) => i.span,
            Item::For(i) => i.span,
            Item::Host(i) => i.span,
            Item::Template(i) => i.span,
            Item::Section(i) => i.span,
            Item::Service(i) => i.span,
            Item::Environment(i) => i.span,
        }
    }
}

/// `cluster "name" { … }`
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    /// The cluster's name (a string or identifier).
    pub name: Expr,
    /// Its settings.
    pub body: Block,
    /// The whole item.
    pub span: Span,
}

/// `import "file.mcl"`
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    /// The path, a string literal (interpolation is allowed but must be constant).
    pub path: Expr,
    /// The whole item.
    pub span: Span,
}

/// `let name = expr`
#[derive(Clone, Debug, PartialEq)]
pub struct Let {
    /// The bound name.
    pub name: Ident,
    /// The bound value.
    pub value: Expr,
    /// The whole item.
    pub span: Span,
}

/// `for name in expr { items }`
#[derive(Clone, Debug, PartialEq)]
pub struct For {
    /// The loop variable.
    pub var: Ident,
    /// A range or a list.
    pub iter: Expr,
    /// The repeated items.
    pub items: Vec<Item>,
    /// The whole item.
    pub span: Span,
}

/// `host name [uses t1, t2] { … }`
#[derive(Clone, Debug, PartialEq)]
pub struct Host {
    /// The host name: an identifier or a (possibly interpolated) string.
    pub name: Expr,
    /// Templates merged into the host, left to right.
    pub uses: Vec<Ident>,
    /// The host's own settings.
    pub body: Block,
    /// The whole item.
    pub span: Span,
}

/// `template name { … }`
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    /// The template's name.
    pub name: Ident,
    /// A host body.
    pub body: Block,
    /// The whole item.
    pub span: Span,
}

/// A named block at top level: `zookeeper { … }`, `leader { … }`, `auth { … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// The block's name, as written (`master` stays `master` here).
    pub name: Ident,
    /// An optional label (`name "label" { … }`).
    pub label: Option<Expr>,
    /// Its settings.
    pub body: Block,
    /// The whole item.
    pub span: Span,
}

/// `service "name" { … }`
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    /// The service (unit) name: an identifier or a string.
    pub name: Expr,
    /// Its settings.
    pub body: Block,
    /// The whole item.
    pub span: Span,
}

/// `environment "name" { items }`
#[derive(Clone, Debug, PartialEq)]
pub struct Environment {
    /// The environment's name: an identifier or a string.
    pub name: Expr,
    /// The overlay's items.
    pub items: Vec<Item>,
    /// The whole item.
    pub span: Span,
}

/// `{ entries }`
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Block {
    /// The entries in source order.
    pub entries: Vec<Entry>,
    /// From `{` to `}` inclusive.
    pub span: Span,
}

/// One entry of a block: `key = expr` or `key ["label"] { … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key.
    pub key: Key,
    /// The label of a labelled block (`credential "marathon" { … }`); boxed,
    /// as few entries have one.
    pub label: Option<Box<Expr>>,
    /// What follows the key.
    pub value: EntryValue,
    /// The whole entry.
    pub span: Span,
}

/// What follows an entry's key.
#[derive(Clone, Debug, PartialEq)]
pub enum EntryValue {
    /// `= expr`
    Assign(Expr),
    /// `{ … }` (with no `=`)
    Block(Block),
}

/// A block key: a name, a dotted name (`autopurge.purgeInterval`) or a quoted string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    /// The key's text (unquoted, escapes resolved).
    pub name: String,
    /// Whether it was written as a quoted string.
    pub quoted: bool,
    /// Where it was written.
    pub span: Span,
}

/// An expression with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// The forms of an expression.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// `"text ${expr} text"`
    Str(Vec<StrPart>),
    /// `42`
    Int(i64),
    /// `true`, `false`
    Bool(bool),
    /// `auto`
    Auto,
    /// A name: a variable when one is in scope, otherwise a symbol such as `native` or `leader`.
    Ident(Ident),
    /// `30secs`, `0.5secs`: the number as written and the unit.
    Duration {
        /// The digits, with an optional fraction (`0.5`).
        amount: String,
        /// The unit.
        unit: DurationUnit,
    },
    /// `512MB`
    Bytes {
        /// The integer amount.
        amount: u64,
        /// The unit.
        unit: ByteUnit,
    },
    /// An unquoted IPv4 or IPv6 address: `10.0.0.1`, `fd00::1`.
    Ip(IpAddr),
    /// `[a, b, c]`
    List(Vec<Expr>),
    /// `a..b` (inclusive)
    Range(Box<Expr>, Box<Expr>),
    /// `{ key = value … }` as a value.
    Block(Block),
    /// `file("…")`, `env("…")`
    Call {
        /// The function's name.
        func: Ident,
        /// The arguments.
        args: Vec<Expr>,
    },
    /// `a + b`, `a - b`, `a * b`, `a / b`, `a % b`
    Binary {
        /// The operator.
        op: BinOp,
        /// The left operand.
        lhs: Box<Expr>,
        /// The right operand.
        rhs: Box<Expr>,
    },
    /// `-a`
    Neg(Box<Expr>),
}

/// A piece of a string literal.
#[derive(Clone, Debug, PartialEq)]
pub enum StrPart {
    /// Literal text, escapes already resolved.
    Lit(String),
    /// `${expr}`
    Interp(Expr),
}

/// Integer operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
        }
    }
}

/// Mesos' duration units (`stout/duration.hpp`), case-sensitive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DurationUnit {
    /// `ns`
    Ns,
    /// `us`
    Us,
    /// `ms`
    Ms,
    /// `secs`
    Secs,
    /// `mins`
    Mins,
    /// `hrs`
    Hrs,
    /// `days`
    Days,
    /// `weeks`
    Weeks,
}

impl DurationUnit {
    /// Every unit, smallest first.
    pub const ALL: [DurationUnit; 8] = [
        DurationUnit::Ns,
        DurationUnit::Us,
        DurationUnit::Ms,
        DurationUnit::Secs,
        DurationUnit::Mins,
        DurationUnit::Hrs,
        DurationUnit::Days,
        DurationUnit::Weeks,
    ];

    /// The unit as written.
    pub fn suffix(self) -> &'static str {
        match self {
            DurationUnit::Ns => "ns",
            DurationUnit::Us => "us",
            DurationUnit::Ms => "ms",
            DurationUnit::Secs => "secs",
            DurationUnit::Mins => "mins",
            DurationUnit::Hrs => "hrs",
            DurationUnit::Days => "days",
            DurationUnit::Weeks => "weeks",
        }
    }

    /// The unit's length in nanoseconds.
    pub fn nanos(self) -> u128 {
        match self {
            DurationUnit::Ns => 1,
            DurationUnit::Us => 1_000,
            DurationUnit::Ms => 1_000_000,
            DurationUnit::Secs => 1_000_000_000,
            DurationUnit::Mins => 60_000_000_000,
            DurationUnit::Hrs => 3_600_000_000_000,
            DurationUnit::Days => 86_400_000_000_000,
            DurationUnit::Weeks => 604_800_000_000_000,
        }
    }

    /// The unit for a suffix.
    pub fn from_suffix(s: &str) -> Option<DurationUnit> {
        DurationUnit::ALL.into_iter().find(|u| u.suffix() == s)
    }
}

/// Byte-size units (`stout/bytes.hpp`): powers of 1024.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ByteUnit {
    /// `B`
    B,
    /// `KB`
    Kb,
    /// `MB`
    Mb,
    /// `GB`
    Gb,
    /// `TB`
    Tb,
}

impl ByteUnit {
    /// Every unit, smallest first.
    pub const ALL: [ByteUnit; 5] = [
        ByteUnit::B,
        ByteUnit::Kb,
        ByteUnit::Mb,
        ByteUnit::Gb,
        ByteUnit::Tb,
    ];

    /// The unit as written.
    pub fn suffix(self) -> &'static str {
        match self {
            ByteUnit::B => "B",
            ByteUnit::Kb => "KB",
            ByteUnit::Mb => "MB",
            ByteUnit::Gb => "GB",
            ByteUnit::Tb => "TB",
        }
    }

    /// The unit's size in bytes.
    pub fn bytes(self) -> u64 {
        1u64 << (10 * self as u32)
    }

    /// The unit for a suffix (upper case, as MCL writes them).
    pub fn from_suffix(s: &str) -> Option<ByteUnit> {
        ByteUnit::ALL.into_iter().find(|u| u.suffix() == s)
    }
}
