//! The final pass of the model builder: every entry the user wrote that no
//! read of the model marked ([`crate::resolve::usage`]) is reported as
//! `mcl::check::no_effect`, once, at the outermost entry that had none,
//! with the reason the key schema gives ([`keys::Applies`]), or the role,
//! template or environment that made the whole block unused.
//!
//! Not reported: entries of environment overlays that are not selected
//! (they take effect when selected, and are checked on every run), empty
//! blocks, and entries at which another diagnostic already points.

use std::collections::BTreeSet;

use super::{Builder, Ctx, ModelError};
use crate::model::{self, Role};
use crate::resolve::usage::{Entries, Item};
use crate::resolve::value::Layer;
use crate::resolve::{Words, canonical_section};
use crate::schema::keys::{self, Applies, Block, Kind};
use crate::span::Span;

/// What the reason of an unused entry depends on.
struct Facts<'a> {
    cluster: &'a model::Cluster,
    /// Templates some host uses.
    used_templates: BTreeSet<&'a str>,
    /// Each template's hosts: (template, host) pairs.
    users: BTreeSet<(&'a str, &'a str)>,
    /// The selected environment.
    selected: Option<&'a str>,
    /// The words the user wrote, for role names.
    words: &'a Words,
}

impl Facts<'_> {
    /// The user's word for `role` in a message about the place `at`.
    fn say(&self, role: Role, at: Span) -> &'static str {
        super::say(self.words, role, at)
    }

    /// The user's word for the section `name` (canonical) at `at`.
    fn section(&self, name: &str, at: Span) -> String {
        match Role::from_name(name) {
            Some(role) => self.say(role, at).to_owned(),
            None => name.to_owned(),
        }
    }
}

impl<E: super::Sink> Builder<'_, E> {
    /// Reports every entry that had no effect (see the module's documentation).
    pub(super) fn no_effect(&mut self, ctx: &Ctx, cluster: &model::Cluster) {
        // A build with errors stops reading where they are: what it did not
        // read then says nothing.
        if self.diags.error_count() > 0 {
            return;
        }
        let resolved = ctx.resolved;
        let entries = &resolved.entries;
        let facts = Facts {
            cluster,
            used_templates: (resolved.hosts.iter())
                .flat_map(|h| h.uses.iter().map(|u| u.node.as_str()))
                .collect(),
            users: (resolved.hosts.iter())
                .flat_map(|h| {
                    h.uses
                        .iter()
                        .map(|u| (u.node.as_str(), h.name.node.as_str()))
                })
                .collect(),
            selected: resolved.environment.as_ref().map(|(n, _)| n.as_str()),
            words: &resolved.words,
        };
        // A template no host uses is reported once, at its name.
        for t in resolved.templates.values() {
            if !facts.used_templates.contains(t.name.node.as_str()) {
                self.diags.push(ModelError::NoEffect {
                    message: format!(
                        "template `{}` has no effect: it is used by no host",
                        t.name.node
                    ),
                    span: t.name.span,
                    entry: t.span,
                    help: Some(format!(
                        "remove it, or use it: `host \"…\" uses {} {{ … }}`",
                        t.name.node
                    )),
                });
            }
        }
        let diagnosed = self.diagnosed_offsets();
        let used = entries.used();
        for (i, entry) in entries.list.iter().enumerate() {
            let parent_used = entry.parent.is_none_or(|p| used[p]);
            if used[i] || !parent_used || entry.block == Some(true) || entry.span.is_detached() {
                continue;
            }
            if let Layer::Environment(e) = &entry.layer
                && Some(e.as_str()) != facts.selected
            {
                continue;
            }
            if let Item::Template(t) = &entry.item
                && !facts.used_templates.contains(t.as_str())
            {
                continue; // reported once, above
            }
            let (start, end) = (entry.span.start as usize, entry.span.end as usize);
            if diagnosed.range(start..end).next().is_some() {
                continue;
            }
            let path = entries.path(i);
            let reason = reason(entries, i, &path, &facts);
            let shown = match &entry.item {
                Item::Section(s) => format!("{}.{}", facts.section(s, entry.span), path.join(".")),
                _ => path.join("."),
            };
            self.diags.push(ModelError::NoEffect {
                message: format!(
                    "`{shown}` ({}) has no effect: {reason}",
                    written_in(&entry.layer, &entry.item, &|s| facts.section(s, entry.span))
                ),
                span: entry.key_span,
                entry: entry.span,
                help: Some(format!(
                    "remove `{}`{}",
                    entry.key,
                    hint(&path, entries, i, &facts)
                )),
            });
        }
    }

    /// Where the diagnostics reported so far point (their labels' starts).
    fn diagnosed_offsets(&self) -> BTreeSet<usize> {
        let mut at = BTreeSet::new();
        for d in self.diags.iter() {
            for l in d.labels().into_iter().flatten() {
                at.insert(l.offset());
            }
        }
        at
    }
}

/// Where an entry was written, for the message; `section` names a
/// cluster-wide block as the user wrote it.
fn written_in(layer: &Layer, item: &Item, section: &dyn Fn(&str) -> String) -> String {
    match (layer, item) {
        (Layer::Environment(e), _) => format!("environment `{e}`"),
        (_, Item::Cluster) => "`cluster` block".into(),
        (_, Item::Section(s)) => format!("cluster-wide `{}` block", section(s)),
        (_, Item::Host(h)) => format!("host `{h}`"),
        (_, Item::Template(t)) => format!("template `{t}`"),
        (_, Item::Service(s)) => format!("service `{s}`"),
        (layer, Item::Value) => layer.to_string(),
    }
}

/// The schema's view of an entry: the role block it is in, and the
/// innermost key on its path that applies only under a condition.
struct Place {
    role: Option<Role>,
    /// The key the condition is on, as the message names it, and the condition.
    condition: Option<(&'static str, Applies)>,
}

fn place(item: &Item, path: &[&str]) -> Place {
    let (mut block, keys) = match item {
        Item::Cluster => (Some(Block::Cluster), path),
        Item::Host(_) | Item::Template(_) => (Some(Block::Host), path),
        Item::Service(_) => (Some(Block::Service), path),
        Item::Section(s) => (Block::ALL.into_iter().find(|b| b.name() == s), path),
        Item::Value => (None, path),
    };
    let mut out = Place {
        role: match item {
            Item::Section(s) => Role::from_name(s),
            _ => None,
        },
        condition: None,
    };
    let mut last = None;
    for key in keys {
        let Some(b) = block else { break };
        let name = canonical_section(key).unwrap_or(key);
        let Some(k) = keys::get(b, name) else { break };
        last = Some(k);
        if k.applies != Applies::Always {
            out.condition = Some((k.name, k.applies));
        }
        block = match k.kind {
            Kind::Block(inner) => {
                if out.role.is_none() {
                    out.role = Role::from_name(inner.name()).filter(|_| b == Block::Host);
                }
                Some(inner)
            }
            _ => None,
        };
    }
    // A block none of whose keys applies here: the condition its keys share,
    // on the block (`fleet { }`, whose keys apply with the cloud-config output).
    if out.condition.is_none()
        && let Some(block) = last
        && let Kind::Block(inner) = block.kind
    {
        let mut inner_keys = keys::of(inner);
        if let Some(first) = inner_keys.next()
            && first.applies != Applies::Always
            && inner_keys.all(|k| k.applies == first.applies)
        {
            out.condition = Some((block.name, first.applies));
        }
    }
    out
}

impl Facts<'_> {
    /// Whether the output named as the schema names it is on.
    fn output(&self, name: &str) -> bool {
        let o = &self.cluster.outputs;
        match name {
            "systemd" => o.systemd,
            "fleet" => o.fleet,
            "cloud-config" => o.cloud_config.is_some(),
            _ => false,
        }
    }
}

/// Why entry `i` had no effect.
fn reason(entries: &Entries, i: usize, path: &[&str], facts: &Facts) -> String {
    let entry = &entries.list[i];
    if let Item::Template(t) = &entry.item
        && !facts.used_templates.contains(t.as_str())
    {
        return format!("template `{t}` is used by no host");
    }
    if entry.mark.was_overridden() {
        return "a higher layer sets it wherever it applies (see hover for the layers)".into();
    }
    let place = place(&entry.item, path);
    if let Some(role) = place.role
        && let Some(why) = role_absent(&entry.item, role, facts.say(role, entry.span), facts)
    {
        return why;
    }
    // The key right inside the role block.
    let key = match entry.item {
        Item::Section(_) => path.first(),
        _ => path.get(1),
    };
    if let Some(why) = place.role.zip(key).and_then(|(r, k)| role_rule(r, k)) {
        return why.into();
    }
    let service = place
        .role
        .map_or_else(String::new, |r| format!("; {} ", facts.say(r, entry.span)));
    match place.condition {
        Some((name, applies)) => {
            // A runtime condition, and why it fails here when the entry
            // belongs to a service.
            let runtime = |what: &str, here: &str| match service.is_empty() {
                true => format!("`{name}` applies to {what}"),
                false => format!("`{name}` applies to {what}{service}{here}"),
            };
            match applies {
                Applies::Native => runtime("the native runtime", "runs in docker here"),
                Applies::Docker => runtime("docker containers", "runs natively here"),
                Applies::Bridge => runtime(
                    "docker containers on a bridge network",
                    "is not on one here",
                ),
                Applies::Output(o) if !facts.output(o) => format!(
                    "`{}` applies with the `{o}` output, and `outputs` does not include it",
                    name
                ),
                Applies::Output(o) => format!(
                    "`{}` applies with the `{o}` output, and reaches the hosts only through the CoreOS cloud-config (`cloud_config = coreos`), which this build does not write",
                    name
                ),
                Applies::Auth(a) => format!(
                    "`{}` applies when `auth {{ {a} = true }}`, and it is not",
                    name
                ),
                Applies::Always => unreachable_reason(),
            }
        }
        None => unreachable_reason(),
    }
}

/// The reason when the schema names no condition: mesosc read nothing there.
fn unreachable_reason() -> String {
    "mesosc reads nothing from it here".into()
}

/// Service keys whose use depends on the program, not only on the
/// schema's condition: the reasons behind the reads of
/// `Builder::common` and `Builder::advertise` (model/services.rs).
fn role_rule(role: Role, key: &str) -> Option<&'static str> {
    match (role, key) {
        (Role::Zookeeper, "advertise") => Some(
            "ZooKeeper advertises nothing: its clients and peers reach it at the host's address and its ports",
        ),
        (Role::Zookeeper, "log_dir") => Some(
            "ZooKeeper's log directory is set only for its container (`ZOO_LOG_DIR`); natively it logs to the journal",
        ),
        (Role::Marathon, "work_dir" | "log_dir") => Some(
            "Marathon has no such setting: it keeps its state in ZooKeeper and logs to the journal; the folder is only mounted into its container",
        ),
        _ => None,
    }
}

/// Why a role block had no effect, when the role is missing where it
/// applies; `name` is the user's word for the role there.
fn role_absent(item: &Item, role: Role, name: &str, facts: &Facts) -> Option<String> {
    let has = |h: &model::Host| h.roles().contains(&role);
    let hosts = &facts.cluster.hosts;
    match item {
        Item::Section(_) => {
            (!hosts.iter().any(has)).then(|| format!("no host has the `{name}` role"))
        }
        Item::Host(h) => {
            let host = hosts.iter().find(|x| x.name == *h)?;
            (!has(host)).then(|| format!("host `{h}` does not have the `{name}` role"))
        }
        Item::Template(t) => {
            let users = (facts.users.iter()).filter(|(template, _)| template == t);
            let mut users = users.filter_map(|(_, h)| hosts.iter().find(|x| x.name == *h));
            (!users.any(has))
                .then(|| format!("no host that uses template `{t}` has the `{name}` role"))
        }
        _ => None,
    }
}

/// A hint after "remove it": how to make the entry take effect instead.
fn hint(path: &[&str], entries: &Entries, i: usize, facts: &Facts) -> String {
    let place = place(&entries.list[i].item, path);
    match place.condition.map(|(_, applies)| applies) {
        Some(Applies::Docker | Applies::Bridge) => ", or run the service in docker (`runtime = docker`, `network = bridge` for `advertise`)".into(),
        Some(Applies::Native) => ", or run the service natively".into(),
        Some(Applies::Output(o)) if facts.output(o) => {
            ", or write the CoreOS cloud-config (`outputs = [.., cloud-config]`, `cloud_config = coreos`)".into()
        }
        Some(Applies::Output(o)) => format!(", or add `{o}` to `cluster {{ outputs }}`"),
        Some(Applies::Auth(a)) => format!(", or set `auth {{ {a} = true }}`"),
        _ => String::new(),
    }
}
