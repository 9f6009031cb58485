//! A small YAML writer for the documents mesosc generates: cloud-config and
//! OWCA's config.
//!
//! Documents are built as a [`Node`] tree and written in block style, so no
//! value is ever pasted into YAML text by string concatenation. The rules,
//! chosen so that YAML 1.1 readers (PyYAML in cloud-init, go-yaml v1 in
//! coreos-cloudinit, ruamel in OWCA) and YAML 1.2 readers get back exactly the
//! string that was written:
//!
//! - A string is written plain only when it is printable ASCII, does not start
//!   with an indicator character (but `-` before a non-space, as in `--now`)
//!   or whitespace, holds no `: ` or ` #`, does not
//!   end in `:` or whitespace, and is not a word YAML 1.1 resolves to something
//!   else: booleans (`yes`, `no`, `on`, `off`, `y`, `n`, `true`, `false`, in any
//!   case), null (`null`, `~`), `=`, `<<`, or anything that starts like a number
//!   (a digit or `.` after an optional sign: `0644`, `1:20`, `.5`, `1e3`).
//!   Everything else is double-quoted, with `\` escapes for `"`, `\` and every
//!   character outside the printable set (so `"0644"` stays a string).
//! - Inside a flow sequence (`[a, b]`), `,[]{}` also force quotes.
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
    if text.trim_end_matches('\n').is_empty() || !(ascii_safe || text.chars().all(block_safe)) {
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

/// Whether a character may appear in a literal block as it is.
fn block_safe(c: char) -> bool {
    c == '\n' || c == '\t' || printable(c)
}

/// Printable in both YAML 1.1 and 1.2, and no line break in either.
fn printable(c: char) -> bool {
    !(c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        ))
}

/// A string scalar on one line: plain when safe, else double-quoted. `flow`
/// is true inside a flow sequence.
pub fn scalar(s: &str, flow: bool) -> String {
    if plain_ok(s, flow) {
        s.to_owned()
    } else {
        quoted(s)
    }
}

/// Whether `s` can be written plain and read back as the same string by YAML
/// 1.1 and 1.2 readers (see the module docs).
fn plain_ok(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let printable_ascii = s.chars().all(|c| (' '..='~').contains(&c));
    // `-` may start a plain scalar when a non-space follows (`--now`).
    let dash_ok = first == '-' && s.len() > 1 && !s[1..].starts_with(' ');
    let indicator = ("-?:,[]{}#&*!|>'\"%@`".contains(first) || first == ' ') && !dash_ok;
    let breaks_plain = s.contains(": ") || s.contains(" #") || s.ends_with([':', ' ']);
    let flow_clash = flow && s.contains([',', '[', ']', '{', '}']);
    printable_ascii
        && !indicator
        && !breaks_plain
        && !flow_clash
        && !special_word(s)
        && !numeric_like(s)
}

/// Words YAML 1.1 (or 1.2) resolves to a boolean, null or another type.
fn special_word(s: &str) -> bool {
    const WORDS: [&str; 12] = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "=", "<<",
    ];
    WORDS.contains(&s.to_ascii_lowercase().as_str())
}

/// Starts like a number: a digit or `.` after an optional sign. Covers YAML
/// 1.1's octal (`0644`), sexagesimal (`1:20`), `.inf`/`.nan`, timestamps and
/// every float and integer form.
fn numeric_like(s: &str) -> bool {
    let rest = s.strip_prefix(['+', '-']).unwrap_or(s);
    rest.starts_with(|c: char| c.is_ascii_digit() || c == '.')
}

/// A double-quoted scalar.
pub fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (' '..='~').contains(&c) => out.push(c),
            c if (c as u32) > 0x9f && printable(c) => out.push(c),
            c if (c as u32) <= 0xffff => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08X}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests;
