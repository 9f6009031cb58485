//! The rollout for people: the changes per host and service, then the
//! steps in order, then what was allowed.

use std::fmt::Write as _;

use super::changes::{Action, FileStatus};
use super::steps::{Step, StepKind};
use super::{Rollout, RolloutError};

/// The whole rollout as text (the refused dangers are diagnostics, shown
/// apart).
pub fn render(r: &Rollout) -> String {
    let mut out = String::new();
    if r.versions_unknown {
        out.push_str(
            "note: the deployed manifest.json records no versions (an older mesosc wrote it): \
             a version change is neither ordered nor checked\n",
        );
    }
    for v in &r.versions {
        let _ = writeln!(out, "version: {v}");
    }
    out.push_str("changes:\n");
    let mut any = false;
    for h in &r.hosts {
        for u in h
            .units
            .iter()
            .filter(|u| u.action != Action::Nothing || !u.files.is_empty())
        {
            any = true;
            let _ = write!(out, "  {}/{}: {}", u.host, u.unit, u.action.name());
            let files: Vec<String> = (u.files.iter())
                .map(|f| format!("{} ({})", f.path, status(f.status)))
                .collect();
            if !files.is_empty() {
                let _ = write!(out, " — {}", files.join(", "));
            }
            if !u.settings.is_empty() {
                let _ = write!(out, "; settings: {}", u.settings.join(", "));
            }
            out.push('\n');
        }
        for f in &h.other {
            any = true;
            let _ = writeln!(
                out,
                "  {}: {} ({}): read at first boot only, nothing to do on a running host",
                h.host,
                f.path,
                status(f.status)
            );
        }
    }
    for f in &r.cluster_files {
        any = true;
        let _ = writeln!(
            out,
            "  {} ({}): submit with fleetctl (not part of these steps)",
            f.path,
            status(f.status)
        );
    }
    if !any {
        out.push_str("  none: the deployed files are what a build writes\n");
    }
    if !r.steps.is_empty() {
        out.push_str("steps:\n");
    }
    for (i, s) in r.steps.iter().enumerate() {
        let _ = writeln!(out, "  {}. {}", i + 1, step(s));
    }
    for d in &r.allowed {
        let _ = writeln!(out, "allowed: {}: {d}", d.code_name());
    }
    out
}

fn status(s: FileStatus) -> &'static str {
    match s {
        FileStatus::Added => "new",
        FileStatus::Removed => "removed",
        FileStatus::Changed => "changed",
        FileStatus::Comments => "comments only",
    }
}

/// One step in a line.
pub fn step(s: &Step) -> String {
    let hosts: Vec<String> = (s.hosts.iter())
        .map(|h| format!("{} ({})", h.host, h.action.name()))
        .collect();
    let what = match s.kind {
        StepKind::Update => s.unit.clone(),
        StepKind::Drain => format!("{}, drained first", s.unit),
        StepKind::Stop => format!("{}: stop and disable", s.unit),
    };
    let mut line = format!("{what} on {}", hosts.join(", "));
    if let Some(b) = &s.batch {
        let _ = write!(line, " [batch {b}]");
    }
    let at_a_time = if s.serial == "1" {
        "one at a time".to_owned()
    } else {
        format!("{} at a time", s.serial)
    };
    let _ = write!(line, "; {at_a_time}");
    if s.leader_last {
        line.push_str(", the current leader last");
    }
    if let Some(w) = s.wait {
        let _ = write!(line, "; each waits until {}", w.describe());
    }
    line
}

/// A refused danger's line for the summary.
pub fn refused_line(d: &RolloutError) -> String {
    format!("{}: {d}", d.code_name())
}
