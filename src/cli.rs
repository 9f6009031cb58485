//! Command-line parsing, rendering of diagnostics, and exit codes:
//! 0 success (up to date, no difference), 1 diagnostics reported, 2 usage
//! or I/O problems, 3 stale or different (`build --check`, `diff
//! --exit-code`).

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use mesosc::diagnostic::WithSource;
use mesosc::{Checked, Options};
use miette::{Diagnostic, MietteHandlerOpts, ReportHandler};

mod complete;
mod explain;
mod format;
mod man;
mod targets;
mod ui;
use targets::Target;
use ui::Stream;

/// The exit code of a stale output folder or a difference.
const STALE: u8 = 3;

/// Like `eprintln!`, but a closed standard error is not a panic.
macro_rules! errln {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod rollout;
use rollout::PlanArgs;

/// mesosc: a compiler for Apache Mesos clusters.
#[derive(Parser, Debug)]
#[command(name = "mesosc", version, about, propagate_version = true)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// Options every command takes.
#[derive(Args, Debug)]
struct Global {
    /// Print no status lines (`Checked`, `Built`…); reports and errors still print.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more: a status line for every file formatted or written.
    #[arg(short, long, global = true)]
    verbose: bool,
    /// When to colour output: `auto` follows cargo's rules (a terminal,
    /// unless `NO_COLOR` is set or `TERM=dumb`; `CLICOLOR_FORCE` forces it).
    #[arg(long, value_enum, global = true, default_value_t = ui::Color::Auto)]
    color: ui::Color,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check a cluster description and report every problem; writes nothing.
    Check(CheckArgs),
    /// Compile a cluster description into the files of the output folder.
    Build(BuildArgs),
    /// Show the unified diff between the output folder and what a build would write.
    Diff(DiffArgs),
    /// Print the rollout plan: the waves of services that can start together;
    /// with `--from DIR` or `--from-git REF`, the steps that take the
    /// deployed output folder to what FILE builds (see docs/rollouts.md).
    Plan(PlanArgs),
    /// Print the service dependency graph in Graphviz DOT: the ZooKeeper
    /// ensemble and the services of hosts of one kind as single nodes, one
    /// column per wave (`--per-service`: one node per service of each host).
    Graph(GraphArgs),
    /// Apply every machine-applicable fix the checker proposes to FILE and its
    /// imports (like `cargo fix`), then report what is left.
    Fix(CheckArgs),
    /// Format `.mcl` files in place in the one canonical layout (comments kept).
    Fmt {
        /// The files and folders to format (a folder: every `.mcl` below it;
        /// none: the current folder); `-` formats standard input to standard
        /// output.
        files: Vec<PathBuf>,
        /// Write nothing; fail and name every file that is not formatted.
        #[arg(long)]
        check: bool,
        /// Write nothing; show what formatting would change as a unified
        /// diff, and fail when it would change anything.
        #[arg(long)]
        diff: bool,
        /// The name standard input (`-`) gets in reports.
        #[arg(long, value_name = "PATH")]
        stdin_filename: Option<PathBuf>,
    },
    /// Run the language server on standard input and output.
    Lsp,
    /// Print a shell completion script (e.g. `mesosc completions bash > /etc/bash_completion.d/mesosc`):
    /// `.mcl` files, `explain` codes and the `--env` names of the file given.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// The candidates the completion scripts offer, one a line: `commands`,
    /// `flags COMMAND`, `codes`, `envs FILE`.
    #[command(name = "__complete", hide = true)]
    Complete {
        /// What to list.
        kind: String,
        /// The command (`flags`) or the file (`envs`).
        arg: Option<String>,
    },
    /// Print the man page (roff), e.g. `mesosc man | man -l -`; with
    /// `--out DIR`, write every page (mesosc.1, mesosc-build.1, …) there.
    Man {
        /// The folder to write every page into.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Explain a diagnostic code (what it means, an example, and the fix),
    /// or a flag of Mesos, Marathon or ZooKeeper.
    Explain {
        /// The code, e.g. `mcl::check::unknown_flag` or `unknown_flag`;
        /// `--list` lists every code.
        #[arg(required_unless_present_any = ["list", "flag"])]
        code: Option<String>,
        /// List every code with the first sentence of its meaning.
        #[arg(long, conflicts_with_all = ["code", "flag"])]
        list: bool,
        /// Explain a flag from the flag tables: `[PROGRAM.]NAME`, where
        /// PROGRAM is `mesos-master` (`leader`), `mesos-agent` (`follower`),
        /// `marathon` or `zookeeper`; a bare NAME prints every program's
        /// flag of that name.
        #[arg(long, value_name = "[PROGRAM.]NAME", conflicts_with = "code")]
        flag: Option<String>,
    },
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// The main `.mcl` file (`-`: standard input); without it, every
    /// cluster of `mesosc.toml` (in this folder or the nearest above).
    file: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
}

#[derive(Args, Debug)]
struct GraphArgs {
    #[command(flatten)]
    check: CheckArgs,
    /// One node per service of each host, in a box per host (the graph of
    /// mesosc 0.1), instead of grouped nodes.
    #[arg(long)]
    per_service: bool,
}

#[derive(Args, Debug)]
struct BuildArgs {
    #[command(flatten)]
    out: OutArgs,
    /// Write nothing; render, compare and fail (exit 3) naming every file
    /// that differs, is missing, is extra or is not mesosc's.
    #[arg(long)]
    check: bool,
    /// Replace the output folder's files even when its manifest names
    /// another cluster or environment.
    #[arg(long)]
    force: bool,
}

#[derive(Args, Debug)]
struct OutArgs {
    /// The main `.mcl` file; without it, every cluster of `mesosc.toml`
    /// (in this folder or the nearest above).
    file: Option<PathBuf>,
    /// The output folder (default `out`).
    #[arg(short = 'o', long, value_name = "DIR")]
    out: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
}

#[derive(Args, Debug)]
struct DiffArgs {
    #[command(flatten)]
    out: OutArgs,
    /// Exit with 3 when there is a difference (like `git diff --exit-code`).
    #[arg(long)]
    exit_code: bool,
}

/// Options every compiling command takes.
#[derive(Args, Debug)]
struct Common {
    /// Apply this environment overlay (overrides `cluster.environment`).
    #[arg(long, value_name = "NAME")]
    env: Option<String>,
    /// Fail on warnings too.
    #[arg(long)]
    strict: bool,
    /// How to print diagnostics: for people, or one JSON object a line on
    /// standard output (see the README).
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
    /// The name standard input (`-`) gets in reports; imports are relative
    /// to its folder.
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
}

impl Common {
    fn json(&self) -> bool {
        self.message_format == MessageFormat::Json
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum MessageFormat {
    Human,
    Json,
}

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    ui::set(ui::Ui {
        color: cli.global.color,
        quiet: cli.global.quiet,
        verbose: cli.global.verbose,
    });
    match cli.command {
        Command::Check(args) => each(args.file.as_deref(), None, &args.common, check),
        Command::Build(args) => {
            let (o, check, force) = (&args.out, args.check, args.force);
            each(o.file.as_deref(), o.out.as_deref(), &o.common, |t, c| {
                build(t, c, check, force)
            })
        }
        Command::Diff(args) => {
            let (o, exit_code) = (&args.out, args.exit_code);
            each(o.file.as_deref(), o.out.as_deref(), &o.common, |t, c| {
                diff(t, c, exit_code)
            })
        }
        Command::Plan(args) if args.rollout.active() => {
            let out = args.rollout.out.as_deref();
            each(args.file.as_deref(), out, &args.common, |t, c| {
                rollout::run(t, c, &args.rollout)
            })
        }
        Command::Plan(args) => each(args.file.as_deref(), None, &args.common, |t, c| {
            plan(t, c, None)
        }),
        Command::Graph(args) => {
            let (a, per_service) = (&args.check, args.per_service);
            each(a.file.as_deref(), None, &a.common, |t, c| {
                plan(t, c, Some(per_service))
            })
        }
        Command::Fix(args) => each(args.file.as_deref(), None, &args.common, fix),
        Command::Explain { code, list, flag } => match flag {
            Some(flag) => explain::flag(&flag),
            None => explain::code(code.as_deref(), list),
        },
        Command::Fmt {
            files,
            check,
            diff,
            stdin_filename,
        } => format::run(
            &files,
            format::Mode { check, diff },
            stdin_filename.as_deref(),
        ),
        Command::Completions { shell } => {
            out(&complete::script(shell));
            ExitCode::SUCCESS
        }
        Command::Complete { kind, arg } => {
            let mut text = complete::candidates(&kind, arg.as_deref()).join("\n");
            text.push('\n');
            out(&text);
            ExitCode::SUCCESS
        }
        Command::Man { out: dir } => man::command(Cli::command(), dir.as_deref()),
        Command::Lsp => match mesosc::lsp::run_stdio() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                ui::error(&format!("{e}"));
                ExitCode::from(1)
            }
        },
    }
}

/// Runs `command` on the cluster FILE names, or on every entry of the
/// workspace file; the highest exit code wins.
fn each(
    file: Option<&Path>,
    out: Option<&Path>,
    common: &Common,
    command: impl Fn(&Target, &Common) -> u8,
) -> ExitCode {
    let targets = match targets::resolve(file, out, common) {
        Ok(t) => t,
        Err(message) => {
            ui::error(&message);
            return ExitCode::from(2);
        }
    };
    let mut code = 0;
    for target in &targets {
        target.announce(common.json());
        code = code.max(command(target, common));
    }
    ExitCode::from(code)
}

fn check(target: &Target, common: &Common) -> u8 {
    let Some(checked) = load(target) else {
        return 2;
    };
    let failed = report(&checked, common);
    if !failed {
        let hosts = checked.model.as_ref().map_or(0, |m| m.hosts.len());
        let hosts = ui::count(hosts, "host", "hosts");
        ui::status("Checked", &format!("{} ({hosts})", target.file_name()));
    }
    exiting(checked);
    u8::from(failed)
}

/// Applies the fixes every diagnostic carries ([`mesosc::fix::carried`]) to
/// the files they point into, then checks again and reports what is left:
/// exit codes as `check`.
fn fix(target: &Target, common: &Common) -> u8 {
    if target.stdin.is_some() {
        ui::error("`mesosc fix` rewrites files: give a path, not `-`");
        return 2;
    }
    let Some(checked) = load(target) else {
        return 2;
    };
    let mut per_file: std::collections::BTreeMap<_, Vec<_>> = Default::default();
    for d in checked.diagnostics.iter() {
        for f in mesosc::fix::carried(d, &checked.sources) {
            if let Some(id) = checked.sources.file_of(f.span.start) {
                per_file.entry(id).or_default().push(f);
            }
        }
    }
    for (id, fixes) in per_file {
        let file = checked.sources.file(id);
        let (text, applied) = mesosc::fix::apply(&file.text, file.base, &fixes);
        if applied == 0 {
            continue;
        }
        if let Err(e) = format::write_atomically(&file.path, &text) {
            ui::error(&format!("cannot write `{}`: {e}", file.path.display()));
            return 2;
        }
        let fixes = ui::count(applied, "fix", "fixes");
        ui::status("Fixed", &format!("{} ({fixes})", file.path.display()));
    }
    check(target, common)
}

/// Lets the process's exit free `value`: taking apart a checked cluster,
/// table by table, costs a tenth of checking it, for memory the process is
/// about to give back whole.
fn exiting<T>(value: T) {
    std::mem::forget(value);
}

/// Compiles a target and reports its diagnostics; the files when it
/// succeeded, or the exit code to end with. After a clean check, `done` is
/// asked whether the output folder already holds this build (given the
/// inputs' fingerprint); if so, nothing is emitted and the result is `None`.
fn compile(
    target: &Target,
    common: &Common,
    done: &mut dyn FnMut(&str) -> bool,
) -> Result<Option<mesosc::emit::FileSet>, u8> {
    let mut checked = load(target).ok_or(2u8)?;
    let clean = checked.model.is_some()
        && checked.plan.is_some()
        && !checked.diagnostics.failed(common.strict);
    let skip = clean && done(&checked.inputs.fingerprint);
    let files = if skip {
        None
    } else {
        mesosc::compile::emit_checked(&mut checked)
    };
    let failed = report(&checked, common);
    exiting(checked);
    if failed {
        return Err(1);
    }
    if skip {
        return Ok(None);
    }
    files.map(Some).ok_or(1)
}

fn build(target: &Target, common: &Common, check: bool, force: bool) -> u8 {
    let dir = &target.out;
    // While the sources are checked, another thread surveys the output
    // folder: when it already holds this very build (same inputs, every
    // file as written), there is nothing to emit or write.
    let stop = Arc::new(AtomicBool::new(false));
    let mut survey = Some({
        let (dir, stop) = (dir.clone(), Arc::clone(&stop));
        std::thread::spawn(move || mesosc::output::survey(&dir, &stop))
    });
    let mut unchanged = None;
    let mut inputs = String::new();
    let compiled = compile(target, common, &mut |fingerprint| {
        let survey = survey.take().and_then(|s| s.join().ok()).flatten();
        inputs = fingerprint.to_owned();
        // `--check` never trusts the survey: it renders and compares.
        unchanged = survey
            .filter(|_| !check)
            .and_then(|s| s.unchanged(fingerprint));
        unchanged.is_some()
    });
    stop.store(true, Ordering::Relaxed);
    let files = match compiled {
        Ok(f) => f,
        Err(code) => return code,
    };
    if check {
        return check_output(target, &files.unwrap_or_default(), common);
    }
    let written = match (files, unchanged) {
        (Some(files), _) => {
            let written = write(dir, &files, mesosc::output::WriteOptions { force });
            if written.is_ok() {
                mesosc::output::remember(dir, &inputs, &files);
            }
            exiting(files);
            written
        }
        (None, report) => Ok(report.unwrap_or_default()),
    };
    match written {
        Ok(r) => {
            built(target, &r, common);
            0
        }
        Err(e) => {
            ui::error(&format!("{e}"));
            if let Some(help) = miette::Diagnostic::help(&e) {
                errln!("help: {help}");
            }
            2
        }
    }
}

/// Writes the folder; in debug builds, `MESOSC_TEST_KILL_AFTER=N` kills the
/// process (SIGKILL) before the Nth change: the crash-recovery tests' hook.
fn write(
    dir: &Path,
    files: &mesosc::emit::FileSet,
    options: mesosc::output::WriteOptions,
) -> Result<mesosc::output::WriteReport, mesosc::output::OutputError> {
    let kill_after = std::env::var("MESOSC_TEST_KILL_AFTER").ok();
    let Some(n) = kill_after.and_then(|n| n.parse::<usize>().ok()) else {
        return mesosc::output::write_opts(dir, files, options);
    };
    if !cfg!(debug_assertions) {
        return mesosc::output::write_opts(dir, files, options);
    }
    let count = std::sync::atomic::AtomicUsize::new(0);
    let fault = |_: &Path| {
        if count.fetch_add(1, Ordering::SeqCst) + 1 >= n {
            #[cfg(unix)]
            let _ = rustix::process::kill_process(
                rustix::process::getpid(),
                rustix::process::Signal::KILL,
            );
            std::process::abort();
        }
        Ok(())
    };
    mesosc::output::write_with(dir, files, options, &fault)
}

/// Reports what a build did.
fn built(target: &Target, r: &mesosc::output::WriteReport, common: &Common) {
    use mesosc::json::records;
    for path in &r.edited {
        ui::warning(&format!(
            "`{path}` had been edited by hand; mesosc replaced it"
        ));
    }
    for path in &r.kept {
        ui::warning(&format!(
            "`{path}` is no longer built, but it is not as mesosc wrote it; left alone (delete it if it is not needed)"
        ));
    }
    for path in &r.foreign {
        errln!("note: `{path}` was not written by mesosc; left alone");
    }
    if r.recovered {
        errln!("note: an interrupted build's changes were completed first");
    }
    if r.merged {
        errln!("note: manifest.json had merge conflict markers; it was rebuilt");
    }
    for path in &r.written {
        ui::detail("Wrote", &format!("{}/{path}", target.out.display()));
    }
    for path in &r.removed {
        ui::detail("Removed", &format!("{}/{path}", target.out.display()));
    }
    ui::status(
        "Built",
        &format!(
            "{} into {}: {} written, {} unchanged, {} removed",
            target.file_name(),
            target.out.display(),
            r.written.len(),
            r.unchanged.len(),
            r.removed.len()
        ),
    );
    if common.json() {
        let out_dir = target.out.display().to_string();
        json_out(&records::Build {
            kind: "build",
            out: &out_dir,
            written: &r.written,
            unchanged: r.unchanged.len(),
            removed: &r.removed,
            edited: &r.edited,
            foreign: &r.foreign,
        });
    }
}

/// Writes one JSON record a line to standard output.
fn json_out(record: &impl serde::Serialize) {
    let mut line = mesosc::json::records::line(record);
    line.push('\n');
    out(&line);
}

fn status(dir: &Path, differences: usize) {
    let out_dir = dir.display().to_string();
    json_out(&mesosc::json::records::Status {
        kind: "status",
        out: &out_dir,
        up_to_date: differences == 0,
        differences,
    });
}

fn up_to_date(dir: &Path, files: usize, common: &Common) {
    let files = ui::count(files, "file", "files");
    ui::status(
        "Checked",
        &format!("{}: up to date ({files})", dir.display()),
    );
    if common.json() {
        status(dir, 0);
    }
}

fn check_output(target: &Target, files: &mesosc::emit::FileSet, common: &Common) -> u8 {
    let dir = &target.out;
    let drift = match mesosc::output::check(dir, files) {
        Ok(drift) => drift,
        Err(e) => {
            ui::error(&format!("{e}"));
            return 2;
        }
    };
    for d in &drift {
        if common.json() {
            json_out(&mesosc::json::records::Drift {
                kind: "drift",
                path: &d.path,
                status: d.kind.as_str(),
            });
        } else {
            out(&format!("{d}\n"));
        }
    }
    if drift.is_empty() {
        up_to_date(dir, files.len(), common);
        return 0;
    }
    ui::error(&format!(
        "{} is out of date: {} (run `{}` to update it; remove files mesosc does not own)",
        dir.display(),
        ui::count(drift.len(), "file differs", "files differ"),
        target.command("build")
    ));
    if common.json() {
        status(dir, drift.len());
    }
    STALE
}

fn diff(target: &Target, common: &Common, exit_code: bool) -> u8 {
    let files = match compile(target, common, &mut |_| false) {
        Ok(files) => files.unwrap_or_default(),
        Err(code) => return code,
    };
    let diffs = match mesosc::output::diffs(&target.out, &files) {
        Ok(diffs) => diffs,
        Err(e) => {
            ui::error(&format!("{e}"));
            return 2;
        }
    };
    if common.json() {
        for (path, text) in &diffs {
            json_out(&mesosc::json::records::Diff {
                kind: "diff",
                path,
                diff: text,
            });
        }
        status(&target.out, diffs.len());
    } else {
        let text: String = diffs.iter().map(|(_, d)| d.as_str()).collect();
        let color = ui::colors(Stream::Stdout);
        out(&if color {
            mesosc::output::diff::colored(&text)
        } else {
            text
        });
    }
    if exit_code && !diffs.is_empty() {
        STALE
    } else {
        0
    }
}

/// `plan`, or with `graph: Some(per_service)` the graph in DOT.
fn plan(target: &Target, common: &Common, graph: Option<bool>) -> u8 {
    use mesosc::json::records;
    let Some(checked) = load(target) else {
        return 2;
    };
    if report(&checked, common) {
        return 1;
    }
    let Some(plan) = checked.plan else {
        return 1;
    };
    let dot = |per_service| {
        if per_service {
            plan.dot()
        } else {
            plan.grouped_dot()
        }
    };
    match (graph, common.json()) {
        (Some(per_service), false) => out(&dot(per_service)),
        (Some(per_service), true) => json_out(&records::Graph {
            kind: "graph",
            dot: &dot(per_service),
        }),
        (None, true) => {
            for (i, wave) in plan.waves.iter().enumerate() {
                let services = (wave.iter())
                    .map(|n| records::Service {
                        host: &n.host,
                        unit: &n.unit,
                    })
                    .collect();
                json_out(&records::Wave {
                    kind: "wave",
                    wave: i + 1,
                    services,
                });
            }
        }
        (None, false) => {
            let mut text = String::new();
            for (i, wave) in plan.waves.iter().enumerate() {
                text.push_str(&format!("wave {}:\n", i + 1));
                for node in wave {
                    text.push_str(&format!("  {}\n", node.name()));
                }
            }
            out(&text);
        }
    }
    0
}

/// Checks a target; `None` (after printing why) when it cannot be read.
fn load(target: &Target) -> Option<Checked> {
    let options = Options {
        env: target.env.clone(),
        drop_resolved: true,
    };
    let checked = match &target.stdin {
        Some(files) => {
            mesosc::check_path(&target.file, files, &mesosc::compile::process_env, &options)
        }
        None => mesosc::check_path(
            &target.file,
            &mesosc::files::DiskFiles,
            &mesosc::compile::process_env,
            &options,
        ),
    };
    match checked {
        Ok(c) => Some(c),
        Err(e) => {
            ui::error(&format!("cannot read `{}`: {e}", target.file_name()));
            None
        }
    }
}

/// Prints every diagnostic and a summary; returns whether the run failed.
fn report(checked: &Checked, common: &Common) -> bool {
    if common.message_format == MessageFormat::Json {
        return report_json(checked, common);
    }
    let color = ui::colors(Stream::Stderr);
    let handler = MietteHandlerOpts::new().color(color).unicode(color).build();
    let mut err = std::io::stderr().lock();
    for d in checked.diagnostics.iter() {
        let shown = WithSource {
            diagnostic: d,
            sources: &checked.sources,
        };
        let _ = write!(err, "{}", Render(&handler, &shown));
    }
    let (errors, warnings) = (
        checked.diagnostics.error_count(),
        checked.diagnostics.warning_count(),
    );
    let failed = checked.diagnostics.failed(common.strict);
    if failed {
        drop(err);
        ui::error(&format!(
            "{} found{}",
            counted(errors, warnings),
            strict_note(common, errors)
        ));
    } else if warnings > 0 {
        drop(err);
        ui::warning(&counted(0, warnings));
    }
    failed
}

/// One JSON object a line for each diagnostic, then the summary line.
fn report_json(checked: &Checked, common: &Common) -> bool {
    let mut text = String::new();
    for d in checked.diagnostics.iter() {
        text.push_str(&mesosc::json::diagnostic_line(d, &checked.sources));
        text.push('\n');
    }
    let files: Vec<&str> = checked
        .sources
        .files()
        .map(|(_, f)| f.name.as_str())
        .collect();
    let (errors, warnings) = (
        checked.diagnostics.error_count(),
        checked.diagnostics.warning_count(),
    );
    text.push_str(&mesosc::json::summary_line(errors, warnings, &files));
    text.push('\n');
    out(&text);
    checked.diagnostics.failed(common.strict)
}

fn counted(errors: usize, warnings: usize) -> String {
    let (e, w) = (
        ui::count(errors, "error", "errors"),
        ui::count(warnings, "warning", "warnings"),
    );
    match (errors, warnings) {
        (0, _) => w,
        (_, 0) => e,
        _ => format!("{e}, {w}"),
    }
}

fn strict_note(common: &Common, errors: usize) -> &'static str {
    if common.strict && errors == 0 {
        " (--strict turns warnings into errors)"
    } else {
        ""
    }
}

/// Writes to standard output; a closed pipe (`mesosc plan | head`) ends the
/// output quietly instead of panicking as `print!` would.
fn out(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

struct Render<'a>(&'a dyn ReportHandler, &'a dyn Diagnostic);

impl fmt::Display for Render<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.debug(self.1, f)?;
        writeln!(f)
    }
}
