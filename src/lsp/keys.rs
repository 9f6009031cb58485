//! What the editor offers where: the keys of each block, the words a value
//! may be, and which program's flag table a `flags { }` / `settings { }`
//! block is checked against.
//!
//! The keys come from the checker's own key schema ([`crate::schema::keys`]),
//! placement included, so the editor offers exactly what the checker accepts
//! where the cursor is: inside a host or a template, the keys that may only
//! be written cluster-wide are not offered.

use crate::model::Role;
use crate::resolve::canonical_section;
use crate::schema::Program;
pub use crate::schema::keys::BUILT_IN_UNITS;
use crate::schema::keys::{self, Block, Kind};
pub use crate::syntax::ITEM_KEYWORDS;

/// Blocks allowed at top level, in hosts and in templates (with aliases).
pub const SECTION_NAMES: &[&str] = &[
    "zookeeper",
    "leader",
    "follower",
    "marathon",
    "auth",
    "owca",
    "etcd",
    "fleet",
    "update",
    "master",
    "agent",
];

/// Role names accepted in `roles = [ … ]`.
pub const ROLES: &[&str] = &["zookeeper", "leader", "follower", "marathon"];

/// The keys of a block, given the path of block keys from the item body
/// down (`["leader"]`, `["follower", "advertise"]`) and what kind of item
/// holds it.
pub fn block_keys(item: ItemKind, path: &[String]) -> Vec<&'static str> {
    let Some(block) = block_at(item, path) else {
        return Vec::new();
    };
    let per_host = item == ItemKind::Host;
    keys::of(block)
        .filter(|k| !per_host || k.places.per_host())
        .map(|k| k.name)
        .collect()
}

/// The schema's entry for `key` in the block at the end of `path`.
pub fn schema_key(item: ItemKind, path: &[String], key: &str) -> Option<&'static keys::Key> {
    keys::get(block_at(item, path)?, key)
}

/// A key's schema entry as markdown: its doc, value, where it may be
/// written, when it takes effect and its default (the reference's row).
pub fn key_doc(key: &keys::Key) -> String {
    let mut s = format!(
        "**`{}`** ({} block): {}\n\n- value: {}\n- written: {}\n- takes effect: {}\n",
        key.name,
        key.block.name(),
        key.doc,
        key.kind.describe().replace("\\|", "|"),
        key.places.describe(),
        key.applies.describe()
    );
    if let Some(d) = key.default {
        s.push_str(&format!("- default: {d}\n"));
    }
    s
}

/// The schema block at the end of `path` in an item of kind `item`.
fn block_at(item: ItemKind, path: &[String]) -> Option<Block> {
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    Some(match (item, path.as_slice()) {
        (ItemKind::Cluster, []) => Block::Cluster,
        (ItemKind::Service, []) => Block::Service,
        (ItemKind::Host, []) => Block::Host,
        (ItemKind::Host, ["fleet"]) => Block::Fleet,
        (ItemKind::Section | ItemKind::Host, [section]) => section_block(section)?,
        (ItemKind::Section, ["auth", "credential"]) => Block::Credential,
        (_, [.., "advertise"]) => Block::Advertise,
        (_, [.., "tls"]) => Block::Tls,
        _ => return None,
    })
}

/// The block of a top-level section name (aliases included).
fn section_block(section: &str) -> Option<Block> {
    match canonical_section(section)? {
        "auth" => Some(Block::Auth),
        "owca" => Some(Block::Owca),
        "etcd" => Some(Block::Etcd),
        "fleet" => Some(Block::Fleet),
        "update" => Some(Block::Update),
        name => Role::from_name(name).map(Block::of_role),
    }
}

/// The keys of a service block (or of `auth` / `owca`), cluster-wide.
pub fn section_keys(section: &str) -> Vec<&'static str> {
    section_block(section).map(keys::names).unwrap_or_default()
}

/// What kind of item a block belongs to, for [`block_keys`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// `cluster "name" { }`
    Cluster,
    /// A host or a template (a host body).
    Host,
    /// A top-level block (`leader { }`): its name is the first path element.
    Section,
    /// `service "name" { }`
    Service,
}

/// The program whose flag table checks the block at the end of `path`:
/// `flags` inside `leader`/`master` is mesos-master, inside
/// `follower`/`agent` mesos-agent, inside `marathon` Marathon, and
/// `settings` inside `zookeeper` is ZooKeeper.
pub fn flag_program(path: &[String]) -> Option<Program> {
    let [.., parent, block] = path else {
        return None;
    };
    match (canonical_section(parent)?, block.as_str()) {
        ("leader", "flags") => Some(Program::Master),
        ("follower", "flags") => Some(Program::Agent),
        ("marathon", "flags") => Some(Program::Marathon),
        ("zookeeper", "settings") => Some(Program::ZooKeeper),
        _ => None,
    }
}

/// The words a key's value may be, where they are a small fixed set (from
/// the key schema).
pub fn enum_values(key: &str) -> &'static [&'static str] {
    if key == "roles" {
        return ROLES;
    }
    keys::all()
        .filter(|k| k.name == key)
        .find_map(|k| match k.kind {
            Kind::Word(words) | Kind::Words(words) if !words.is_empty() => Some(words),
            Kind::Bool => Some(&["true", "false"][..]),
            Kind::AutoInt => Some(&["auto"][..]),
            _ => None,
        })
        .unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_blocks_pick_their_program() {
        let path = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            flag_program(&path(&["master", "flags"])),
            Some(Program::Master)
        );
        assert_eq!(
            flag_program(&path(&["agent", "flags"])),
            Some(Program::Agent)
        );
        assert_eq!(
            flag_program(&path(&["zookeeper", "settings"])),
            Some(Program::ZooKeeper)
        );
        assert_eq!(flag_program(&path(&["zookeeper", "flags"])), None);
        assert!(block_keys(ItemKind::Section, &path(&["leader"])).contains(&"quorum"));
        assert!(!block_keys(ItemKind::Host, &path(&["leader"])).contains(&"quorum"));
    }

    /// Completion and the checker agree on placement at every layer: each key
    /// of a role's block offered inside a host or template is accepted there,
    /// and each key the schema has but does not offer there is refused as
    /// `misplaced_key`; cluster-wide, every key is offered.
    #[test]
    fn completion_follows_the_placement_rules_at_every_layer() {
        let path = |p: &str| vec![p.to_string()];
        for role in Role::ALL {
            let block = Block::of_role(role);
            let all = keys::names(block);
            assert_eq!(block_keys(ItemKind::Section, &path(role.name())), all);
            {
                let offered = block_keys(ItemKind::Host, &path(role.name()));
                for key in &all {
                    let value = match keys::get(block, key).map(|k| k.kind) {
                        Some(Kind::Block(_) | Kind::Open(_)) => "{ }",
                        Some(Kind::Path) => "= \"/x\"",
                        Some(Kind::Strings) => "= [\"zk1:2181\"]",
                        Some(Kind::Str) => "= \"x\"",
                        _ => "= 7",
                    };
                    let text = format!(
                        "cluster \"c\" {{ mesos = \"1.11.0\" }}\n\
                         host \"h\" uses t {{ address = \"10.0.0.1\" }}\n\
                         template t {{\n  roles = [zookeeper, leader, follower, marathon]\n  \
                         {} {{ {key} {value} }}\n}}\n",
                        role.name()
                    );
                    let checked = crate::compile::check_text(&text);
                    let misplaced = checked.diagnostics.iter().any(|d| {
                        miette::Diagnostic::code(d)
                            .is_some_and(|c| c.to_string() == "mcl::check::misplaced_key")
                    });
                    assert_eq!(misplaced, !offered.contains(key), "{text}");
                }
            }
        }
    }

    /// Writes `block { key = … }` for every key offered, plus one unknown
    /// key, so the checker must report exactly one unknown key per block.
    fn body(keys: &[&str]) -> String {
        let mut out = String::new();
        for k in keys {
            let value = match *k {
                "advertise" | "fleet" | "flags" | "settings" | "resources" | "attributes"
                | "metadata" => "{ }",
                "credential" => "\"p\" { secret = file(\"/etc/s\") }",
                "profiles" => "= [owca]",
                "roles" => "= [zookeeper, leader, follower, marathon]",
                "address" | "ip" => "= \"10.0.0.1\"",
                "mesos" => "= \"1.11.0\"",
                "marathon" | "zookeeper" | "environment" | "outputs" | "runtime"
                | "cloud_config"
                    if keys.contains(&"mesos") =>
                {
                    "= auto"
                }
                "follower_secret" => "= file(\"/etc/s\")",
                _ => "= 1",
            };
            let sep = if value.starts_with('=') || value.starts_with('{') {
                ""
            } else {
                " "
            };
            out.push_str(&format!("  {k}{sep} {value}\n"));
        }
        out + "  zzz_unknown = 1\n"
    }

    #[test]
    fn the_checker_accepts_every_key_offered() {
        let service_block = |name: &str| {
            let mut keys = section_keys(name);
            keys.retain(|k| *k != "advertise");
            format!(
                "{name} {{\n{}  advertise {{\n{}  }}\n}}\n",
                body(&keys),
                body(&block_keys(
                    ItemKind::Host,
                    &["x".into(), "advertise".into()]
                ))
            )
        };
        let mut host_keys = keys::names(Block::Host);
        host_keys.retain(|k| !SECTION_NAMES.contains(k) && *k != "fleet");
        let text = format!(
            "cluster \"c\" {{\n{}}}\nhost \"h\" {{\n{}  fleet {{\n{}  }}\n}}\n{}{}{}{}{}{}service \"s\" {{\n{}}}\n",
            body(&keys::names(Block::Cluster)),
            body(&host_keys),
            body(&block_keys(ItemKind::Host, &["fleet".into()])),
            service_block("leader"),
            service_block("follower"),
            service_block("marathon"),
            service_block("zookeeper"),
            format_args!("owca {{\n{}}}\n", body(&section_keys("owca"))),
            format_args!("auth {{\n{}}}\n", body(&keys::names(Block::Auth))),
            body(&keys::names(Block::Service)),
        );
        let checked = crate::compile::check_text(&text);
        let unknown: Vec<String> = checked
            .diagnostics
            .iter()
            .filter(|d| {
                use miette::Diagnostic;
                d.code()
                    .is_some_and(|c| c.to_string() == "mcl::check::unknown_key")
            })
            .map(|d| d.to_string())
            .collect();
        assert!(
            unknown.iter().all(|m| m.contains("zzz_unknown")),
            "{unknown:#?}\n{text}"
        );
        assert_eq!(unknown.len(), 14, "{unknown:#?}\n{text}");
    }
}
