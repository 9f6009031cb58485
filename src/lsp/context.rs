//! What is under the cursor, from the syntax tree: the innermost entry and
//! expression containing an offset, the item that holds them, and the path
//! of block keys in between (`["leader", "flags"]`).

use crate::resolve::canonical_section;
use crate::span::Span;
use crate::syntax::ast::{self, EntryValue, ExprKind, Item, StrPart};

/// The item that holds the cursor.
#[derive(Debug, Clone, Copy)]
pub enum Owner<'a> {
    /// `cluster "name" { }`
    Cluster,
    /// `host name { }`
    Host(&'a ast::Host),
    /// `template name { }`
    Template(&'a ast::Template),
    /// A top-level block (`leader { }`); its canonical name leads the path.
    Section,
    /// `service "name" { }`
    Service(&'a ast::Service),
    /// `import "file.mcl"`
    Import(&'a ast::Import),
    /// `let name = value`
    Let,
}

/// Everything around one offset.
#[derive(Debug, Default)]
pub struct Cursor<'a> {
    /// The enclosing `environment`, if any.
    pub environment: Option<&'a ast::Environment>,
    /// Enclosing `for` loops, outermost first.
    pub fors: Vec<&'a ast::For>,
    /// The item holding the cursor.
    pub owner: Option<Owner<'a>>,
    /// Keys of the blocks between the item's body and the cursor, section
    /// names made canonical (`master` → `leader`).
    pub path: Vec<String>,
    /// The innermost entry containing the cursor.
    pub entry: Option<&'a ast::Entry>,
    /// Whether the cursor is on that entry's key.
    pub on_key: bool,
    /// The innermost expression containing the cursor.
    pub expr: Option<&'a ast::Expr>,
    /// A template name after `uses` under the cursor.
    pub uses: Option<&'a ast::Ident>,
}

/// Whether `offset` is in `span` (its end included, so a cursor just after
/// a word is still on it).
pub fn touches(span: Span, offset: u32) -> bool {
    !span.is_detached() && span.start <= offset && offset <= span.end
}

/// Locates `offset` (global) in a parsed file.
pub fn locate(file: &ast::File, offset: u32) -> Cursor<'_> {
    let mut cursor = Cursor::default();
    items(&file.items, offset, &mut cursor);
    cursor
}

fn items<'a>(list: &'a [Item], offset: u32, c: &mut Cursor<'a>) {
    let Some(item) = list.iter().find(|i| touches(i.span(), offset)) else {
        return;
    };
    match item {
        Item::For(f) => for_item(f, offset, c),
        Item::Environment(e) => {
            c.environment = Some(e);
            items(&e.items, offset, c);
        }
        Item::Cluster(i) => owned(c, Owner::Cluster, &i.body, None, offset),
        Item::Host(h) => host(h, offset, c),
        Item::Template(t) => owned(c, Owner::Template(t), &t.body, None, offset),
        Item::Section(s) => {
            let name = canonical_section(&s.name.name).unwrap_or(&s.name.name);
            owned(c, Owner::Section, &s.body, Some(name.to_string()), offset)
        }
        Item::Service(s) => owned(c, Owner::Service(s), &s.body, None, offset),
        Item::Import(i) => {
            c.owner = Some(Owner::Import(i));
            expr(&i.path, offset, c)
        }
        Item::Let(l) => {
            c.owner = Some(Owner::Let);
            expr(&l.value, offset, c)
        }
    }
}

fn for_item<'a>(f: &'a ast::For, offset: u32, c: &mut Cursor<'a>) {
    c.fors.push(f);
    if touches(f.iter.span, offset) {
        return expr(&f.iter, offset, c);
    }
    items(&f.items, offset, c);
}

fn host<'a>(h: &'a ast::Host, offset: u32, c: &mut Cursor<'a>) {
    c.uses = h.uses.iter().find(|u| touches(u.span, offset));
    if touches(h.name.span, offset) {
        c.owner = Some(Owner::Host(h));
        return expr(&h.name, offset, c);
    }
    owned(c, Owner::Host(h), &h.body, None, offset)
}

fn owned<'a>(
    c: &mut Cursor<'a>,
    owner: Owner<'a>,
    body: &'a ast::Block,
    first: Option<String>,
    offset: u32,
) {
    c.owner = Some(owner);
    c.path.extend(first);
    block(body, offset, c);
}

fn block<'a>(b: &'a ast::Block, offset: u32, c: &mut Cursor<'a>) {
    let Some(entry) = b.entries.iter().find(|e| touches(e.span, offset)) else {
        return;
    };
    c.entry = Some(entry);
    if touches(entry.key.span, offset) {
        c.on_key = true;
        return;
    }
    if let Some(label) = entry.label.as_ref().filter(|l| touches(l.span, offset)) {
        return expr(label, offset, c);
    }
    match &entry.value {
        EntryValue::Block(inner) if touches(inner.span, offset) => {
            c.path.push(block_key(c, &entry.key.name));
            block(inner, offset, c);
        }
        EntryValue::Assign(e) => expr(e, offset, c),
        EntryValue::Block(_) => {}
    }
}

/// A block key as it goes into the path: section aliases made canonical at
/// the top of a host body.
fn block_key(c: &Cursor, key: &str) -> String {
    let host_body = matches!(c.owner, Some(Owner::Host(_) | Owner::Template(_)));
    match canonical_section(key) {
        Some(canonical) if host_body && c.path.is_empty() => canonical.to_string(),
        _ => key.to_string(),
    }
}

fn expr<'a>(e: &'a ast::Expr, offset: u32, c: &mut Cursor<'a>) {
    if !touches(e.span, offset) {
        return;
    }
    c.expr = Some(e);
    match &e.kind {
        ExprKind::Str(parts) => {
            for part in parts {
                if let StrPart::Interp(inner) = part {
                    expr(inner, offset, c);
                }
            }
        }
        ExprKind::List(list) => list.iter().for_each(|x| expr(x, offset, c)),
        ExprKind::Range(a, b) | ExprKind::Binary { lhs: a, rhs: b, .. } => {
            expr(a, offset, c);
            expr(b, offset, c);
        }
        ExprKind::Neg(inner) => expr(inner, offset, c),
        ExprKind::Call { args, .. } => args.iter().for_each(|x| expr(x, offset, c)),
        ExprKind::Block(b) => {
            if let Some(entry) = c.entry {
                c.path.push(block_key(c, &entry.key.name));
            }
            block(b, offset, c);
        }
        _ => {}
    }
}

/// The text of a name expression when it needs no evaluation: an
/// identifier, or a string without interpolation.
pub fn literal_name(e: &ast::Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Ident(i) => Some(i.name.clone()),
        ExprKind::Str(parts) => parts
            .iter()
            .map(|p| match p {
                StrPart::Lit(s) => Some(s.as_str()),
                StrPart::Interp(_) => None,
            })
            .collect(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::SourceMap;

    fn with_cursor(text: &str, marker: &str, f: impl FnOnce(Cursor)) {
        let mut map = SourceMap::new();
        let id = map
            .add("t.mcl".into(), "t.mcl".into(), text.into())
            .expect("fits");
        let (file, _) = crate::syntax::parse(map.file(id));
        let offset = text.find(marker).expect("marker") as u32 + 1;
        f(locate(&file, offset));
    }

    #[test]
    fn finds_flag_keys_in_host_blocks() {
        let text = "host \"a\" {\n  master { flags { offer_timeout = 1secs } }\n}\n";
        with_cursor(text, "offer_timeout", |c| {
            assert!(matches!(c.owner, Some(Owner::Host(_))));
            assert_eq!(c.path, ["leader", "flags"]);
            assert!(c.on_key);
            assert_eq!(c.entry.map(|e| e.key.name.as_str()), Some("offer_timeout"));
        });
    }

    #[test]
    fn finds_names_inside_interpolation() {
        let text =
            "let base = 1\nfor n in 1..3 { host \"h${n + base}\" { address = \"10.0.0.1\" } }\n";
        with_cursor(text, "base}", |c| {
            assert_eq!(c.fors.len(), 1);
            let name = match c.expr.map(|e| &e.kind) {
                Some(ExprKind::Ident(i)) => i.name.clone(),
                other => panic!("{other:?}"),
            };
            assert_eq!(name, "base");
        });
    }
}
