use proptest::prelude::*;
use yaml_rust2::{Yaml, YamlLoader};

use super::*;

/// Writes `value` under a key and reads it back with a YAML 1.2 parser.
fn round_trip(value: Node) -> Yaml {
    let text = document(&["# test"], &Node::map([("k", value)]));
    let docs = YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    docs[0]["k"].clone()
}

fn text_back(text: &str) -> Option<String> {
    round_trip(Node::Text(text.to_owned())).into_string()
}

#[test]
fn yaml_1_1_words_are_quoted() {
    for word in [
        "off", "On", "YES", "no", "y", "N", "true", "False", "null", "~", "=", "<<",
    ] {
        assert_eq!(scalar(word, false), format!("\"{word}\""), "{word}");
    }
}

#[test]
fn numeric_looking_strings_are_quoted() {
    for word in [
        "0644",
        "644",
        "1:20",
        ".5",
        "-1",
        "+1",
        "1e3",
        "0x1F",
        "1_000",
        ".inf",
        "2001-12-14",
    ] {
        assert_eq!(scalar(word, false), format!("\"{word}\""), "{word}");
    }
}

#[test]
fn ordinary_words_stay_plain() {
    for word in [
        "zookeeper.service",
        "/etc/mesos/agent.env",
        "root:root",
        "http://10.0.0.1:5051",
        "best-effort",
        "host=core-01,role-leader=true",
        "a#b",
    ] {
        assert_eq!(scalar(word, false), word);
    }
}

#[test]
fn colons_hashes_and_indicators_force_quotes() {
    for word in [
        "a: b", "a #b", "key:", "#x", "-", "- x", "*x", "&x", "!x", "|", ">", "'x", "\"x", "%x",
        "@x", "`x", " x", "x ", "",
    ] {
        assert!(scalar(word, false).starts_with('"'), "{word:?}");
    }
}

#[test]
fn flow_context_quotes_flow_indicators() {
    assert_eq!(scalar("a,b", true), "\"a,b\"");
    assert_eq!(scalar("a,b", false), "a,b");
    assert_eq!(scalar("--now", true), "--now");
    assert_eq!(scalar("-", true), "\"-\"");
}

#[test]
fn block_scalar_chomping_follows_the_trailing_newlines() {
    let doc = |t: &str| document(&[], &Node::map([("k", Node::Text(t.into()))]));
    assert_eq!(doc("a\n"), "k: |\n  a\n");
    assert_eq!(doc("a"), "k: |-\n  a\n");
    assert_eq!(doc("a\n\n"), "k: |+\n  a\n\n");
    assert_eq!(doc("  a\n"), "k: |2\n    a\n");
    assert_eq!(doc("\n  a\nb\n"), "k: |2\n\n    a\n  b\n");
}

#[test]
fn block_scalars_read_back_exactly() {
    for t in [
        "a\n",
        "a",
        "a\n\n\n",
        "  indented\nnot\n",
        "\n\nleading empty\n",
        "# comment\nkey: value\n",
        "tab\tinside\n\tand leading\n",
        "ends with spaces   \n   \nmiddle blank\n",
        "---\n...\n",
        "é ü ✓\n",
    ] {
        assert_eq!(text_back(t).as_deref(), Some(t), "{t:?}");
    }
}

#[test]
fn texts_a_block_cannot_carry_are_quoted() {
    for t in [
        "",
        "\n",
        "\n\n",
        "crlf\r\n",
        "nel\u{85}x\n",
        "ls\u{2028}\n",
        "bell\u{7}\n",
    ] {
        let written = document(&[], &Node::map([("k", Node::Text(t.into()))]));
        assert!(written.starts_with("k: \""), "{written}");
        assert_eq!(text_back(t).as_deref(), Some(t), "{t:?}");
    }
}

#[test]
fn nested_structures_round_trip() {
    let doc = Node::map([
        ("hostname", Node::str("core-01")),
        (
            "write_files",
            Node::Seq(vec![Node::map([
                ("path", Node::str("/etc/x")),
                ("permissions", Node::str("0644")),
                ("content", Node::Text("a: b\n".into())),
            ])]),
        ),
        (
            "runcmd",
            Node::Seq(vec![Node::Flow(vec!["systemctl".into(), "--now".into()])]),
        ),
        ("update", Node::map([("reboot-strategy", Node::str("off"))])),
        (
            "n",
            Node::Tagged(
                "MesosNode".into(),
                Box::new(Node::map([("timeout", Node::Float(5.0))])),
            ),
        ),
        (
            "e",
            Node::Tagged("LogStorage".into(), Box::new(Node::Map(vec![]))),
        ),
        ("b", Node::Bool(false)),
        ("i", Node::Int(-3)),
    ]);
    let text = document(&["#cloud-config"], &doc);
    let y = &YamlLoader::load_from_str(&text).expect("parses")[0];
    assert_eq!(y["write_files"][0]["permissions"].as_str(), Some("0644"));
    assert_eq!(y["write_files"][0]["content"].as_str(), Some("a: b\n"));
    assert_eq!(y["runcmd"][0][1].as_str(), Some("--now"));
    assert_eq!(y["update"]["reboot-strategy"].as_str(), Some("off"));
    assert_eq!(y["n"]["timeout"].as_f64(), Some(5.0));
    assert_eq!(y["b"].as_bool(), Some(false));
    assert_eq!(y["i"].as_i64(), Some(-3));
    assert!(
        text.starts_with("#cloud-config\nhostname: core-01\n"),
        "{text}"
    );
}

proptest! {
    #[test]
    fn any_string_reads_back(s in "\\PC{0,40}|[ -~\\n\\t]{0,40}") {
        let back = round_trip(Node::Str(s.clone()));
        prop_assert_eq!(back.as_str(), Some(s.as_str()));
    }

    #[test]
    fn any_text_reads_back(s in "([ -~\\t]{0,12}\\n){0,6}[ -~]{0,8}") {
        prop_assert_eq!(text_back(&s), Some(s.clone()));
    }
}

#[test]
fn a_sequence_at_the_root_starts_at_column_zero() {
    let root = Node::Seq(vec![
        Node::map([("name", Node::str("a: b"))]),
        Node::str("x"),
    ]);
    assert_eq!(
        document(&["# c"], &root),
        "# c\n---\n- name: \"a: b\"\n- x\n"
    );
    assert_eq!(document(&[], &Node::Seq(Vec::new())), "--- []\n");
}
