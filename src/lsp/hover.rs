//! `textDocument/hover`: what a flag is, and where a setting's value comes
//! from.
//!
//! On a key inside `flags { }` / `settings { }` the hover shows the flag
//! table's row (program, type, default, first version, status, summary)
//! and, like on any other key, the effective value for the host or block
//! it is written in, with every layer that set it: "set in common.mcl:4
//! (template `worker`), overridden by host block at thegrid.mcl:22".
//!
//! A hover never shows a secret: the value of a secret-valued setting (a
//! credential's `secret`, `follower_secret`, and every flag marked
//! `[secret]` in the flag tables) and any value that holds the value of a
//! variable `env()` read are replaced by a note; only `file()` paths, which
//! name a file on the hosts, are shown.

use std::fmt::Write as _;
use std::path::Path;

use crate::compile::Checked;
use crate::resolve::Resolved;
use crate::resolve::value::{Origin, Slot, Table, Value};
use crate::resolve::{HostDecl, canonical_section};
use crate::schema::{self, flag_doc};
use crate::span::{SourceMap, Span};
use crate::syntax::ast;

use super::completion::declared_version;
use super::context::{Cursor, Owner, literal_name, locate};
use super::keys;

/// The most distinct values one hover lists (a `for` loop declares many
/// hosts from one block).
const MAX_GROUPS: usize = 4;

/// The most host names one line lists.
const MAX_NAMES: usize = 3;

/// The hover at global `offset` of `file` (parsed from the check's own
/// copy): markdown, and the span of the key it describes.
pub fn hover(checked: &Checked, file: &ast::File, offset: u32) -> Option<(Span, String)> {
    let cursor = locate(file, offset);
    let entry = cursor.entry.filter(|_| cursor.on_key)?;
    let resolved = checked.resolved.as_ref();
    let mut text = String::new();
    if let Some(program) = keys::flag_program(&cursor.path) {
        let target = resolved.and_then(|r| declared_version(r, program));
        text.push_str(&flag_doc(program, &entry.key.name, target.as_ref()));
    } else if let Some(key) = cursor
        .owner
        .as_ref()
        .and_then(item_kind)
        .and_then(|item| keys::schema_key(item, &cursor.path, &entry.key.name))
    {
        text.push_str(&keys::key_doc(key));
    }
    if let Some(r) = resolved {
        let show = Show {
            sources: &checked.sources,
            secret_key: secret_key(&cursor.path, &entry.key.name),
            env_values: (checked.vars.iter())
                .filter_map(|(_, v)| v.as_deref().filter(|v| !v.is_empty()))
                .collect(),
        };
        let settings = setting_doc(r, &show, &cursor, entry);
        if !settings.is_empty() {
            if !text.is_empty() {
                text.push_str("\n---\n\n");
            }
            text.push_str(&settings);
        }
    }
    (!text.is_empty()).then_some((entry.key.span, text))
}

/// The key schema's kind of item for a cursor's owner.
fn item_kind(owner: &super::context::Owner<'_>) -> Option<keys::ItemKind> {
    use super::context::Owner;
    Some(match owner {
        Owner::Cluster => keys::ItemKind::Cluster,
        Owner::Host(_) | Owner::Template(_) => keys::ItemKind::Host,
        Owner::Section => keys::ItemKind::Section,
        Owner::Service(_) => keys::ItemKind::Service,
        _ => return None,
    })
}

/// How values are shown: where they come from, and what must not be shown.
struct Show<'a> {
    sources: &'a SourceMap,
    /// The key is secret-valued: only a `file()` value is shown.
    secret_key: bool,
    /// The values of the variables `env()` read: a value holding one of
    /// them is not shown.
    env_values: Vec<&'a str>,
}

impl Show<'_> {
    /// The value as the hover shows it: rendered, or why it is hidden.
    fn value(&self, v: &Value) -> String {
        let text = render_value(v);
        if self.secret_key && !matches!(v, Value::File(_)) {
            return "(hidden: a secret-valued setting)".to_owned();
        }
        if self.env_values.iter().any(|e| full_text(v).contains(e)) {
            return "(hidden: it holds the value of an `env()` variable)".to_owned();
        }
        format!("`{text}`")
    }
}

/// Whether the setting at `path`.`key` takes a secret as its value.
fn secret_key(path: &[String], key: &str) -> bool {
    if let Some(program) = keys::flag_program(path) {
        let flag = schema::table(program).get(key);
        return flag.is_some_and(|f| f.secret().is_some());
    }
    matches!(key, "secret" | "follower_secret")
}

/// Every string in a value, unshortened, for the `env()` test.
fn full_text(v: &Value) -> String {
    match v {
        Value::List(items) => items.iter().map(|i| full_text(&i.value)).collect(),
        Value::Table(t) => t.slots.iter().map(|s| full_text(&s.val.value)).collect(),
        Value::File(p) | Value::Str(p) => p.clone(),
        other => other.scalar_text().unwrap_or_default(),
    }
}

/// The effective value of the entry's key in every table it feeds; hosts
/// with the same value from the same places (a `for` loop) share one line.
fn setting_doc(r: &Resolved, show: &Show, c: &Cursor, entry: &ast::Entry) -> String {
    let mut groups: Vec<(Vec<String>, String)> = Vec::new();
    for (title, table) in tables_for(r, c) {
        let body = table_body(r, show, c, entry, table.as_ref());
        match groups.iter_mut().find(|(_, b)| *b == body) {
            Some((titles, _)) => titles.push(title),
            None => groups.push((vec![title], body)),
        }
    }
    let mut s = String::new();
    for (titles, body) in groups.iter().take(MAX_GROUPS) {
        let _ = writeln!(
            s,
            "**`{}`** · {}{body}",
            entry.key.name,
            titles_text(titles)
        );
    }
    if groups.len() > MAX_GROUPS {
        let _ = writeln!(s, "… and {} more", groups.len() - MAX_GROUPS);
    }
    if let Some(Owner::Section) = c.owner {
        s.push_str(&host_overrides(r, c, entry));
    }
    s
}

/// The entry's value in one table, and where it came from.
fn table_body(
    r: &Resolved,
    show: &Show,
    c: &Cursor,
    entry: &ast::Entry,
    table: Option<&Table>,
) -> String {
    let mut body = String::new();
    match table.map(|t| find_slot(t, entry)) {
        Some((Some(slot), _)) => render_slot(&mut body, show, slot, entry.span),
        Some((None, Some(effective))) => {
            body.push_str(&not_in_effect(r, c));
            body.push_str("\neffective value");
            render_slot(&mut body, show, effective, entry.span);
        }
        _ => body.push_str(&not_in_effect(r, c)),
    }
    body
}

/// `host `a``, or `hosts `a`, `b`, `c` and 3 more`.
fn titles_text(titles: &[String]) -> String {
    let names: Option<Vec<&str>> = titles.iter().map(|t| t.strip_prefix("host ")).collect();
    let (prefix, list) = match names {
        Some(names) if names.len() > 1 => ("hosts ", names),
        _ => ("", titles.iter().map(String::as_str).collect()),
    };
    let shown = list.len().min(MAX_NAMES);
    let mut text = format!("{prefix}{}", list[..shown].join(", "));
    if list.len() > shown {
        let _ = write!(text, " and {} more", list.len() - shown);
    }
    text
}

fn render_slot(s: &mut String, show: &Show, slot: &Slot, here: Span) {
    let sources = show.sources;
    let _ = write!(s, " = {}\n\n", show.value(&slot.val.value));
    let mut layers: Vec<&Origin> = slot.overridden.iter().collect();
    layers.push(&slot.origin);
    for (i, o) in layers.iter().enumerate() {
        let at = location(sources, o.span);
        match i {
            0 => {
                let _ = write!(s, "set in {at} ({})", o.layer);
            }
            _ => {
                let _ = write!(s, ", overridden by {} at {at}", o.layer);
            }
        }
    }
    s.push('\n');
    if slot.origin.span != here && slot.overridden.iter().any(|o| o.span == here) {
        s.push_str("\n_this entry is overridden_\n");
    }
}

fn not_in_effect(r: &Resolved, c: &Cursor) -> String {
    let selected = r.environment.as_ref().map(|(n, _)| n.as_str());
    match c.environment.and_then(|e| literal_name(&e.name)) {
        Some(env) if Some(env.as_str()) != selected => {
            format!(": not in effect (environment `{env}` is not selected)\n")
        }
        _ => ": not in effect\n".into(),
    }
}

/// How many hosts override a cluster-wide setting.
fn host_overrides(r: &Resolved, c: &Cursor, entry: &ast::Entry) -> String {
    let Some((section, rest)) = c.path.split_first() else {
        return String::new();
    };
    let overriding = r
        .hosts
        .iter()
        .filter(|h| {
            let t = descend(&r.section_for(h, section), rest);
            t.and_then(|t| {
                let (slot, _) = find_slot(&t, entry);
                slot.map(|s| s.origin.span != entry.span)
            })
            .unwrap_or(false)
        })
        .count();
    match overriding {
        0 => String::new(),
        1 => "\noverridden on 1 host\n".into(),
        n => format!("\noverridden on {n} hosts\n"),
    }
}

/// The tables an entry feeds, with a title for each.
fn tables_for(r: &Resolved, c: &Cursor) -> Vec<(String, Option<Table>)> {
    let path = c.path.as_slice();
    let one = |title: String, table: Option<Table>| vec![(title, table)];
    match c.owner {
        Some(Owner::Host(h)) => hosts_of(r, c, h)
            .into_iter()
            .map(|d| (format!("host `{}`", d.name.node), host_table(r, d, path)))
            .collect(),
        Some(Owner::Template(t)) => one(
            format!("template `{}`", t.name.name),
            r.templates
                .get(&t.name.name)
                .and_then(|d| descend(&d.body, path)),
        ),
        Some(Owner::Section) => match path.split_first() {
            Some((section, rest)) => one(
                format!("cluster-wide `{section}`"),
                descend(&r.section(section), rest),
            ),
            None => Vec::new(),
        },
        Some(Owner::Cluster) => one(
            "`cluster`".into(),
            r.cluster.as_ref().and_then(|d| descend(&d.body, path)),
        ),
        Some(Owner::Service(s)) => service_table(r, s, path).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// A service's table at `path`.
fn service_table(
    r: &Resolved,
    s: &ast::Service,
    path: &[String],
) -> Option<(String, Option<Table>)> {
    let name = literal_name(&s.name);
    let decl = r
        .services
        .iter()
        .find(|d| d.span == s.span || Some(&d.name.node) == name.as_ref())?;
    Some((
        format!("service `{}`", decl.name.node),
        descend(&decl.body, path),
    ))
}

/// The resolved hosts an AST host declares: by span (a `for` declares
/// several), or by name for a host inside an environment overlay.
fn hosts_of<'r>(r: &'r Resolved, c: &Cursor, h: &ast::Host) -> Vec<&'r HostDecl> {
    if c.environment.is_some() {
        let name = literal_name(&h.name);
        return r
            .hosts
            .iter()
            .filter(|d| Some(&d.name.node) == name.as_ref())
            .collect();
    }
    r.hosts.iter().filter(|d| d.span == h.span).collect()
}

/// A host's table at `path`: a section merged over every layer, or the
/// host's own keys (`address`, `roles`, `fleet`).
fn host_table(r: &Resolved, host: &HostDecl, path: &[String]) -> Option<Table> {
    match path.split_first() {
        Some((first, rest)) if canonical_section(first).is_some() => {
            descend(&r.section_for(host, first), rest)
        }
        _ => descend(&host.effective(), path),
    }
}

fn descend(table: &Table, path: &[String]) -> Option<Table> {
    let mut table = table;
    for key in path {
        table = table.table(key)?;
    }
    Some(table.clone())
}

/// The slot this entry wrote (or was overridden in), and else the slot of
/// the same key that is in effect instead.
fn find_slot<'t>(table: &'t Table, entry: &ast::Entry) -> (Option<&'t Slot>, Option<&'t Slot>) {
    let mut same_key = table.slots.iter().filter(|s| s.key == entry.key.name);
    let mine = same_key
        .clone()
        .find(|s| s.origin.span == entry.span || s.overridden.iter().any(|o| o.span == entry.span));
    match mine {
        Some(slot) => (Some(slot), None),
        None => (None, same_key.next()),
    }
}

/// `file.mcl:LINE` of a span.
pub fn location(sources: &SourceMap, span: Span) -> String {
    match sources.location(span.start) {
        Some((id, line, _)) => {
            let path = &sources.file(id).path;
            let name = Path::new(path).file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            format!("{name}:{line}")
        }
        None => "mesosc's defaults".into(),
    }
}

/// A value, shortened for a hover.
fn render_value(v: &Value) -> String {
    let text = match v {
        Value::List(items) => {
            let parts: Vec<String> = items.iter().map(|i| render_value(&i.value)).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Table(t) => {
            let keys: Vec<&str> = t.slots.iter().map(|s| s.key.as_str()).collect();
            format!("{{ {} }}", keys.join(", "))
        }
        Value::File(p) => format!("file(\"{p}\")"),
        Value::Str(s) => format!("\"{s}\""),
        other => other.scalar_text().unwrap_or_default(),
    };
    if text.chars().count() > 120 {
        let short: String = text.chars().take(117).collect();
        return short + "…";
    }
    text
}
