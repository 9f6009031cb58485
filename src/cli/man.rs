//! Man pages: `mesosc(1)` and one page per subcommand (`mesosc-build(1)`…),
//! rendered by clap_mangen from the clap definitions, with the sections clap
//! does not know written here: EXIT STATUS, ENVIRONMENT and EXAMPLES.
//! `mesosc man` prints `mesosc(1)`; `mesosc man --out DIR` writes every page
//! (the repository keeps them in `docs/man/`, checked fresh by `tests/man.rs`).

use std::io;

/// Every page: (file name, roff text), `mesosc.1` first.
pub fn pages(cmd: clap::Command) -> io::Result<Vec<(String, String)>> {
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    let mut pages = vec![page(&cmd, None)?];
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        pages.push(page(sub, Some(sub.get_name()))?);
    }
    Ok(pages)
}

/// One page: clap_mangen's sections, then ours, then the version.
fn page(cmd: &clap::Command, sub: Option<&str>) -> io::Result<(String, String)> {
    let man = clap_mangen::Man::new(cmd.clone()).manual("mesosc manual");
    let mut text = Vec::new();
    man.render_title(&mut text)?;
    man.render_name_section(&mut text)?;
    man.render_synopsis_section(&mut text)?;
    man.render_description_section(&mut text)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut text)?;
    }
    if cmd.has_subcommands() {
        man.render_subcommands_section(&mut text)?;
    }
    let mut roff = String::from_utf8_lossy(&text).into_owned();
    roff.push_str(&section("EXIT STATUS", exit_status(sub)));
    roff.push_str(&section("ENVIRONMENT", environment(sub)));
    roff.push_str(&examples(sub));
    roff.push_str(".SH \"SEE ALSO\"\n");
    roff.push_str(&see_also(cmd, sub));
    Ok((man.get_filename(), roff))
}

/// A section of tagged paragraphs: `.TP`, the tag in bold, its text.
fn section(title: &str, items: Vec<(&str, &str)>) -> String {
    let mut s = format!(".SH \"{title}\"\n");
    for (tag, text) in items {
        s.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", escape(tag), escape(text)));
    }
    s
}

/// Roff-safe text: a backslash doubled, a leading `.` or `'` guarded.
fn escape(text: &str) -> String {
    let s = text.replace('\\', "\\e").replace('-', "\\-");
    if s.starts_with('.') || s.starts_with('\'') {
        format!("\\&{s}")
    } else {
        s
    }
}

/// What each exit code means for one subcommand (all of them for the
/// top-level page).
fn exit_status(sub: Option<&str>) -> Vec<(&'static str, &'static str)> {
    const CLEAN: (&str, &str) = (
        "0",
        "success: no errors (warnings allowed, unless --strict).",
    );
    const ERRORS: (&str, &str) = (
        "1",
        "the source has errors (with --strict, warnings too); nothing was written.",
    );
    const USAGE: (&str, &str) = (
        "2",
        "a usage or I/O problem (a file that cannot be read or written).",
    );
    match sub {
        None => vec![
            ("0", "success, up to date, no difference."),
            ERRORS,
            USAGE,
            ("3", "stale or different: build --check, diff --exit-code."),
        ],
        Some("build") => vec![
            CLEAN,
            ERRORS,
            USAGE,
            (
                "3",
                "with --check: the output folder is stale (a file differs, is missing, extra, foreign or special).",
            ),
        ],
        Some("diff") => vec![
            (
                "0",
                "no errors; without --exit-code also when there is a difference.",
            ),
            ERRORS,
            USAGE,
            (
                "3",
                "with --exit-code: the folder differs from what a build would write.",
            ),
        ],
        Some("explain") => vec![
            ("0", "the code or flag was found."),
            (
                "2",
                "no such code or flag (a did-you-mean is printed when one is close).",
            ),
        ],
        Some("fmt") => vec![
            (
                "0",
                "every file is formatted (with --check: none would change).",
            ),
            ("1", "a file is not formatted (--check) or does not parse."),
            ("2", "a file cannot be read or written."),
        ],
        Some("lsp") => vec![
            ("0", "the client ended the session."),
            ("1", "the connection failed."),
        ],
        Some("completions" | "man") => vec![
            ("0", "printed or written."),
            ("2", "the pages cannot be written."),
        ],
        Some(_) => vec![CLEAN, ERRORS, USAGE],
    }
}

/// The environment variables a subcommand reads.
fn environment(sub: Option<&str>) -> Vec<(&'static str, &'static str)> {
    let mut vars = vec![
        (
            "NO_COLOR",
            "when set and not empty, --color auto never colours (--color always still does).",
        ),
        (
            "CLICOLOR_FORCE, CLICOLOR",
            "with --color auto, CLICOLOR_FORCE (not 0) colours even off a terminal; CLICOLOR=0 never colours.",
        ),
        (
            "TERM",
            "with --color auto, a terminal is coloured unless TERM is dumb or unset.",
        ),
    ];
    if matches!(
        sub,
        None | Some("check" | "build" | "diff" | "plan" | "graph" | "fix" | "lsp")
    ) {
        vars.push((
            "any variable named by env(\"NAME\")",
            "read when the source calls env(); a variable that is unset or not UTF-8 is mcl::check::env_unset.",
        ));
    }
    if matches!(sub, None | Some("build")) {
        vars.push((
            "XDG_CACHE_HOME, HOME",
            "the fingerprint cache of builds lives in $XDG_CACHE_HOME/mesosc/ (default ~/.cache/mesosc/); without either, every build renders in full.",
        ));
    }
    vars
}

/// The EXAMPLES section: commands with what they do.
fn examples(sub: Option<&str>) -> String {
    let items: &[(&str, &str)] = match sub {
        None => &[
            (
                "mesosc check cluster.mcl",
                "check a description; writes nothing",
            ),
            ("mesosc build cluster.mcl", "write out/"),
            (
                "mesosc explain unknown_flag",
                "what a diagnostic code means",
            ),
        ],
        Some("check") => &[
            (
                "mesosc check cluster.mcl",
                "check a description and its imports",
            ),
            (
                "mesosc check --env staging --strict cluster.mcl",
                "check with an overlay; warnings fail",
            ),
            (
                "mesosc check --message-format json cluster.mcl",
                "JSON Lines for tools",
            ),
        ],
        Some("build") => &[
            ("mesosc build cluster.mcl", "write the files into out/"),
            (
                "mesosc build --env staging --out out/staging cluster.mcl",
                "an environment into its own folder",
            ),
            (
                "mesosc build --check cluster.mcl",
                "in CI: exit 3 when out/ is stale",
            ),
        ],
        Some("diff") => &[(
            "mesosc diff --exit-code cluster.mcl",
            "what a build would change; exit 3 if anything",
        )],
        Some("plan") => &[("mesosc plan cluster.mcl", "the rollout waves")],
        Some("graph") => &[(
            "mesosc graph cluster.mcl | dot -Tsvg > graph.svg",
            "draw the dependency graph",
        )],
        Some("fix") => &[(
            "mesosc fix cluster.mcl",
            "apply every machine-applicable fix, then check again",
        )],
        Some("fmt") => &[
            ("mesosc fmt *.mcl", "format files in place"),
            (
                "mesosc fmt --check *.mcl",
                "in CI: name the files that are not formatted",
            ),
        ],
        Some("explain") => &[
            (
                "mesosc explain mcl::check::unknown_flag",
                "a code's meaning, example and fix",
            ),
            (
                "mesosc explain --list",
                "every code with its first sentence",
            ),
            (
                "mesosc explain --flag agent.work_dir",
                "a flag's type, default, versions and summary",
            ),
        ],
        Some("lsp") => &[(
            "mesosc lsp",
            "run the language server on standard input and output (started by an editor)",
        )],
        Some("completions") => &[(
            "mesosc completions bash > /etc/bash_completion.d/mesosc",
            "install bash completion",
        )],
        Some("man") => &[
            ("mesosc man | man -l -", "read this manual"),
            (
                "mesosc man --out /usr/local/share/man/man1",
                "install every page",
            ),
        ],
        Some(_) => &[],
    };
    let mut s = String::from(".SH EXAMPLES\n");
    for (command, what) in items {
        s.push_str(&format!(
            ".TP\n\\fB{}\\fR\n{}\n",
            escape(command),
            escape(what)
        ));
    }
    if items.is_empty() {
        s.push_str("See mesosc(1).\n");
    }
    s
}

/// The other pages: every subcommand's from the top page, the top page
/// from a subcommand's.
fn see_also(cmd: &clap::Command, sub: Option<&str>) -> String {
    match sub {
        Some(_) => "mesosc(1)\n".to_string(),
        None => {
            let names: Vec<String> = (cmd.get_subcommands())
                .filter(|s| !s.is_hide_set())
                .map(|s| format!("mesosc\\-{}(1)", s.get_name()))
                .collect();
            format!("{}\n", names.join(", "))
        }
    }
}

/// `mesosc man`: mesosc(1) on standard output, or every page into `dir`.
pub(super) fn command(cli: clap::Command, dir: Option<&std::path::Path>) -> std::process::ExitCode {
    use std::process::ExitCode;
    let pages = match pages(cli) {
        Ok(p) => p,
        Err(e) => {
            super::ui::error(&format!("{e}"));
            return ExitCode::from(2);
        }
    };
    let Some(dir) = dir else {
        if let Some((_, text)) = pages.first() {
            super::out(text);
        }
        return ExitCode::SUCCESS;
    };
    for (name, text) in &pages {
        if let Err(e) =
            std::fs::create_dir_all(dir).and_then(|()| std::fs::write(dir.join(name), text))
        {
            super::ui::error(&format!("cannot write {}: {e}", dir.join(name).display()));
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
