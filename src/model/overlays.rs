//! The environment overlays that are not selected: never applied, but
//! checked on every run as if selected at flag level (names, keys, value
//! types, flag names and values), so that a typo in `staging` fails the `production`
//! build too. Flags are checked against the versions the overlay declares
//! (its `cluster { mesos marathon zookeeper }`), and the base file's for
//! what it does not declare, as `--env` would build it. Topology and ports
//! are not checked: they depend on the overlay being applied.

use std::collections::BTreeMap;

use super::{Builder, Ctx, Versions, read};
use crate::model::Role;
use crate::resolve::value::Table;
use crate::resolve::{Overlay, canonical_section};
use crate::schema::{Program, Version, keys, versions};

impl<E: super::Sink> Builder<'_, E> {
    /// Checks every overlay that is not selected (see the module's documentation).
    pub(super) fn unselected_overlays(&mut self, ctx: &Ctx) {
        for overlay in &ctx.resolved.unselected {
            for body in &overlay.clusters {
                self.r().known_keys(body, keys::Block::Cluster);
                self.value_kinds(body, keys::Block::Cluster);
            }
            let ctx = &Ctx {
                resolved: ctx.resolved,
                versions: self.overlay_versions(ctx, overlay),
                runtime: ctx.runtime,
                fleet: ctx.fleet,
                runtime_span: ctx.runtime_span,
                cluster_span: ctx.cluster_span,
            };
            for (name, t) in &overlay.sections {
                match Role::from_name(name) {
                    Some(role) => self.role_block(ctx, t, role, false),
                    None => {
                        let block = keys::Block::ALL.into_iter().find(|b| b.name() == name);
                        if let Some(block) = block {
                            self.r().known_keys(t, block);
                            self.value_kinds(t, block);
                        }
                    }
                }
            }
            for host in &overlay.hosts {
                self.overlay_host(ctx, &host.body);
            }
            for service in &overlay.services {
                self.r().known_keys(&service.body, keys::Block::Service);
                self.value_kinds(&service.body, keys::Block::Service);
            }
        }
    }

    /// The versions an overlay builds with: those its `cluster` blocks
    /// declare (checked here: unknown and unreleased versions, a Marathon
    /// that does not run on the Mesos), the base file's otherwise.
    fn overlay_versions(&mut self, ctx: &Ctx, overlay: &Overlay) -> Versions {
        let resolved = ctx.resolved;
        let base = resolved.cluster_base.as_ref();
        let base = base.or(resolved.cluster.as_ref().map(|c| &c.body));
        // The base's value of a version the overlay does not declare
        // (checked where the base is: only parsed here).
        let based = |key: &str| {
            let slot = base?.peek(key)?;
            Version::parse(&slot.val.value.scalar_text()?).ok()
        };
        let mut own = Table::new(overlay.name.span);
        for c in &overlay.clusters {
            own.merge(c);
        }
        let declared = |b: &mut Self, key: &str| match own.peek(key) {
            Some(_) => b.version(&own, key),
            None => based(key),
        };
        let mesos = declared(self, "mesos").unwrap_or_else(|| ctx.versions.mesos.clone());
        let marathon = declared(self, "marathon");
        let zookeeper = declared(self, "zookeeper");
        let changed = ["mesos", "marathon"].iter().any(|k| own.peek(k).is_some());
        if let Some(marathon) = marathon.as_ref().filter(|_| changed) {
            let span = match own.peek("marathon") {
                Some(_) => read::slot_span(&own, "marathon"),
                None => read::slot_span(&own, "mesos"),
            };
            self.compatible(span, &mesos, marathon);
        }
        Versions {
            marathon: marathon.unwrap_or_else(|| versions::default_marathon(&mesos)),
            zookeeper: zookeeper.unwrap_or_else(|| super::newest(Program::ZooKeeper)),
            mesos,
        }
    }

    /// A host of an unselected overlay: its keys, and those of the blocks
    /// in it that the key check leaves to their own (roles with their
    /// flags, `etcd`, `fleet`, `update`, …).
    fn overlay_host(&mut self, ctx: &Ctx, body: &Table) {
        self.r().known_keys(body, keys::Block::Host);
        self.value_kinds(body, keys::Block::Host);
        for slot in &body.slots {
            let Some(name) = canonical_section(&slot.key) else {
                continue;
            };
            let (Some(t), Some(key)) = (
                body.peek_table(&slot.key),
                keys::get(keys::Block::Host, name),
            ) else {
                continue;
            };
            match (Role::from_name(name), key.kind) {
                (Some(role), _) => self.role_block(ctx, t, role, true),
                (None, keys::Kind::Block(block)) => {
                    self.r().known_keys_at(t, block, true);
                    self.per_host_keys(t, block);
                    self.value_kinds(t, block);
                }
                _ => {}
            }
        }
    }

    /// A role block of an unselected overlay: its keys, and its flags
    /// against the tables of the declared versions.
    fn role_block(&mut self, ctx: &Ctx, t: &Table, role: Role, per_host: bool) {
        let block = keys::Block::of_role(role);
        self.r().known_keys(t, block);
        self.value_kinds(t, block);
        if per_host {
            self.per_host_keys(t, block);
        }
        let (program, key) = flags_of(role);
        if let Some(flags) = t.peek_table(key) {
            self.check_flags(ctx, program, flags);
        }
    }

    /// Checks a flags block as written (names, values, versions), without
    /// using it: what it does is decided where a host reads it.
    pub(super) fn check_flags(&mut self, ctx: &Ctx, program: Program, flags: &Table) {
        let mut scratch = BTreeMap::new();
        self.checking_only = true;
        self.user_flags(ctx, program, flags, &mut scratch);
        self.checking_only = false;
        self.flag_secrets.clear();
    }
}

/// The program whose flags a role's block holds, and the block's key.
pub(super) fn flags_of(role: Role) -> (Program, &'static str) {
    match role {
        Role::Zookeeper => (Program::ZooKeeper, "settings"),
        Role::Leader => (Program::Master, "flags"),
        Role::Follower => (Program::Agent, "flags"),
        Role::Marathon => (Program::Marathon, "flags"),
    }
}
