//! Blocks and their entries, keys and labels.

use super::lex::{is_ident_start, lex_dotted_key};
use super::{Fail, ITEM_KEYWORDS, PResult, Parser, Stop, shorten};
use crate::span::Span;
use crate::syntax::ast::{Block, Entry, EntryValue, Expr, ExprKind, Key, StrPart};

impl Parser<'_> {
    /// `block`, which must come next.
    pub(super) fn expect_block(&mut self) -> PResult<Block> {
        self.skip_trivia();
        if !self.rest.starts_with('{') {
            return Err(self.unexpected("`{`", None));
        }
        self.parse_block()
    }

    /// `block = "{" { entry } "}"`
    pub(super) fn parse_block(&mut self) -> PResult<Block> {
        let start = self.off();
        let open = self.span(start, start + 1);
        self.bump(1);
        self.nested(open, |p| Ok(p.parse_entries(open, start)))
    }

    /// The entries of a block up to its `}`, each recovered on its own.
    fn parse_entries(&mut self, open: Span, start: usize) -> Block {
        let first = self.open_entries.len();
        loop {
            self.skip_trivia();
            if self.unwinding || self.maybe_close(open, "{", '}') {
                break;
            }
            let (entry_start, mark) = (self.off(), self.errors.len());
            match self.parse_entry(open) {
                Ok(entry) => self.open_entries.push(entry),
                Err(Fail) if self.unwinding => break,
                Err(Fail) => self.recover(entry_start, mark, Stop::Entry),
            }
        }
        Block {
            entries: self.open_entries.drain(first..).collect(),
            span: self.span_from(start),
        }
    }

    /// `entry = key ( "=" expr | [ label ] block )`
    fn parse_entry(&mut self, open: Span) -> PResult<Entry> {
        let (start, prev_end) = (self.off(), self.prev_end);
        let key = self.expect_key()?;
        let key_end = self.off();
        self.skip_trivia();
        if self.eat('=') {
            let value = self.expect_value()?;
            let span = key.span.to(value.span);
            return Ok(Entry {
                key,
                label: None,
                value: EntryValue::Assign(value),
                span,
            });
        }
        let next_line = self.newline_between(key_end, self.off());
        let label = if next_line { None } else { self.maybe_name()? };
        self.skip_trivia();
        if self.rest.starts_with('{') {
            let body = self.parse_block()?;
            let span = key.span.to(body.span);
            return Ok(Entry {
                key,
                label: label.map(Box::new),
                value: EntryValue::Block(body),
                span,
            });
        }
        if self.misplaced_item(&key, open, start, prev_end) {
            return Err(Fail);
        }
        Err(self.missing_assign(&key, label, key_end, next_line))
    }

    /// Reports an entry with neither `=` nor a block: at a label that should
    /// have been a value, at the end of the key's line, or at the next token.
    fn missing_assign(
        &mut self,
        key: &Key,
        label: Option<Expr>,
        key_end: usize,
        next_line: bool,
    ) -> Fail {
        let expected = "`=` or `{`";
        if let Some(label) = label {
            let (found, written) = (self.slice(label.span).to_string(), self.slice(key.span));
            let help = if self.rest.starts_with('=') {
                format!("an entry is `{written} = value` or `{written} {{ … }}`")
            } else {
                format!("did you mean `{written} = {found}`?")
            };
            let found = format!("`{}`", shorten(&found));
            return self.unexpected_at(label.span, expected, found, &help);
        }
        if next_line {
            self.rewind(key_end, key_end);
            let help = format!("give `{}` a value (`= …`) or a block (`{{ … }}`)", key.name);
            return self.unexpected_at(
                self.span(key_end, key_end),
                expected,
                "end of line".into(),
                &help,
            );
        }
        let help = format!(
            "an entry is `{} = value` or `{} {{ … }}`",
            key.name, key.name
        );
        self.unexpected(expected, Some(help))
    }

    /// An item keyword that starts a line where an entry failed: the block
    /// was never closed. Reports that once and unwinds to the item list.
    fn misplaced_item(&mut self, key: &Key, open: Span, start: usize, prev_end: usize) -> bool {
        let keyword = !key.quoted && ITEM_KEYWORDS.contains(&key.name.as_str());
        if !keyword || !self.starts_line(start) {
            return false;
        }
        let line = self.line_of(self.local(open.start));
        let help = format!(
            "the `{{` on line {line} is never closed, so this `{}` is read inside it",
            key.name
        );
        let found = format!("`{}`", key.name);
        self.unexpected_at(key.span, "`}`", found, &help);
        self.unwinding = true;
        self.rewind(start, prev_end);
        true
    }

    /// `key = dotted_key | string`
    fn expect_key(&mut self) -> PResult<Key> {
        let start = self.off();
        if self.rest.starts_with('"') {
            let (parts, span) = self.parse_string()?;
            return self.quoted_key(parts, span);
        }
        let Ok((rest, name)) = lex_dotted_key(self.rest) else {
            return Err(self.unexpected("a key", None));
        };
        self.set(rest);
        Ok(Key {
            name: name.into(),
            quoted: false,
            span: self.span_from(start),
        })
    }

    /// A quoted key: its text, which cannot be interpolated.
    fn quoted_key(&mut self, parts: Vec<StrPart>, span: Span) -> PResult<Key> {
        let mut name = String::new();
        for part in parts {
            match part {
                StrPart::Lit(lit) => name.push_str(&lit),
                StrPart::Interp(expr) => {
                    let help = "keys are not interpolated; write `\\$` for a literal `$`";
                    let found = "an interpolation".to_string();
                    return Err(self.unexpected_at(expr.span, "a plain string key", found, help));
                }
            }
        }
        Ok(Key {
            name,
            quoted: true,
            span,
        })
    }

    /// `name = string | ident` (and `label`, the same), when one comes next.
    pub(super) fn maybe_name(&mut self) -> PResult<Option<Expr>> {
        self.skip_trivia();
        match self.peek() {
            Some('"') => {
                let (parts, span) = self.parse_string()?;
                Ok(Some(Expr {
                    kind: ExprKind::Str(parts),
                    span,
                }))
            }
            Some(c) if is_ident_start(c) => {
                let ident = self.expect_ident("a name")?;
                Ok(Some(Expr {
                    span: ident.span,
                    kind: ExprKind::Ident(ident),
                }))
            }
            _ => Ok(None),
        }
    }

    /// `name`, which must come next.
    pub(super) fn expect_name(&mut self, expected: &str) -> PResult<Expr> {
        match self.maybe_name()? {
            Some(name) => Ok(name),
            None => Err(self.unexpected(expected, None)),
        }
    }
}
