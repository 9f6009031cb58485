//! What the editor offers where: the keys of each block, the words a value
//! may be, and which program's flag table a `flags { }` / `settings { }`
//! block is checked against.
//!
//! The key lists are the checker's own (`check::keys`), so the editor offers
//! exactly what the checker accepts.

use crate::model::Role;
use crate::resolve::canonical_section;
use crate::schema::Program;
use crate::schema::keys::{self, role_keys};
pub use crate::schema::keys::{
    AUTH_KEYS, BUILT_IN_UNITS, CLUSTER_KEYS, COMMON_KEYS, HOST_KEYS, SERVICE_KEYS,
};
pub use crate::syntax::ITEM_KEYWORDS;

/// Blocks allowed at top level, in hosts and in templates (with aliases).
pub const SECTION_NAMES: &[&str] = &[
    "zookeeper",
    "leader",
    "follower",
    "marathon",
    "auth",
    "owca",
    "master",
    "agent",
];

/// Role names accepted in `roles = [ … ]`.
pub const ROLES: &[&str] = &["zookeeper", "leader", "follower", "marathon"];

/// The keys of a block, given the path of block keys from the item body
/// down (`["leader"]`, `["follower", "advertise"]`) and what kind of item
/// holds it.
pub fn block_keys(item: ItemKind, path: &[String]) -> Vec<&'static str> {
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    match (item, path.as_slice()) {
        (ItemKind::Cluster, []) => CLUSTER_KEYS.to_vec(),
        (ItemKind::Service, []) => SERVICE_KEYS.to_vec(),
        (ItemKind::Host, []) => HOST_KEYS.to_vec(),
        (ItemKind::Host, ["fleet"]) => keys::FLEET_KEYS.to_vec(),
        (ItemKind::Section | ItemKind::Host, [section]) => section_keys(section),
        (ItemKind::Section, ["auth", "credential"]) => keys::CREDENTIAL_KEYS.to_vec(),
        (_, [.., "advertise"]) => keys::ADVERTISE_KEYS.to_vec(),
        _ => Vec::new(),
    }
}

/// The keys of a service block (or of `auth` / `owca`).
pub fn section_keys(section: &str) -> Vec<&'static str> {
    let own: &[&str] = match canonical_section(section) {
        Some("auth") => return AUTH_KEYS.to_vec(),
        Some("owca") => return keys::OWCA_KEYS.to_vec(),
        Some(name) => match Role::from_name(name) {
            Some(role) => role_keys(role),
            None => return Vec::new(),
        },
        None => return Vec::new(),
    };
    COMMON_KEYS.iter().chain(own).copied().collect()
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

/// The words a key's value may be, where they are a small fixed set.
pub fn enum_values(key: &str) -> &'static [&'static str] {
    match key {
        "runtime" => &["native", "docker"],
        "outputs" => &["systemd", "fleet", "cloud-config"],
        "network" => &["host", "bridge"],
        "roles" => ROLES,
        "profiles" => &["owca"],
        "quorum" => &["auto"],
        "frameworks" | "followers" | "ssl_verify" => &["true", "false"],
        _ => &[],
    }
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
        assert!(block_keys(ItemKind::Host, &path(&["leader"])).contains(&"quorum"));
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
        let mut host_keys = HOST_KEYS.to_vec();
        host_keys.retain(|k| !SECTION_NAMES.contains(k) && *k != "fleet");
        let text = format!(
            "cluster \"c\" {{\n{}}}\nhost \"h\" {{\n{}  fleet {{\n{}  }}\n}}\n{}{}{}{}{}{}service \"s\" {{\n{}}}\n",
            body(CLUSTER_KEYS),
            body(&host_keys),
            body(&block_keys(ItemKind::Host, &["fleet".into()])),
            service_block("leader"),
            service_block("follower"),
            service_block("marathon"),
            service_block("zookeeper"),
            format_args!("owca {{\n{}}}\n", body(&section_keys("owca"))),
            format_args!("auth {{\n{}}}\n", body(AUTH_KEYS)),
            body(SERVICE_KEYS),
        );
        let mut files = crate::files::MemoryFiles::new();
        files.insert("/k.mcl", text.clone());
        let checked = crate::compile::check_path(
            std::path::Path::new("/k.mcl"),
            &files,
            &|_| None,
            &crate::compile::Options::default(),
        )
        .expect("checked");
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
