//! Value types of entries that are checked but not applied (the overlays
//! that are not selected): each value against its key's [`Kind`] in the key
//! schema, as written. What the model's reads would also refuse (a range,
//! a word that names no host) depends on the overlay being applied and is
//! not checked here; so a value accepted here may still be refused when
//! the overlay is selected, never the other way round.

use super::{Builder, ModelError};
use crate::resolve::canonical_section;
use crate::resolve::value::{Table, Val, Value};
use crate::schema::keys::{self, Block, Kind};

impl<E: super::Sink> Builder<'_, E> {
    /// Checks the value of every key of `table` (a `block`) that the schema
    /// knows, and of the blocks nested in it that are not sections (those
    /// have their own check, as in [`super::read::Reader::known_keys`]).
    pub(super) fn value_kinds(&mut self, table: &Table, block: Block) {
        for slot in &table.slots {
            let Some(key) = keys::get(block, &slot.key) else {
                continue; // reported as an unknown key
            };
            match (key.kind, &slot.val.value) {
                (Kind::Block(inner), Value::Table(t)) => {
                    if canonical_section(inner.name()).is_none() {
                        self.value_kinds(t, inner);
                    }
                }
                (Kind::Open(_), Value::Table(_)) => {}
                (Kind::Block(_) | Kind::Open(_), _) => {
                    let expected = format!("a block: `{} {{ … }}`", slot.key);
                    self.r().mismatch(&expected, &slot.val, None);
                }
                (kind, _) => self.value_kind(table, &slot.key, kind, &slot.val),
            }
        }
    }

    /// One scalar or list value against its kind, through the reads the
    /// model uses where one decides the type alone.
    fn value_kind(&mut self, table: &Table, key: &str, kind: Kind, v: &Val) {
        let list = match &v.value {
            Value::List(items) => items.as_slice(),
            _ => std::slice::from_ref(v),
        };
        let (ok, expected): (fn(&Value) -> bool, &str) = match kind {
            Kind::Path => {
                self.r().path(table, key);
                return;
            }
            Kind::Bool => {
                self.r().bool(table, key);
                return;
            }
            Kind::Port => {
                self.r().port(table, key);
                return;
            }
            Kind::Address => {
                self.r().ip(table, key);
                return;
            }
            Kind::Word(words) => {
                self.r().choice(table, key, words);
                return;
            }
            Kind::Words(words) if !words.is_empty() => {
                self.r().choices(table, key, words);
                return;
            }
            Kind::Secret => return self.secret_kind(v),
            // Versions are read where the overlay's versions are.
            Kind::Version | Kind::Block(_) | Kind::Open(_) => return,
            Kind::Str => (
                |x| matches!(x, Value::Str(_) | Value::Symbol(_)),
                "a string",
            ),
            Kind::Int => (|x| matches!(x, Value::Int(_)), "an integer"),
            Kind::AutoInt => (
                |x| matches!(x, Value::Int(_) | Value::Auto),
                "`auto` or an integer",
            ),
            Kind::Duration => (
                |x| matches!(x, Value::Duration { .. }),
                "a duration (`500ms`, `2secs`)",
            ),
            Kind::Ports => {
                for item in list {
                    self.r().int_val(item, key, 1, 65535);
                }
                return;
            }
            // Names read as text (`environments = [staging]` too).
            Kind::Strings => {
                let text = |x: &Value| matches!(x, Value::Str(_) | Value::Symbol(_));
                return self.each(list, text, "a string");
            }
            Kind::Words(_) => {
                let name = |x: &Value| matches!(x, Value::Str(_) | Value::Symbol(_));
                return self.each(list, name, "a name");
            }
        };
        if !ok(&v.value) {
            self.r().mismatch(expected, v, None);
        }
    }

    /// Each item of a list that `ok` refuses is a type mismatch.
    fn each(&mut self, items: &[Val], ok: fn(&Value) -> bool, expected: &str) {
        for item in items.iter().filter(|i| !ok(&i.value)) {
            self.r().mismatch(expected, item, None);
        }
    }

    /// A secret is `file("/path")`; a literal would be written into the
    /// generated files.
    fn secret_kind(&mut self, v: &Val) {
        match &v.value {
            Value::File(_) => {}
            Value::Str(_) | Value::Int(_) | Value::Symbol(_) => {
                self.diags.push(ModelError::LiteralSecret { span: v.span });
            }
            _ => self.r().mismatch("`file(\"/path\")`", v, None),
        }
    }
}
