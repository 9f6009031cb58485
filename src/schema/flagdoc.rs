//! A flag table's row as text: what the language server's hover shows on a
//! key inside `flags { }` / `settings { }`, and what `mesosc explain --flag`
//! prints. One formatter for both, so they never disagree.

use std::fmt::Write as _;

use super::derived::{derived, flag_help, in_words};
use super::program::Program;
use super::role::Role;
use super::table::{Availability, Flag, table};
use super::types::Status;
use super::version::Version;

/// The flag table's row for `name` as markdown: program, type, default,
/// first version, status, secret marker, what `target` (the declared
/// version) makes of it, whether mesosc sets it, and the summary. For an
/// unknown name, a line saying so with a "did you mean".
pub fn flag_doc(program: Program, name: &str, target: Option<&Version>) -> String {
    let what = match program {
        Program::ZooKeeper => "ZooKeeper setting".to_string(),
        _ => format!("{} flag", program.name()),
    };
    let Some(f) = table(program).get(name) else {
        let mut s = format!("**`{name}`**: not a {what}");
        if let Some(hint) = flag_help(program, name, &Role::name) {
            let _ = write!(s, " — {hint}");
        }
        return s + "\n";
    };
    let mut s = format!("**`{}`** — {what}\n\n", f.name);
    let _ = writeln!(s, "- type: `{}`", f.ty);
    match f.default {
        "" => s.push_str("- default: none\n"),
        d => {
            let _ = writeln!(s, "- default: `{d}`");
        }
    }
    let _ = writeln!(s, "- since: {} {}", program.product(), f.since);
    let _ = writeln!(s, "- status: {}", status(&f.status));
    match f.secret() {
        Some(Some(instead)) => {
            let _ = writeln!(
                s,
                "- secret: the value is a secret; use `{instead}` with a file"
            );
        }
        Some(None) => s.push_str("- secret: the value is a secret; write `file(\"/path\")`\n"),
        None => {}
    }
    s.push_str(&notes(f, target));
    let _ = write!(s, "\n{}\n", f.summary);
    s
}

/// The flags a `[PROGRAM.]NAME` query names: with a program (`mesos-master`,
/// `master`, `leader`, `mesos-agent`, `agent`, `follower`, `marathon`,
/// `zookeeper`) and a dot, that program's flag; a bare name, every program's
/// flag of that name, in table order. `Err` holds a "did you mean" over the
/// tables asked, when something is close.
pub fn find_flags(query: &str) -> Result<Vec<(Program, &'static Flag)>, Option<String>> {
    let query = query.trim().trim_start_matches('-');
    let (programs, name) = match query
        .split_once('.')
        .and_then(|(p, n)| Some((program(p)?, n)))
    {
        Some((p, n)) => (vec![p], n),
        None => (Program::ALL.to_vec(), query),
    };
    let found: Vec<_> = (programs.iter())
        .filter_map(|&p| table(p).get(name).map(|f| (p, f)))
        .collect();
    if !found.is_empty() {
        return Ok(found);
    }
    let candidates: Vec<&'static str> = programs.iter().flat_map(|&p| table(p).names()).collect();
    Err(crate::suggest::did_you_mean(name, candidates))
}

/// A program by any of the names MCL and the binaries use.
fn program(name: &str) -> Option<Program> {
    Some(match name {
        "mesos-master" | "master" | "leader" => Program::Master,
        "mesos-agent" | "mesos-slave" | "agent" | "follower" => Program::Agent,
        "marathon" => Program::Marathon,
        "zookeeper" => Program::ZooKeeper,
        _ => return None,
    })
}

/// What the declared version makes of a flag, and whether mesosc sets it.
fn notes(f: &Flag, target: Option<&Version>) -> String {
    let mut s = String::new();
    let availability = target.map(|t| (t, f.check_version(t)));
    if let Some((t, a)) = availability
        && a != Availability::Available
        && let Some((message, help)) = a.describe(f, t)
    {
        let help = help.map(|h| format!(" ({h})")).unwrap_or_default();
        let _ = writeln!(s, "- for {} {t}: {message}{help}", f.program.product());
    }
    if let Some(d) = derived(f.program, f.name) {
        let setting = in_words(d.setting, &Role::name);
        let _ = writeln!(s, "- set by mesosc: use {setting} ({})", d.why);
    }
    s
}

fn status(status: &Status) -> String {
    match status {
        Status::Current => "current".into(),
        Status::AliasOf(new) => format!("deprecated alias of `{new}`"),
        Status::Removed {
            version,
            replacement: Some(r),
        } => format!("removed in {version}; use `{r}`"),
        Status::Removed { version, .. } => format!("removed in {version}"),
        Status::Deprecated { since, hint } => {
            let since = since
                .as_ref()
                .map(|v| format!(" since {v}"))
                .unwrap_or_default();
            let hint = if hint.is_empty() {
                String::new()
            } else {
                format!(": {hint}")
            };
            format!("deprecated{since}{hint}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_name_finds_every_program_with_it() {
        let found = find_flags("work_dir").expect("known");
        let programs: Vec<Program> = found.iter().map(|(p, _)| *p).collect();
        assert_eq!(programs, [Program::Master, Program::Agent]);
    }

    #[test]
    fn a_program_prefix_narrows_and_zookeeper_keys_keep_their_dots() {
        let found = find_flags("agent.work_dir").expect("known");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, Program::Agent);
        let zk = find_flags("zookeeper.autopurge.purgeInterval").expect("known");
        assert_eq!(
            (zk[0].0, zk[0].1.name),
            (Program::ZooKeeper, "autopurge.purgeInterval")
        );
        let bare = find_flags("autopurge.purgeInterval").expect("known");
        assert_eq!(bare[0].0, Program::ZooKeeper);
    }

    #[test]
    fn an_unknown_name_suggests_the_nearest() {
        let err = find_flags("workdir").expect_err("unknown");
        assert_eq!(err.as_deref(), Some("did you mean `work_dir`?"));
        assert_eq!(
            find_flags("marathon.zzzzzzzzzz").expect_err("unknown"),
            None
        );
    }

    #[test]
    fn the_doc_shows_type_default_version_status_and_secret() {
        let doc = flag_doc(Program::Agent, "work_dir", None);
        assert!(
            doc.starts_with("**`work_dir`** — mesos-agent flag"),
            "{doc}"
        );
        assert!(doc.contains("- type: `path`"), "{doc}");
        assert!(doc.contains("- since: Mesos "), "{doc}");
        assert!(doc.contains("- status: current"), "{doc}");
        assert!(!doc.contains("secret"), "{doc}");
        let secret = flag_doc(Program::Marathon, "http_credentials", None);
        assert!(
            secret.contains("- secret: the value is a secret"),
            "{secret}"
        );
        let old = flag_doc(
            Program::Master,
            "authenticate_slaves",
            Some(&Version::new(1, 11, 0)),
        );
        assert!(
            old.contains("deprecated alias of `authenticate_agents`"),
            "{old}"
        );
        assert!(old.contains("- for Mesos 1.11.0:"), "{old}");
        let unknown = flag_doc(Program::Agent, "workdir", None);
        assert_eq!(
            unknown,
            "**`workdir`**: not a mesos-agent flag — mesosc sets `work_dir` itself: \
             use the `work_dir` setting of the `follower` block\n"
        );
        let typo = flag_doc(Program::Agent, "containerizer", None);
        assert!(typo.contains("did you mean `containerizers`"), "{typo}");
    }
}
