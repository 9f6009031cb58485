//! The environment overlays that are not selected: never applied, but
//! checked on every run as if selected at flag level (names, keys, flag
//! names and values against the declared versions), so that a typo in
//! `staging` fails the `production` build too. Topology and ports are not
//! checked: they depend on the overlay being applied.

use std::collections::BTreeMap;

use super::{Builder, Ctx};
use crate::model::Role;
use crate::resolve::value::Table;
use crate::schema::{Program, keys};

impl<E: super::Sink> Builder<'_, E> {
    /// Checks every overlay that is not selected (see the module's documentation).
    pub(super) fn unselected_overlays(&mut self, ctx: &Ctx) {
        for overlay in &ctx.resolved.unselected {
            for body in &overlay.clusters {
                self.r().known_keys(body, keys::Block::Cluster);
            }
            for (name, t) in &overlay.sections {
                match Role::from_name(name) {
                    Some(role) => self.role_block(ctx, t, role, false),
                    None => {
                        let block = keys::Block::ALL.into_iter().find(|b| b.name() == name);
                        if let Some(block) = block {
                            self.r().known_keys(t, block);
                        }
                    }
                }
            }
            for host in &overlay.hosts {
                self.r().known_keys(&host.body, keys::Block::Host);
                for role in Role::ALL {
                    if let Some(t) = host.body.peek_table(role.name()) {
                        self.role_block(ctx, t, role, true);
                    }
                }
            }
            for service in &overlay.services {
                self.r().known_keys(&service.body, keys::Block::Service);
            }
        }
    }

    /// A role block of an unselected overlay: its keys, and its flags
    /// against the tables of the declared versions.
    fn role_block(&mut self, ctx: &Ctx, t: &Table, role: Role, per_host: bool) {
        let block = keys::Block::of_role(role);
        self.r().known_keys(t, block);
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
