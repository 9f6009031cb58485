use super::sample::{extra, sample_cluster};
use super::*;

fn refs(plan: &Plan) -> Vec<String> {
    plan.graph
        .node_indices()
        .map(|n| plan.graph[n].name())
        .collect()
}

fn wave_names(plan: &Plan) -> Vec<Vec<String>> {
    plan.waves
        .iter()
        .map(|w| w.iter().map(NodeRef::name).collect())
        .collect()
}

fn errors(model: &model::Cluster) -> Vec<PlanError> {
    match plan(model) {
        Ok(_) => panic!("expected plan errors"),
        Err(e) => e,
    }
}

#[test]
fn nodes_are_added_by_host_then_role_then_service() {
    let plan = plan(&sample_cluster()).expect("plans");
    let names = refs(&plan);
    assert_eq!(
        names[..5],
        [
            "agent-1/mesos-agent.service",
            "agent-1/logstash-forwarder.service",
            "agent-2/mesos-agent.service",
            "agent-2/logstash-forwarder.service",
            "master-01/zookeeper.service",
        ]
    );
    assert_eq!(
        names[5..8],
        [
            "master-01/mesos-master.service",
            "master-01/marathon.service",
            "master-01/logstash-forwarder.service"
        ]
    );
    for (node, &ix) in &plan.nodes {
        assert_eq!(&plan.graph[ix], node, "the name map and the graph agree");
    }
}

#[test]
fn waves_put_zookeeper_first_then_leaders_then_the_rest() {
    let plan = plan(&sample_cluster()).expect("plans");
    let waves = wave_names(&plan);
    assert_eq!(waves.len(), 3);
    assert_eq!(
        waves[0],
        [
            "master-01/zookeeper.service",
            "master-02/zookeeper.service",
            "master-03/zookeeper.service"
        ]
    );
    assert_eq!(
        waves[1],
        [
            "master-01/mesos-master.service",
            "master-02/mesos-master.service",
            "master-03/mesos-master.service"
        ]
    );
    assert!(waves[2].contains(&"agent-2/mesos-agent.service".to_owned()));
    assert!(waves[2].contains(&"master-03/marathon.service".to_owned()));
    assert!(waves[2].contains(&"agent-1/logstash-forwarder.service".to_owned()));
    let flat: Vec<NodeIndex> = plan.order.clone();
    let pos = |n: NodeIndex| flat.iter().position(|&m| m == n).expect("in order");
    for e in plan.graph.edge_references() {
        assert!(pos(e.source()) < pos(e.target()), "order is topological");
    }
}

#[test]
fn local_deps_name_only_units_of_the_same_host() {
    let plan = plan(&sample_cluster()).expect("plans");
    assert_eq!(
        plan.local_deps("master-01", "marathon.service"),
        ["mesos-master.service", "zookeeper.service"]
    );
    assert_eq!(
        plan.local_deps("master-02", "mesos-master.service"),
        ["zookeeper.service"]
    );
    assert_eq!(
        plan.local_deps("master-01", "logstash-forwarder.service"),
        ["mesos-master.service"]
    );
    assert!(plan.local_deps("agent-1", "mesos-agent.service").is_empty());
    assert!(
        plan.local_deps("agent-1", "logstash-forwarder.service")
            .is_empty()
    );
}

#[test]
fn after_a_service_elsewhere_waits_for_every_instance() {
    let plan = plan(&sample_cluster()).expect("plans");
    let me = plan
        .node("agent-1", "logstash-forwarder.service")
        .expect("node");
    let mut preds: Vec<String> = plan
        .graph
        .neighbors_directed(me, Direction::Incoming)
        .map(|p| plan.graph[p].name())
        .collect();
    preds.sort();
    assert_eq!(
        preds,
        [
            "master-01/mesos-master.service",
            "master-02/mesos-master.service",
            "master-03/mesos-master.service"
        ]
    );
}

#[test]
fn after_accepts_aliases_and_unit_names() {
    let mut model = sample_cluster();
    let hosts = ["master-01"];
    model.services = vec![
        extra("a", &hosts, &["master"], 100),
        extra("b", &hosts, &["zookeeper.service"], 200),
        extra("c", &hosts, &["a", "marathon"], 300),
    ];
    let plan = plan(&model).expect("plans");
    assert_eq!(
        plan.local_deps("master-01", "a.service"),
        ["mesos-master.service"]
    );
    assert_eq!(
        plan.local_deps("master-01", "b.service"),
        ["zookeeper.service"]
    );
    assert_eq!(
        plan.local_deps("master-01", "c.service"),
        ["a.service", "marathon.service"]
    );
}

#[test]
fn unknown_after_target_is_reported_with_a_suggestion() {
    let mut model = sample_cluster();
    model.services[0].after = vec![("mesos-mastr".to_owned(), Span::new(40, 51))];
    let errs = errors(&model);
    let [
        PlanError::UnknownService {
            name,
            span,
            known,
            help,
        },
    ] = errs.as_slice()
    else {
        panic!("one unknown service: {errs:?}")
    };
    assert_eq!(name, "mesos-mastr");
    assert_eq!(*span, Span::new(40, 51));
    assert!(known.contains(&"logstash-forwarder".to_owned()));
    assert!(
        known.windows(2).all(|w| w[0] < w[1]),
        "known names are sorted"
    );
    assert_eq!(help.as_deref(), Some("did you mean `mesos-master`?"));
    assert_eq!(
        miette::Diagnostic::code(&errs[0])
            .map(|c| c.to_string())
            .as_deref(),
        Some("mcl::plan::unknown_service")
    );
}

#[test]
fn cycle_is_reported_once_with_every_step_labelled() {
    let mut model = sample_cluster();
    let hosts = ["master-01", "master-02"];
    model.services = vec![
        extra("a", &hosts, &["b"], 100),
        extra("b", &hosts, &["a"], 200),
    ];
    let errs = errors(&model);
    let [PlanError::Cycle { path, labels }] = errs.as_slice() else {
        panic!("one cycle, not one per host: {errs:?}")
    };
    let names: Vec<&str> = path.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["a", "b"]);
    assert_eq!(path[0].1, Span::new(120, 121), "a's `after = [b]`");
    assert_eq!(path[1].1, Span::new(220, 221), "b's `after = [a]`");
    let texts: Vec<&str> = labels.iter().filter_map(|l| l.label()).collect();
    assert_eq!(texts, ["`a` starts after `b`", "`b` starts after `a`"]);
    assert_eq!(
        errs[0].to_string(),
        "services wait for each other: `a` → `b` → `a`"
    );
    assert_eq!(
        miette::Diagnostic::code(&errs[0])
            .map(|c| c.to_string())
            .as_deref(),
        Some("mcl::plan::cycle")
    );
}

#[test]
fn cycle_across_hosts_is_found() {
    let mut model = sample_cluster();
    model.services = vec![
        extra("a", &["master-01"], &["b"], 100),
        extra("b", &["agent-1"], &["c"], 200),
        extra("c", &["agent-2"], &["a"], 300),
    ];
    let errs = errors(&model);
    let [PlanError::Cycle { path, .. }] = errs.as_slice() else {
        panic!("one cycle: {errs:?}")
    };
    assert_eq!(path.len(), 3);
}

#[test]
fn a_service_after_itself_is_a_cycle() {
    let mut model = sample_cluster();
    model.services = vec![extra("a", &["master-01"], &["a"], 100)];
    let errs = errors(&model);
    let [PlanError::Cycle { path, labels }] = errs.as_slice() else {
        panic!("{errs:?}")
    };
    assert_eq!(path.len(), 1);
    assert_eq!(labels[0].label(), Some("`a` starts after itself"));
}

#[test]
fn after_a_role_that_runs_nowhere_adds_no_edge() {
    let mut model = sample_cluster();
    for h in &mut model.hosts {
        h.marathon = None;
    }
    model.services = vec![extra("a", &["agent-1"], &["marathon"], 100)];
    let plan = plan(&model).expect("plans");
    assert_eq!(plan.waves[0].len(), 4, "three ZooKeepers and `a`");
}

#[test]
fn dot_and_mermaid_are_deterministic_and_complete() {
    let a = plan(&sample_cluster()).expect("plans");
    let b = plan(&sample_cluster()).expect("plans");
    assert_eq!(a.dot(), b.dot());
    assert_eq!(a.mermaid(), b.mermaid());
    let dot = a.dot();
    assert!(dot.starts_with("digraph \"thegrid\" {\n"));
    assert!(dot.contains("subgraph \"cluster_master-01\" {"));
    assert!(dot.contains("\"master-01/zookeeper.service\" -> \"master-02/mesos-master.service\";"));
    assert!(dot.contains(
        "\"master-01/mesos-master.service\" -> \"master-01/logstash-forwarder.service\" [style=dashed];"
    ));
    assert_eq!(dot.matches(" -> ").count(), a.graph.edge_count());
    let mermaid = a.mermaid();
    assert!(mermaid.starts_with("flowchart LR\n"));
    assert_eq!(
        mermaid.matches(" --> ").count() + mermaid.matches(" -.-> ").count(),
        a.graph.edge_count()
    );
}

#[test]
fn dot_ids_escape_quotes_and_backslashes() {
    let mut model = sample_cluster();
    model.name = r#"the "grid" \ one"#.into();
    let dot = plan(&model).expect("plans").dot();
    assert!(
        dot.starts_with("digraph \"the \\\"grid\\\" \\\\ one\" {\n"),
        "{}",
        dot.lines().next().unwrap_or_default()
    );
}
