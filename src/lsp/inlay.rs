//! `textDocument/inlayHint`: values mesosc derives, shown where the user
//! wrote what they derive from: `quorum = auto` → the number, each
//! ZooKeeper host's `myid` after its name (all of a loop's, at the loop's
//! name), the `zk://` URLs after the `zookeeper` and `marathon`
//! blocks' names, and the TCP ports a host listens on (from the one list of
//! listeners, defaults and derived ports included) after its `roles`. Hints need the checked model, so a file with errors gets
//! none.

use std::collections::BTreeMap;

use crate::model::Cluster;
use crate::span::Span;
use crate::syntax::ast::{self, EntryValue, ExprKind, Item};

/// One hint: shown at a global offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// Where (global offset; the hint follows the text there).
    pub at: u32,
    /// What it says.
    pub label: String,
}

/// The hints for one parsed file of the check that built `model`.
pub fn hints(model: &Cluster, file: &ast::File) -> Vec<Hint> {
    let mut out = myids(model);
    let quorum = model
        .hosts
        .iter()
        .find_map(|h| h.leader.as_ref()?.flags.get("quorum"))
        .map(|s| s.value.clone());
    let mut walk = Walk {
        quorum,
        model,
        out: &mut out,
    };
    walk.items(&file.items);
    out.sort_by_key(|h| h.at);
    out
}

/// `myid N` after each ZooKeeper host's name (a loop's names share one).
fn myids(model: &Cluster) -> Vec<Hint> {
    let mut by_span: BTreeMap<Span, Vec<u32>> = BTreeMap::new();
    for h in &model.hosts {
        if let Some(zk) = &h.zookeeper
            && !h.span.is_detached()
        {
            by_span.entry(h.span).or_default().push(zk.id);
        }
    }
    by_span
        .into_iter()
        .map(|(span, ids)| {
            let ids: Vec<String> = ids.iter().map(u32::to_string).collect();
            Hint {
                at: span.end,
                label: format!("myid {}", ids.join(", ")),
            }
        })
        .collect()
}

struct Walk<'a> {
    quorum: Option<String>,
    model: &'a Cluster,
    out: &'a mut Vec<Hint>,
}

impl Walk<'_> {
    fn items(&mut self, items: &[Item]) {
        for item in items {
            match item {
                Item::Section(s) => {
                    let url = match s.name.name.as_str() {
                        "zookeeper" => Some(&self.model.mesos_zk),
                        "marathon" => Some(&self.model.marathon_zk),
                        _ => None,
                    };
                    if let Some(url) = url {
                        self.out.push(Hint {
                            at: s.name.span.end,
                            label: url.clone(),
                        });
                    }
                    self.block(&s.body);
                }
                Item::Host(h) => {
                    self.ports(h);
                    self.block(&h.body);
                }
                Item::Template(t) => self.block(&t.body),
                Item::For(f) => self.items(&f.items),
                Item::Environment(e) => self.items(&e.items),
                _ => {}
            }
        }
    }

    /// `ports 2181, 2888, 3888, 5050` after a host's `roles` (a loop's
    /// hosts: once, when they all listen on the same ports).
    fn ports(&mut self, h: &ast::Host) {
        let Some(roles) = h.body.entries.iter().find(|e| e.key.name == "roles") else {
            return;
        };
        let EntryValue::Assign(value) = &roles.value else {
            return;
        };
        let mut labels: Vec<String> = (self.model.hosts.iter())
            .filter(|host| {
                !host.span.is_detached()
                    && h.span.start <= host.span.start
                    && host.span.end <= h.span.end
            })
            .map(|host| {
                let ports: Vec<String> = (self.model.listeners(host).iter())
                    .map(|l| l.ports())
                    .collect();
                format!("ports {}", ports.join(", "))
            })
            .filter(|l| l != "ports ")
            .collect();
        labels.dedup();
        if let [label] = labels.as_slice() {
            self.out.push(Hint {
                at: value.span.end,
                label: label.clone(),
            });
        }
    }

    fn block(&mut self, b: &ast::Block) {
        for e in &b.entries {
            match &e.value {
                EntryValue::Assign(v) if e.key.name == "quorum" && v.kind == ExprKind::Auto => {
                    if let Some(q) = &self.quorum {
                        self.out.push(Hint {
                            at: v.span.end,
                            label: format!("= {q}"),
                        });
                    }
                }
                EntryValue::Block(inner) => self.block(inner),
                _ => {}
            }
        }
    }
}
