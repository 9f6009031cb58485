//! `mesosc plan FILE --from DIR | --from-git REF`: the rollout from the
//! deployed output folder to what FILE builds (see `mesosc::rollout`).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use mesosc::rollout::{self, Tree};

use super::{Common, exiting, json_out, load, out, report};

#[derive(Args, Debug)]
pub(super) struct PlanArgs {
    /// The main `.mcl` file (`-`: standard input); without it, every
    /// cluster of `mesosc.toml` (in this folder or the nearest above).
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub rollout: RolloutArgs,
    #[command(flatten)]
    pub common: Common,
}

/// The options of a rollout plan.
#[derive(Args, Debug)]
pub(super) struct RolloutArgs {
    /// The output folder deployed now: plan the steps from it to what FILE builds.
    #[arg(long, value_name = "DIR", conflicts_with = "from_git")]
    pub from: Option<PathBuf>,
    /// The output folder (`--out`, default `out`) as it is at this Git
    /// revision (read with `git`): plan the steps from it to what FILE builds.
    #[arg(long, value_name = "REF")]
    pub from_git: Option<String>,
    /// With `--from-git`: the output folder's path (default `out`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Proceed despite this danger (its code, e.g. `mcl::plan::chroot_changed`); repeatable.
    #[arg(long, value_name = "CODE")]
    pub allow: Vec<String>,
    /// Agents restarted at a time: a count or a percentage (`25%`).
    #[arg(long, value_name = "N|N%", value_parser = batch)]
    pub batch: Option<String>,
    /// One batch of agents per value of this agent attribute (e.g. `rack`).
    #[arg(long, value_name = "ATTRIBUTE", conflicts_with = "batch")]
    pub batch_by: Option<String>,
    /// How to print the steps: text, or an Ansible playbook on standard
    /// output (diagnostics on standard error).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// With `--format ansible`: write the matching inventory to FILE.
    #[arg(long, value_name = "FILE")]
    pub inventory: Option<PathBuf>,
}

impl RolloutArgs {
    /// Whether a rollout was asked for (else `plan` prints the waves).
    pub fn active(&self) -> bool {
        self.from.is_some() || self.from_git.is_some()
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Format {
    Text,
    Ansible,
}

fn batch(text: &str) -> Result<String, String> {
    if rollout::steps::valid_batch(text) {
        Ok(text.to_owned())
    } else {
        Err("a positive count or a percentage from 1% to 100%".to_owned())
    }
}

/// Reads the deployed tree the arguments name.
fn deployed(args: &RolloutArgs, target: &Target) -> Result<Tree, String> {
    match (&args.from, &args.from_git) {
        (Some(dir), _) => Tree::from_dir(dir),
        (None, Some(rev)) => Tree::from_git(Path::new("."), rev, &target.out),
        (None, None) => Err("neither --from nor --from-git".to_owned()),
    }
}

use super::Target;

/// Plans the rollout of one target; the exit code.
pub(super) fn run(target: &Target, common: &Common, args: &RolloutArgs) -> u8 {
    if args.format == Format::Ansible && common.json() {
        // The playbook is standard output: JSON records would corrupt it.
        errln!(
            "error: --format ansible prints the playbook on standard output; diagnostics go to standard error as text, so drop --message-format json"
        );
        return 2;
    }
    let old = match deployed(args, target) {
        Ok(t) => t,
        Err(e) => {
            errln!("error: {e}");
            return 2;
        }
    };
    let Some(mut checked) = load(target) else {
        return 2;
    };
    let files = mesosc::compile::emit_checked(&mut checked);
    let (Some(files), Some(model)) = (files, checked.model.as_ref()) else {
        report(&checked, common);
        exiting(checked);
        return 1;
    };
    let options = rollout::Options {
        batch: args.batch.clone(),
        batch_by: args.batch_by.clone(),
        allow: args.allow.clone(),
        words: (checked.resolved.as_ref()).map_or_else(Default::default, |r| r.words.clone()),
    };
    let new = Tree::from_files(&files);
    let plan = rollout::plan(&old, &new, model, &options);
    let refused = !plan.refused.is_empty();
    for d in &plan.refused {
        checked.diagnostics.push(d.clone());
    }
    let failed = report(&checked, common);
    if failed || refused {
        exiting(checked);
        return 1;
    }
    let code = match (args.format, common.json()) {
        (Format::Ansible, _) => ansible_out(&plan, model, args, target),
        (Format::Text, true) => {
            records(&plan);
            0
        }
        (Format::Text, false) => {
            out(&rollout::text::render(&plan));
            0
        }
    };
    exiting(checked);
    code
}

/// `change` and `step` records, one a line.
fn records(plan: &rollout::Rollout) {
    for u in plan.hosts.iter().flat_map(|h| &h.units) {
        if u.action != rollout::Action::Nothing || !u.files.is_empty() {
            json_out(&rollout::ChangeRecord {
                kind: "change",
                unit: u,
            });
        }
    }
    for (i, s) in plan.steps.iter().enumerate() {
        json_out(&rollout::StepRecord {
            kind: "step",
            step: i + 1,
            inner: s,
        });
    }
}

/// The playbook on standard output; `--inventory FILE` written.
fn ansible_out(
    plan: &rollout::Rollout,
    model: &mesosc::model::Cluster,
    args: &RolloutArgs,
    target: &Target,
) -> u8 {
    // The copies' source: the new build's folder, as an absolute path (the
    // playbook may run from anywhere; `-e mesosc_out=DIR` overrides it).
    let out_dir = std::path::absolute(&target.out).unwrap_or_else(|_| target.out.clone());
    let source = target.file_name();
    let (playbook, inventory) =
        rollout::ansible::playbook(plan, model, &out_dir.to_string_lossy(), &source);
    if let Some(path) = &args.inventory
        && let Err(e) = std::fs::write(path, inventory)
    {
        errln!("error: cannot write `{}`: {e}", path.display());
        return 2;
    }
    out(&playbook);
    0
}
