//! The graph for people at scale: the ZooKeeper ensemble as one node, and
//! the services of hosts of one kind (the same services in the same waves:
//! twelve identical agents) as one node each, placed in columns by wave.
//! [`Plan::dot`] and [`Plan::mermaid`] keep the per-service graph.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use petgraph::graph::NodeIndex;

use super::{Dep, Plan, mermaid_text, push_dot_id};

/// The unit the ensemble runs, grouped whatever its hosts also run.
const ZOOKEEPER_UNIT: &str = "zookeeper.service";

/// What makes services one group: their wave, their unit, and the kind of
/// their hosts (each unit of the host with its wave; empty for ZooKeeper).
type GroupKey<'a> = (usize, &'a str, Vec<(usize, &'a str)>);

/// Services of several hosts shown as one node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The unit they run.
    pub unit: String,
    /// Their hosts, in node order (natural order of names).
    pub hosts: Vec<String>,
    /// Their wave, from 0.
    pub wave: usize,
}

impl Group {
    /// `agent-1 … agent-12 (12 hosts)`, or the one host's name.
    pub fn hosts_label(&self) -> String {
        match self.hosts.len() {
            1 => self.hosts[0].clone(),
            n => format!("{} ({n} hosts)", host_list(&self.hosts)),
        }
    }
}

/// The grouped graph: groups in wave order, and edges between them (solid
/// when any edge between their members is a role's).
#[derive(Clone, Debug, Default)]
pub struct Grouped {
    /// The nodes.
    pub groups: Vec<Group>,
    /// `(from, to, solid)` by index in `groups`, sorted.
    pub edges: Vec<(usize, usize, bool)>,
}

impl Plan {
    /// The wave of every node, by index.
    fn wave_of(&self) -> Vec<usize> {
        let mut wave = vec![0; self.graph.node_count()];
        for (i, nodes) in self.waves.iter().enumerate() {
            for n in nodes {
                if let Some(ix) = self.nodes.get(n) {
                    wave[ix.index()] = i;
                }
            }
        }
        wave
    }

    /// Groups the nodes: the ZooKeeper units of one wave are one group; any
    /// other unit is grouped over the hosts that run the same units in the
    /// same waves.
    pub fn grouped(&self) -> Grouped {
        let wave = self.wave_of();
        // A host's kind: its units with their waves, in node order.
        let mut kinds: BTreeMap<&str, Vec<(usize, &str)>> = BTreeMap::new();
        for n in self.graph.node_indices() {
            let node = &self.graph[n];
            kinds
                .entry(&node.host)
                .or_default()
                .push((wave[n.index()], &node.unit));
        }
        let mut index: BTreeMap<GroupKey<'_>, usize> = BTreeMap::new();
        let mut group_of = vec![0; self.graph.node_count()];
        let mut groups: Vec<Group> = Vec::new();
        let mut order: Vec<NodeIndex> = self.graph.node_indices().collect();
        order.sort_by_key(|n| (wave[n.index()], n.index()));
        for n in order {
            let node = &self.graph[n];
            let kind = if node.unit == ZOOKEEPER_UNIT {
                Vec::new()
            } else {
                kinds.get(node.host.as_str()).cloned().unwrap_or_default()
            };
            let key = (wave[n.index()], node.unit.as_str(), kind);
            let g = *index.entry(key).or_insert_with(|| {
                groups.push(Group {
                    unit: node.unit.clone(),
                    hosts: Vec::new(),
                    wave: wave[n.index()],
                });
                groups.len() - 1
            });
            groups[g].hosts.push(node.host.clone());
            group_of[n.index()] = g;
        }
        let mut edges: BTreeMap<(usize, usize), bool> = BTreeMap::new();
        for e in self.graph.edge_indices() {
            let Some((a, b)) = self.graph.edge_endpoints(e) else {
                continue;
            };
            let key = (group_of[a.index()], group_of[b.index()]);
            let solid = self.graph[e] == Dep::Role;
            *edges.entry(key).or_insert(solid) |= solid;
        }
        Grouped {
            groups,
            edges: edges.into_iter().map(|((a, b), s)| (a, b, s)).collect(),
        }
    }

    /// The grouped graph ([`Plan::grouped`]) for Graphviz: one column
    /// (a cluster ranked together) per wave.
    pub fn grouped_dot(&self) -> String {
        let g = self.grouped();
        let mut out = String::from("digraph ");
        push_dot_id(&mut out, &[&self.cluster]);
        out.push_str(" {\n  rankdir=LR;\n  node [shape=box];\n");
        for (w, _) in self.waves.iter().enumerate() {
            let _ = write!(
                out,
                "  subgraph \"cluster_wave_{}\" {{\n    label=\"wave {}\";\n    rank=same;\n",
                w + 1,
                w + 1
            );
            for (i, group) in g.groups.iter().enumerate().filter(|(_, x)| x.wave == w) {
                let _ = write!(out, "    \"g{i}\" [label=");
                push_dot_label(&mut out, &[&group.unit, &group.hosts_label()]);
                out.push_str("];\n");
            }
            out.push_str("  }\n");
        }
        for (a, b, solid) in &g.edges {
            let style = if *solid { "" } else { " [style=dashed]" };
            let _ = writeln!(out, "  \"g{a}\" -> \"g{b}\"{style};");
        }
        out.push_str("}\n");
        out
    }

    /// The grouped graph as a Mermaid flowchart: one subgraph per wave.
    pub fn grouped_mermaid(&self) -> String {
        let g = self.grouped();
        let mut out = String::from("flowchart LR\n");
        for (w, _) in self.waves.iter().enumerate() {
            let _ = writeln!(out, "  subgraph w{} [\"wave {}\"]", w + 1, w + 1);
            for (i, group) in g.groups.iter().enumerate().filter(|(_, x)| x.wave == w) {
                let label = format!("{}<br/>{}", group.unit, group.hosts_label());
                let _ = writeln!(out, "    g{i}[{}]", mermaid_text(&label));
            }
            out.push_str("  end\n");
        }
        for (a, b, solid) in &g.edges {
            let arrow = if *solid { "-->" } else { "-.->" };
            let _ = writeln!(out, "  g{a} {arrow} g{b}");
        }
        out
    }
}

/// A DOT quoted label of lines (each escaped, joined by `\n`).
fn push_dot_label(out: &mut String, lines: &[&str]) {
    let mut quoted = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            quoted.push_str("\\n");
        }
        let mut one = String::new();
        push_dot_id(&mut one, &[line]);
        quoted.push_str(&one[1..one.len() - 1]);
    }
    out.push('"');
    out.push_str(&quoted);
    out.push('"');
}

/// Host names with runs shortened: `agent-1 … agent-12` for three or more
/// names that differ only in a number counting up by one (same prefix, same
/// width when zero-padded), the others listed, all `, `-separated.
pub fn host_list(hosts: &[String]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < hosts.len() {
        let mut j = i;
        while j + 1 < hosts.len() && follows(&hosts[j], &hosts[j + 1]) {
            j += 1;
        }
        match j - i {
            0 => parts.push(hosts[i].clone()),
            1 => parts.extend([hosts[i].clone(), hosts[j].clone()]),
            _ => parts.push(format!("{} … {}", hosts[i], hosts[j])),
        }
        i = j + 1;
    }
    parts.join(", ")
}

/// Whether `b` is `a` with its trailing number plus one.
fn follows(a: &str, b: &str) -> bool {
    let split = |s: &str| {
        let digits = s.len() - s.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let (prefix, number) = s.split_at(s.len() - digits);
        (prefix.to_owned(), number.to_owned())
    };
    let ((pa, na), (pb, nb)) = (split(a), split(b));
    if pa != pb || na.is_empty() || nb.is_empty() {
        return false;
    }
    let padded = na.starts_with('0') || nb.starts_with('0');
    if padded && na.len() != nb.len() {
        return false;
    }
    match (na.parse::<u64>(), nb.parse::<u64>()) {
        (Ok(x), Ok(y)) => x.checked_add(1) == Some(y),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_ensemble_and_hosts_of_one_kind_are_single_nodes() {
        let mut model = crate::plan::sample::sample_cluster();
        // A third agent, named to sort after the others only naturally.
        let mut tenth = model
            .hosts
            .iter()
            .find(|h| h.name == "agent-2")
            .cloned()
            .expect("agent-2");
        tenth.name = "agent-10".into();
        model.hosts.push(tenth);
        for s in model
            .services
            .iter_mut()
            .filter(|s| s.hosts.iter().any(|h| h == "agent-2"))
        {
            s.hosts.push("agent-10".into());
        }
        let plan = crate::plan::plan(&model).expect("plans");
        let g = plan.grouped();
        let zk: Vec<&Group> = g
            .groups
            .iter()
            .filter(|x| x.unit == ZOOKEEPER_UNIT)
            .collect();
        assert_eq!(zk.len(), 1, "{g:#?}");
        assert_eq!(zk[0].hosts, ["master-01", "master-02", "master-03"]);
        let agents: Vec<&Group> = g
            .groups
            .iter()
            .filter(|x| x.unit == "mesos-agent.service")
            .collect();
        assert_eq!(agents.len(), 1, "{g:#?}");
        assert_eq!(
            agents[0].hosts,
            ["agent-1", "agent-2", "agent-10"],
            "natural order"
        );
        assert_eq!(
            agents[0].hosts_label(),
            "agent-1, agent-2, agent-10 (3 hosts)"
        );
        // Every per-service edge is one between the groups of its ends.
        assert!(g.edges.len() < plan.graph.edge_count());
        assert!(g.groups.windows(2).all(|w| w[0].wave <= w[1].wave));
        let dot = plan.grouped_dot();
        assert!(
            dot.contains("subgraph \"cluster_wave_1\" {\n    label=\"wave 1\";\n    rank=same;\n"),
            "{dot}"
        );
        assert!(
            dot.contains("[label=\"zookeeper.service\\nmaster-01 … master-03 (3 hosts)\"]"),
            "{dot}"
        );
        // The per-service graph keeps one node per service of each host.
        assert_eq!(
            plan.dot()
                .matches("[label=\"mesos-agent.service\"]")
                .count(),
            3
        );
    }

    #[test]
    fn a_host_of_another_kind_is_its_own_node() {
        let mut model = crate::plan::sample::sample_cluster();
        if let Some(h) = model.hosts.iter_mut().find(|h| h.name == "agent-2") {
            h.services.clear();
        }
        model
            .services
            .iter_mut()
            .for_each(|s| s.hosts.retain(|h| h != "agent-2"));
        let plan = crate::plan::plan(&model).expect("plans");
        let g = plan.grouped();
        let agents: Vec<&Group> = g
            .groups
            .iter()
            .filter(|x| x.unit == "mesos-agent.service")
            .collect();
        assert_eq!(agents.len(), 2, "{g:#?}");
    }

    #[test]
    fn runs_are_shortened() {
        let agents: Vec<String> = (1..=12).map(|i| format!("agent-{i}")).collect();
        assert_eq!(host_list(&agents), "agent-1 … agent-12");
        assert_eq!(
            host_list(&names(&["master-01", "master-02", "master-03", "edge"])),
            "master-01 … master-03, edge"
        );
        assert_eq!(host_list(&names(&["a1", "a2"])), "a1, a2");
        assert_eq!(host_list(&names(&["a1", "a3", "a4"])), "a1, a3, a4");
        assert_eq!(host_list(&names(&["a9", "a010", "a011"])), "a9, a010, a011");
        assert_eq!(host_list(&names(&["x"])), "x");
        assert_eq!(host_list(&[]), "");
    }
}
