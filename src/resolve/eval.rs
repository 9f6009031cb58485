//! Expressions: names, arithmetic, interpolation, calls, and block entries.

use crate::escape::Format;
use crate::resolve::CheckError;
use crate::resolve::Resolver;
use crate::resolve::usage::Entry;
use crate::resolve::value::{Mark, Origin, Slot, Table, Val, Value};
use crate::span::{Span, Spanned};
use crate::suggest::did_you_mean;
use crate::syntax::ast::{self, BinOp, ExprKind, StrPart};

/// The keys (and labels) of a large block evaluated so far, with the span
/// of each one's key.
pub(crate) type Seen = std::collections::HashMap<(String, Option<String>), Span>;

/// Functions MCL knows.
const FUNCTIONS: &[&str] = &["env", "file"];

/// The most items one list may hold after expanding ranges in it.
const MAX_LIST: u128 = 1_000_000;

impl<E: super::Sink> Resolver<'_, E> {
    /// Evaluates one block entry into `table`, reporting a duplicate key;
    /// `seen` indexes the keys of a large table (see [`Table`]).
    pub(crate) fn entry(&mut self, e: &ast::Entry, table: &mut Table, seen: Option<&mut Seen>) {
        let (label, label_span) = match &e.label {
            Some(l) => match self.name(l) {
                Some(n) => (Some(n.node), l.span),
                None => return,
            },
            None => (None, Span::DETACHED),
        };
        let first = match &seen {
            Some(seen) => seen.get(&(e.key.name.clone(), label.clone())).copied(),
            None => (table.peek_labelled(&e.key.name, label.as_deref())).map(|s| s.key_span),
        };
        if let Some(first) = first {
            self.diags.push(CheckError::DuplicateKey {
                key: e.key.name.clone(),
                first,
                second: e.key.span,
            });
            return;
        }
        let (id, mark) = self.register(e);
        let parent = self.parent.replace(id);
        let val = match &e.value {
            ast::EntryValue::Assign(expr) => self.expr(expr),
            ast::EntryValue::Block(b) => Some(Val::new(Value::Table(self.block(b)), b.span)),
        };
        self.parent = parent;
        let Some(val) = val else {
            // An error was reported at the value: it is not also "no effect".
            mark.set();
            return;
        };
        if let Value::Table(t) = &val.value {
            self.usage.set_block(id, t.is_empty());
        }
        if let Some(seen) = seen {
            seen.insert((e.key.name.clone(), label.clone()), e.key.span);
        }
        table.slots.push(Slot {
            key: e.key.name.clone(),
            key_span: e.key.span,
            label,
            label_span,
            val,
            origin: Origin {
                span: e.span,
                layer: self.layer.clone(),
                mark,
            },
            overridden: Vec::new(),
        });
    }

    /// Registers an entry's usage record (once per source entry).
    fn register(&mut self, e: &ast::Entry) -> (usize, Mark) {
        let new = || Entry {
            span: e.span,
            key: e.key.name.clone(),
            key_span: e.key.span,
            layer: self.layer.clone(),
            item: self.item.clone(),
            parent: self.parent,
            block: None,
            mark: Mark::default(),
        };
        self.usage.register(new, e.span)
    }

    /// Evaluates an expression; `None` when an error was reported.
    pub(crate) fn expr(&mut self, e: &ast::Expr) -> Option<Val> {
        let value = match &e.kind {
            ExprKind::Str(parts) => Value::Str(self.interpolate(parts)?),
            ExprKind::Int(i) => Value::Int(*i),
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Auto => Value::Auto,
            ExprKind::Ident(id) => return Some(self.lookup(&id.name, id.span)),
            ExprKind::Duration { amount, unit } => Value::Duration {
                nanos: duration_nanos(amount, unit.nanos()),
                text: format!("{amount}{}", unit.suffix()),
            },
            ExprKind::Bytes { amount, unit } => Value::Bytes {
                bytes: amount.saturating_mul(unit.bytes()),
                text: format!("{amount}{}", unit.suffix()),
            },
            ExprKind::Ip(ip) => Value::Ip(*ip),
            ExprKind::List(items) => Value::List(self.list(items)?),
            ExprKind::Range(a, b) => {
                let (a, b) = (self.int(a)?, self.int(b)?);
                if a > b {
                    self.diags.push(CheckError::EmptyRange {
                        start: a,
                        end: b,
                        span: e.span,
                    });
                    return None;
                }
                Value::Range(a, b)
            }
            ExprKind::Block(b) => Value::Table(self.block(b)),
            ExprKind::Call { func, args } => return self.call(func, args, e.span),
            ExprKind::Binary { op, lhs, rhs } => Value::Int(self.binary(*op, lhs, rhs, e.span)?),
            ExprKind::Neg(inner) => {
                let n = self.int(inner)?;
                match n.checked_neg() {
                    Some(v) => Value::Int(v),
                    None => return self.overflow("-", e.span),
                }
            }
        };
        Some(Val::new(value, e.span))
    }

    /// A name: the bound value when a `let`/`for` binds it, else a symbol.
    fn lookup(&mut self, name: &str, span: Span) -> Val {
        let bound = self.scope[self.floor..]
            .iter()
            .rev()
            .find(|(n, _)| n == name);
        match bound {
            Some((_, v)) => Val::new(v.value.clone(), span),
            None => {
                self.words.record(name, span, span);
                Val::new(Value::Symbol(name.to_string()), span)
            }
        }
    }

    /// Reports a symbol used where a value was needed.
    pub(crate) fn unknown_name(&mut self, name: &str, span: Span) {
        if let Some(defined) = self.later_lets.get(name) {
            self.diags.push(CheckError::UseBeforeDefinition {
                name: name.into(),
                span,
                defined: *defined,
            });
            return;
        }
        let visible: Vec<&str> = self.scope[self.floor..]
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        let help =
            minus_hint(name, &visible).or_else(|| did_you_mean(name, visible.iter().copied()));
        self.diags.push(CheckError::UnknownName {
            name: name.into(),
            span,
            help,
        });
    }

    fn list(&mut self, items: &[ast::Expr]) -> Option<Vec<Val>> {
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items {
            match self.expr(item) {
                Some(v) => out.push(v),
                None => ok = false,
            }
        }
        let total: u128 = out.iter().map(|v| list_weight(&v.value)).sum();
        if total > MAX_LIST {
            self.diags.push(CheckError::TooLarge {
                what: "this list".into(),
                count: total,
                limit: MAX_LIST as u64,
                span: items.first().map_or(Span::DETACHED, |f| f.span),
            });
            return None;
        }
        ok.then_some(out)
    }

    /// Evaluates an expression that must be an integer.
    pub(crate) fn int(&mut self, e: &ast::Expr) -> Option<i64> {
        let v = self.expr(e)?;
        match v.value {
            Value::Int(i) => Some(i),
            Value::Symbol(s) => {
                self.unknown_name(&s, v.span);
                None
            }
            other => {
                let help = matches!(other, Value::Str(_))
                    .then(|| "arithmetic works on integers; join strings with interpolation: \"${a}${b}\"".into());
                self.mismatch("an integer", &other, v.span, help)
            }
        }
    }

    /// Evaluates an expression that must be a string (a string literal or an
    /// interpolation of scalars).
    pub(crate) fn string(&mut self, e: &ast::Expr) -> Option<String> {
        let v = self.expr(e)?;
        match v.value {
            Value::Str(s) => Some(s),
            other => self.mismatch("a string", &other, v.span, None),
        }
    }

    /// Evaluates a name: an identifier (bound or not) or a string.
    pub(crate) fn name(&mut self, e: &ast::Expr) -> Option<Spanned<String>> {
        let v = self.expr(e)?;
        if let Value::Str(s) | Value::Symbol(s) = &v.value
            && let Some(c) = super::invisible_char(s)
        {
            self.diags.push(CheckError::InvisibleCharacter {
                name: super::shorten(s),
                code_point: format!("U+{:04X}", u32::from(c)),
                span: v.span,
            });
            return None;
        }
        match v.value {
            Value::Str(s) | Value::Symbol(s) => Some(Spanned::new(s, v.span)),
            Value::Int(i) => Some(Spanned::new(i.to_string(), v.span)),
            other => self.mismatch("a name", &other, v.span, None),
        }
    }

    fn mismatch<T>(
        &mut self,
        expected: &str,
        found: &Value,
        span: Span,
        help: Option<String>,
    ) -> Option<T> {
        self.diags.push(CheckError::TypeMismatch {
            expected: expected.into(),
            found: found.kind().into(),
            span,
            help,
        });
        None
    }

    fn interpolate(&mut self, parts: &[StrPart]) -> Option<String> {
        let mut out = String::new();
        let mut ok = true;
        for part in parts {
            match part {
                StrPart::Lit(s) => out.push_str(s),
                StrPart::Interp(e) => match self.interpolated(e) {
                    Some(s) => out.push_str(&s),
                    None => ok = false,
                },
            }
        }
        ok.then_some(out)
    }

    fn interpolated(&mut self, e: &ast::Expr) -> Option<String> {
        let v = self.expr(e)?;
        match &v.value {
            Value::Symbol(s) => {
                self.unknown_name(s, v.span);
                None
            }
            Value::File(_) => self.mismatch(
                "a value that can be written into a string",
                &v.value,
                v.span,
                Some("secrets are referenced by path, never copied into strings".into()),
            ),
            other => match other.scalar_text() {
                Some(s) if !matches!(other, Value::Range(..)) => Some(s),
                _ => self.mismatch(
                    "a value that can be written into a string",
                    other,
                    v.span,
                    None,
                ),
            },
        }
    }

    fn binary(&mut self, op: BinOp, lhs: &ast::Expr, rhs: &ast::Expr, span: Span) -> Option<i64> {
        let a = self.int(lhs);
        let b = self.int(rhs);
        let (a, b) = (a?, b?);
        let result = match op {
            BinOp::Add => a.checked_add(b),
            BinOp::Sub => a.checked_sub(b),
            BinOp::Mul => a.checked_mul(b),
            BinOp::Div | BinOp::Rem if b == 0 => {
                self.diags
                    .push(CheckError::DivisionByZero { span: rhs.span });
                return None;
            }
            BinOp::Div => a.checked_div(b),
            BinOp::Rem => a.checked_rem(b),
        };
        result.or_else(|| self.overflow(op.symbol(), span))
    }

    fn overflow<T>(&mut self, op: &str, span: Span) -> Option<T> {
        self.diags.push(CheckError::Overflow {
            op: op.into(),
            span,
        });
        None
    }

    fn call(&mut self, func: &ast::Ident, args: &[ast::Expr], span: Span) -> Option<Val> {
        if !FUNCTIONS.contains(&func.name.as_str()) {
            self.diags.push(CheckError::BadCall {
                message: format!("unknown function `{}`", func.name),
                span: func.span,
                help: did_you_mean(&func.name, FUNCTIONS.iter().copied()).or_else(|| {
                    Some("MCL has two functions: `file(\"/path\")` and `env(\"NAME\")`".into())
                }),
            });
            return None;
        }
        let [arg] = args else {
            self.diags.push(CheckError::BadCall {
                message: format!("`{}` takes one argument, {} given", func.name, args.len()),
                span,
                help: Some(format!("write `{}(\"…\")`", func.name)),
            });
            return None;
        };
        let text = self.string(arg)?;
        let value = if func.name == "file" {
            if !text.starts_with('/') {
                self.diags.push(CheckError::RelativeSecretPath {
                    path: text,
                    span: arg.span,
                });
                return None;
            }
            // The path is written into unit comments and scripts, env files
            // and docker's command line.
            let formats = [Format::Unit, Format::EnvFile, Format::Shell];
            if let Some(e) = CheckError::unwritable("the secret path", &formats, &text, arg.span) {
                self.diags.push(e);
                return None;
            }
            Value::File(text)
        } else {
            match (self.vars)(&text) {
                Some(v) => Value::Str(v),
                // The variables come from the process environment, where
                // a value that is not UTF-8 reads as unset: say which.
                None => {
                    let not_utf8 = std::env::var_os(&text).is_some_and(|v| v.to_str().is_none());
                    let why = if not_utf8 {
                        "is not valid UTF-8"
                    } else {
                        "is not set"
                    };
                    self.diags.push(CheckError::EnvUnset {
                        name: text,
                        why: why.into(),
                        span,
                    });
                    return None;
                }
            }
        };
        Some(Val::new(value, span))
    }
}

/// Nanoseconds of `amount` (digits with an optional fraction) times a unit,
/// exactly, saturating at `u128::MAX`.
fn duration_nanos(amount: &str, unit: u128) -> u128 {
    let (int, frac) = amount.split_once('.').unwrap_or((amount, ""));
    let whole = int
        .parse::<u128>()
        .unwrap_or(u128::MAX)
        .saturating_mul(unit);
    let mut scale = unit;
    let mut fraction = 0u128;
    for d in frac.bytes().take(30) {
        scale /= 10;
        fraction += u128::from(d - b'0') * scale;
    }
    whole.saturating_add(fraction)
}

/// How many items a value adds to a list (ranges count their length).
fn list_weight(v: &Value) -> u128 {
    match v {
        Value::Range(a, b) => (*b as i128 - *a as i128 + 1).max(0) as u128,
        _ => 1,
    }
}

/// For `n-1` where `n` is bound: the hint to write `n - 1`.
fn minus_hint(name: &str, visible: &[&str]) -> Option<String> {
    let (head, tail) = name.split_once('-')?;
    visible.contains(&head).then(|| {
        format!("names may contain `-`; to subtract, put spaces around it: `{head} - {tail}`")
    })
}
