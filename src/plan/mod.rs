//! Stage 3: orders every service of the cluster; turns a [`model::Cluster`]
//! into a dependency graph and a rollout plan.
//!
//! The graph has one node per (host, service): each host's roles and the extra
//! services placed on it. Nodes are added in a fixed order (host name, then
//! role order, then service name), so every `NodeIndex`, and everything
//! derived from it, is the same on every run.
//!
//! Edges point from what must be up first to what needs it:
//!
//! - every ZooKeeper server → every leader and every Marathon (both need the
//!   ensemble to elect a leader);
//! - every leader → every follower and every Marathon (both need a master);
//! - `after = [x]` of an extra service: `x` → the service. When `x` runs on
//!   the same host, the edge joins the two instances of that host only, and
//!   becomes `After=`/`Wants=` in the unit; when it does not, the edge joins
//!   every instance of `x` in the cluster, which only the rollout waves can
//!   honour (systemd cannot order units of different machines). A target that
//!   runs nowhere (`after = [marathon]` in a cluster without Marathon) adds no
//!   edge: there is nothing to wait for.
//!
//! The rollout plan is a list of waves by longest path: a node's wave is one
//! more than the latest wave of anything it depends on, so each wave can start
//! in parallel once the one before it is up.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;

use miette::{Diagnostic, LabeledSpan};
use petgraph::Direction;
use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::model::{self, Role};
use crate::span::Span;

/// One service instance: a unit on a host.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct NodeRef {
    /// The host's name.
    pub host: String,
    /// The systemd unit name (`mesos-master.service`, `<extra>.service`).
    pub unit: String,
}

impl NodeRef {
    /// `host/unit`, the name of the node in messages, DOT and Mermaid.
    pub fn name(&self) -> String {
        format!("{}/{}", self.host, self.unit)
    }
}

/// Why an edge exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dep {
    /// The fixed order of roles (ZooKeeper → leaders → followers, Marathon).
    Role,
    /// An extra service's `after` entry, written at this span.
    After(Span),
}

/// The dependency graph of a cluster and its rollout plan.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The cluster's name, for the graph's title.
    pub cluster: String,
    /// One node per (host, unit); an edge `a → b` means `b` starts after `a`.
    pub graph: DiGraph<NodeRef, Dep>,
    /// Node name → index (the reverse is `graph[index]`).
    pub nodes: BTreeMap<NodeRef, NodeIndex>,
    /// A topological order: the waves, one after the other.
    pub order: Vec<NodeIndex>,
    /// The rollout waves, each sorted in node order (host, role, service).
    pub waves: Vec<Vec<NodeRef>>,
}

/// A diagnostic of the plan stage.
///
/// Every variant has a stable code `mcl::plan::<name>`, never renamed or
/// reused, and its `///` shows a snippet that triggers it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Error, Diagnostic)]
pub enum PlanError {
    /// An `after` entry names neither a role's service nor an extra service.
    ///
    /// ```mcl
    /// service "lsf" { on = [leader]  after = [mesos-mastr]  exec = "/usr/bin/lsf" }
    /// ```
    #[error("unknown service `{name}` in `after`")]
    #[diagnostic(code(mcl::plan::unknown_service))]
    UnknownService {
        /// The name as written.
        name: String,
        /// Where it was written.
        #[label("no service of this name")]
        span: Span,
        /// Every name `after` accepts, sorted.
        known: Vec<String>,
        /// A suggestion.
        #[help]
        help: Option<String>,
    },

    /// Extra services that wait for each other, so none of them can start.
    ///
    /// ```mcl
    /// service "a" { on = [leader]  after = [b]  exec = "/usr/bin/a" }
    /// service "b" { on = [leader]  after = [a]  exec = "/usr/bin/b" }
    /// ```
    #[error("services wait for each other: {}", cycle_text(path))]
    #[diagnostic(
        code(mcl::plan::cycle),
        help("remove one of these `after` entries to break the cycle")
    )]
    Cycle {
        /// Each step: a service, and the `after` entry by which it waits for
        /// the next step's service (the last waits for the first).
        path: Vec<(String, Span)>,
        /// One label per step.
        #[label(collection)]
        labels: crate::diagnostic::Labels,
    },
}

impl PlanError {
    /// The cycle error for `path`, with one label per step.
    pub fn cycle(path: Vec<(String, Span)>) -> PlanError {
        let labels = path
            .iter()
            .enumerate()
            .map(|(i, (name, span))| {
                let next = &path[(i + 1) % path.len()].0;
                let text = if next == name {
                    format!("`{name}` starts after itself")
                } else {
                    format!("`{name}` starts after `{next}`")
                };
                LabeledSpan::new_with_span(Some(text), *span)
            })
            .collect();
        PlanError::Cycle { path, labels }
    }
}

/// `a` → `b` → `a`.
fn cycle_text(path: &[(String, Span)]) -> String {
    let mut names: Vec<String> = path.iter().map(|(n, _)| format!("`{n}`")).collect();
    if let Some(first) = names.first().cloned() {
        names.push(first);
    }
    names.join(" → ")
}

/// What an `after` entry refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target<'a> {
    Role(Role),
    Extra(&'a str),
}

/// Builds the dependency graph of `model` and its rollout plan.
///
/// Reports every unknown `after` target and every cycle.
pub fn plan(model: &model::Cluster) -> Result<Plan, Vec<PlanError>> {
    let (graph, nodes, instances) = add_nodes(model);
    let mut errors = Vec::new();
    let mut edges: BTreeMap<(NodeIndex, NodeIndex), Dep> = BTreeMap::new();
    role_edges(&instances, &mut edges);
    for svc in &model.services {
        for (name, span) in &svc.after {
            match resolve(model, name) {
                Some(target) => after_edges(svc, target, *span, &nodes, &instances, &mut edges),
                None => errors.push(unknown_service(model, name, *span)),
            }
        }
    }
    let mut graph = graph;
    for ((a, b), dep) in edges {
        graph.add_edge(a, b, dep);
    }
    let order = match toposort(&graph, None) {
        Ok(order) => order,
        Err(_) => {
            errors.extend(cycles(&graph));
            return Err(errors);
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let (order, waves) = layer(&graph, &order);
    Ok(Plan {
        cluster: model.name.clone(),
        graph,
        nodes,
        order,
        waves,
    })
}

/// The instances of each role and extra service, in node order.
#[derive(Default)]
struct Instances<'a> {
    roles: BTreeMap<Role, Vec<NodeIndex>>,
    extras: BTreeMap<&'a str, Vec<NodeIndex>>,
}

type Nodes = BTreeMap<NodeRef, NodeIndex>;

/// Adds one node per (host, service), hosts in natural order of their
/// names (`agent-2` before `agent-10`), then roles in role
/// order, then extra services by name.
fn add_nodes(model: &model::Cluster) -> (DiGraph<NodeRef, Dep>, Nodes, Instances<'_>) {
    let mut graph = DiGraph::new();
    let mut nodes = BTreeMap::new();
    let mut inst = Instances::default();
    let mut hosts: Vec<&model::Host> = model.hosts.iter().collect();
    hosts.sort_by(|a, b| model::natural::natural_cmp(&a.name, &b.name));
    let mut extras: Vec<&model::ExtraService> = model.services.iter().collect();
    extras.sort_by(|a, b| a.name.cmp(&b.name));
    for host in hosts {
        let mut add = |unit: String| {
            let node = NodeRef {
                host: host.name.clone(),
                unit,
            };
            let ix = graph.add_node(node.clone());
            nodes.insert(node, ix);
            ix
        };
        for role in host.roles() {
            let ix = add(role.unit().to_owned());
            inst.roles.entry(role).or_default().push(ix);
        }
        for svc in extras.iter().filter(|s| s.hosts.contains(&host.name)) {
            let ix = add(extra_unit(&svc.name));
            inst.extras.entry(svc.name.as_str()).or_default().push(ix);
        }
    }
    (graph, nodes, inst)
}

/// The unit name of an extra service.
pub fn extra_unit(name: &str) -> String {
    format!("{name}.service")
}

/// ZooKeeper → leaders → followers; ZooKeeper and leaders → Marathon.
fn role_edges(inst: &Instances<'_>, edges: &mut BTreeMap<(NodeIndex, NodeIndex), Dep>) {
    let of = |role| inst.roles.get(&role).map_or(&[][..], Vec::as_slice);
    let pairs = [
        (Role::Zookeeper, Role::Leader),
        (Role::Leader, Role::Follower),
        (Role::Leader, Role::Marathon),
        (Role::Zookeeper, Role::Marathon),
    ];
    for (from, to) in pairs {
        for &a in of(from) {
            for &b in of(to) {
                edges.entry((a, b)).or_insert(Dep::Role);
            }
        }
    }
}

/// What an `after` name means: a role (by MCL name, alias, or unit name,
/// with or without `.service`) or an extra service. Role names win over an
/// extra service of the same name.
fn resolve<'a>(model: &'a model::Cluster, name: &str) -> Option<Target<'a>> {
    let bare = name.strip_suffix(".service").unwrap_or(name);
    let unit = format!("{bare}.service");
    let role = Role::from_name(bare).or_else(|| Role::ALL.into_iter().find(|r| r.unit() == unit));
    if let Some(role) = role {
        return Some(Target::Role(role));
    }
    model
        .services
        .iter()
        .find(|s| s.name == name || s.name == bare)
        .map(|s| Target::Extra(s.name.as_str()))
}

/// Every name `after` accepts, sorted and without duplicates.
fn known_names(model: &model::Cluster) -> Vec<String> {
    let mut known: BTreeSet<String> = BTreeSet::new();
    for role in Role::ALL {
        known.insert(role.name().to_owned());
        if let Some(bare) = role.unit().strip_suffix(".service") {
            known.insert(bare.to_owned());
        }
    }
    known.extend(["master", "agent"].map(String::from));
    known.extend(model.services.iter().map(|s| s.name.clone()));
    known.into_iter().collect()
}

fn unknown_service(model: &model::Cluster, name: &str, span: Span) -> PlanError {
    let known = known_names(model);
    let help = crate::suggest::did_you_mean(name, known.iter().map(String::as_str));
    PlanError::UnknownService {
        name: name.to_owned(),
        span,
        known,
        help,
    }
}

/// The edges of one `after` entry of `svc`: per host of `svc`, from the
/// target on the same host if it runs there, else from every instance.
fn after_edges(
    svc: &model::ExtraService,
    target: Target<'_>,
    span: Span,
    nodes: &Nodes,
    inst: &Instances<'_>,
    edges: &mut BTreeMap<(NodeIndex, NodeIndex), Dep>,
) {
    let (targets, unit) = match target {
        Target::Role(role) => (inst.roles.get(&role), role.unit().to_owned()),
        Target::Extra(name) => (inst.extras.get(name), extra_unit(name)),
    };
    let Some(targets) = targets else { return };
    for host in &svc.hosts {
        let me = NodeRef {
            host: host.clone(),
            unit: extra_unit(&svc.name),
        };
        let Some(&me) = nodes.get(&me) else { continue };
        let local = NodeRef {
            host: host.clone(),
            unit: unit.clone(),
        };
        let from: Vec<NodeIndex> = match nodes.get(&local) {
            Some(&ix) => vec![ix],
            None => targets.clone(),
        };
        for a in from {
            edges.entry((a, me)).or_insert(Dep::After(span));
        }
    }
}

/// One error per distinct cycle: for each strongly connected component that
/// holds a cycle, the shortest cycle through its first node.
fn cycles(graph: &DiGraph<NodeRef, Dep>) -> Vec<PlanError> {
    let mut seen: BTreeSet<Vec<(String, Span)>> = BTreeSet::new();
    let mut sccs = tarjan_scc(graph);
    for scc in &mut sccs {
        scc.sort();
    }
    sccs.sort();
    let mut errors = Vec::new();
    for scc in sccs {
        let self_loop = scc.len() == 1 && graph.contains_edge(scc[0], scc[0]);
        if scc.len() < 2 && !self_loop {
            continue;
        }
        let path = shortest_cycle(graph, &scc);
        if seen.insert(path.clone()) {
            errors.push(PlanError::cycle(path));
        }
    }
    errors
}

/// The shortest cycle through `scc[0]` inside `scc`, as steps "service waits
/// (by this `after` entry) for the next step's service".
fn shortest_cycle(graph: &DiGraph<NodeRef, Dep>, scc: &[NodeIndex]) -> Vec<(String, Span)> {
    let start = scc[0];
    let inside: BTreeSet<NodeIndex> = scc.iter().copied().collect();
    let mut prev: BTreeMap<NodeIndex, NodeIndex> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    let mut last = start;
    'search: while let Some(n) = queue.pop_front() {
        let mut next: Vec<NodeIndex> = graph.neighbors(n).collect();
        next.sort();
        for m in next {
            if m == start {
                last = n;
                break 'search;
            }
            if inside.contains(&m) && !prev.contains_key(&m) {
                prev.insert(m, n);
                queue.push_back(m);
            }
        }
    }
    // Walk back from the node before `start`: each step waits for its predecessor.
    let mut steps = Vec::new();
    let mut to = start;
    let mut from = last;
    loop {
        steps.push((service_name(&graph[to]), edge_span(graph, from, to)));
        if from == start {
            break;
        }
        to = from;
        from = prev[&from];
    }
    steps
}

fn service_name(node: &NodeRef) -> String {
    node.unit
        .strip_suffix(".service")
        .unwrap_or(&node.unit)
        .to_owned()
}

fn edge_span(graph: &DiGraph<NodeRef, Dep>, from: NodeIndex, to: NodeIndex) -> Span {
    match graph.find_edge(from, to).map(|e| graph[e]) {
        Some(Dep::After(span)) => span,
        _ => Span::DETACHED,
    }
}

/// Longest-path layering over a topological order: the waves, and the order
/// they make.
fn layer(graph: &DiGraph<NodeRef, Dep>, topo: &[NodeIndex]) -> (Vec<NodeIndex>, Vec<Vec<NodeRef>>) {
    let mut wave = vec![0usize; graph.node_count()];
    for &n in topo {
        let w = graph
            .neighbors_directed(n, Direction::Incoming)
            .map(|p| wave[p.index()] + 1)
            .max()
            .unwrap_or(0);
        wave[n.index()] = w;
    }
    let count = wave.iter().max().map_or(0, |m| m + 1);
    let mut layers: Vec<Vec<NodeIndex>> = vec![Vec::new(); count];
    for n in graph.node_indices() {
        layers[wave[n.index()]].push(n);
    }
    let order = layers.iter().flatten().copied().collect();
    let waves = layers
        .iter()
        .map(|l| l.iter().map(|&n| graph[n].clone()).collect())
        .collect();
    (order, waves)
}

impl Plan {
    /// The node of `unit` on `host`.
    pub fn node(&self, host: &str, unit: &str) -> Option<NodeIndex> {
        self.nodes
            .get(&NodeRef {
                host: host.to_owned(),
                unit: unit.to_owned(),
            })
            .copied()
    }

    /// The units on the same host that `unit` on `host` starts after, sorted
    /// by name: what its `After=`/`Wants=` name besides the network.
    pub fn local_deps(&self, host: &str, unit: &str) -> Vec<String> {
        let Some(n) = self.node(host, unit) else {
            return Vec::new();
        };
        let mut deps: Vec<String> = self
            .graph
            .neighbors_directed(n, Direction::Incoming)
            .map(|p| &self.graph[p])
            .filter(|p| p.host == host && p.unit != unit)
            .map(|p| p.unit.clone())
            .collect();
        deps.sort();
        deps.dedup();
        deps
    }

    /// Edges as `(from, to)` index pairs, sorted.
    fn sorted_edges(&self) -> Vec<(NodeIndex, NodeIndex, Dep)> {
        // Each edge carries its weight: looking it up again with `find_edge`
        // scans the source's edges, quadratic for a leader with 10,000 followers.
        let mut edges: Vec<_> = self
            .graph
            .edge_references()
            .map(|e| (e.source(), e.target(), *e.weight()))
            .collect();
        edges.sort_by_key(|e| (e.0, e.1));
        edges
    }

    /// The graph for Graphviz: one cluster box per host, nodes named
    /// `host/unit`, edges in node order. No header: the caller adds the
    /// generated-by comment.
    pub fn dot(&self) -> String {
        let mut out = String::new();
        self.dot_into(&mut out);
        out
    }

    /// [`Plan::dot`], appended to `out` (after a header, say).
    pub fn dot_into(&self, out: &mut String) {
        // Each node's quoted ID is made once: edges outnumber nodes.
        let ids: Vec<String> = self
            .graph
            .node_indices()
            .map(|n| {
                let node = &self.graph[n];
                let mut id = String::with_capacity(node.host.len() + node.unit.len() + 3);
                push_dot_id(&mut id, &[&node.host, "/", &node.unit]);
                id
            })
            .collect();
        out.reserve(64 * (ids.len() + self.graph.edge_count()));
        out.push_str("digraph ");
        push_dot_id(out, &[&self.cluster]);
        out.push_str(" {\n  rankdir=LR;\n  node [shape=box];\n");
        let mut host: Option<&str> = None;
        for n in self.graph.node_indices() {
            let node = &self.graph[n];
            if host != Some(node.host.as_str()) {
                if host.is_some() {
                    out.push_str("  }\n");
                }
                out.push_str("  subgraph ");
                push_dot_id(out, &["cluster_", &node.host]);
                out.push_str(" {\n    label=");
                push_dot_id(out, &[&node.host]);
                out.push_str(";\n");
                host = Some(node.host.as_str());
            }
            out.push_str("    ");
            out.push_str(&ids[n.index()]);
            out.push_str(" [label=");
            push_dot_id(out, &[&node.unit]);
            out.push_str("];\n");
        }
        if host.is_some() {
            out.push_str("  }\n");
        }
        for (a, b, dep) in self.sorted_edges() {
            out.push_str("  ");
            out.push_str(&ids[a.index()]);
            out.push_str(" -> ");
            out.push_str(&ids[b.index()]);
            if let Dep::After(_) = dep {
                out.push_str(" [style=dashed]");
            }
            out.push_str(";\n");
        }
        out.push_str("}\n");
    }

    /// The graph as a Mermaid flowchart (for README.md): one subgraph per
    /// host, nodes `n<index>`.
    pub fn mermaid(&self) -> String {
        let mut out = String::from("flowchart LR\n");
        let mut host: Option<&str> = None;
        for n in self.graph.node_indices() {
            let node = &self.graph[n];
            if host != Some(node.host.as_str()) {
                if host.is_some() {
                    out.push_str("  end\n");
                }
                let _ = writeln!(
                    out,
                    "  subgraph h{} [{}]",
                    n.index(),
                    mermaid_text(&node.host)
                );
                host = Some(node.host.as_str());
            }
            let _ = writeln!(out, "    n{}[{}]", n.index(), mermaid_text(&node.unit));
        }
        if host.is_some() {
            out.push_str("  end\n");
        }
        for (a, b, dep) in self.sorted_edges() {
            let arrow = match dep {
                Dep::After(_) => "-.->",
                Dep::Role => "-->",
            };
            let _ = writeln!(out, "  n{} {arrow} n{}", a.index(), b.index());
        }
        out
    }
}

/// Appends the DOT quoted ID of `parts` written one after the other.
fn push_dot_id(out: &mut String, parts: &[&str]) {
    out.push('"');
    for part in parts {
        if !part.contains(['\\', '"']) {
            out.push_str(part);
            continue;
        }
        for c in part.chars() {
            if matches!(c, '\\' | '"') {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
}

/// A Mermaid quoted label (`"` becomes the entity `#quot;`).
fn mermaid_text(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "#quot;"))
}

mod grouped;
pub use grouped::{Group, Grouped, host_list};

#[cfg(test)]
pub(crate) mod sample;
#[cfg(test)]
mod tests;
