//! Names declared and used across the files of one check, for rename and
//! references.
//!
//! Declarations: `template NAME`, `let NAME`, `for NAME in`, and the
//! literal names of hosts, services and environments. Uses: template names
//! after `uses`, identifiers in values (a `let` or `for` binding when one
//! has that name, else a host, service, environment or template named so,
//! as in `after = [logstash-forwarder]`), and whole literal strings in
//! values (`environment = "production"`, `on = ["master-01"]`). Keys are
//! never names. A name written with `${…}` is not renamable.
//!
//! Scoping is MCL's, simplified: a `for` variable is known inside its loop;
//! every `let` of one name across the files is one symbol (shadowing lets
//! are rare, and renaming them together keeps the files consistent).

use crate::span::Span;
use crate::syntax::ast::{self, EntryValue, Expr, ExprKind, Item, StrPart};

/// What kind of thing a declaration declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclKind {
    /// `template NAME { }`
    Template,
    /// `let NAME = …`
    Let,
    /// `for NAME in …`
    ForVar,
    /// `host NAME { }`
    Host,
    /// `service NAME { }`
    Service,
    /// `environment NAME { }`
    Environment,
}

/// One declaration.
#[derive(Debug, Clone)]
pub struct Decl {
    /// Its kind.
    pub kind: DeclKind,
    /// The name.
    pub name: String,
    /// The name's text (inside the quotes of a string).
    pub span: Span,
    /// The whole item.
    pub item: Span,
}

/// How a use was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UseKind {
    /// After `uses`.
    Uses,
    /// An identifier in a value.
    Ident,
    /// A literal string in a value (the span is inside the quotes).
    Str,
}

/// One use of a name.
#[derive(Debug, Clone)]
pub struct Use {
    /// How it was written.
    pub kind: UseKind,
    /// The name.
    pub name: String,
    /// Where (inside the quotes of a string).
    pub span: Span,
    /// The `for` whose variable this identifier is, if any (its
    /// declaration's span).
    pub bound_by_for: Option<Span>,
}

/// A symbol: what rename and references work on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Symbol {
    /// Every `let` of this name.
    Let(String),
    /// The variable of the `for` declared at this span.
    ForVar(Span),
    /// A host, service, environment or template of this name.
    Named(DeclKind, String),
}

/// Declarations and uses of every file of a check.
#[derive(Debug, Default)]
pub struct Index {
    /// Declarations, in file order.
    pub decls: Vec<Decl>,
    /// Uses, in file order.
    pub uses: Vec<Use>,
}

impl Index {
    /// Adds the names of one parsed file.
    pub fn add(&mut self, file: &ast::File) {
        let mut fors = Vec::new();
        self.items(&file.items, &mut fors);
    }

    /// The symbol at global `offset`, if a renamable name is there.
    pub fn symbol_at(&self, offset: u32) -> Option<Symbol> {
        let on = |s: Span| s.start <= offset && offset <= s.end;
        if let Some(d) = self.decls.iter().find(|d| on(d.span)) {
            return Some(self.decl_symbol(d));
        }
        let u = self.uses.iter().find(|u| on(u.span))?;
        self.use_symbol(u)
    }

    fn decl_symbol(&self, d: &Decl) -> Symbol {
        match d.kind {
            DeclKind::Let => Symbol::Let(d.name.clone()),
            DeclKind::ForVar => Symbol::ForVar(d.span),
            kind => Symbol::Named(kind, d.name.clone()),
        }
    }

    /// What a use refers to: its `for`, a `let`, else a declared name.
    fn use_symbol(&self, u: &Use) -> Option<Symbol> {
        if let Some(f) = u.bound_by_for {
            return Some(Symbol::ForVar(f));
        }
        if u.kind == UseKind::Uses {
            return Some(Symbol::Named(DeclKind::Template, u.name.clone()));
        }
        let has = |k: DeclKind| self.decls.iter().any(|d| d.kind == k && d.name == u.name);
        if u.kind == UseKind::Ident && has(DeclKind::Let) {
            return Some(Symbol::Let(u.name.clone()));
        }
        [
            DeclKind::Host,
            DeclKind::Service,
            DeclKind::Environment,
            DeclKind::Template,
        ]
        .into_iter()
        .find(|&k| has(k))
        .map(|k| Symbol::Named(k, u.name.clone()))
    }

    /// Every span of `symbol`: declarations first, then uses, in order.
    pub fn occurrences(&self, symbol: &Symbol) -> Vec<(Span, bool)> {
        let decls = self
            .decls
            .iter()
            .filter(|d| self.decl_symbol(d) == *symbol)
            .map(|d| (d.span, true));
        let uses = self
            .uses
            .iter()
            .filter(|u| self.use_symbol(u).as_ref() == Some(symbol))
            .map(|u| (u.span, false));
        decls.chain(uses).collect()
    }

    fn decl(&mut self, kind: DeclKind, name: &str, span: Span, item: Span) {
        self.decls.push(Decl {
            kind,
            name: name.to_string(),
            span,
            item,
        });
    }

    fn named(&mut self, kind: DeclKind, name: &Expr, item: Span) {
        if let Some((text, span)) = literal(name) {
            self.decl(kind, &text, span, item);
        }
    }

    fn items(&mut self, items: &[Item], fors: &mut Vec<(String, Span)>) {
        for item in items {
            self.item(item, fors);
        }
    }

    fn item(&mut self, item: &Item, fors: &mut Vec<(String, Span)>) {
        let span = item.span();
        match item {
            Item::Cluster(c) => self.block(&c.body, fors),
            Item::Import(_) => {}
            Item::Let(l) => {
                self.decl(DeclKind::Let, &l.name.name, l.name.span, span);
                self.expr(&l.value, fors);
            }
            Item::For(f) => {
                self.decl(DeclKind::ForVar, &f.var.name, f.var.span, span);
                self.expr(&f.iter, fors);
                fors.push((f.var.name.clone(), f.var.span));
                self.items(&f.items, fors);
                fors.pop();
            }
            Item::Host(h) => {
                self.named(DeclKind::Host, &h.name, span);
                self.interpolations(&h.name, fors);
                for u in &h.uses {
                    self.uses.push(Use {
                        kind: UseKind::Uses,
                        name: u.name.clone(),
                        span: u.span,
                        bound_by_for: None,
                    });
                }
                self.block(&h.body, fors);
            }
            Item::Template(t) => {
                self.decl(DeclKind::Template, &t.name.name, t.name.span, span);
                self.block(&t.body, fors);
            }
            Item::Section(s) => self.block(&s.body, fors),
            Item::Service(s) => {
                self.named(DeclKind::Service, &s.name, span);
                self.block(&s.body, fors);
            }
            Item::Environment(e) => {
                self.named(DeclKind::Environment, &e.name, span);
                self.items(&e.items, fors);
            }
        }
    }

    fn block(&mut self, block: &ast::Block, fors: &mut Vec<(String, Span)>) {
        for entry in &block.entries {
            match &entry.value {
                EntryValue::Assign(e) => self.expr(e, fors),
                EntryValue::Block(b) => self.block(b, fors),
            }
        }
    }

    /// The identifiers inside a name's `${…}`.
    fn interpolations(&mut self, e: &Expr, fors: &mut Vec<(String, Span)>) {
        if let ExprKind::Str(parts) = &e.kind {
            for part in parts {
                if let StrPart::Interp(inner) = part {
                    self.expr(inner, fors);
                }
            }
        }
    }

    fn expr(&mut self, e: &Expr, fors: &mut Vec<(String, Span)>) {
        match &e.kind {
            ExprKind::Ident(id) => {
                let bound = fors.iter().rev().find(|(n, _)| *n == id.name);
                self.uses.push(Use {
                    kind: UseKind::Ident,
                    name: id.name.clone(),
                    span: id.span,
                    bound_by_for: bound.map(|b| b.1),
                });
            }
            ExprKind::Str(_) => match literal(e) {
                Some((name, span)) => self.uses.push(Use {
                    kind: UseKind::Str,
                    name,
                    span,
                    bound_by_for: None,
                }),
                None => self.interpolations(e, fors),
            },
            ExprKind::List(list) => list.iter().for_each(|x| self.expr(x, fors)),
            ExprKind::Call { args, .. } => args.iter().for_each(|x| self.expr(x, fors)),
            ExprKind::Range(a, b) | ExprKind::Binary { lhs: a, rhs: b, .. } => {
                self.expr(a, fors);
                self.expr(b, fors);
            }
            ExprKind::Neg(inner) => self.expr(inner, fors),
            ExprKind::Block(b) => self.block(b, fors),
            _ => {}
        }
    }
}

/// The names of every file of a check.
pub fn index(checked: &crate::compile::Checked) -> Index {
    let mut index = Index::default();
    for (_, file) in checked.sources.files() {
        let (ast, _) = crate::syntax::parse(file);
        index.add(&ast);
    }
    index
}

/// A name written as an identifier or a string without `${…}`, and the
/// span of its text (inside the quotes).
pub fn literal(e: &Expr) -> Option<(String, Span)> {
    match &e.kind {
        ExprKind::Ident(i) => Some((i.name.clone(), i.span)),
        ExprKind::Str(parts) => {
            let text: Option<String> = parts
                .iter()
                .map(|p| match p {
                    StrPart::Lit(s) => Some(s.as_str()),
                    StrPart::Interp(_) => None,
                })
                .collect();
            let inner = Span::new(e.span.start + 1, e.span.end.saturating_sub(1));
            text.map(|t| (t, inner))
        }
        _ => None,
    }
}

/// Whether `name` can be written unquoted: an MCL identifier that is not a
/// keyword.
pub fn is_identifier(name: &str) -> bool {
    let mut parts = name.split('-');
    let first = parts.next().unwrap_or("");
    let word = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    let starts_well = first
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_');
    starts_well && word(first) && parts.all(word) && !crate::syntax::KEYWORDS.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(text: &str) -> Index {
        let (file, _) = crate::syntax::parse_text(text);
        let mut index = Index::default();
        index.add(&file);
        index
    }

    fn texts<'a>(text: &'a str, spans: &[(Span, bool)]) -> Vec<&'a str> {
        spans
            .iter()
            .map(|(s, _)| &text[s.start as usize..s.end as usize])
            .collect()
    }

    #[test]
    fn templates_lets_and_loop_variables_are_symbols() {
        let text = "template w { roles = [follower] }\nlet base = 10\n\
                    for n in 1..3 { host \"h${n}\" uses w { address = \"10.0.0.${base + n}\" } }\n\
                    service \"lsf\" { after = [h1, \"lsf\"] }\n";
        let i = index(text);
        let w = i.symbol_at(text.find("uses w").expect("uses") as u32 + 5);
        assert_eq!(w, Some(Symbol::Named(DeclKind::Template, "w".into())));
        let spans = i.occurrences(&w.expect("w"));
        assert_eq!(texts(text, &spans), ["w", "w"]);
        assert!(spans[0].1 && !spans[1].1, "declaration first");

        let base = i.symbol_at(text.find("base +").expect("base") as u32);
        assert_eq!(base, Some(Symbol::Let("base".into())));
        assert_eq!(i.occurrences(&base.expect("let")).len(), 2);

        let n = i
            .symbol_at(text.find("+ n").expect("n") as u32 + 2)
            .expect("n");
        assert!(matches!(n, Symbol::ForVar(_)));
        assert_eq!(texts(text, &i.occurrences(&n)), ["n", "n", "n"]);

        let lsf = i.symbol_at(text.find("\"lsf\"]").expect("lsf") as u32 + 1);
        assert_eq!(lsf, Some(Symbol::Named(DeclKind::Service, "lsf".into())));
        // `h1` names no declared host (the host's name is interpolated).
        assert_eq!(i.symbol_at(text.find("h1").expect("h1") as u32), None);
    }

    #[test]
    fn identifiers_are_checked() {
        assert!(is_identifier("mesos-master"));
        assert!(is_identifier("_x1"));
        assert!(!is_identifier("1x"));
        assert!(!is_identifier("a-"));
        assert!(!is_identifier("a b"));
        assert!(!is_identifier("template"));
        assert!(!is_identifier(""));
    }
}
