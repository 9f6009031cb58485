//! Typed reads of evaluated tables: each returns the value or reports why not.

use std::net::IpAddr;

use super::Sink;
use crate::diagnostic::Diagnostics;
use crate::escape::Format;
use crate::resolve::value::{Slot, Table, Val, Value};
use crate::resolve::{CheckError, Words};
use crate::schema::keys::{self, Block};
use crate::span::{Span, Spanned};
use crate::suggest::did_you_mean;

/// Reads typed settings out of tables, reporting problems to the sink.
pub(crate) struct Reader<'a, E: Sink> {
    pub(crate) diags: &'a mut Diagnostics<E>,
    /// The words the user wrote, for block names in messages.
    pub(crate) words: &'a Words,
}

impl<E: Sink> Reader<'_, E> {
    /// Reports every key of `table` that `block` does not have (with the key
    /// meant, or the nearest one), and every label on a key that takes none.
    pub(crate) fn known_keys(&mut self, table: &Table, block: Block) {
        self.known_keys_at(table, block, false);
    }

    /// [`Reader::known_keys`] of a block in a host or a template
    /// (`per_host`): a misspelled cluster-wide key is pointed at the
    /// cluster-wide block, not renamed in place.
    pub(crate) fn known_keys_at(&mut self, table: &Table, block: Block, per_host: bool) {
        for slot in &table.slots {
            let Some(key) = keys::get(block, &slot.key) else {
                // The block as the user names it where this key is.
                let written = self.words.word_at(block.name(), slot.key_span);
                let help = keys::unknown_key_help(block, written, &slot.key, per_host);
                self.diags.push(CheckError::UnknownKey {
                    key: slot.key.clone(),
                    block: written.into(),
                    span: slot.key_span,
                    help,
                });
                continue;
            };
            if slot.label.is_some() && !key.label {
                // As written: a host's `agent { … }` is filed as `follower`.
                let written = self.words.written(slot.key_span).unwrap_or(&slot.key);
                self.diags.push(CheckError::UnexpectedLabel {
                    key: written.into(),
                    span: slot.label_span,
                    help: Some(format!("remove the label: `{written} {{ … }}`")),
                });
            }
            // Nested blocks are checked as written, whether or not they
            // apply (an entry that does not is reported as without effect,
            // not left unchecked); blocks that are also sections (roles,
            // `etcd`, `fleet`…) have their own check, per layer.
            if let (keys::Kind::Block(inner), Value::Table(t)) = (key.kind, &slot.val.value)
                && crate::resolve::canonical_section(inner.name()).is_none()
            {
                self.known_keys_at(t, inner, per_host);
            }
        }
    }

    pub(crate) fn mismatch(&mut self, expected: &str, val: &Val, help: Option<String>) {
        self.diags.push(CheckError::TypeMismatch {
            expected: expected.into(),
            found: val.value.kind().into(),
            span: val.span,
            help,
        });
    }

    pub(crate) fn invalid(
        &mut self,
        message: String,
        label: &str,
        span: Span,
        help: Option<String>,
    ) {
        self.diags.push(CheckError::InvalidValue {
            message,
            span,
            label: label.into(),
            help,
        });
    }

    /// A string setting.
    pub(crate) fn string(&mut self, t: &Table, key: &str) -> Option<Spanned<String>> {
        let v = t.value(key)?;
        match &v.value {
            Value::Str(s) => {
                // Every string setting ends up on a line of some file.
                let what = format!("`{key}`");
                if let Some(e) = CheckError::unwritable(&what, &[Format::Line], s, v.span) {
                    self.diags.push(e);
                    return None;
                }
                Some(Spanned::new(s.clone(), v.span))
            }
            Value::Table(_) if crate::model::Role::from_name(key).is_some() => {
                // `cluster { marathon { … } }`: the version key, written as
                // the role's block.
                let help = format!(
                    "here `{key}` is a version (`{key} = \"…\"`); the `{key} {{ … }}` block goes at the top level, beside `cluster`, or inside a `host`"
                );
                self.mismatch("a string", v, Some(help));
                None
            }
            _ => {
                let help =
                    matches!(v.value, Value::Symbol(_)).then(|| "quote it: \"…\"".to_string());
                self.mismatch("a string", v, help);
                None
            }
        }
    }

    /// An absolute path.
    pub(crate) fn path(&mut self, t: &Table, key: &str) -> Option<Spanned<String>> {
        let s = self.string(t, key)?;
        if !s.node.starts_with('/') {
            self.invalid(
                format!("`{key}` must be an absolute path"),
                "relative path",
                s.span,
                Some(format!(
                    "write `{key} = \"/{}\"`",
                    s.node.trim_start_matches("./")
                )),
            );
            return None;
        }
        // Paths become paths under out/hosts/<host>/ (ZooKeeper's myid lives
        // in its work_dir) and lines of units and env files: a `..` would
        // leave the host's folder and a control character would break a line.
        if s.node.split('/').any(|c| c == "..") || s.node.contains(char::is_control) {
            self.invalid(
                format!("`{key}` must be a plain absolute path"),
                "`..` or a control character",
                s.span,
                Some("write the path without `..` components or control characters".into()),
            );
            return None;
        }
        Some(s)
    }

    /// A boolean.
    pub(crate) fn bool(&mut self, t: &Table, key: &str) -> Option<Spanned<bool>> {
        let v = t.value(key)?;
        match v.value {
            Value::Bool(b) => Some(Spanned::new(b, v.span)),
            _ => {
                self.mismatch("`true` or `false`", v, None);
                None
            }
        }
    }

    /// An integer in `lo..=hi`.
    pub(crate) fn int(&mut self, t: &Table, key: &str, lo: i64, hi: i64) -> Option<Spanned<i64>> {
        let v = t.value(key)?;
        self.int_val(v, key, lo, hi)
    }

    pub(crate) fn int_val(&mut self, v: &Val, key: &str, lo: i64, hi: i64) -> Option<Spanned<i64>> {
        match v.value {
            Value::Int(i) if (lo..=hi).contains(&i) => Some(Spanned::new(i, v.span)),
            Value::Int(i) => {
                self.invalid(
                    format!("`{key}` must be between {lo} and {hi}, not {i}"),
                    "out of range",
                    v.span,
                    None,
                );
                None
            }
            _ => {
                self.mismatch("an integer", v, None);
                None
            }
        }
    }

    /// A TCP port (1–65535).
    pub(crate) fn port(&mut self, t: &Table, key: &str) -> Option<Spanned<u16>> {
        let v = t.value(key)?;
        let i = self.int_val(v, key, 1, 65535)?;
        Some(Spanned::new(i.node as u16, i.span))
    }

    /// One of a set of words.
    pub(crate) fn choice(
        &mut self,
        t: &Table,
        key: &str,
        allowed: &[&str],
    ) -> Option<Spanned<String>> {
        let v = t.value(key)?;
        self.choice_val(v, key, allowed)
    }

    pub(crate) fn choice_val(
        &mut self,
        v: &Val,
        key: &str,
        allowed: &[&str],
    ) -> Option<Spanned<String>> {
        let word = match &v.value {
            Value::Str(s) | Value::Symbol(s) => s,
            _ => {
                self.mismatch(&format!("one of {}", allowed.join(", ")), v, None);
                return None;
            }
        };
        if allowed.contains(&word.as_str()) {
            return Some(Spanned::new(word.clone(), v.span));
        }
        let help = did_you_mean(word, allowed.iter().copied())
            .or_else(|| Some(format!("`{key}` takes one of: {}", allowed.join(", "))));
        self.invalid(
            format!("`{word}` is not a valid `{key}`"),
            "unknown value",
            v.span,
            help,
        );
        None
    }

    /// A list (a single value counts as a list of one).
    pub(crate) fn list<'t>(&mut self, t: &'t Table, key: &str) -> Option<(&'t [Val], Span)> {
        let v = t.value(key)?;
        match &v.value {
            Value::List(items) => Some((items.as_slice(), v.span)),
            _ => Some((std::slice::from_ref(v), v.span)),
        }
    }

    /// A list of words, each from `allowed`.
    pub(crate) fn choices(
        &mut self,
        t: &Table,
        key: &str,
        allowed: &[&str],
    ) -> Option<Vec<Spanned<String>>> {
        let (items, _) = self.list(t, key)?;
        Some(
            items
                .iter()
                .filter_map(|v| self.choice_val(v, key, allowed))
                .collect(),
        )
    }

    /// An IP address, written bare or as a string.
    pub(crate) fn ip(&mut self, t: &Table, key: &str) -> Option<Spanned<IpAddr>> {
        let v = t.value(key)?;
        match &v.value {
            Value::Ip(ip) => Some(Spanned::new(*ip, v.span)),
            Value::Str(s) => match s.parse::<IpAddr>() {
                Ok(ip) => Some(Spanned::new(ip, v.span)),
                Err(_) => {
                    self.diags.push(CheckError::InvalidAddress {
                        text: s.clone(),
                        span: v.span,
                    });
                    None
                }
            },
            _ => {
                self.mismatch("an IP address", v, None);
                None
            }
        }
    }

    /// A nested block.
    pub(crate) fn table<'t>(&mut self, t: &'t Table, key: &str) -> Option<&'t Table> {
        let slot = t.get(key)?;
        match &slot.val.value {
            Value::Table(inner) => Some(inner),
            _ => {
                self.mismatch(&format!("a block: `{key} {{ … }}`"), &slot.val, None);
                None
            }
        }
    }
}

/// The span to blame for a table's setting: the entry, or the table.
pub(crate) fn slot_span(t: &Table, key: &str) -> Span {
    t.peek(key).map_or(t.span, |s: &Slot| s.origin.span)
}

/// The whole entry of a table's setting (`key = value`), for a fix that
/// removes it; detached when the table has none.
pub(crate) fn slot_entry(t: &Table, key: &str) -> Span {
    t.peek(key).map_or(Span::DETACHED, |s: &Slot| s.origin.span)
}
