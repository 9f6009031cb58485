//! Parser tests: every construct, every error, recovery, limits and a property test.

use miette::Diagnostic;
use proptest::prelude::*;

use super::ast::{ByteUnit, DurationUnit, EntryValue, Expr, ExprKind, File, Item, StrPart};
use super::parse::{KEYWORDS, parse_file};
use super::{MAX_DEPTH, ParseError};
use crate::span::Span;

/// The whole example of `shared/design/LANGUAGE.md`.
const EXAMPLE: &str = r##"# thegrid.mcl: three control nodes, twelve agents
cluster "thegrid" {
  mesos       = "1.11.0"            # target version: gates and deprecates flags
  runtime     = native              # native | docker (per service overridable)
  outputs     = [systemd, fleet, cloud-config]
  environment = "production"        # selects an `environment` overlay; --env overrides
}

import "common.mcl"                 # path relative to this file; no cycles

let zk_base = 10

for n in 1..3 {                     # ranges are inclusive
  host "master-0${n}" {
    address = "10.10.0.${zk_base + n}"
    roles   = [zookeeper, leader, marathon]
  }
}

for n in 1..12 {
  host "agent-${n}" uses worker {   # `uses` merges a template into the host
    address = "10.10.1.${n}"
    follower { attributes { rack = "r${n % 3}" } }
  }
}

template worker {
  roles = [follower]
  follower { resources { cpus = 8  mem = 16GB } }
}

zookeeper {
  client_port = 2181                # peer_port 2888 and election_port 3888 by default
  chroot      = "/mesos"            # znode for Mesos; Marathon gets "/marathon"
  settings { tickTime = 2000 }      # raw zoo.cfg keys, checked against ZooKeeper's list
}

leader {
  port     = 5050
  quorum   = auto                   # floor(leaders / 2) + 1; an explicit number is checked
  work_dir = "/var/lib/mesos"
  flags {                           # any mesos-master flag, checked by name, type and version
    logging_level = "WARNING"
    offer_timeout = 30secs
  }
}

follower {
  port = 5051
  resources { ports = [4000..5000, 31000..32000] }   # or flags { resources = "ports(*):[...]" }
  flags {
    containerizers = "mesos,docker"
    isolation      = "cgroups/cpu,cgroups/mem"
  }
}

marathon {
  port = 8080
  flags { task_launch_timeout = 300000 }
}

auth {
  frameworks = true                 # --authenticate_frameworks on leaders
  followers  = true                 # --authenticate_agents; each follower needs a secret
  credential "marathon" { secret = file("/etc/mesos/secrets/marathon") }
  follower_principal = "follower"
  follower_secret    = file("/etc/mesos/secrets/follower")
}

service "logstash-forwarder" {      # an extra unit, ordered by the same graph
  on          = [leader, follower]  # roles or host names
  after       = [mesos-master]
  exec        = "/opt/logstash-forwarder/bin/logstash-forwarder -config /etc/lsf.json"
  environments = ["production", "development"]
}

environment "debug" {               # overlay: any top-level block, last word wins
  leader { flags { logging_level = "INFO" } }
}
"##;

// --- helpers ---------------------------------------------------------------

fn parse_ok(text: &str) -> File {
    let (file, errors) = parse_file(text, 0);
    assert!(
        errors.is_empty(),
        "unexpected errors for {text:?}: {errors:#?}"
    );
    file
}

fn errors(text: &str) -> Vec<ParseError> {
    parse_file(text, 0).1
}

/// The codes of the errors of `text`, without the `mcl::syntax::` prefix.
fn codes(text: &str) -> Vec<String> {
    errors(text).iter().map(code).collect()
}

fn code(error: &ParseError) -> String {
    let code = error.code().map(|c| c.to_string()).unwrap_or_default();
    code.trim_start_matches("mcl::syntax::").to_string()
}

fn help(error: &ParseError) -> String {
    error.help().map(|h| h.to_string()).unwrap_or_default()
}

/// The one error of `text`.
fn only_error(text: &str) -> ParseError {
    let mut errors = errors(text);
    assert_eq!(
        errors.len(),
        1,
        "expected one error for {text:?}: {errors:#?}"
    );
    errors.remove(0)
}

/// The value of `let x = <src>`; its spans start at 8.
fn value(src: &str) -> Expr {
    let mut file = parse_ok(&format!("let x = {src}"));
    match file.items.remove(0) {
        Item::Let(l) => l.value,
        other => panic!("not a let: {other:?}"),
    }
}

fn sp(start: u32, end: u32) -> Span {
    Span::new(start, end)
}

/// A compact rendering: `(+ 1 (* 2 3))`, `[a b]`, `"a${x}"`, `f(1)`, `{k=v b{…}}`.
fn show(e: &Expr) -> String {
    let all = |es: &[Expr]| es.iter().map(show).collect::<Vec<_>>().join(" ");
    match &e.kind {
        ExprKind::Str(parts) => {
            let parts: String = parts
                .iter()
                .map(|p| match p {
                    StrPart::Lit(s) => s.escape_debug().to_string(),
                    StrPart::Interp(e) => format!("${{{}}}", show(e)),
                })
                .collect();
            format!("\"{parts}\"")
        }
        ExprKind::Int(n) => n.to_string(),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Auto => "auto".into(),
        ExprKind::Ident(i) => i.name.clone(),
        ExprKind::Duration { amount, unit } => format!("{amount}{}", unit.suffix()),
        ExprKind::Bytes { amount, unit } => format!("{amount}{}", unit.suffix()),
        ExprKind::Ip(ip) => format!("ip:{ip}"),
        ExprKind::List(items) => format!("[{}]", all(items)),
        ExprKind::Range(a, b) => format!("(.. {} {})", show(a), show(b)),
        ExprKind::Block(b) => show_block(&b.entries),
        ExprKind::Call { func, args } => format!("{}({})", func.name, all(args)),
        ExprKind::Binary { op, lhs, rhs } => {
            format!("({} {} {})", op.symbol(), show(lhs), show(rhs))
        }
        ExprKind::Neg(e) => format!("(neg {})", show(e)),
    }
}

fn show_block(entries: &[super::ast::Entry]) -> String {
    let entries: Vec<String> = entries
        .iter()
        .map(|e| {
            let label = e
                .label
                .as_ref()
                .map(|l| format!(" {}", show(l)))
                .unwrap_or_default();
            match &e.value {
                EntryValue::Assign(v) => format!("{}{label}={}", e.key.name, show(v)),
                EntryValue::Block(b) => format!("{}{label}{}", e.key.name, show_block(&b.entries)),
            }
        })
        .collect();
    format!("{{{}}}", entries.join(" "))
}

/// The body of the first item, rendered.
fn first_body(text: &str) -> String {
    let file = parse_ok(text);
    match &file.items[0] {
        Item::Section(s) => show_block(&s.body.entries),
        Item::Host(h) => show_block(&h.body.entries),
        Item::Cluster(c) => show_block(&c.body.entries),
        other => panic!("no block: {other:?}"),
    }
}

fn item_kinds(file: &File) -> Vec<&'static str> {
    file.items
        .iter()
        .map(|i| match i {
            Item::Cluster(_) => "cluster",
            Item::Import(_) => "import",
            Item::Let(_) => "let",
            Item::For(_) => "for",
            Item::Host(_) => "host",
            Item::Template(_) => "template",
            Item::Section(_) => "section",
            Item::Service(_) => "service",
            Item::Environment(_) => "environment",
        })
        .collect()
}

/// Runs `f` on a thread with a 2 MiB stack, as the test harness's default.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("the parser must not overflow the stack");
}

// --- the whole language ------------------------------------------------------

#[test]
fn language_example_parses_without_errors() {
    let file = parse_ok(EXAMPLE);
    assert_eq!(
        item_kinds(&file),
        [
            "cluster",
            "import",
            "let",
            "for",
            "for",
            "template",
            "section",
            "section",
            "section",
            "section",
            "section",
            "service",
            "environment"
        ]
    );
    assert_eq!(file.comments.len(), 18);
    for span in &file.comments {
        assert!(EXAMPLE[span.start as usize..span.end as usize].starts_with('#'));
    }
}

#[test]
fn example_items_hold_what_was_written() {
    let file = parse_ok(EXAMPLE);
    let Item::Cluster(cluster) = &file.items[0] else {
        panic!("cluster first")
    };
    assert_eq!(show(&cluster.name), "\"thegrid\"");
    assert_eq!(
        show_block(&cluster.body.entries),
        "{mesos=\"1.11.0\" runtime=native outputs=[systemd fleet cloud-config] \
         environment=\"production\"}"
    );
    let Item::For(outer) = &file.items[4] else {
        panic!("second for")
    };
    assert_eq!(show(&outer.iter), "(.. 1 12)");
    let Item::Host(host) = &outer.items[0] else {
        panic!("host in for")
    };
    assert_eq!(show(&host.name), "\"agent-${n}\"");
    assert_eq!(host.uses[0].name, "worker");
    assert_eq!(
        show_block(&host.body.entries),
        "{address=\"10.10.1.${n}\" follower{attributes{rack=\"r${(% n 3)}\"}}}"
    );
    let Item::Section(auth) = &file.items[10] else {
        panic!("auth")
    };
    assert_eq!(auth.name.name, "auth");
    assert_eq!(
        show_block(&auth.body.entries[2..3]),
        "{credential \"marathon\"{secret=file(\"/etc/mesos/secrets/marathon\")}}"
    );
}

#[test]
fn item_spans_cover_the_whole_item() {
    let text = "let a = 1\nhost h uses t1, t2 { x = 1 }\n";
    let file = parse_ok(text);
    assert_eq!(file.items[0].span(), sp(0, 9));
    assert_eq!(file.items[1].span(), sp(10, 38));
    let Item::Host(host) = &file.items[1] else {
        panic!("host")
    };
    assert_eq!(host.body.span, sp(29, 38));
    assert_eq!(
        host.uses.iter().map(|u| u.span).collect::<Vec<_>>(),
        [sp(22, 24), sp(26, 28)]
    );
}

#[test]
fn every_item_form_parses() {
    let text = r#"
cluster c { }
import "x.mcl"
let v = 1
for i in [a, b] { let w = i  host "h${i}" { } }
host plain { }
host "t" uses a, b { }
template t { roles = [follower] }
service "s" { }
service s2 { }
environment dev { leader { } let z = 2 }
leadr { }
zookeeper "label" { }
master name { }
"#;
    let file = parse_ok(text);
    assert_eq!(
        item_kinds(&file),
        [
            "cluster",
            "import",
            "let",
            "for",
            "host",
            "host",
            "template",
            "service",
            "service",
            "environment",
            "section",
            "section",
            "section"
        ]
    );
    let Item::For(f) = &file.items[3] else {
        panic!("for")
    };
    assert_eq!(
        item_kinds(&File {
            items: f.items.clone(),
            comments: vec![]
        }),
        ["let", "host"]
    );
    let Item::Environment(env) = &file.items[9] else {
        panic!("environment")
    };
    assert_eq!(show(&env.name), "dev");
    assert_eq!(env.items.len(), 2);
    let Item::Section(s) = &file.items[11] else {
        panic!("section")
    };
    assert_eq!(
        (s.name.name.as_str(), s.label.as_ref().map(show)),
        ("zookeeper", Some("\"label\"".into()))
    );
    let Item::Section(s) = &file.items[12] else {
        panic!("section")
    };
    assert_eq!(s.label.as_ref().map(show).as_deref(), Some("name"));
}

#[test]
fn item_keywords_are_plain_keys_inside_blocks() {
    let body = first_body(
        "cluster x { environment = \"production\" host = 1 for = 2 let = 3 in = 4 true = 5 }",
    );
    assert_eq!(
        body,
        "{environment=\"production\" host=1 for=2 let=3 in=4 true=5}"
    );
}

#[test]
fn entries_are_separated_by_whitespace_only() {
    assert_eq!(
        first_body("r { cpus = 8  mem = 16GB }"),
        "{cpus=8 mem=16GB}"
    );
    assert_eq!(
        first_body("r { a = 1 b { c = 2 } d = x }"),
        "{a=1 b{c=2} d=x}"
    );
    assert_eq!(
        first_body("r {\n  a = 1\n\n  b = [1,\n 2]\n}"),
        "{a=1 b=[1 2]}"
    );
}

#[test]
fn dotted_and_quoted_keys() {
    let text = r#"zookeeper { autopurge.purgeInterval = 24  "4lw.commands.whitelist" = "*"
  admin.serverPort = 8080  server.1 = "a"  "a\"b" = 1  mesos-master = 2 }"#;
    let file = parse_ok(text);
    let Item::Section(s) = &file.items[0] else {
        panic!("section")
    };
    let keys: Vec<(&str, bool)> = s
        .body
        .entries
        .iter()
        .map(|e| (e.key.name.as_str(), e.key.quoted))
        .collect();
    assert_eq!(
        keys,
        [
            ("autopurge.purgeInterval", false),
            ("4lw.commands.whitelist", true),
            ("admin.serverPort", false),
            ("server.1", false),
            ("a\"b", true),
            ("mesos-master", false),
        ]
    );
    assert_eq!(s.body.entries[0].key.span, sp(12, 35));
    assert_eq!(s.body.entries[1].key.span, sp(42, 66));
}

#[test]
fn labelled_blocks_take_a_string_or_an_identifier() {
    assert_eq!(
        first_body("auth { credential \"marathon\" { secret = file(\"/x\") } credential ops { } }"),
        "{credential \"marathon\"{secret=file(\"/x\")} credential ops{}}"
    );
}

// --- values --------------------------------------------------------------------

#[test]
fn scalar_values_and_their_spans() {
    let cases: &[(&str, ExprKind)] = &[
        ("42", ExprKind::Int(42)),
        ("true", ExprKind::Bool(true)),
        ("false", ExprKind::Bool(false)),
        ("auto", ExprKind::Auto),
        (
            "30secs",
            ExprKind::Duration {
                amount: "30".into(),
                unit: DurationUnit::Secs,
            },
        ),
        (
            "0.5secs",
            ExprKind::Duration {
                amount: "0.5".into(),
                unit: DurationUnit::Secs,
            },
        ),
        (
            "360days",
            ExprKind::Duration {
                amount: "360".into(),
                unit: DurationUnit::Days,
            },
        ),
        (
            "512MB",
            ExprKind::Bytes {
                amount: 512,
                unit: ByteUnit::Mb,
            },
        ),
        ("10.0.0.1", ExprKind::Ip("10.0.0.1".parse().expect("ip"))),
        ("fd00::1", ExprKind::Ip("fd00::1".parse().expect("ip"))),
        ("\"\"", ExprKind::Str(vec![])),
    ];
    for (src, kind) in cases {
        let v = value(src);
        assert_eq!(&v.kind, kind, "{src}");
        assert_eq!(v.span, sp(8, 8 + src.len() as u32), "{src}");
    }
}

#[test]
fn identifiers_keep_their_own_span() {
    let v = value("mesos-master");
    let ExprKind::Ident(ident) = &v.kind else {
        panic!("ident")
    };
    assert_eq!(
        (ident.name.as_str(), ident.span, v.span),
        ("mesos-master", sp(8, 20), sp(8, 20))
    );
}

#[test]
fn every_duration_and_byte_unit_is_known() {
    for unit in DurationUnit::ALL {
        let v = value(&format!("7{}", unit.suffix()));
        assert_eq!(
            v.kind,
            ExprKind::Duration {
                amount: "7".into(),
                unit
            }
        );
    }
    for unit in ByteUnit::ALL {
        let v = value(&format!("7{}", unit.suffix()));
        assert_eq!(v.kind, ExprKind::Bytes { amount: 7, unit });
    }
}

#[test]
fn compound_values() {
    let cases = [
        ("[a, b, c]", "[a b c]"),
        ("[a, b,]", "[a b]"),
        ("[\n  a,\n  b\n]", "[a b]"),
        ("[]", "[]"),
        (
            "[4000..5000, 31000..32000]",
            "[(.. 4000 5000) (.. 31000 32000)]",
        ),
        ("{ a = 1  b { c = [x] } }", "{a=1 b{c=[x]}}"),
        ("file(\"/etc/x\")", "file(\"/etc/x\")"),
        ("env(\"HOME\")", "env(\"HOME\")"),
        ("f()", "f()"),
        ("f(1, [2], \"3\",)", "f(1 [2] \"3\")"),
    ];
    for (src, shown) in cases {
        assert_eq!(show(&value(src)), shown, "{src}");
    }
    assert_eq!(value("[a, b]").span, sp(8, 14));
    assert_eq!(value("f(1)").span, sp(8, 12));
}

#[test]
fn precedence_is_range_then_additive_then_multiplicative() {
    let cases = [
        ("1 + 2 * 3", "(+ 1 (* 2 3))"),
        ("1 * 2 + 3", "(+ (* 1 2) 3)"),
        ("10 - 4 - 3", "(- (- 10 4) 3)"),
        ("8 / 2 % 3", "(% (/ 8 2) 3)"),
        ("(1 + 2) * 3", "(* (+ 1 2) 3)"),
        ("1 + 2 .. 3 * 4", "(.. (+ 1 2) (* 3 4))"),
        ("-a * b", "(* (neg a) b)"),
        ("- -3", "(neg (neg 3))"),
        ("a - -b", "(- a (neg b))"),
        ("1..3", "(.. 1 3)"),
        ("zk_base + n", "(+ zk_base n)"),
    ];
    for (src, shown) in cases {
        assert_eq!(show(&value(src)), shown, "{src}");
    }
}

#[test]
fn minus_needs_spaces_because_names_contain_hyphens() {
    assert_eq!(show(&value("n-1")), "n-1");
    assert_eq!(show(&value("n - 1")), "(- n 1)");
    assert_eq!(show(&value("n -1")), "(- n 1)");
    assert_eq!(show(&value("1-2")), "(- 1 2)");
}

#[test]
fn parentheses_widen_the_span() {
    let v = value("(1 + 2)");
    assert_eq!((show(&v), v.span), ("(+ 1 2)".to_string(), sp(8, 15)));
    let v = value("-(a)");
    assert_eq!(v.span, sp(8, 12));
}

#[test]
fn ip_addresses() {
    for ip in [
        "10.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "2001:db8::1",
        "fd00::1",
        "::ffff:10.0.0.1",
    ] {
        let v = value(ip);
        assert_eq!(v.kind, ExprKind::Ip(ip.parse().expect("valid")), "{ip}");
        assert_eq!(v.span, sp(8, 8 + ip.len() as u32));
    }
}

#[test]
fn invalid_addresses_say_why() {
    let cases = [
        ("10.0.0.300", "`300` is larger than 255"),
        (
            "1.11.0",
            "quote other dotted values such as versions: \"1.11.0\"",
        ),
        ("10.0.0.01", "leading zero"),
        ("10.0.0.1x", "`1x` is not a number"),
        ("fd00::1g", "IPv6"),
        ("1::2::3", "`::` at most once"),
    ];
    for (src, why) in cases {
        let error = only_error(&format!("let x = {src}"));
        let ParseError::InvalidAddress { text, span, .. } = &error else {
            panic!("{error:?}")
        };
        assert_eq!((text.as_str(), *span), (src, sp(8, 8 + src.len() as u32)));
        assert!(help(&error).contains(why), "{src}: {}", help(&error));
    }
}

// --- strings -------------------------------------------------------------------

#[test]
fn escapes_are_resolved() {
    let v = value(r#""a\nb\t\r\\\"\$\u{41}\u{1F600}""#);
    assert_eq!(
        v.kind,
        ExprKind::Str(vec![StrPart::Lit("a\nb\t\r\\\"$A😀".into())])
    );
}

#[test]
fn interpolation_takes_any_expression_and_nested_strings() {
    assert_eq!(show(&value(r#""r${n % 3}""#)), r#""r${(% n 3)}""#);
    assert_eq!(
        show(&value(r#""${ "in${1 + 2}" }x""#)),
        r#""${"in${(+ 1 2)}"}x""#
    );
    assert_eq!(show(&value(r#""${[a, b]}""#)), r#""${[a b]}""#);
    let v = value(r#""a${x}""#);
    let ExprKind::Str(parts) = &v.kind else {
        panic!("string")
    };
    let StrPart::Interp(x) = &parts[1] else {
        panic!("interpolation")
    };
    assert_eq!(x.span, sp(12, 13));
}

#[test]
fn dollar_without_brace_is_literal() {
    assert_eq!(show(&value(r#""$HOME ${x} $""#)), r#""$HOME ${x} $""#);
}

#[test]
fn unknown_escape_is_reported_and_the_string_goes_on() {
    let (file, errors) = parse_file(r#"let s = "a\qb${x}""#, 0);
    assert_eq!(
        errors,
        [ParseError::InvalidEscape {
            escape: "\\q".into(),
            span: sp(10, 12)
        }]
    );
    let Item::Let(l) = &file.items[0] else {
        panic!("let")
    };
    assert_eq!(show(&l.value), r#""a\\qb${x}""#);
}

#[test]
fn bad_unicode_escapes() {
    let errors = errors(r#"let s = "\u{D800}\u{zz}\u\u{110000}""#);
    let escapes: Vec<&str> = errors
        .iter()
        .map(|e| match e {
            ParseError::InvalidEscape { escape, .. } => escape.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(escapes, ["\\u{D800}", "\\u{zz}", "\\u", "\\u{110000}"]);
}

#[test]
fn unterminated_strings() {
    let text = "host \"a\" {\n  address = \"10.0.0.1\n  roles = [leader]\n}\n";
    let (file, errors) = parse_file(text, 0);
    assert_eq!(
        errors,
        [ParseError::UnterminatedString { span: sp(23, 32) }]
    );
    let Item::Host(h) = &file.items[0] else {
        panic!("host")
    };
    assert_eq!(show_block(&h.body.entries), "{roles=[leader]}");
    assert_eq!(
        only_error("let x = \"abc"),
        ParseError::UnterminatedString { span: sp(8, 12) }
    );
}

// --- trivia and spans --------------------------------------------------------

#[test]
fn comments_are_recorded_with_their_spans() {
    let text = "# one\nlet x = \"#no\" # two\r\nlet y = 1 #three";
    let file = parse_ok(text);
    assert_eq!(file.comments, [sp(0, 5), sp(20, 25), sp(37, 43)]);
}

#[test]
fn bom_crlf_and_tabs_are_whitespace() {
    let text = "\u{feff}leader {\r\n\tport\t=\t5050\r\n}\r\n";
    let file = parse_ok(text);
    let Item::Section(s) = &file.items[0] else {
        panic!("section")
    };
    assert_eq!(s.name.span, sp(3, 9));
    assert_eq!(show_block(&s.body.entries), "{port=5050}");
    assert_eq!(s.span, sp(3, 28));
}

#[test]
fn spans_are_global() {
    let (file, errors) = parse_file("let x = 1 @", 1000);
    assert_eq!(file.items[0].span(), sp(1000, 1009));
    assert_eq!(
        errors[0].clone(),
        ParseError::InvalidCharacter {
            shown: "'@'".into(),
            span: sp(1010, 1011),
            help: None
        }
    );
}

// --- units ---------------------------------------------------------------------

#[test]
fn unknown_units_suggest_the_corrected_literal() {
    let cases = [
        ("10sec", "`10secs`"),
        ("10s", "`10secs`"),
        ("5m", "`5mins`"),
        ("5min", "`5mins`"),
        ("2h", "`2hrs`"),
        ("2hr", "`2hrs`"),
        ("2hours", "`2hrs`"),
        ("3d", "`3days`"),
        ("3day", "`3days`"),
        ("10Secs", "`10secs`"),
        ("10mb", "`10MB` (bytes) or `10ms` (duration)"),
        ("1KiB", "`1KB`"),
        ("1GiB", "`1GB`? Mesos sizes are powers of 1024 already"),
        ("4kb", "`4KB`"),
        ("0.5sec", "`0.5secs`"),
        (
            "10xyz",
            "durations take ns, us, ms, secs, mins, hrs, days or weeks",
        ),
        ("1_000", "no digit separators"),
    ];
    for (src, fix) in cases {
        let error = only_error(&format!("let x = {src}"));
        assert_eq!(code(&error), "unknown_unit", "{src}");
        assert!(help(&error).contains(fix), "{src}: {}", help(&error));
        let ParseError::UnknownUnit { span, .. } = error else {
            unreachable!()
        };
        assert_eq!(span, sp(8, 8 + src.len() as u32));
    }
}

#[test]
fn fractions_are_only_for_durations() {
    let error = only_error("let x = 1.5");
    assert_eq!(code(&error), "unexpected");
    assert!(
        help(&error).contains("MCL has no floats"),
        "{}",
        help(&error)
    );
    let error = only_error("let x = 1.5GB");
    assert!(help(&error).contains("`1536MB`"), "{}", help(&error));
    let error = only_error("let x = 0.3KB");
    assert!(help(&error).contains("smaller unit"), "{}", help(&error));
}

#[test]
fn numbers_too_large() {
    assert_eq!(
        code(&only_error("let n = 9223372036854775808")),
        "number_too_large"
    );
    assert_eq!(value("9223372036854775807").kind, ExprKind::Int(i64::MAX));
    assert_eq!(code(&only_error("let n = 16777216TB")), "number_too_large");
    assert_eq!(
        value("16777215TB").kind,
        ExprKind::Bytes {
            amount: 16_777_215,
            unit: ByteUnit::Tb
        }
    );
    assert_eq!(
        code(&only_error("let n = 99999999999999999999B")),
        "number_too_large"
    );
}

// --- errors --------------------------------------------------------------------

#[test]
fn each_error_variant_is_triggered_by_its_documented_snippet() {
    let too_deep = format!("let x = {}{}", "[".repeat(300), "]".repeat(300));
    let cases = [
        ("host \"a\" { address = }", "unexpected"),
        (
            "cluster \"thegrid { mesos = \"1.11.0\" }",
            "unterminated_string",
        ),
        ("leader { port = 5050", "unclosed"),
        ("let s = \"a\\qb\"", "invalid_escape"),
        ("let n = 99999999999999999999", "number_too_large"),
        ("leader { flags { offer_timeout = 10sec } }", "unknown_unit"),
        (too_deep.as_str(), "too_deep"),
        (
            "host \"a\" { address = \"10.0.0.1\" } @",
            "invalid_character",
        ),
        ("host \"a\" { address = 10.0.0.300 }", "invalid_address"),
    ];
    for (text, expected) in cases {
        assert_eq!(codes(text), [expected], "{text}");
    }
}

#[test]
fn unexpected_names_what_was_expected_and_found() {
    assert_eq!(
        only_error("host \"a\" { address = }"),
        ParseError::Unexpected {
            expected: "a value".into(),
            found: "`}`".into(),
            span: sp(21, 22),
            help: None
        }
    );
    let error = only_error("leader {\n  runtime native\n}");
    assert_eq!(help(&error), "did you mean `runtime = native`?");
    let error = only_error("leader {\n  work_dir\n  port = 1\n}");
    let ParseError::Unexpected { found, span, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!((found.as_str(), *span), ("end of line", sp(19, 19)));
    let error = only_error("port = 5050");
    assert!(help(&error).contains("`let port = …`"), "{}", help(&error));
}

#[test]
fn missing_value_is_reported_at_the_end_of_its_line() {
    let text = "host \"a\" {\n  address =\n  roles = [leader]\n}";
    let (file, errors) = parse_file(text, 0);
    assert_eq!(errors.len(), 1);
    let ParseError::Unexpected { expected, span, .. } = &errors[0] else {
        panic!("{errors:?}")
    };
    assert_eq!((expected.as_str(), *span), ("a value", sp(22, 22)));
    let Item::Host(h) = &file.items[0] else {
        panic!("host")
    };
    assert_eq!(show_block(&h.body.entries), "{roles=[leader]}");
}

#[test]
fn unclosed_delimiters_are_reported_once_at_end_of_file() {
    let (file, errors) = parse_file("leader { a = [1, (2", 0);
    assert_eq!(
        errors,
        [ParseError::Unclosed {
            open: "(".into(),
            help: "add the missing `)`".into(),
            span: sp(17, 18),
            end: sp(19, 19)
        }]
    );
    let Item::Section(s) = &file.items[0] else {
        panic!("section kept")
    };
    assert_eq!(show_block(&s.body.entries), "{a=[1 2]}");
    for text in [
        "let x = f(1",
        "let x = \"${a",
        "for i in x {",
        "environment e {",
        "a { b { c {",
    ] {
        assert_eq!(codes(text), ["unclosed"], "{text}");
    }
}

#[test]
fn invalid_characters_are_shown_escaped() {
    let cases = [
        ("\0", "'\\0'"),
        ("@", "'@'"),
        ("\u{7}", "'\\u{7}'"),
        (";", "';'"),
        ("é", "'é'"),
    ];
    for (c, shown_as) in cases {
        let error = only_error(&format!("leader {{ a = 1{c} }}"));
        let ParseError::InvalidCharacter { shown, span, .. } = &error else {
            panic!("{error:?}")
        };
        assert_eq!((shown.as_str(), span.start), (shown_as, 14));
    }
    assert!(help(&only_error("a { b = 1; }")).contains("no `;`"));
    assert!(help(&only_error("a { b: 1 }")).contains("key = value"));
}

#[test]
fn keywords_cannot_be_bound() {
    assert_eq!(
        codes("let in = 1\nfor true in x { }\nlet ok = 1"),
        ["unexpected", "unexpected"]
    );
}

#[test]
fn interpolated_quoted_key_is_an_error() {
    let error = only_error("x { \"a${b}\" = 1 }");
    assert!(
        help(&error).contains("not interpolated"),
        "{}",
        help(&error)
    );
}

// --- recovery ------------------------------------------------------------------

#[test]
fn three_unrelated_errors_are_all_reported() {
    let text = r#"
cluster "c" { mesos = "1.11.0" }
host "a" {
  address = 10.0.0.300
  roles = [leader]
}
let n = 5sec
leader {
  port = @
  work_dir = "/x"
}
"#;
    let (file, errors) = parse_file(text, 0);
    let codes: Vec<String> = errors.iter().map(code).collect();
    assert_eq!(
        codes,
        ["invalid_address", "unknown_unit", "invalid_character"]
    );
    assert_eq!(item_kinds(&file), ["cluster", "host", "section"]);
    let Item::Section(leader) = &file.items[2] else {
        panic!("leader")
    };
    assert_eq!(show_block(&leader.body.entries), "{work_dir=\"/x\"}");
}

#[test]
fn a_bad_item_is_skipped_to_the_next_item() {
    let text =
        "host \"a\" uses { address = 1 }\nlet ok = 1\nzookeeper \"z\" {}\n}\nlet after = 2\n";
    let (file, errors) = parse_file(text, 0);
    assert_eq!(
        errors.iter().map(code).collect::<Vec<_>>(),
        ["unexpected", "unexpected"]
    );
    assert_eq!(item_kinds(&file), ["let", "section", "let"]);
}

#[test]
fn a_bad_entry_is_skipped_over_balanced_brackets() {
    let text = "leader {\n  a = [1,\n    @,\n    3]\n  b = 2\n  c = { d = ! }  e = 3\n}\nlet z = 1";
    let (file, errors) = parse_file(text, 0);
    assert_eq!(
        errors.iter().map(code).collect::<Vec<_>>(),
        ["invalid_character", "invalid_character"]
    );
    let Item::Section(s) = &file.items[0] else {
        panic!("section")
    };
    assert_eq!(show_block(&s.body.entries), "{b=2 c={} e=3}");
    assert_eq!(file.items.len(), 2);
}

#[test]
fn an_error_inside_a_one_line_block_stops_at_its_brace() {
    let text = "a { b { c = = } d = 1 }";
    let (file, errors) = parse_file(text, 0);
    assert_eq!(errors.len(), 1);
    let Item::Section(s) = &file.items[0] else {
        panic!("section")
    };
    assert_eq!(show_block(&s.body.entries), "{b{} d=1}");
}

#[test]
fn a_missing_brace_before_an_item_is_one_error() {
    let text = "leader {\n  port = 5050\n  flags { x = 1 }\n\nfollower { port = 1 }\nlet y = 2\nhost \"a\" { }\n";
    let (file, errors) = parse_file(text, 0);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        help(&errors[0]).contains("the `{` on line 1 is never closed"),
        "{}",
        help(&errors[0])
    );
    assert_eq!(item_kinds(&file), ["section", "let", "host"]);
}

#[test]
fn an_unterminated_string_is_the_one_error_of_its_line() {
    let text = "cluster \"thegrid { mesos = \"1.11.0\" }\nlet ok = 1\n";
    let (file, errors) = parse_file(text, 0);
    assert_eq!(
        errors,
        [ParseError::UnterminatedString { span: sp(34, 37) }]
    );
    assert_eq!(item_kinds(&file), ["let"]);
    let text = "a {\n  roles = [\"leader, follower]\n  port = 1\n}\nlet ok = 1";
    assert_eq!(codes(text), ["unterminated_string"]);
}

#[test]
fn the_parser_always_makes_progress() {
    for text in [
        "}", "]]]", ")", "=", "..", "a", "a b", "\"", "${", "-", "1", "a {", "a { b",
    ] {
        let (_, errors) = parse_file(text, 0);
        assert!(!errors.is_empty(), "{text:?} should be an error");
        assert!(errors.len() <= 2, "{text:?}: {errors:#?}");
    }
}

// --- limits --------------------------------------------------------------------

#[test]
fn nesting_up_to_the_limit_is_fine() {
    let depth = MAX_DEPTH - 1;
    parse_ok(&format!(
        "let x = {}1{}",
        "[".repeat(depth),
        "]".repeat(depth)
    ));
    parse_ok(&format!("let x = {}1", "-".repeat(depth)));
    parse_ok(&format!(
        "a {{ {} }}",
        "b { ".repeat(depth - 1) + &"} ".repeat(depth - 1)
    ));
}

#[test]
fn deep_nesting_is_one_too_deep_error_without_overflow() {
    on_small_stack(|| {
        let n = 100_000;
        let cases = [
            format!("let x = {}", "[".repeat(n)),
            format!("let x = {}1{}", "[".repeat(n), "]".repeat(n)),
            format!("let x = {}", "(".repeat(n)),
            format!("let x = {}1", "- ".repeat(n)),
            format!("let x = {}1", "1 + ".repeat(n)),
            format!("let x = {}", "\"${".repeat(n)),
            format!("let x = {}", "f(".repeat(n)),
            format!("a {{ {}", "b { ".repeat(n)),
            "for i in x { ".repeat(n),
        ];
        for text in &cases {
            let (_, errors) = parse_file(text, 0);
            let codes: Vec<String> = errors.iter().map(code).collect();
            assert_eq!(codes, ["too_deep"], "{}", &text[..20]);
        }
        for text in [
            "{".repeat(n),
            "}".repeat(n),
            "\"".repeat(n),
            "a = {".repeat(n),
        ] {
            let (_, errors) = parse_file(&text, 0);
            assert!(
                !errors.is_empty() && errors.len() < 10,
                "{}: {errors:?}",
                &text[..5]
            );
        }
    });
}

#[test]
fn keywords_are_the_ones_the_editor_grammar_checks() {
    // tests/grammar.rs holds the same list and checks it against mcl.tmLanguage.json.
    let expected = [
        "cluster",
        "import",
        "let",
        "for",
        "in",
        "host",
        "uses",
        "template",
        "service",
        "environment",
        "true",
        "false",
        "auto",
    ];
    assert_eq!(KEYWORDS, expected);
}

// --- properties ----------------------------------------------------------------

/// Parses `text` and checks what must hold for any input.
fn check_any_input(text: &str) {
    let base = 77;
    let end = base + text.len() as u32;
    let (file, errors) = parse_file(text, base);
    for error in &errors {
        for label in error.labels().into_iter().flatten() {
            let (start, len) = (label.offset() as u32, label.len() as u32);
            assert!(
                start >= base && start + len <= end,
                "{error:?} outside {base}..{end}"
            );
        }
    }
    for item in &file.items {
        let span = item.span();
        assert!(
            span.start >= base && span.start <= span.end && span.end <= end,
            "{item:?}"
        );
    }
    for c in &file.comments {
        assert!(c.start >= base && c.end <= end);
    }
}

/// Byte offset `at` moved back to a char boundary of `s`.
fn boundary(s: &str, mut at: usize) -> usize {
    at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_text_never_panics(text in "[a-z0-9 {}\\[\\]()\",=+*/%.:$\\\\#\n\t@;-]{0,120}") {
        check_any_input(&text);
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in any::<String>()) {
        check_any_input(&text);
    }

    #[test]
    fn mutated_example_never_panics(
        at in 0..EXAMPLE.len(),
        delete in 0..12usize,
        insert in "[{}\\[\\]()\"$#=.,\n a-z0-9@\\\\]{0,4}",
    ) {
        let from = boundary(EXAMPLE, at);
        let to = boundary(EXAMPLE, from + delete);
        let text = format!("{}{}{}", &EXAMPLE[..from], insert, &EXAMPLE[to..]);
        check_any_input(&text);
    }
}

#[test]
fn slash_comments_get_the_hash_hint() {
    for text in [
        "// a comment\ncluster \"c\" {}\n",
        "cluster \"c\" {\n  // a comment\n}\n",
        "cluster \"c\" { mesos = \"1.11.0\" /* no */ }\n",
    ] {
        let all = errors(text);
        let first = all.first().expect("an error");
        assert_eq!(code(first), "unexpected", "{text}");
        assert_eq!(
            help(first),
            "comments start with `#` in MCL: write `# …`",
            "{text}"
        );
    }
    // A division is not a comment.
    assert!(errors("let x = 4 / 2\n").is_empty());
}

#[test]
fn slash_comment_after_a_value_gets_the_hint() {
    let all = errors("cluster \"c\" {\n  port = 5050 // the default\n}\n");
    let first = all.first().expect("an error");
    assert_eq!(help(first), "comments start with `#` in MCL: write `# …`");
}
