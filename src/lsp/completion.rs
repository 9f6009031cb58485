//! `textDocument/completion`: item keywords at top level, the keys of the
//! enclosing block, flag names inside `flags { }` / `settings { }`, and
//! values — roles, enum words, host, template, service and environment
//! names — from the lexical [`scan`](super::scan) and the latest check.
//!
//! Flags are offered when the declared version of their product has them:
//! removed and not-yet-released ones are left out, old aliases and
//! deprecated ones are tagged deprecated. Flags that mesosc derives itself
//! (`work_dir`, `port`, `zk`, `quorum`, …) are left out too: setting them in
//! `flags { }` is an error whose help points at the MCL setting to use.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionItemTag, CompletionTextEdit, Documentation,
    MarkupContent, MarkupKind, Range, TextEdit,
};

use crate::compile::Checked;
use crate::resolve::Resolved;
use crate::resolve::value::Value;
use crate::schema::{self, Availability, Flag, FlagType, Program, Status, Version};

use super::keys::{self, ItemKind};
use super::scan::{Frame, Slot, scan};

/// Where the cursor is, structurally.
#[derive(Debug, Default)]
struct Place {
    kind: Option<ItemKind>,
    path: Vec<String>,
}

/// The completions at byte offset `cursor` of `text`, each replacing the
/// word being typed (`range` is computed by the caller from the returned
/// start offset).
pub fn complete(text: &str, cursor: usize, checked: Option<&Checked>) -> (usize, Vec<Candidate>) {
    let s = scan(text, cursor);
    let place = place(&s.frames);
    let resolved = checked.and_then(|c| c.resolved.as_ref());
    let mut items = match &s.slot {
        Slot::Text => Vec::new(),
        Slot::Uses => names(resolved, Names::Templates),
        Slot::Value(key) => values(&place, key, resolved),
        Slot::Key => keys_at(&place, resolved),
    };
    if let Some(r) = resolved
        && keys::flag_program(&place.path).is_none()
    {
        in_users_words(&mut items, &r.words);
    }
    (s.word_start, items)
}

/// Offers roles in the words the file uses (`agent`, not `follower`, in a
/// file that writes `agent`), as its diagnostics do. Host, template and
/// other names are the user's own and stay as they are.
fn in_users_words(items: &mut [Candidate], words: &crate::resolve::Words) {
    let role_like = [
        CompletionItemKind::KEYWORD,
        CompletionItemKind::PROPERTY,
        CompletionItemKind::ENUM_MEMBER,
    ];
    for c in items.iter_mut().filter(|c| role_like.contains(&c.kind)) {
        let canonical = crate::resolve::ALIASES
            .iter()
            .find(|(_, canonical)| *canonical == c.label)
            .map(|(_, canonical)| *canonical);
        if let Some(canonical) = canonical {
            c.label = words.word(canonical).to_owned();
        }
    }
}

/// One completion before it gets its text edit.
#[derive(Debug, Clone)]
pub struct Candidate {
    label: String,
    kind: CompletionItemKind,
    detail: Option<String>,
    doc: Option<String>,
    deprecated: bool,
}

impl Candidate {
    fn new(label: impl Into<String>, kind: CompletionItemKind) -> Candidate {
        Candidate {
            label: label.into(),
            kind,
            detail: None,
            doc: None,
            deprecated: false,
        }
    }

    /// The protocol's item, replacing `range` with the label.
    pub fn into_item(self, range: Range) -> CompletionItem {
        CompletionItem {
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                range,
                self.label.clone(),
            ))),
            label: self.label,
            kind: Some(self.kind),
            detail: self.detail,
            documentation: self.doc.map(|value| {
                Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value,
                })
            }),
            tags: self.deprecated.then(|| vec![CompletionItemTag::DEPRECATED]),
            ..CompletionItem::default()
        }
    }
}

fn place(frames: &[Frame]) -> Place {
    let mut p = Place::default();
    for f in frames {
        match f {
            Frame::Items => p = Place::default(),
            Frame::Item(w) => {
                p.path.clear();
                p.kind = Some(match *w {
                    "cluster" => ItemKind::Cluster,
                    "service" => ItemKind::Service,
                    _ => ItemKind::Host,
                });
            }
            Frame::Key(k) => {
                if p.kind.is_none() {
                    p.kind = Some(ItemKind::Section);
                }
                p.path.push(k.clone());
            }
            Frame::List(_) => {}
            Frame::Other => p.path.push(String::new()),
        }
    }
    p
}

fn keys_at(place: &Place, resolved: Option<&Resolved>) -> Vec<Candidate> {
    let Some(kind) = place.kind else {
        let words = keys::ITEM_KEYWORDS.iter().chain(keys::SECTION_NAMES);
        return words
            .map(|w| Candidate::new(*w, CompletionItemKind::KEYWORD))
            .collect();
    };
    if let Some(program) = keys::flag_program(&place.path) {
        return flag_names(program, resolved);
    }
    let mut list = keys::block_keys(kind, &place.path);
    if let [.., section, last] = place.path.as_slice()
        && last == "resources"
        && keys::section_keys(section).contains(&"resources")
    {
        list = schema::KNOWN_RESOURCE_NAMES.to_vec();
    }
    list.into_iter()
        .map(|k| Candidate::new(k, CompletionItemKind::PROPERTY))
        .collect()
}

/// The flags of `program` that the declared version accepts.
fn flag_names(program: Program, resolved: Option<&Resolved>) -> Vec<Candidate> {
    let target = resolved.and_then(|r| declared_version(r, program));
    schema::table(program)
        .iter()
        .filter(|f| !f.name.ends_with(".N") && schema::derived(program, f.name).is_none())
        .filter_map(|f| {
            let deprecated = match &target {
                Some(v) => match f.check_version(v) {
                    Availability::NotYet { .. } | Availability::Removed { .. } => return None,
                    a => a.is_warning(),
                },
                None if matches!(f.status, Status::Removed { .. }) => return None,
                None => matches!(f.status, Status::AliasOf(_) | Status::Deprecated { .. }),
            };
            let mut c = Candidate::new(f.name, CompletionItemKind::FIELD);
            c.detail = Some(format!("{} · {}", program.name(), f.ty));
            c.doc = Some(f.summary.to_string());
            c.deprecated = deprecated;
            Some(c)
        })
        .collect()
}

/// The version the cluster declares for a program's product, if it parses.
pub fn declared_version(resolved: &Resolved, program: Program) -> Option<Version> {
    let key = match program {
        Program::Master | Program::Agent => "mesos",
        Program::Marathon => "marathon",
        Program::ZooKeeper => "zookeeper",
    };
    let body = &resolved.cluster.as_ref()?.body;
    match &body.value(key)?.value {
        Value::Str(s) => Version::parse(s).ok(),
        _ => None,
    }
}

fn values(place: &Place, key: &str, resolved: Option<&Resolved>) -> Vec<Candidate> {
    if let Some(program) = keys::flag_program(&place.path) {
        return schema::table(program)
            .get(key)
            .map(flag_values)
            .unwrap_or_default();
    }
    let mut out: Vec<Candidate> = keys::enum_values(key)
        .iter()
        .map(|w| Candidate::new(*w, CompletionItemKind::ENUM_MEMBER))
        .collect();
    match (place.kind, key) {
        (Some(ItemKind::Service), "on") => {
            out.extend(
                keys::ROLES
                    .iter()
                    .map(|w| Candidate::new(*w, CompletionItemKind::ENUM_MEMBER)),
            );
            out.extend(names(resolved, Names::Hosts));
        }
        (Some(ItemKind::Service), "after") => {
            let units = keys::BUILT_IN_UNITS.iter();
            out.extend(units.map(|w| Candidate::new(*w, CompletionItemKind::MODULE)));
            out.extend(names(resolved, Names::Services));
        }
        (Some(ItemKind::Cluster), "environment") | (Some(ItemKind::Service), "environments") => {
            out.extend(names(resolved, Names::Environments));
        }
        _ => {}
    }
    out
}

/// The words a flag's value may be, for enum and boolean flags.
fn flag_values(flag: &Flag) -> Vec<Candidate> {
    let words: Vec<&str> = match &flag.ty {
        FlagType::Enum(w) | FlagType::ListEnum(w) => w.clone(),
        FlagType::Bool => vec!["true", "false"],
        _ => Vec::new(),
    };
    words
        .into_iter()
        .filter(|w| !w.is_empty())
        .map(|w| Candidate::new(format!("\"{w}\""), CompletionItemKind::ENUM_MEMBER))
        .collect()
}

#[derive(Clone, Copy)]
enum Names {
    Hosts,
    Templates,
    Services,
    Environments,
}

/// Names declared in the cluster (through every import).
fn names(resolved: Option<&Resolved>, which: Names) -> Vec<Candidate> {
    let Some(r) = resolved else {
        return Vec::new();
    };
    let (list, kind): (Vec<&str>, _) = match which {
        Names::Hosts => (
            r.hosts.iter().map(|h| h.name.node.as_str()).collect(),
            CompletionItemKind::VALUE,
        ),
        Names::Templates => (
            r.templates.keys().map(String::as_str).collect(),
            CompletionItemKind::CLASS,
        ),
        Names::Services => (
            r.services.iter().map(|s| s.name.node.as_str()).collect(),
            CompletionItemKind::MODULE,
        ),
        Names::Environments => (
            r.environments.iter().map(|e| e.node.as_str()).collect(),
            CompletionItemKind::VALUE,
        ),
    };
    let mut seen = std::collections::BTreeSet::new();
    list.into_iter()
        .filter(|n| seen.insert(*n))
        .map(|n| Candidate::new(quote_if_needed(n), kind))
        .collect()
}

/// A name as a value: bare when it is a word, quoted otherwise.
fn quote_if_needed(name: &str) -> String {
    let word = name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if word {
        name.to_string()
    } else {
        format!("\"{name}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str) -> Vec<Candidate> {
        complete(text, text.len(), None).1
    }

    #[test]
    fn flags_are_offered_by_program_with_deprecations_marked() {
        let offered = labels("leader {\n  flags {\n    sla");
        let old = offered.iter().find(|c| c.label == "slave_ping_timeout");
        assert!(old.is_some_and(|c| c.deprecated), "an old alias, marked");
        let new = offered.iter().find(|c| c.label == "agent_ping_timeout");
        assert!(new.is_some_and(|c| !c.deprecated));
        let derived = [
            "work_dir",
            "zk",
            "authenticate_agents",
            "authenticate_slaves",
        ];
        assert!(offered.iter().all(|c| !derived.contains(&c.label.as_str())));
        let agent = labels("host \"a\" { agent { flags { ");
        assert!(agent.iter().any(|c| c.label == "gc_delay"), "agent flags");
        assert!(
            agent
                .iter()
                .all(|c| c.label != "offer_timeout" && c.label != "work_dir")
        );
        let zk = labels("zookeeper { settings { ");
        assert!(zk.iter().any(|c| c.label == "tickTime"));
        assert!(zk.iter().all(|c| !c.label.ends_with(".N")));
    }

    /// The completions at the end of `text` after checking `checked`.
    fn after_check(checked: &str, text: &str) -> Vec<String> {
        let checked = crate::compile::check_text(checked);
        let items = complete(text, text.len(), Some(&checked)).1;
        items.into_iter().map(|c| c.label).collect()
    }

    #[test]
    fn roles_are_offered_in_the_words_the_file_uses() {
        let aliased = "cluster \"c\" { mesos = \"1.11.0\" }\nhost \"a\" {\n  address = 10.0.0.1\n  roles = [zookeeper, master, agent]\n}\n";
        let roles = after_check(aliased, "host \"b\" { roles = [");
        assert_eq!(roles, ["zookeeper", "master", "agent", "marathon"]);
        let keys = after_check(aliased, "host \"b\" { ");
        assert!(keys.iter().any(|k| k == "agent"), "{keys:?}");
        assert!(!keys.iter().any(|k| k == "follower"), "{keys:?}");
        let top = after_check(aliased, "");
        assert!(top.iter().any(|k| k == "master") && !top.iter().any(|k| k == "leader"));
        // A file in the canonical words keeps them; flags are never renamed.
        let canonical = aliased
            .replace("master", "leader")
            .replace("agent", "follower");
        let roles = after_check(&canonical, "host \"b\" { roles = [");
        assert_eq!(roles, ["zookeeper", "leader", "follower", "marathon"]);
        let flags = after_check(aliased, "leader { flags { logging_level = ");
        assert!(flags.contains(&"\"INFO\"".to_string()), "{flags:?}");
    }

    #[test]
    fn values_and_keywords() {
        let words = |t: &str| labels(t).into_iter().map(|c| c.label).collect::<Vec<_>>();
        assert_eq!(words("cluster \"c\" { runtime = "), ["native", "docker"]);
        assert!(words("").contains(&"host".to_string()));
        assert!(words("leader { flags { logging_level = ").contains(&"\"INFO\"".to_string()));
        assert_eq!(
            words("host \"a\" { roles = [leader, "),
            ["zookeeper", "leader", "follower", "marathon"]
        );
        assert!(words("host \"a\" { follower { resources { ").contains(&"cpus".to_string()));
        assert!(words("x = \"unterminated { ").is_empty());
    }
}
