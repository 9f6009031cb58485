//! A small YAML writer for the documents mesosc generates: cloud-config and
//! OWCA's config. How one string is written as a scalar (plain or quoted)
//! is the escaping layer's business (`crate::escape`, `yaml_*`); this module
//! lays out the tree.
//!
//! Documents are built as a [`Node`] tree and written in block style, so no
//! value is ever pasted into YAML text by string concatenation. Strings are
//! written plain or double-quoted by `escape::yaml_scalar` (its module docs
//! give the rules that let YAML 1.1 and 1.2 readers read back exactly the
//! string written), so `"0644"` stays a string.
//!
//! - File contents ([`Node::Text`]) are literal block scalars: `|` when the
//!   text ends in exactly one line break, `|-` when it ends in none, `|+` when
//!   it ends in more. When the first line that is not empty starts with a space,
//!   an explicit indentation indicator (`|2`) is added, since a reader would
//!   otherwise take that space for indentation. Content is indented two spaces
//!   past its key (or `-`); empty lines are written empty. A text that a block
//!   cannot carry (a carriage return or another character YAML 1.1 treats as a
//!   line break, control characters, a byte-order mark) or that is empty or
//!   all line breaks is double-quoted instead.

use std::fmt::Write as _;

use crate::escape::{yaml_block_safe, yaml_quoted as quoted, yaml_scalar as scalar};

/// One YAML node.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// A string scalar, plain or double-quoted as the rules require.
    Str(String),
    /// A file's contents: a literal block scalar.
    Text(String),
    /// A boolean (`true`/`false`).
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number, always written with a decimal point.
    Float(f64),
    /// A sequence of strings written on one line: `[systemctl, daemon-reload]`.
    Flow(Vec<String>),
    /// A block sequence.
    Seq(Vec<Node>),
    /// A block mapping, keys in the given order.
    Map(Vec<(String, Node)>),
    /// A node with a local tag (`!MesosNode`); the tag name without `!`.
    Tagged(String, Box<Node>),
}

impl Node {
    /// A string node.
    pub fn str(value: impl Into<String>) -> Node {
        Node::Str(value.into())
    }

    /// A mapping from `(key, value)` pairs.
    pub fn map<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Node)>) -> Node {
        Node::Map(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

/// A whole document: each of `comments` on its own line (the caller gives the
/// `#`), then `root`. The text ends with a line break.
pub fn document(comments: &[&str], root: &Node) -> String {
    let mut out = String::new();
    for c in comments {
        out.push_str(c);
        out.push('\n');
    }
    match root {
        Node::Map(pairs) if !pairs.is_empty() => map(&mut out, pairs, 0),
        // A sequence at the root (an Ansible playbook) starts at column 0.
        Node::Seq(items) if !items.is_empty() => {
            out.push_str("---\n");
            seq(&mut out, items, 0);
        }
        other => {
            out.push_str("---");
            after_key(&mut out, other, 0);
        }
    }
    out
}

fn pad(out: &mut String, indent: usize) {
    const SPACES: &str = "                                ";
    let mut left = indent;
    while left > 0 {
        let n = left.min(SPACES.len());
        out.push_str(&SPACES[..n]);
        left -= n;
    }
}

/// A block mapping whose keys start at column `indent`.
fn map(out: &mut String, pairs: &[(String, Node)], indent: usize) {
    for (key, value) in pairs {
        pad(out, indent);
        out.push_str(&scalar(key, false));
        out.push(':');
        after_key(out, value, indent);
    }
}

/// A block sequence whose `-` are at column `indent`.
fn seq(out: &mut String, items: &[Node], indent: usize) {
    for item in items {
        pad(out, indent);
        out.push('-');
        match item {
            Node::Map(pairs) if !pairs.is_empty() => {
                out.push(' ');
                let (first, rest) = pairs.split_at(1);
                out.push_str(&scalar(&first[0].0, false));
                out.push(':');
                after_key(out, &first[0].1, indent + 2);
                map(out, rest, indent + 2);
            }
            other => after_key(out, other, indent),
        }
    }
}

/// What follows `key:` (or `-`) of a node whose parent sits at column
/// `indent`: the rest of the line, and nested lines indented by two more.
fn after_key(out: &mut String, node: &Node, indent: usize) {
    match node {
        Node::Map(pairs) if pairs.is_empty() => out.push_str(" {}\n"),
        Node::Map(pairs) => {
            out.push('\n');
            map(out, pairs, indent + 2);
        }
        Node::Seq(items) if items.is_empty() => out.push_str(" []\n"),
        Node::Seq(items) => {
            out.push('\n');
            seq(out, items, indent + 2);
        }
        Node::Tagged(tag, inner) => {
            out.push_str(" !");
            out.push_str(tag);
            after_key(out, inner, indent);
        }
        Node::Text(text) => block(out, text, indent + 2),
        scalar_node => {
            out.push(' ');
            out.push_str(&inline(scalar_node));
            out.push('\n');
        }
    }
}

/// A scalar or flow node on one line.
fn inline(node: &Node) -> String {
    match node {
        Node::Str(s) | Node::Text(s) => scalar(s, false),
        Node::Bool(b) => b.to_string(),
        Node::Int(i) => i.to_string(),
        Node::Float(f) => float(*f),
        Node::Flow(items) => {
            let words: Vec<String> = items.iter().map(|w| scalar(w, true)).collect();
            format!("[{}]", words.join(", "))
        }
        Node::Seq(_) | Node::Map(_) | Node::Tagged(..) => String::from("null"),
    }
}

fn float(f: f64) -> String {
    if f.is_nan() {
        ".nan".to_owned()
    } else if f.is_infinite() {
        if f > 0.0 { ".inf" } else { "-.inf" }.to_owned()
    } else {
        // `{:?}` always has a `.` or an exponent (`5.0`, `1e-7`).
        format!("{f:?}")
    }
}

/// A literal block scalar with its content at column `indent`, or a quoted
/// string when a block cannot carry `text` (see the module docs).
fn block(out: &mut String, text: &str, indent: usize) {
    let breaks = text.len() - text.trim_end_matches('\n').len();
    // Most text is printable ASCII: checked bytewise before char by char.
    let ascii_safe = text
        .bytes()
        .all(|b| b == b'\n' || b == b'\t' || (b' '..=b'~').contains(&b));
    if text.trim_end_matches('\n').is_empty() || !(ascii_safe || text.chars().all(yaml_block_safe))
    {
        out.push(' ');
        out.push_str(&quoted(text));
        out.push('\n');
        return;
    }
    let chomp = match breaks {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let first = text.lines().find(|l| !l.is_empty()).unwrap_or("");
    let indicator = if first.starts_with(' ') { "2" } else { "" };
    let _ = writeln!(out, " |{indicator}{chomp}");
    let body = text.strip_suffix('\n').unwrap_or(text);
    for line in body.split('\n') {
        if !line.is_empty() {
            pad(out, indent);
            out.push_str(line);
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests;
