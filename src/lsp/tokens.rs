//! `textDocument/semanticTokens/full`: what each word of a document is, from
//! its syntax tree: item keywords and `in`/`uses`, declared names, block
//! keys, variables (`let` and `for` names where they are read), symbols
//! (`native`, `leader`), calls, strings, numbers with their units, and
//! comments. Tokens never overlap: a string with `${…}` is cut around it.

use lsp_types::{
    SemanticToken, SemanticTokenType, SemanticTokens, SemanticTokensFullOptions,
    SemanticTokensLegend, SemanticTokensOptions,
};

use crate::span::Span;
use crate::syntax::ast::{self, EntryValue, Expr, ExprKind, Item, StrPart};

use super::outline::Parsed;

/// The token types, in the legend's order.
const TYPES: [SemanticTokenType; 10] = [
    SemanticTokenType::KEYWORD,
    SemanticTokenType::STRING,
    SemanticTokenType::NUMBER,
    SemanticTokenType::COMMENT,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::TYPE,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::ENUM_MEMBER,
    SemanticTokenType::NAMESPACE,
];

#[derive(Clone, Copy)]
enum Kind {
    Keyword = 0,
    Str = 1,
    Number = 2,
    Comment = 3,
    Variable = 4,
    Property = 5,
    Type = 6,
    Function = 7,
    Symbol = 8,
    Namespace = 9,
}

/// What the server advertises.
pub fn options() -> SemanticTokensOptions {
    SemanticTokensOptions {
        legend: SemanticTokensLegend {
            token_types: TYPES.to_vec(),
            token_modifiers: Vec::new(),
        },
        full: Some(SemanticTokensFullOptions::Bool(true)),
        range: None,
        ..SemanticTokensOptions::default()
    }
}

/// The tokens of a parsed document, encoded as the protocol wants.
pub fn tokens(p: &Parsed) -> SemanticTokens {
    let mut raw = Collector {
        p,
        out: Vec::new(),
        bound: Vec::new(),
    };
    raw.bound = let_names(&p.file.items);
    for c in &p.file.comments {
        raw.push(*c, Kind::Comment);
    }
    raw.items(&p.file.items);
    let mut list = raw.out;
    list.sort_by_key(|(s, _)| (s.start, s.end));
    SemanticTokens {
        result_id: None,
        data: encode(p, &list),
    }
}

fn let_names(items: &[Item]) -> Vec<String> {
    let mut out = Vec::new();
    for i in items {
        match i {
            Item::Let(l) => out.push(l.name.name.clone()),
            Item::For(f) => out.extend(let_names(&f.items)),
            Item::Environment(e) => out.extend(let_names(&e.items)),
            _ => {}
        }
    }
    out
}

struct Collector<'a, 'p> {
    p: &'a Parsed<'p>,
    out: Vec<(Span, Kind)>,
    /// Names bound by `let` anywhere, and by the enclosing `for`s.
    bound: Vec<String>,
}

impl Collector<'_, '_> {
    fn push(&mut self, span: Span, kind: Kind) {
        if span.end > span.start && !self.p.slice(span).contains('\n') {
            self.out.push((span, kind));
        }
    }

    /// The keyword `word` at the start of `span` (an item's).
    fn keyword_at(&mut self, start: u32, word: &str) {
        if self
            .p
            .text
            .get(start as usize..)
            .is_some_and(|t| t.starts_with(word))
        {
            self.push(Span::new(start, start + word.len() as u32), Kind::Keyword);
        }
    }

    /// The keyword `word` between two offsets (`in`, `uses`).
    fn keyword_between(&mut self, from: u32, to: u32, word: &str) {
        let gap = self.p.text.get(from as usize..to as usize).unwrap_or("");
        if let Some(i) = gap.find(word) {
            let start = from + i as u32;
            self.push(Span::new(start, start + word.len() as u32), Kind::Keyword);
        }
    }

    fn items(&mut self, items: &[Item]) {
        for item in items {
            self.item(item);
        }
    }

    fn name(&mut self, e: &Expr, kind: Kind) {
        match &e.kind {
            ExprKind::Ident(i) => self.push(i.span, kind),
            _ => self.expr(e),
        }
    }

    fn item(&mut self, item: &Item) {
        let start = item.span().start;
        match item {
            Item::Cluster(c) => {
                self.keyword_at(start, "cluster");
                self.name(&c.name, Kind::Namespace);
                self.block(&c.body);
            }
            Item::Import(i) => {
                self.keyword_at(start, "import");
                self.expr(&i.path);
            }
            Item::Let(l) => {
                self.keyword_at(start, "let");
                self.push(l.name.span, Kind::Variable);
                self.expr(&l.value);
            }
            Item::For(f) => {
                self.keyword_at(start, "for");
                self.push(f.var.span, Kind::Variable);
                self.keyword_between(f.var.span.end, f.iter.span.start, "in");
                self.expr(&f.iter);
                self.bound.push(f.var.name.clone());
                self.items(&f.items);
                self.bound.pop();
            }
            Item::Host(h) => {
                self.keyword_at(start, "host");
                self.name(&h.name, Kind::Namespace);
                if let Some(first) = h.uses.first() {
                    self.keyword_between(h.name.span.end, first.span.start, "uses");
                }
                for u in &h.uses {
                    self.push(u.span, Kind::Type);
                }
                self.block(&h.body);
            }
            Item::Template(t) => {
                self.keyword_at(start, "template");
                self.push(t.name.span, Kind::Type);
                self.block(&t.body);
            }
            Item::Section(s) => {
                self.push(s.name.span, Kind::Namespace);
                if let Some(l) = &s.label {
                    self.name(l, Kind::Symbol);
                }
                self.block(&s.body);
            }
            Item::Service(s) => {
                self.keyword_at(start, "service");
                self.name(&s.name, Kind::Namespace);
                self.block(&s.body);
            }
            Item::Environment(e) => {
                self.keyword_at(start, "environment");
                self.name(&e.name, Kind::Namespace);
                self.items(&e.items);
            }
        }
    }

    fn block(&mut self, b: &ast::Block) {
        for e in &b.entries {
            let kind = if e.key.quoted {
                Kind::Str
            } else {
                Kind::Property
            };
            self.push(e.key.span, kind);
            if let Some(l) = &e.label {
                self.name(l, Kind::Symbol);
            }
            match &e.value {
                EntryValue::Assign(v) => self.expr(v),
                EntryValue::Block(inner) => self.block(inner),
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Str(parts) => self.string(e.span, parts),
            ExprKind::Int(_) | ExprKind::Duration { .. } | ExprKind::Bytes { .. } => {
                self.push(e.span, Kind::Number)
            }
            ExprKind::Ip(_) => self.push(e.span, Kind::Number),
            ExprKind::Bool(_) | ExprKind::Auto => self.push(e.span, Kind::Keyword),
            ExprKind::Ident(i) => {
                let kind = if self.bound.contains(&i.name) {
                    Kind::Variable
                } else {
                    Kind::Symbol
                };
                self.push(i.span, kind);
            }
            ExprKind::Call { func, args } => {
                self.push(func.span, Kind::Function);
                args.iter().for_each(|a| self.expr(a));
            }
            ExprKind::List(items) => items.iter().for_each(|x| self.expr(x)),
            ExprKind::Range(a, b) | ExprKind::Binary { lhs: a, rhs: b, .. } => {
                self.expr(a);
                self.expr(b);
            }
            ExprKind::Neg(inner) => self.expr(inner),
            ExprKind::Block(b) => self.block(b),
        }
    }

    /// A string, cut around its interpolations.
    fn string(&mut self, span: Span, parts: &[StrPart]) {
        let mut at = span.start;
        for part in parts {
            if let StrPart::Interp(inner) = part {
                // The literal text before `${`.
                let before = self.p.text.get(..inner.span.start as usize).unwrap_or("");
                let open = before.rfind("${").map_or(inner.span.start, |i| i as u32);
                self.push(Span::new(at, open.max(at)), Kind::Str);
                self.expr(inner);
                let after = self.p.text.get(inner.span.end as usize..).unwrap_or("");
                let close = after
                    .find('}')
                    .map_or(inner.span.end, |i| inner.span.end + i as u32 + 1);
                at = close;
            }
        }
        self.push(Span::new(at, span.end.max(at)), Kind::Str);
    }
}

/// The protocol's relative encoding (lines and UTF-16 columns).
fn encode(p: &Parsed, list: &[(Span, Kind)]) -> Vec<SemanticToken> {
    let mut out = Vec::with_capacity(list.len());
    let (mut line, mut col) = (0, 0);
    let mut last_end = 0;
    for (span, kind) in list {
        if span.start < last_end {
            continue; // overlapping (should not happen): keep the first
        }
        last_end = span.end;
        let start = p.index.position(p.text, span.start as usize);
        let end = p.index.position(p.text, span.end as usize);
        let delta_line = start.line - line;
        let delta_start = if delta_line == 0 {
            start.character - col
        } else {
            start.character
        };
        out.push(SemanticToken {
            delta_line,
            delta_start,
            length: end.character.saturating_sub(start.character),
            token_type: *kind as u32,
            token_modifiers_bitset: 0,
        });
        (line, col) = (start.line, start.character);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (text, type name) of every token, decoded.
    fn decoded(text: &str) -> Vec<(String, String)> {
        let p = Parsed::new(text);
        let lines: Vec<&str> = text.split('\n').collect();
        let (mut line, mut col) = (0usize, 0usize);
        let mut out = Vec::new();
        for t in tokens(&p).data {
            line += t.delta_line as usize;
            col = if t.delta_line == 0 {
                col + t.delta_start as usize
            } else {
                t.delta_start as usize
            };
            let word: String = lines[line]
                .chars()
                .skip(col)
                .take(t.length as usize)
                .collect();
            out.push((word, TYPES[t.token_type as usize].as_str().to_string()));
        }
        out
    }

    #[test]
    fn every_prefix_of_a_file_gets_tokens_without_a_panic() {
        let text = "let b = 1 # c\nfor n in 1..3 {\n  host \"h${n + b}x\" uses w { p = 30secs q = [a, \"${b}\"] }\n}\n";
        for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let p = Parsed::new(&text[..end]);
            let _ = tokens(&p);
            let _ = super::super::outline::folding_ranges(&p);
            let _ = super::super::outline::document_symbols(&p);
        }
    }

    #[test]
    fn words_get_their_kinds() {
        let text = "let base = 10 # c\nfor n in 1..3 {\n  host \"h${n + base}\" uses w { port = 30secs  on = [leader] }\n}\n";
        let got = decoded(text);
        let expect = [
            ("let", "keyword"),
            ("base", "variable"),
            ("10", "number"),
            ("# c", "comment"),
            ("for", "keyword"),
            ("n", "variable"),
            ("in", "keyword"),
            ("1", "number"),
            ("3", "number"),
            ("host", "keyword"),
            ("\"h", "string"),
            ("n", "variable"),
            ("base", "variable"),
            ("\"", "string"),
            ("uses", "keyword"),
            ("w", "type"),
            ("port", "property"),
            ("30secs", "number"),
            ("on", "property"),
            ("leader", "enumMember"),
        ];
        let got: Vec<(&str, &str)> = got.iter().map(|(w, k)| (w.as_str(), k.as_str())).collect();
        assert_eq!(got, expect);
    }
}
