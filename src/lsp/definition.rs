//! `textDocument/definition`: templates after `uses`, `let` and `for`
//! names, hosts, services and environments named in values, and the file
//! of an `import`.

use std::path::PathBuf;

use crate::compile::Checked;
use crate::files::normalize;
use crate::span::{SourceFile, Span};
use crate::syntax::ast::{self, ExprKind, Item};

use super::context::{Cursor, Owner, literal_name, locate, touches};

/// Where a definition is.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A global span of the check's sources.
    Span(Span),
    /// The start of a file (an import).
    File(PathBuf),
}

/// The definition of what is at global `offset` of `file`, parsed from
/// `source`, in `checked`.
pub fn definition(
    checked: &Checked,
    source: &SourceFile,
    file: &ast::File,
    offset: u32,
) -> Option<Target> {
    let cursor = locate(file, offset);
    if let Some(used) = cursor.uses {
        return template(checked, file, &used.name).map(Target::Span);
    }
    if let Some(Owner::Import(i)) = cursor.owner
        && touches(i.path.span, offset)
    {
        let text = literal_name(&i.path)?;
        let dir = source.path.parent().unwrap_or(std::path::Path::new(""));
        return Some(Target::File(normalize(&dir.join(text))));
    }
    let expr = cursor.expr?;
    match &expr.kind {
        ExprKind::Ident(id) => binding(checked, source, file, &cursor, &id.name, offset)
            .or_else(|| declared(checked, &id.name))
            .map(Target::Span),
        ExprKind::Str(_) => declared(checked, &literal_name(expr)?).map(Target::Span),
        _ => None,
    }
}

/// A template's name, from the check or else from this file.
fn template(checked: &Checked, file: &ast::File, name: &str) -> Option<Span> {
    let resolved = checked.resolved.as_ref();
    if let Some(t) = resolved.and_then(|r| r.templates.get(name)) {
        return Some(t.name.span);
    }
    file.items.iter().find_map(|i| match i {
        Item::Template(t) if t.name.name == name => Some(t.name.span),
        _ => None,
    })
}

/// A host, template, service or environment declared with this name.
fn declared(checked: &Checked, name: &str) -> Option<Span> {
    let r = checked.resolved.as_ref()?;
    let host = r
        .hosts
        .iter()
        .find(|h| h.name.node == name)
        .map(|h| h.name.span);
    host.or_else(|| r.templates.get(name).map(|t| t.name.span))
        .or_else(|| {
            r.services
                .iter()
                .find(|s| s.name.node == name)
                .map(|s| s.name.span)
        })
        .or_else(|| {
            r.environments
                .iter()
                .find(|e| e.node == name)
                .map(|e| e.span)
        })
}

/// The `let` or `for` that binds `name` where it is used: the innermost
/// `for` first (its body's `let`s before the use, then its variable), then
/// the enclosing environment's and the file's `let`s (the last one before
/// the use, else the first after it), then the top-level `let`s of the
/// files this one imports.
fn binding(
    checked: &Checked,
    source: &SourceFile,
    file: &ast::File,
    cursor: &Cursor,
    name: &str,
    offset: u32,
) -> Option<Span> {
    for f in cursor.fors.iter().rev() {
        if let Some(span) = let_before(&f.items, name, offset) {
            return Some(span);
        }
        if f.var.name == name {
            return Some(f.var.span);
        }
    }
    let env = cursor
        .environment
        .and_then(|e| let_before(&e.items, name, offset));
    env.or_else(|| let_before(&file.items, name, offset))
        .or_else(|| lets(&file.items, name).next())
        .or_else(|| imported_let(checked, source, name))
}

fn lets<'a>(items: &'a [Item], name: &'a str) -> impl Iterator<Item = Span> + 'a {
    items.iter().filter_map(move |i| match i {
        Item::Let(l) if l.name.name == name => Some(l.name.span),
        _ => None,
    })
}

fn let_before(items: &[Item], name: &str, offset: u32) -> Option<Span> {
    lets(items, name).filter(|s| s.end <= offset).last()
}

/// A top-level `let` of another file of the check (the imports).
fn imported_let(checked: &Checked, source: &SourceFile, name: &str) -> Option<Span> {
    checked
        .sources
        .files()
        .filter(|(_, f)| f.base != source.base)
        .find_map(|(_, f)| {
            let (ast, _) = crate::syntax::parse(f);
            lets(&ast.items, name).last()
        })
}
