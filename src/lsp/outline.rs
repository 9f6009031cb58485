//! The shape of one document: its outline (`textDocument/documentSymbol`)
//! and its folding ranges (`textDocument/foldingRange`), from the syntax
//! tree of the open text alone, so both work while the file has errors.

use lsp_types::{DocumentSymbol, FoldingRange, FoldingRangeKind, SymbolKind};

use crate::span::Span;
use crate::syntax::ast::{self, EntryValue, ExprKind, Item};

use super::convert::LineIndex;

/// One open text, parsed (spans are local: the text's base is 0).
pub struct Parsed<'a> {
    /// The text.
    pub text: &'a str,
    /// Its lines.
    pub index: LineIndex,
    /// Its syntax tree (what parsed, when it has errors).
    pub file: ast::File,
}

impl<'a> Parsed<'a> {
    /// Parses `text`.
    pub fn new(text: &'a str) -> Parsed<'a> {
        let (file, _) = crate::syntax::parse_text(text);
        Parsed {
            text,
            index: LineIndex::new(text),
            file,
        }
    }

    /// The source text of a span.
    pub fn slice(&self, span: Span) -> &'a str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    fn range(&self, span: Span) -> lsp_types::Range {
        self.index
            .range(self.text, span.start as usize, span.end as usize)
    }

    fn line(&self, offset: u32) -> u32 {
        self.index.position(self.text, offset as usize).line
    }
}

/// The outline: items, and the entries of their blocks, nested.
pub fn document_symbols(p: &Parsed) -> Vec<DocumentSymbol> {
    p.file.items.iter().map(|i| item_symbol(p, i)).collect()
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written
fn symbol(
    p: &Parsed,
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    span: Span,
    selection: Span,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    DocumentSymbol {
        name: if name.is_empty() { "?".into() } else { name },
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: p.range(span),
        selection_range: p.range(selection),
        children: (!children.is_empty()).then_some(children),
    }
}

fn item_symbol(p: &Parsed, item: &Item) -> DocumentSymbol {
    let span = item.span();
    let named = |e: &ast::Expr| (p.slice(e.span).trim_matches('"').to_string(), e.span);
    let (name, detail, kind, selection, children) = match item {
        Item::Cluster(c) => {
            let (n, s) = named(&c.name);
            (n, "cluster", SymbolKind::NAMESPACE, s, block(p, &c.body))
        }
        Item::Import(i) => {
            let (n, s) = named(&i.path);
            (n, "import", SymbolKind::FILE, s, Vec::new())
        }
        Item::Let(l) => {
            let value = p.slice(l.value.span).to_string();
            let s = symbol(
                p,
                l.name.name.clone(),
                Some(value),
                SymbolKind::VARIABLE,
                span,
                l.name.span,
                Vec::new(),
            );
            return s;
        }
        Item::For(f) => {
            let name = format!("for {} in {}", f.var.name, p.slice(f.iter.span));
            let children = f.items.iter().map(|i| item_symbol(p, i)).collect();
            (name, "loop", SymbolKind::ARRAY, f.var.span, children)
        }
        Item::Host(h) => {
            let (n, s) = named(&h.name);
            (n, "host", SymbolKind::OBJECT, s, block(p, &h.body))
        }
        Item::Template(t) => {
            let children = block(p, &t.body);
            (
                t.name.name.clone(),
                "template",
                SymbolKind::CLASS,
                t.name.span,
                children,
            )
        }
        Item::Section(s) => {
            let label = s.label.as_ref().map(|l| format!(" {}", p.slice(l.span)));
            let name = format!("{}{}", s.name.name, label.unwrap_or_default());
            (
                name,
                "section",
                SymbolKind::MODULE,
                s.name.span,
                block(p, &s.body),
            )
        }
        Item::Service(s) => {
            let (n, sel) = named(&s.name);
            (n, "service", SymbolKind::FUNCTION, sel, block(p, &s.body))
        }
        Item::Environment(e) => {
            let (n, s) = named(&e.name);
            let children = e.items.iter().map(|i| item_symbol(p, i)).collect();
            (n, "environment", SymbolKind::NAMESPACE, s, children)
        }
    };
    symbol(
        p,
        name,
        Some(detail.into()),
        kind,
        span,
        selection,
        children,
    )
}

fn block(p: &Parsed, b: &ast::Block) -> Vec<DocumentSymbol> {
    b.entries.iter().map(|e| entry_symbol(p, e)).collect()
}

fn entry_symbol(p: &Parsed, e: &ast::Entry) -> DocumentSymbol {
    let label = e.label.as_ref().map(|l| format!(" {}", p.slice(l.span)));
    let name = format!("{}{}", e.key.name, label.unwrap_or_default());
    match &e.value {
        EntryValue::Block(b) => symbol(
            p,
            name,
            None,
            SymbolKind::STRUCT,
            e.span,
            e.key.span,
            block(p, b),
        ),
        EntryValue::Assign(v) => {
            let children = match &v.kind {
                ExprKind::Block(b) => block(p, b),
                _ => Vec::new(),
            };
            let value = p.slice(v.span);
            let detail = (value.len() <= 60 && !value.contains('\n')).then(|| value.to_string());
            symbol(
                p,
                name,
                detail,
                SymbolKind::FIELD,
                e.span,
                e.key.span,
                children,
            )
        }
    }
}

/// Folding ranges: every item, block and list that spans lines (the line
/// of the closing bracket stays visible), and runs of two or more comment
/// lines.
pub fn folding_ranges(p: &Parsed) -> Vec<FoldingRange> {
    let mut out = Vec::new();
    for item in &p.file.items {
        fold_item(p, item, &mut out);
    }
    fold_comments(p, &mut out);
    out.sort_by_key(|f| (f.start_line, f.end_line));
    out.dedup_by_key(|f| (f.start_line, f.end_line));
    out
}

fn fold(p: &Parsed, span: Span, kind: Option<FoldingRangeKind>, out: &mut Vec<FoldingRange>) {
    let (start, end) = (p.line(span.start), p.line(span.end));
    if end > start + 1 || (kind.is_some() && end > start) {
        out.push(FoldingRange {
            start_line: start,
            end_line: if kind.is_some() { end } else { end - 1 },
            kind,
            ..FoldingRange::default()
        });
    }
}

fn fold_item(p: &Parsed, item: &Item, out: &mut Vec<FoldingRange>) {
    match item {
        Item::For(f) => {
            fold(p, f.span, None, out);
            f.items.iter().for_each(|i| fold_item(p, i, out));
        }
        Item::Environment(e) => {
            fold(p, e.span, None, out);
            e.items.iter().for_each(|i| fold_item(p, i, out));
        }
        Item::Cluster(c) => fold_block(p, &c.body, out),
        Item::Host(h) => fold_block(p, &h.body, out),
        Item::Template(t) => fold_block(p, &t.body, out),
        Item::Section(s) => fold_block(p, &s.body, out),
        Item::Service(s) => fold_block(p, &s.body, out),
        Item::Let(l) => fold_expr(p, &l.value, out),
        Item::Import(_) => {}
    }
}

fn fold_block(p: &Parsed, b: &ast::Block, out: &mut Vec<FoldingRange>) {
    fold(p, b.span, None, out);
    for e in &b.entries {
        match &e.value {
            EntryValue::Block(inner) => fold_block(p, inner, out),
            EntryValue::Assign(v) => fold_expr(p, v, out),
        }
    }
}

fn fold_expr(p: &Parsed, e: &ast::Expr, out: &mut Vec<FoldingRange>) {
    match &e.kind {
        ExprKind::List(items) => {
            fold(p, e.span, None, out);
            items.iter().for_each(|x| fold_expr(p, x, out));
        }
        ExprKind::Block(b) => fold_block(p, b, out),
        _ => {}
    }
}

/// Runs of comments on consecutive lines, each alone on its line.
fn fold_comments(p: &Parsed, out: &mut Vec<FoldingRange>) {
    let own_line = |s: &Span| {
        let before = p.text.get(..s.start as usize).unwrap_or("");
        before
            .rsplit('\n')
            .next()
            .is_some_and(|l| l.trim().is_empty())
    };
    let lines: Vec<u32> = p
        .file
        .comments
        .iter()
        .filter(|s| own_line(s))
        .map(|s| p.line(s.start))
        .collect();
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        while j + 1 < lines.len() && lines[j + 1] == lines[j] + 1 {
            j += 1;
        }
        if j > i {
            out.push(FoldingRange {
                start_line: lines[i],
                end_line: lines[j],
                kind: Some(FoldingRangeKind::Comment),
                ..FoldingRange::default()
            });
        }
        i = j + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outline_nests_items_and_entries() {
        let text = "cluster \"c\" {\n  mesos = \"1.11.0\"\n}\nfor n in 1..3 {\n  host \"h${n}\" {\n    leader { port = 5050 }\n  }\n}\n";
        let p = Parsed::new(text);
        let symbols = document_symbols(&p);
        let names: Vec<&str> = symbols.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["c", "for n in 1..3"]);
        let host = &symbols[1].children.as_ref().expect("host")[0];
        assert_eq!(host.name, "h${n}");
        assert_eq!(host.kind, SymbolKind::OBJECT);
        let leader = &host.children.as_ref().expect("leader")[0];
        assert_eq!(leader.name, "leader");
        assert_eq!(
            leader.children.as_ref().expect("port")[0].detail.as_deref(),
            Some("5050")
        );
    }

    #[test]
    fn blocks_and_comment_runs_fold() {
        let text = "# one\n# two\ncluster \"c\" {\n  mesos = \"1.11.0\"\n  x = [\n    1,\n  ]\n}\nleader { port = 1 }\n";
        let p = Parsed::new(text);
        let folds: Vec<(u32, u32, bool)> = folding_ranges(&p)
            .iter()
            .map(|f| (f.start_line, f.end_line, f.kind.is_some()))
            .collect();
        assert_eq!(folds, [(0, 1, true), (2, 6, false), (4, 5, false)]);
    }
}
