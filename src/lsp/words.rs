//! Hover on the language's own words: every keyword (`cluster`, `uses`,
//! `auto`…), a template's name (its body and the hosts that use it), and a
//! `let` or `for` name (what it is bound to). Keys and flags are the
//! `hover` module's.

use crate::resolve::Resolved;
use crate::span::{SourceFile, SourceMap, Span};
use crate::syntax::ast::{self, ExprKind, Item};

use super::context::locate;
use super::names::{DeclKind, Index, Symbol};
use super::scan::is_word_byte;

/// The most lines of a template's body a hover shows.
const MAX_LINES: usize = 12;

/// What a keyword means, for hover.
pub fn keyword_doc(word: &str) -> Option<&'static str> {
    let doc = match word {
        "cluster" => {
            "`cluster NAME { … }`: the cluster itself (Mesos' `--cluster`), its target versions \
             (`mesos = \"1.11.0\"`), outputs, runtime and selected environment. One per build, in \
             the main file or a file it imports."
        }
        "import" => {
            "`import \"file.mcl\"`: reads another file, relative to this one, into the build: its \
             templates, hosts, blocks and top-level `let`s. Imports may not form a cycle."
        }
        "let" => {
            "`let NAME = value`: names a value for expressions and `${…}`. A file's top-level \
             `let`s are visible to the files that import it."
        }
        "for" | "in" => {
            "`for NAME in RANGE-OR-LIST { … }`: repeats the items of its body once per value \
             (`1..3` is inclusive); NAME is known inside the body."
        }
        "host" => {
            "`host NAME [uses T, …] { … }`: one machine: `address`, `roles`, and blocks that \
             override the cluster-wide ones for this host."
        }
        "uses" => {
            "`host NAME uses T, … { … }`: merges the templates' settings into the host, in order; \
             the host's own settings win."
        }
        "template" => {
            "`template NAME { … }`: settings shared by the hosts that name it after `uses`."
        }
        "service" => {
            "`service NAME { … }`: an extra systemd unit, placed on roles or hosts (`on`) and \
             ordered by the dependency graph (`after`)."
        }
        "environment" => {
            "`environment NAME { … }`: an overlay, applied when selected (`environment = \"NAME\"` \
             in the cluster block, or `--env NAME`): its blocks override the others."
        }
        "true" | "false" => "A boolean.",
        "auto" => {
            "`auto`: mesosc derives the value (`quorum = auto` is a majority of the leaders, \
             floor(n / 2) + 1)."
        }
        _ => return None,
    };
    Some(doc)
}

/// The hover for the word at global `offset` of `source` (parsed as
/// `file`), with `index` holding the names of the whole check.
pub fn hover(
    sources: &SourceMap,
    source: &SourceFile,
    file: &ast::File,
    index: &Index,
    resolved: Option<&Resolved>,
    offset: u32,
) -> Option<(Span, String)> {
    if file
        .comments
        .iter()
        .any(|c| c.start <= offset && offset < c.end)
    {
        return None;
    }
    let (span, word) = word_at(source, offset)?;
    if let Some(symbol) = index.symbol_at(offset) {
        let text = symbol_doc(sources, file, index, resolved, &symbol)?;
        return Some((span, text));
    }
    let doc = keyword_doc(word)?;
    let cursor = locate(file, offset);
    let literal = cursor
        .expr
        .is_none_or(|e| matches!(e.kind, ExprKind::Bool(_) | ExprKind::Auto));
    (literal && !cursor.on_key).then(|| (span, doc.to_string()))
}

/// The word around a global offset.
fn word_at(source: &SourceFile, offset: u32) -> Option<(Span, &str)> {
    let local = offset.checked_sub(source.base)? as usize;
    let bytes = source.text.as_bytes();
    let mut start = local.min(bytes.len());
    while start > 0 && is_word_byte(bytes[start - 1]) {
        start -= 1;
    }
    let mut end = local.min(bytes.len());
    while end < bytes.len() && is_word_byte(bytes[end]) {
        end += 1;
    }
    let word = source.text.get(start..end).filter(|w| !w.is_empty())?;
    let span = Span::new(source.base + start as u32, source.base + end as u32);
    Some((span, word))
}

fn symbol_doc(
    sources: &SourceMap,
    file: &ast::File,
    index: &Index,
    resolved: Option<&Resolved>,
    symbol: &Symbol,
) -> Option<String> {
    let decl = |kind: DeclKind, name: &str| {
        index
            .decls
            .iter()
            .find(|d| d.kind == kind && d.name == name)
            .and_then(|d| text_of(sources, d.item))
    };
    match symbol {
        Symbol::Named(DeclKind::Template, name) => {
            let body = decl(DeclKind::Template, name)?;
            Some(format!(
                "```mcl\n{body}\n```\n{}",
                template_users(resolved, name)
            ))
        }
        Symbol::Let(name) => Some(format!("```mcl\n{}\n```", decl(DeclKind::Let, name)?)),
        Symbol::ForVar(span) => {
            let f = find_for(&file.items, *span)?;
            let head = text_of(sources, Span::new(f.span.start, f.iter.span.end))?;
            Some(format!("```mcl\n{head}\n```\nthe loop's variable"))
        }
        Symbol::Named(..) => None,
    }
}

/// "used by 12 hosts: agent-1, …".
fn template_users(resolved: Option<&Resolved>, name: &str) -> String {
    let Some(r) = resolved else {
        return String::new();
    };
    let users: Vec<&str> = r
        .hosts
        .iter()
        .filter(|h| h.uses.iter().any(|u| u.node == name))
        .map(|h| h.name.node.as_str())
        .collect();
    let shown: Vec<&str> = users.iter().take(5).copied().collect();
    match users.len() {
        0 => "used by no host".to_string(),
        n if n > shown.len() => format!("used by {n} hosts: {}, …", shown.join(", ")),
        1 => format!("used by host {}", shown.join(", ")),
        n => format!("used by {n} hosts: {}", shown.join(", ")),
    }
}

/// The text of a global span of any file of the check, cut to
/// [`MAX_LINES`].
fn text_of(sources: &SourceMap, span: Span) -> Option<String> {
    let file = sources.file(sources.file_of(span.start)?);
    let start = span.start.checked_sub(file.base)? as usize;
    let end = span.end.checked_sub(file.base)? as usize;
    let text = file.text.get(start..end)?;
    let mut lines: Vec<&str> = text.lines().take(MAX_LINES + 1).collect();
    if lines.len() > MAX_LINES {
        lines.truncate(MAX_LINES);
        lines.push("…");
    }
    Some(lines.join("\n"))
}

fn find_for(items: &[Item], var: Span) -> Option<&ast::For> {
    items.iter().find_map(|i| match i {
        Item::For(f) if f.var.span == var => Some(f),
        Item::For(f) => find_for(&f.items, var),
        Item::Environment(e) => find_for(&e.items, var),
        _ => None,
    })
}
