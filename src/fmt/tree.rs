//! The walk over the syntax tree: items, blocks, entries and expressions.

use super::printer::{Printer, WIDTH};
use crate::syntax::ast::{
    BinOp, Block, Entry, EntryValue, Expr, ExprKind, File, Host, Ident, Item, Section,
};

/// The children of a bracketed group.
#[derive(Clone, Copy)]
enum Children<'t> {
    /// A block's entries, in `{ }`.
    Entries(&'t [Entry]),
    /// An item body's items, in `{ }`.
    Items(&'t [Item]),
    /// A list's items in `[ ]`, or a call's arguments in `( )`.
    Exprs(&'t [Expr], &'static str, &'static str),
}

/// A bracketed group: its children and where its brackets are.
#[derive(Clone, Copy)]
struct Group<'t> {
    children: Children<'t>,
    /// The opening bracket.
    open: usize,
    /// The closing bracket.
    close: usize,
}

impl Children<'_> {
    /// How many children there are.
    fn len(&self) -> usize {
        match self {
            Children::Entries(e) => e.len(),
            Children::Items(i) => i.len(),
            Children::Exprs(x, ..) => x.len(),
        }
    }

    /// Where child `i` starts and ends.
    fn bounds(&self, i: usize) -> Option<(usize, usize)> {
        let span = match self {
            Children::Entries(e) => e.get(i)?.span,
            Children::Items(items) => items.get(i)?.span(),
            Children::Exprs(x, ..) => x.get(i)?.span,
        };
        Some((span.start as usize, span.end as usize))
    }

    /// The brackets, on one line and empty.
    fn delimiters(&self) -> (&'static str, &'static str, &'static str) {
        match self {
            Children::Exprs(_, open, close) => (open, ", ", close),
            _ => ("{ ", "  ", " }"),
        }
    }
}

impl Printer<'_> {
    /// Prints a whole file.
    pub(super) fn file(&mut self, file: &File) {
        let items = &file.items;
        for (i, item) in items.iter().enumerate() {
            let (start, end) = (item.span().start as usize, item.span().end as usize);
            self.leading(start);
            self.item(item);
            self.advance(end);
            let next = items
                .get(i + 1)
                .map_or(usize::MAX, |n| n.span().start as usize);
            self.trailing(self.cutoff(end, next));
        }
        self.flush_comments(usize::MAX);
    }

    /// Prints a group on one line when it was written on one line and fits,
    /// otherwise one child per line.
    fn group(&mut self, group: Group<'_>) {
        let empty = group.children.len() == 0;
        if empty && !self.src.has_comment_in(group.open, group.close) {
            let (open, _, close) = group.children.delimiters();
            self.push(open.trim_end());
            self.push(close.trim_start());
        } else if self.src.one_line(group.open, group.close) && self.fits(group) {
            self.inline(group);
        } else {
            self.multi(group);
        }
    }

    /// Whether the group fits on the current line.
    fn fits(&self, group: Group<'_>) -> bool {
        if self.measuring {
            return true;
        }
        let mut scratch = Printer::new(self.src);
        scratch.measuring = true;
        scratch.inline(group);
        let width = scratch
            .finish()
            .first()
            .map_or(0, |l| l.text.chars().count());
        self.column() + width <= WIDTH
    }

    /// The group on one line: `{ a = 1  b = 2 }`, `[a, b]`.
    fn inline(&mut self, group: Group<'_>) {
        let (open, sep, close) = group.children.delimiters();
        self.push(open);
        for i in 0..group.children.len() {
            if i > 0 {
                self.push(sep);
            }
            self.child(group.children, i, None);
        }
        self.push(close);
    }

    /// The group with one child per line, comments in their slots.
    fn multi(&mut self, group: Group<'_>) {
        let (open, _, close) = group.children.delimiters();
        self.push(open.trim_end());
        self.indent();
        let first = group.children.bounds(0).map_or(group.close, |b| b.0);
        self.advance(group.open + 1);
        self.trailing(self.cutoff(group.open, first));
        let run = self.new_group();
        for i in 0..group.children.len() {
            let Some((start, end)) = group.children.bounds(i) else {
                break;
            };
            self.leading(start);
            self.child(group.children, i, Some(run));
            self.advance(end);
            let next = group.children.bounds(i + 1).map_or(group.close, |b| b.0);
            self.trailing(self.cutoff(end, next));
        }
        self.flush_comments(group.close);
        self.dedent();
        self.push(close.trim_start());
        self.advance(group.close + 1);
    }

    /// Prints child `i`; `run` is the alignment run when it has a line of its own.
    fn child(&mut self, children: Children<'_>, i: usize, run: Option<usize>) {
        match children {
            Children::Entries(entries) => {
                if let Some(entry) = entries.get(i) {
                    self.entry_line(entry, run);
                }
            }
            Children::Items(items) => {
                if let Some(item) = items.get(i) {
                    self.item(item);
                }
            }
            Children::Exprs(exprs, ..) => {
                if let Some(expr) = exprs.get(i) {
                    self.expr(expr);
                    if run.is_some() {
                        self.push(",");
                    }
                }
            }
        }
    }

    // --- items ---------------------------------------------------------------

    /// Prints one item.
    fn item(&mut self, item: &Item) {
        match item {
            Item::Cluster(c) => self.named("cluster", &c.name, &c.body),
            Item::Import(i) => {
                self.push("import ");
                self.expr(&i.path);
            }
            Item::Let(l) => {
                self.push(&format!("let {} = ", l.name.name));
                self.expr(&l.value);
            }
            Item::For(f) => {
                self.push(&format!("for {} in ", f.var.name));
                self.expr(&f.iter);
                self.item_body(&f.items, f.iter.span.end as usize, f.span.end as usize);
            }
            Item::Host(h) => self.host(h),
            Item::Template(t) => {
                self.push(&format!("template {} ", t.name.name));
                self.block(&t.body);
            }
            Item::Section(s) => self.section(s),
            Item::Service(s) => self.named("service", &s.name, &s.body),
            Item::Environment(e) => {
                self.push("environment ");
                self.expr(&e.name);
                self.item_body(&e.items, e.name.span.end as usize, e.span.end as usize);
            }
        }
    }

    /// `keyword name { … }`
    fn named(&mut self, keyword: &str, name: &Expr, body: &Block) {
        self.push(keyword);
        self.push(" ");
        self.expr(name);
        self.push(" ");
        self.block(body);
    }

    /// `host name [uses a, b] { … }`
    fn host(&mut self, host: &Host) {
        self.push("host ");
        self.expr(&host.name);
        if !host.uses.is_empty() {
            let names: Vec<&str> = host.uses.iter().map(|u: &Ident| u.name.as_str()).collect();
            self.push(" uses ");
            self.push(&names.join(", "));
        }
        self.push(" ");
        self.block(&host.body);
    }

    /// `name [label] { … }`
    fn section(&mut self, section: &Section) {
        self.push(&section.name.name);
        if let Some(label) = &section.label {
            self.push(" ");
            self.expr(label);
        }
        self.push(" ");
        self.block(&section.body);
    }

    /// ` { items }` of a `for` or `environment`, whose header ends at
    /// `header_end` and whose `}` ends at `end`.
    fn item_body(&mut self, items: &[Item], header_end: usize, end: usize) {
        self.push(" ");
        let open = self.src.skip_trivia(header_end);
        let close = end.saturating_sub(1);
        let children = Children::Items(items);
        self.group(Group {
            children,
            open,
            close,
        });
    }

    // --- blocks --------------------------------------------------------------

    /// `{ entries }`
    fn block(&mut self, block: &Block) {
        let children = Children::Entries(&block.entries);
        let (open, close) = (block.span.start as usize, block.span.end as usize);
        self.group(Group {
            children,
            open,
            close: close.saturating_sub(1),
        });
    }

    /// An entry; on a line of its own (`run`), a one-line assignment joins
    /// the block's alignment run.
    fn entry_line(&mut self, entry: &Entry, run: Option<usize>) {
        let first = self.line_count();
        self.entry(entry);
        let one_line = self.line_count() == first + 1;
        if let (Some(run), EntryValue::Assign(_), true) = (run, &entry.value, one_line) {
            let key = self.src.span_text(entry.key.span);
            self.mark_assign(first, run, key);
        }
    }

    /// `key = value`, `key { … }` or `key label { … }`.
    fn entry(&mut self, entry: &Entry) {
        self.push(self.src.span_text(entry.key.span));
        if let Some(label) = &entry.label {
            self.push(" ");
            self.expr(label);
        }
        match &entry.value {
            EntryValue::Assign(value) => {
                self.push(" = ");
                self.expr(value);
            }
            EntryValue::Block(block) => {
                self.push(" ");
                self.block(block);
            }
        }
    }

    // --- expressions ---------------------------------------------------------

    /// Prints an expression: literals as written, operators with single
    /// spaces and only the parentheses the precedence needs.
    pub(super) fn expr(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Str(_)
            | ExprKind::Int(_)
            | ExprKind::Duration { .. }
            | ExprKind::Bytes { .. }
            | ExprKind::Ip(_) => self.push(self.src.token(expr.span)),
            ExprKind::Bool(b) => self.push(if *b { "true" } else { "false" }),
            ExprKind::Auto => self.push("auto"),
            ExprKind::Ident(ident) => self.push(&ident.name),
            ExprKind::List(items) => self.list(expr, items),
            ExprKind::Block(block) => self.block(block),
            ExprKind::Call { func, args } => self.call(expr, func, args),
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs),
            ExprKind::Range(lhs, rhs) => self.range(lhs, rhs),
            ExprKind::Neg(inner) => {
                self.push("-");
                self.operand(inner, precedence(inner) < NEG);
            }
        }
    }

    /// `[a, b]`
    fn list(&mut self, expr: &Expr, items: &[Expr]) {
        let (open, end) = self.src.core(expr.span);
        let children = Children::Exprs(items, "[", "]");
        self.group(Group {
            children,
            open,
            close: end.saturating_sub(1),
        });
    }

    /// `name(args)`
    fn call(&mut self, expr: &Expr, func: &Ident, args: &[Expr]) {
        self.push(&func.name);
        let (_, end) = self.src.core(expr.span);
        let children = Children::Exprs(args, "(", ")");
        self.group(Group {
            children,
            open: func.span.end as usize,
            close: end.saturating_sub(1),
        });
    }

    /// `lhs op rhs`, left-associative.
    fn binary(&mut self, op: BinOp, lhs: &Expr, rhs: &Expr) {
        let level = op_precedence(op);
        self.operand(lhs, precedence(lhs) < level);
        self.push(&format!(" {} ", op.symbol()));
        self.operand(rhs, precedence(rhs) <= level);
    }

    /// `a..b`; spaced when an address is next to the `..` (an IPv6 literal
    /// would swallow it).
    fn range(&mut self, lhs: &Expr, rhs: &Expr) {
        let ip = |e: &Expr| matches!(e.kind, ExprKind::Ip(_));
        self.operand(lhs, precedence(lhs) == RANGE);
        self.push(if ip(lhs) || ip(rhs) { " .. " } else { ".." });
        self.operand(rhs, precedence(rhs) == RANGE);
    }

    /// An operand, in parentheses when `parens`.
    fn operand(&mut self, expr: &Expr, parens: bool) {
        if parens {
            self.push("(");
        }
        self.expr(expr);
        if parens {
            self.push(")");
        }
    }
}

/// Precedence levels, low to high.
const RANGE: u8 = 0;
/// Unary minus.
const NEG: u8 = 3;

/// The precedence of a binary operator.
fn op_precedence(op: BinOp) -> u8 {
    match op {
        BinOp::Add | BinOp::Sub => 1,
        BinOp::Mul | BinOp::Div | BinOp::Rem => 2,
    }
}

/// How tightly an expression binds (atoms highest).
fn precedence(expr: &Expr) -> u8 {
    match &expr.kind {
        ExprKind::Range(..) => RANGE,
        ExprKind::Binary { op, .. } => op_precedence(*op),
        ExprKind::Neg(_) => NEG,
        _ => NEG + 1,
    }
}
