//! User flags (`flags { }`, `settings { }`) against the flag tables of the
//! declared versions: name, availability, value syntax, and the flags mesosc
//! derives itself.

use std::collections::BTreeMap;

use super::{Builder, Ctx, ModelError};
use crate::model::Setting;
use crate::resolve::value::{Slot, Table, Val, Value};
use crate::schema::{self, Availability, Flag, FlagType, Program, Tag};
use crate::span::Span;

impl<E: super::Sink> Builder<'_, E> {
    /// Checks every entry of a `flags`/`settings` table and adds the good ones
    /// to `out` (already holding the derived flags).
    pub(crate) fn user_flags(
        &mut self,
        ctx: &Ctx,
        program: Program,
        table: &Table,
        out: &mut BTreeMap<String, Setting>,
    ) {
        let mut seen: BTreeMap<&'static str, (Span, &'static str)> = BTreeMap::new();
        for slot in &table.slots {
            if !self.checking_only {
                slot.mark_read();
            }
            let report = self.first_time(slot.key_span, program.name());
            let Some((flag, text)) = self.user_flag(ctx, program, slot, report) else {
                continue;
            };
            let canonical = flag.canonical_name();
            if let Some((first, first_name)) = seen.insert(canonical, (slot.key_span, flag.name)) {
                if report {
                    let (old, old_span, new_span) = if flag.name == canonical {
                        (first_name, first, slot.key_span)
                    } else {
                        (flag.name, slot.key_span, first)
                    };
                    self.diags.push(ModelError::FlagSetTwice {
                        old: old.to_string(),
                        new: canonical.to_string(),
                        first: old_span,
                        second: new_span,
                    });
                }
                continue;
            }
            out.insert(
                flag.name.to_string(),
                Setting {
                    value: text,
                    origin: Some(Box::new(slot.origin.clone())),
                },
            );
        }
    }

    /// Checks the flags mesosc derives itself (those without an origin)
    /// against the declared version: a flag the release lacks under that
    /// name would be dropped or refused by the program, so it is an error on
    /// the version the cluster declares. Reported once per flag.
    pub(crate) fn derived_versions(
        &mut self,
        ctx: &Ctx,
        program: Program,
        settings: &BTreeMap<String, Setting>,
    ) {
        let target = ctx.version(program);
        let key = match program {
            Program::Master | Program::Agent => "mesos",
            Program::Marathon => "marathon",
            Program::ZooKeeper => "zookeeper",
        };
        let span = ctx
            .resolved
            .cluster
            .as_ref()
            .map_or(ctx.cluster_span, |c| super::read::slot_span(&c.body, key));
        for name in settings
            .iter()
            .filter(|(_, s)| s.origin.is_none())
            .map(|(n, _)| n)
        {
            let Some(flag) = schema::table(program).get(name) else {
                continue;
            };
            let (since, removed) = match flag.check_version(target) {
                Availability::NotYet { since } => (Some(since), None),
                Availability::Removed { version, .. } => (None, Some(version)),
                _ => continue,
            };
            if !self.first_time(span, flag.name) {
                continue;
            }
            let help = |what: String| {
                Some(format!(
                    "mesosc writes `{}` for what this file asks (docs/src/reference/versions.md): {what}, or remove the setting that needs it",
                    flag.name
                ))
            };
            let (program, name) = (program.name().to_string(), flag.name.to_string());
            let error = match (since, removed) {
                (Some(since), _) => ModelError::FlagTooNew {
                    program,
                    name,
                    target: target.to_string(),
                    span,
                    help: help(format!("declare `{key} = \"{since}\"` or newer")),
                    since: since.to_string(),
                },
                (_, Some(removed)) => ModelError::FlagRemoved {
                    program,
                    name,
                    span,
                    help: help(format!("declare a {key} version older than {removed}")),
                    removed: removed.to_string(),
                },
                _ => continue,
            };
            self.diags.push(error);
        }
    }

    /// Checks one user flag; its table row and value text when it is usable.
    fn user_flag(
        &mut self,
        ctx: &Ctx,
        program: Program,
        slot: &Slot,
        report: bool,
    ) -> Option<(&'static Flag, String)> {
        let table = schema::table(program);
        let name = slot.key.as_str();
        let Some(flag) = table.get(name) else {
            if report {
                self.diags.push(ModelError::UnknownFlag {
                    program: program.name().into(),
                    name: name.into(),
                    span: slot.key_span,
                    help: schema::flag_help(program, name, &|r| self.say(r, slot.key_span)),
                });
            }
            return None;
        };
        if !self.writable(program, flag, slot, report) {
            return None;
        }
        if report && !self.available(ctx, flag, slot.key_span) {
            return None;
        }
        let text = self.flag_text(flag, &slot.val, report)?;
        self.valid_text(program, flag, slot, &text, report)
            .then_some((flag, text))
    }

    /// Whether the user may set `flag` at all: not a secret-valued flag
    /// written inline, not a Docker config carrying registry credentials,
    /// not a flag mesosc derives from a setting. Reports why not.
    fn writable(
        &mut self,
        program: Program,
        flag: &'static Flag,
        slot: &Slot,
        report: bool,
    ) -> bool {
        let name = slot.key.as_str();
        // Secret-valued settings are marked `[secret]` in the flag tables.
        // A `file()` for a flag mesosc derives is reported as derived below.
        let derived_file =
            matches!(slot.val.value, Value::File(_)) && schema::derived(program, name).is_some();
        // A secret the program also reads from a variable: the unit sets
        // it from the file at start (Marathon's MESOSPHERE_* fallbacks).
        if let (Some(_), Some(var), Value::File(path)) =
            (flag.secret(), flag.env_fallback(), &slot.val.value)
        {
            self.secret_env.push((var.to_owned(), path.clone()));
            return false;
        }
        if let Some(instead) = flag.secret().filter(|_| !derived_file) {
            if report {
                self.secret_valued(flag.name, instead, &slot.val);
            }
            return false;
        }
        // A Docker config written inline carries its registry credentials
        // (`auths`) into the env file; it belongs in a file on the host.
        let inline_docker_auth = program == Program::Agent
            && flag.name == "docker_config"
            && matches!(&slot.val.value, Value::Str(s) if s.trim_start().starts_with('{') && s.contains("auth"));
        let error = if inline_docker_auth {
            ModelError::LiteralSecret {
                span: slot.val.span,
            }
        } else if let Some(instead) =
            schema::derived_setting(program, name, &|r| self.say(r, slot.key_span))
        {
            ModelError::DerivedFlag {
                name: name.into(),
                instead,
                span: slot.key_span,
            }
        } else {
            return true;
        };
        if report {
            self.diags.push(error);
        }
        false
    }

    /// Whether `text`, the value as it will be written, is one line the
    /// program accepts (its type and limits, `schema::check_value`), and is
    /// for this platform. Reports why not.
    fn valid_text(
        &mut self,
        program: Program,
        flag: &'static Flag,
        slot: &Slot,
        text: &str,
        report: bool,
    ) -> bool {
        let name = slot.key.as_str();
        if text.contains(char::is_control) {
            if report {
                self.diags.push(ModelError::InvalidFlagValue {
                    name: name.into(),
                    message: "the value contains a control character such as a newline".into(),
                    span: slot.val.span,
                    expected: "one line of text".into(),
                    help: Some(
                        "a newline would end the line in the env file and start another".into(),
                    ),
                });
            }
            return false;
        }
        if !report {
            return true;
        }
        self.platform(flag, slot.key_span);
        match schema::check_value(program, flag, text) {
            Ok(()) => true,
            Err(e) => {
                self.diags.push(ModelError::InvalidFlagValue {
                    name: name.into(),
                    message: e.message,
                    span: slot.val.span,
                    expected: format!("expected {}", flag.ty.noun()),
                    help: e.help,
                });
                false
            }
        }
    }

    /// Version gating: errors for flags not in the declared release, warnings
    /// for deprecated ones. Returns whether the flag may be used.
    fn available(&mut self, ctx: &Ctx, flag: &Flag, span: Span) -> bool {
        let target = ctx.version(flag.program);
        let availability = flag.check_version(target);
        let described = availability.describe(flag, target);
        let (program, name) = (flag.program.name().to_string(), flag.name.to_string());
        match availability {
            Availability::Available => true,
            Availability::NotYet { since } => {
                // The same flag under the name the declared release knows.
                let old_name = schema::table(flag.program).iter().find(|f| {
                    matches!(f.status, schema::Status::AliasOf(n) if n == flag.name)
                        && f.since <= *target
                });
                let help = if let Some(old) = old_name {
                    Some(format!(
                        "{} {target} spells it `{}`: write that instead",
                        flag.program.name(),
                        old.name
                    ))
                } else if since.is_prerelease() {
                    described.and_then(|d| d.1)
                } else {
                    let key = if flag.program.is_mesos() {
                        "mesos"
                    } else {
                        flag.program.name()
                    };
                    Some(format!(
                        "declare `{key} = \"{since}\"` or newer in the `cluster` block, or remove the flag"
                    ))
                };
                self.diags.push(ModelError::FlagTooNew {
                    program,
                    name,
                    target: target.to_string(),
                    span,
                    since: since.to_string(),
                    help,
                });
                false
            }
            Availability::Removed {
                version,
                replacement,
            } => {
                self.diags.push(ModelError::FlagRemoved {
                    program,
                    name,
                    removed: version.to_string(),
                    span,
                    help: replacement.map(|r| format!("use `{r}` instead")),
                });
                false
            }
            Availability::Alias { .. } | Availability::Deprecated { .. } => {
                let (message, help) =
                    described.unwrap_or_else(|| (format!("`{name}` is deprecated"), None));
                self.diags.push(ModelError::DeprecatedFlag {
                    message,
                    span,
                    help,
                });
                true
            }
        }
    }

    /// Warns about flags that exist only in some builds.
    fn platform(&mut self, flag: &Flag, span: Span) {
        for tag in &flag.tags {
            if let Tag::Build(option) = tag {
                self.diags.push(ModelError::PlatformFlag {
                    name: flag.name.into(),
                    condition: format!("when Mesos is built with `{option}`"),
                    span,
                    help: Some(
                        "on other builds the program refuses to start with an unknown flag".into(),
                    ),
                });
            }
        }
    }

    /// The text a value gives a flag: scalars as written, lists joined with `,`,
    /// `file()` as its path; Marathon `flag` options take `true` (on).
    fn flag_text(&mut self, flag: &Flag, val: &Val, report: bool) -> Option<String> {
        if flag.ty == FlagType::Flag {
            return match val.value {
                Value::Bool(true) => Some(String::new()),
                _ => {
                    if report {
                        self.diags.push(ModelError::InvalidFlagValue {
                            name: flag.name.into(),
                            message: "a Marathon toggle is turned on with `true`".into(),
                            span: val.span,
                            expected: "expected `true`".into(),
                            help: flag_off_help(flag),
                        });
                    }
                    None
                }
            };
        }
        let text = match &val.value {
            Value::List(items) => {
                let parts: Option<Vec<String>> =
                    items.iter().map(|v| v.value.scalar_text()).collect();
                parts.map(|p| p.join(","))
            }
            Value::File(path) => {
                self.flag_secrets.push(path.clone());
                Some(path.clone())
            }
            other => other.scalar_text(),
        };
        if text.is_none() && report {
            self.r().mismatch(
                &format!("a value for `{}` ({})", flag.name, flag.ty.noun()),
                val,
                None,
            );
        }
        text
    }
}

impl<E: super::Sink> Builder<'_, E> {
    /// A flag that takes the secret itself: a literal is a literal secret,
    /// and a `file()` would hand the program the path as the secret.
    fn secret_valued(&mut self, name: &str, instead: Option<&str>, val: &Val) {
        match (&val.value, instead) {
            (Value::File(_), Some(instead)) => self.diags.push(ModelError::InvalidFlagValue {
                name: name.into(),
                message: "it takes the secret itself, not a file".into(),
                span: val.span,
                expected: "the secret's value".into(),
                help: Some(format!("use `{instead} = file(\"/etc/…\")` instead")),
            }),
            (Value::File(_), None) => self.diags.push(ModelError::InvalidFlagValue {
                name: name.into(),
                message: "it takes the secret itself, not a file, and mesosc never writes a secret"
                    .into(),
                span: val.span,
                expected: "the secret's value".into(),
                help: Some(
                    "leave it out of the cluster description and provide it on the host".into(),
                ),
            }),
            _ => self
                .diags
                .push(ModelError::LiteralSecret { span: val.span }),
        }
    }
}

fn flag_off_help(flag: &Flag) -> Option<String> {
    let base = flag.name.strip_prefix("disable_").unwrap_or(flag.name);
    let table = schema::table(Program::Marathon);
    let off = format!("disable_{base}");
    table
        .get(&off)
        .filter(|_| off != flag.name)
        .map(|_| format!("to turn it off, set `{off} = true`"))
        .or_else(|| Some("leave it out to keep it off".into()))
}
