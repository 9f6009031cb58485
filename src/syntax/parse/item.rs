//! Items: the top level of a file and the bodies of `for` and
//! `environment`.

use super::lex::lex_ident;
use super::{Fail, ITEM_KEYWORDS, KEYWORDS, PResult, Parser, Stop};
use crate::span::Span;
use crate::syntax::ast::{
    Cluster, Environment, Expr, ExprKind, For, Host, Ident, Import, Item, Let, Section, Service,
    Template,
};

impl Parser<'_> {
    /// `file = [ bom ] trivia { item }` when `open` is `None`; otherwise the items of
    /// an `item_body` up to its `}`. Each item is recovered on its own.
    pub(super) fn parse_items(&mut self, open: Option<Span>) -> Vec<Item> {
        let mut items = Vec::new();
        loop {
            self.unwinding = false;
            self.skip_trivia();
            let closed = match open {
                Some(open) => self.maybe_close(open, "{", '}'),
                None => self.rest.is_empty(),
            };
            if closed {
                return items;
            }
            let (start, mark) = (self.off(), self.errors.len());
            match self.parse_item() {
                Ok(item) => items.push(item),
                Err(Fail) if self.unwinding => {}
                Err(Fail) => self.recover(
                    start,
                    mark,
                    Stop::Item {
                        in_body: open.is_some(),
                    },
                ),
            }
        }
    }

    /// `item = cluster | import | let | for | host | template | service | environment | section`
    fn parse_item(&mut self) -> PResult<Item> {
        let start = self.off();
        let Ok((rest, word)) = lex_ident(self.rest) else {
            return Err(self.unexpected("an item", None));
        };
        if !ITEM_KEYWORDS.contains(&word) {
            return self.parse_section(start);
        }
        self.set(rest);
        match word {
            "cluster" => self.parse_cluster(start),
            "import" => self.parse_import(start),
            "let" => self.parse_let(start),
            "for" => self.parse_for(start),
            "host" => self.parse_host(start),
            "template" => self.parse_template(start),
            "service" => self.parse_service(start),
            _ => self.parse_environment(start),
        }
    }

    /// `cluster = "cluster" name block`
    fn parse_cluster(&mut self, start: usize) -> PResult<Item> {
        let name = self.expect_name("a cluster name")?;
        let body = self.expect_block()?;
        Ok(Item::Cluster(Cluster {
            name,
            body,
            span: self.span_from(start),
        }))
    }

    /// `import = "import" string`
    fn parse_import(&mut self, start: usize) -> PResult<Item> {
        self.skip_trivia();
        if !self.rest.starts_with('"') {
            let help = "write the path in quotes: `import \"common.mcl\"`".to_string();
            return Err(self.unexpected("a path string", Some(help)));
        }
        let (parts, span) = self.parse_string()?;
        let path = Expr {
            kind: ExprKind::Str(parts),
            span,
        };
        Ok(Item::Import(Import {
            path,
            span: self.span_from(start),
        }))
    }

    /// `let = "let" binding "=" expr`
    fn parse_let(&mut self, start: usize) -> PResult<Item> {
        let name = self.expect_binding()?;
        self.skip_trivia();
        if !self.eat('=') {
            return Err(self.unexpected("`=`", None));
        }
        let value = self.expect_value()?;
        Ok(Item::Let(Let {
            name,
            value,
            span: self.span_from(start),
        }))
    }

    /// `for = "for" binding "in" expr item_body`
    fn parse_for(&mut self, start: usize) -> PResult<Item> {
        let var = self.expect_binding()?;
        self.skip_trivia();
        if !self.maybe_word("in") {
            return Err(self.unexpected("`in`", None));
        }
        let iter = self.expect_expr()?;
        let items = self.expect_item_body()?;
        Ok(Item::For(For {
            var,
            iter,
            items,
            span: self.span_from(start),
        }))
    }

    /// `host = "host" name [ "uses" ident { "," ident } ] block`
    fn parse_host(&mut self, start: usize) -> PResult<Item> {
        let name = self.expect_name("a host name")?;
        self.skip_trivia();
        let mut uses = Vec::new();
        if self.maybe_word("uses") {
            uses.push(self.expect_ident("a template name")?);
            while {
                self.skip_trivia();
                self.eat(',')
            } {
                uses.push(self.expect_ident("a template name")?);
            }
        }
        let body = self.expect_block()?;
        Ok(Item::Host(Host {
            name,
            uses,
            body,
            span: self.span_from(start),
        }))
    }

    /// `template = "template" ident block`
    fn parse_template(&mut self, start: usize) -> PResult<Item> {
        let name = self.expect_ident("a template name")?;
        let body = self.expect_block()?;
        Ok(Item::Template(Template {
            name,
            body,
            span: self.span_from(start),
        }))
    }

    /// `service = "service" name block`
    fn parse_service(&mut self, start: usize) -> PResult<Item> {
        let name = self.expect_name("a service name")?;
        let body = self.expect_block()?;
        Ok(Item::Service(Service {
            name,
            body,
            span: self.span_from(start),
        }))
    }

    /// `environment = "environment" name item_body`
    fn parse_environment(&mut self, start: usize) -> PResult<Item> {
        let name = self.expect_name("an environment name")?;
        let items = self.expect_item_body()?;
        Ok(Item::Environment(Environment {
            name,
            items,
            span: self.span_from(start),
        }))
    }

    /// `section = ident [ label ] block`: `zookeeper { … }`, `leader { … }`, and
    /// any other name (the checker knows which sections exist).
    fn parse_section(&mut self, start: usize) -> PResult<Item> {
        let name = self.expect_ident("an item")?;
        self.skip_trivia();
        if self.rest.starts_with('=') {
            let help = format!(
                "top-level values are bound with `let`: `let {} = …`",
                name.name
            );
            return Err(self.unexpected("`{`", Some(help)));
        }
        let label = self.maybe_name()?;
        let body = self.expect_block()?;
        Ok(Item::Section(Section {
            name,
            label,
            body,
            span: self.span_from(start),
        }))
    }

    /// `item_body = "{" { item } "}"`
    fn expect_item_body(&mut self) -> PResult<Vec<Item>> {
        self.skip_trivia();
        let start = self.off();
        if !self.eat('{') {
            return Err(self.unexpected("`{`", None));
        }
        let open = self.span(start, start + 1);
        self.nested(open, |p| Ok(p.parse_items(Some(open))))
    }

    /// `binding = ident`, not a keyword: the name a `let` or a `for` binds.
    fn expect_binding(&mut self) -> PResult<Ident> {
        let ident = self.expect_ident("a name")?;
        if KEYWORDS.contains(&ident.name.as_str()) {
            let found = format!("keyword `{}`", ident.name);
            let help = "keywords and literals cannot be bound; choose another name";
            return Err(self.unexpected_at(ident.span, "a name", found, help));
        }
        Ok(ident)
    }

    /// Consumes the word `word` (a whole identifier) if it comes next.
    fn maybe_word(&mut self, word: &str) -> bool {
        match lex_ident(self.rest) {
            Ok((rest, w)) if w == word => {
                self.set(rest);
                true
            }
            _ => false,
        }
    }
}
