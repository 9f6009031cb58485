//! What resolution produces: the cluster description with its layers kept
//! apart ([`Resolved`]), and the lookups that merge them for one host.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::resolve::value::{Slot, Table, Value};
use crate::span::{Span, Spanned};

/// The `cluster` block.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterDecl {
    /// Its name.
    pub name: Spanned<String>,
    /// Its settings (overlay applied).
    pub body: Table,
    /// The whole item.
    pub span: Span,
}

/// A host, with its layers kept apart.
#[derive(Clone, Debug, PartialEq)]
pub struct HostDecl {
    /// The host name, after interpolation.
    pub name: Spanned<String>,
    /// Templates merged into it, in `uses` order.
    pub uses: Vec<Spanned<String>>,
    /// Templates (in order) and then the host's own block, merged.
    pub body: Table,
    /// The selected environment's block for this host, if any.
    pub overlay: Option<Table>,
    /// The whole item.
    pub span: Span,
}

impl HostDecl {
    /// The host's own settings with the overlay applied (no cluster-wide blocks).
    /// Borrowed when no overlay applies (the common case: no copy).
    pub fn effective(&self) -> std::borrow::Cow<'_, Table> {
        match &self.overlay {
            None => std::borrow::Cow::Borrowed(&self.body),
            Some(o) => {
                let mut t = self.body.clone();
                t.merge(o);
                std::borrow::Cow::Owned(t)
            }
        }
    }
}

/// An extra service (`service "name" { … }`).
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceDecl {
    /// The service name.
    pub name: Spanned<String>,
    /// Its settings (overlay applied).
    pub body: Table,
    /// The whole item.
    pub span: Span,
}

/// A template.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateDecl {
    /// Its name.
    pub name: Spanned<String>,
    /// Its body, evaluated where the template was defined.
    pub body: Table,
    /// The whole item.
    pub span: Span,
}

/// The whole cluster description after resolution.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Resolved {
    /// The `cluster` block (absent only when an error was reported).
    pub cluster: Option<ClusterDecl>,
    /// Cluster-wide blocks by canonical name (`leader`, `zookeeper`, …).
    pub sections: BTreeMap<String, Table>,
    /// The selected environment's cluster-wide blocks.
    pub overlay_sections: BTreeMap<String, Table>,
    /// Templates by name.
    pub templates: BTreeMap<String, TemplateDecl>,
    /// Hosts in declaration order.
    pub hosts: Vec<HostDecl>,
    /// Extra services in declaration order.
    pub services: Vec<ServiceDecl>,
    /// The selected environment: its name, and where it was selected (none for `--env`).
    pub environment: Option<(String, Option<Span>)>,
    /// Every declared environment overlay.
    pub environments: Vec<Spanned<String>>,
    /// Every entry written, with its usage mark.
    pub entries: crate::resolve::usage::Entries,
    /// The declared overlays that are not selected: checked on every run
    /// (names, keys, flags), never applied.
    pub unselected: Vec<Overlay>,
    /// Which word of each alias pair (`agent`/`follower`) the user wrote
    /// where, for messages in the user's words.
    pub words: crate::resolve::Words,
    /// The `cluster` block as the base layer wrote it, when the selected
    /// overlay changed it: the versions an unselected overlay falls back to.
    pub cluster_base: Option<Table>,
}

/// An environment overlay as written (not applied).
#[derive(Clone, Debug, PartialEq)]
pub struct Overlay {
    /// Its name.
    pub name: Spanned<String>,
    /// Its `cluster` blocks.
    pub clusters: Vec<Table>,
    /// Its cluster-wide blocks by canonical name.
    pub sections: BTreeMap<String, Table>,
    /// Its hosts, as written (templates not merged).
    pub hosts: Vec<HostDecl>,
    /// Its services.
    pub services: Vec<ServiceDecl>,
}

impl Resolved {
    /// A section's settings for one host, merged in precedence order:
    /// cluster-wide < templates < the host's own < overlay < the overlay's host block.
    /// Borrowed when a single layer sets the section (most hosts of a large
    /// cluster only inherit the cluster-wide block): no copy.
    pub fn section_for<'a>(&'a self, host: &'a HostDecl, section: &str) -> Cow<'a, Table> {
        let layers = [
            host.body.table(section),
            self.overlay_sections.get(section),
            host.overlay.as_ref().and_then(|o| o.table(section)),
        ];
        merged(self.sections.get(section), layers)
    }

    /// The setting at `path` (`["resources", "ports"]`) of a host's
    /// section, as [`Resolved::section_for`] would merge it, found without
    /// merging: the highest layer that sets it wins.
    pub fn setting_for<'a>(
        &'a self,
        host: &'a HostDecl,
        section: &str,
        path: &[&str],
    ) -> Option<&'a Slot> {
        let layers = [
            host.overlay.as_ref().and_then(|o| o.table(section)),
            self.overlay_sections.get(section),
            host.body.table(section),
            self.sections.get(section),
        ];
        for layer in layers.into_iter().flatten() {
            match find(layer, path) {
                Lookup::Found(slot) => return Some(slot),
                // A value that is not a block replaces the lower layers' block.
                Lookup::NotABlock => return None,
                Lookup::Missing => {}
            }
        }
        None
    }

    /// A cluster-wide section with the overlay applied.
    pub fn section(&self, section: &str) -> Cow<'_, Table> {
        merged(
            self.sections.get(section),
            [self.overlay_sections.get(section)],
        )
    }
}

/// What one layer says of a key path.
enum Lookup<'a> {
    Found(&'a Slot),
    Missing,
    NotABlock,
}

fn find<'a>(table: &'a Table, path: &[&str]) -> Lookup<'a> {
    let Some((last, blocks)) = path.split_last() else {
        return Lookup::Missing;
    };
    let mut t = table;
    for key in blocks {
        match t.get(key).map(|s| &s.val.value) {
            None => return Lookup::Missing,
            Some(Value::Table(inner)) => t = inner,
            Some(_) => return Lookup::NotABlock,
        }
    }
    t.get(last).map_or(Lookup::Missing, Lookup::Found)
}

/// `base` with each present layer merged over it, lowest first (an empty
/// table when there is no base); borrowed when nothing is merged.
fn merged<'a, const N: usize>(
    base: Option<&'a Table>,
    layers: [Option<&'a Table>; N],
) -> Cow<'a, Table> {
    let mut out = base.map_or_else(|| Cow::Owned(Table::default()), Cow::Borrowed);
    for over in layers.into_iter().flatten() {
        out.to_mut().merge(over);
    }
    out
}
