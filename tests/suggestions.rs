//! Every "did you mean" is the right fix in one step: generated over the flag
//! tables, each flag mesosc derives is misspelled in its program's block,
//! the help is followed as a user would (a rename to the suggested flag, or
//! the value moved to the MCL setting the help names, or the entry dropped
//! when the help says mesosc derives it from what the file already holds),
//! and the file is checked again: it has no error left (but for the
//! credentials that turning authentication on asks for).

use std::path::Path;

use mesosc::files::MemoryFiles;
use mesosc::schema::{self, DERIVED, Program};
use mesosc::{Options, check_path};
use miette::{Diagnostic, Severity};

const CLUSTER: &str = r#"
cluster "c" { mesos = "1.11.0" }
for n in 1..3 {
  host "m${n}" { address = "10.0.0.${n}"  roles = [zookeeper, leader, marathon] }
}
host "a1" { address = "10.0.1.1"  roles = [follower] }
"#;

/// The block a program's flags go in, and the name of that raw block.
fn block(program: Program) -> (&'static str, &'static str) {
    match program {
        Program::Master => ("leader", "flags"),
        Program::Agent => ("follower", "flags"),
        Program::Marathon => ("marathon", "flags"),
        Program::ZooKeeper => ("zookeeper", "settings"),
    }
}

/// What a setting may still ask for once it is set the right way: turning
/// authentication on needs the credentials too (not a second step of the
/// same fix, but what the setting means).
const FOLLOW_UPS: &[&str] = &[
    "mcl::check::auth_missing_credential",
    "mcl::check::auth_missing_follower_secret",
];

/// A value the MCL setting `key` accepts without clashing with anything.
fn value_for(key: &str) -> &'static str {
    match key {
        "port" => "5099",
        "client_port" => "2191",
        "admin_port" => "9990",
        "quorum" => "2",
        "frameworks" | "followers" => "true",
        _ => "\"/srv/mesosc-test\"",
    }
}

/// Misspellings of `name` that are not flags themselves: squashed
/// (`workdir`), two letters swapped, the last letter doubled.
fn misspellings(program: Program, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let squashed = name.replace(['_', '.'], "").to_lowercase();
    out.push(squashed);
    let chars: Vec<char> = name.chars().collect();
    if chars.len() >= 4 {
        let mut swapped = chars.clone();
        swapped.swap(1, 2);
        out.push(swapped.into_iter().collect());
    }
    out.push(format!("{name}{}", chars[chars.len() - 1]));
    out.retain(|m| m != name && schema::table(program).get(m).is_none());
    out.sort();
    out.dedup();
    out
}

/// (code, severity, message, help, fixes' replacements) of every diagnostic.
type Found = Vec<(String, Severity, String, String, Vec<String>)>;

fn diagnose(source: &str) -> Found {
    let mut files = MemoryFiles::new();
    files.insert("c.mcl", source.to_owned());
    let unset = |_: &str| None;
    let checked =
        check_path(Path::new("c.mcl"), &files, &unset, &Options::default()).expect("in memory");
    checked
        .diagnostics
        .iter()
        .map(|d| {
            let fixes = mesosc::fix::fixes(d, &checked.sources);
            (
                d.code().map(|c| c.to_string()).unwrap_or_default(),
                d.severity().unwrap_or(Severity::Error),
                d.to_string(),
                d.help().map(|h| h.to_string()).unwrap_or_default(),
                fixes.into_iter().map(|f| f.replacement).collect(),
            )
        })
        .collect()
}

/// The text between the first pair of backticks after `marker` in `text`.
fn quoted_after<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    let rest = &text[text.find(marker)? + marker.len()..];
    let rest = &rest[rest.find('`')? + 1..];
    Some(&rest[..rest.find('`')?])
}

/// The source after following `help` for the flag `flag` misspelled as
/// `wrong` in `section { raw { wrong = … } }`.
fn follow(help: &str, flag: &str, section: &str, raw: &str, wrong: &str) -> String {
    let pointer = format!("mesosc sets `{flag}` itself: use ");
    let Some(at) = help.find(&pointer) else {
        // A plain rename.
        let to = quoted_after(help, "did you mean").expect("a candidate");
        return format!("{CLUSTER}{section} {{ {raw} {{ {to} = \"x\" }} }}\n");
    };
    let setting = &help[at + pointer.len()..];
    // "the `K` setting of the `B` block" or "`K` in the `B` block": the value
    // moves there; any other setting is derived from what the file holds.
    let simple = setting
        .strip_prefix("the `")
        .and_then(|s| s.split_once("` setting of the `"))
        .or_else(|| {
            let (key, rest) = setting.strip_prefix('`')?.split_once("` in the `")?;
            Some((key, rest))
        });
    match simple {
        Some((key, rest)) if !key.contains(' ') => {
            let owner = rest.split('`').next().expect("a block");
            format!("{CLUSTER}{owner} {{ {key} = {} }}\n", value_for(key))
        }
        _ => {
            let _ = wrong;
            CLUSTER.to_owned()
        }
    }
}

#[test]
fn a_misspelled_derived_flag_points_at_its_setting_in_one_step() {
    let mut wrong_help = Vec::new();
    let mut checked = 0;
    for d in DERIVED.iter().filter(|d| !d.flag.contains(".N")) {
        let (section, raw) = block(d.program);
        for wrong in misspellings(d.program, d.flag) {
            let source = format!("{CLUSTER}{section} {{ {raw} {{ {wrong} = \"x\" }} }}\n");
            let found = diagnose(&source);
            let Some((_, _, _, help, fixes)) = found
                .iter()
                .find(|(c, _, m, _, _)| c == "mcl::check::unknown_flag" && m.contains(&wrong))
            else {
                wrong_help.push(format!("{wrong}: not reported as unknown: {found:#?}"));
                continue;
            };
            if fixes.iter().any(|f| f == d.flag) {
                wrong_help.push(format!(
                    "{wrong}: a fix renames it to the derived `{}`",
                    d.flag
                ));
            }
            if help.starts_with(&format!("did you mean `{}`", d.flag)) {
                wrong_help.push(format!("{wrong}: `{help}` is a two-step fix"));
                continue;
            }
            if help.is_empty() {
                // Too far from the flag to be suggested at all: nothing to follow.
                continue;
            }
            let after = follow(help, d.flag, section, raw, &wrong);
            let errors: Vec<_> = diagnose(&after)
                .into_iter()
                .filter(|(c, s, _, _, _)| {
                    *s == Severity::Error && !FOLLOW_UPS.contains(&c.as_str())
                })
                .collect();
            if !errors.is_empty() {
                wrong_help.push(format!(
                    "{wrong} ({} `{}`): following `{help}` gives\n{after}\n{errors:#?}",
                    d.program.name(),
                    d.flag
                ));
            }
            checked += 1;
        }
    }
    assert!(checked > 60, "only {checked} misspellings were followed");
    assert!(wrong_help.is_empty(), "{}", wrong_help.join("\n\n"));
}

#[test]
fn the_readme_headline_mistake_is_fixed_by_its_help() {
    let found = diagnose(&format!(
        "{CLUSTER}follower {{ flags {{ workdir = \"/var/lib/mesos\" }} }}\n"
    ));
    let help = &found[0].3;
    assert_eq!(
        help,
        "mesosc sets `work_dir` itself: use the `work_dir` setting of the `follower` block"
    );
    let fixed = diagnose(&format!(
        "{CLUSTER}follower {{ work_dir = \"/var/lib/mesos\" }}\n"
    ));
    assert!(fixed.is_empty(), "{fixed:#?}");
}

#[test]
fn a_misspelling_near_a_free_flag_and_a_derived_one_names_both() {
    // `hostname` is the user's (mesosc does not derive an agent's hostname);
    // mesosc derives Marathon's `hostname`.
    let free = schema::flag_help(Program::Agent, "hostnme", &schema::Role::name).expect("close");
    assert!(free.starts_with("did you mean `hostname`"), "{free}");
    let marathon =
        schema::flag_help(Program::Marathon, "hostnme", &schema::Role::name).expect("close");
    assert!(
        marathon.starts_with("mesosc sets `hostname` itself: use the host's `hostname`"),
        "{marathon}"
    );
}

#[test]
fn a_misspelled_cluster_wide_key_in_a_host_points_at_the_cluster_wide_block() {
    use mesosc::schema::keys;
    let wide: Vec<_> = keys::all().filter(|k| !k.places.per_host()).collect();
    assert!(wide.len() >= 3);
    for key in wide {
        let block = key.block.name();
        let wrong = format!("{}{}", key.name, &key.name[key.name.len() - 1..]);
        let value = match key.name {
            "quorum" => "2",
            "chroot" => "\"/mesos-test\"",
            "marathon_chroot" => "\"/marathon-test\"",
            _ => "\"x\"",
        };
        let misplaced = CLUSTER.replace(
            "roles = [zookeeper, leader, marathon] }",
            &format!("roles = [zookeeper, leader, marathon]  {block} {{ {wrong} = {value} }} }}"),
        );
        let found = diagnose(&misplaced);
        let help = found
            .iter()
            .find(|(c, _, m, _, _)| c == "mcl::check::unknown_key" && m.contains(&wrong))
            .map(|f| f.3.clone())
            .unwrap_or_else(|| panic!("{wrong}: {found:#?}"));
        assert!(
            help.starts_with(&format!(
                "`{}` is cluster-wide: set it in the cluster-wide `{block} {{ … }}` block",
                key.name
            )),
            "{wrong}: {help}"
        );
        assert!(!help.contains("did you mean `"), "{wrong}: {help}");
        if value == "\"x\"" {
            continue;
        }
        let followed = format!("{CLUSTER}{block} {{ {} = {value} }}\n", key.name);
        let errors: Vec<_> = diagnose(&followed)
            .into_iter()
            .filter(|(_, s, _, _, _)| *s == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{followed}\n{errors:#?}");
    }
}
