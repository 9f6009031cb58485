//! The book (`docs/`, built by `mdbook build docs` in `scripts/test`):
//!
//! - every ```mcl block of the book and of README.md checks clean, or
//!   demonstrates exactly the diagnostic code its annotation names;
//! - the generated pages are fresh: the diagnostics reference (from
//!   `mesosc explain`'s data) and the man pages in `docs/man/` (from
//!   `mesosc man --out`); `MESOSC_BLESS=1 cargo test --test book` rewrites
//!   them (the key reference is `tests/keys.rs`'s);
//! - every subcommand has its section in the commands reference.
//!
//! Annotations follow the language on the fence line, separated by commas
//! (mdBook and GitHub ignore them): ```` ```mcl,fragment,expect=mcl::check::unknown_flag ````.
//!
//! - `fragment`: the snippet is completed as `mesosc explain` completes its
//!   examples: a `cluster` block unless it has one, and three control hosts
//!   (`m1`–`m3`: zookeeper, leader, marathon) and a follower (`a1`) unless it
//!   declares a host. `fragment=BLOCK` also wraps the snippet in `BLOCK { … }`.
//! - `expect=CODE`: the check reports CODE, and nothing else but the codes
//!   named by `also=CODE` (the diagnostics reference names what else an
//!   example of `mesosc explain` reports).
//! - A snippet holding the line `# ---- after ----` (a rollout danger's
//!   example) is two descriptions: it is checked as a rollout from the
//!   first to the second, as `mesosc explain` checks it.
//! - `file=NAME`: the snippet is the file NAME that other snippets of the
//!   same page import; it is checked through them (one must import it).
//! - `unchecked` (with `expect=`): only for the codes whose example needs more
//!   than one file (`mesosc::explain::NOT_STANDALONE`).

use std::path::{Path, PathBuf};

use mesosc::files::MemoryFiles;
use mesosc::{Options, check_path};
use miette::Diagnostic;

/// What a fence's annotations ask.
#[derive(Debug, Default, PartialEq)]
struct Attrs {
    fragment: Option<Option<String>>,
    expect: Option<String>,
    also: Vec<String>,
    file: Option<String>,
    unchecked: bool,
}

/// One ```mcl block: where it is, its annotations, its text.
struct Snippet {
    line: usize,
    info: String,
    body: String,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The ```mcl blocks of a markdown text (fences of three or more backticks).
fn snippets(markdown: &str) -> Vec<Snippet> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String, String, Vec<&str>)> = None;
    for (i, line) in markdown.lines().enumerate() {
        let t = line.trim_start();
        match &mut open {
            None => {
                if let Some(rest) = t.strip_prefix("```") {
                    let fence = format!(
                        "```{}",
                        rest.chars().take_while(|c| *c == '`').collect::<String>()
                    );
                    let info = t[fence.len()..].trim().to_string();
                    open = Some((i + 1, fence, info, Vec::new()));
                }
            }
            Some((start, fence, info, body)) => {
                if t.starts_with(fence.as_str()) && t.trim_start_matches('`').trim().is_empty() {
                    let lang = info.split(',').next().unwrap_or("");
                    if lang == "mcl" {
                        out.push(Snippet {
                            line: *start,
                            info: info.clone(),
                            body: body.join("\n"),
                        });
                    }
                    open = None;
                } else {
                    body.push(line);
                }
            }
        }
    }
    out
}

/// The annotations after `mcl,`; an unknown one is an error.
fn parse_attrs(info: &str) -> Result<Attrs, String> {
    let mut attrs = Attrs::default();
    for word in info.split(',').skip(1).map(str::trim) {
        match word.split_once('=') {
            None if word == "fragment" => attrs.fragment = Some(None),
            None if word == "unchecked" => attrs.unchecked = true,
            Some(("fragment", block)) => attrs.fragment = Some(Some(block.to_string())),
            Some(("expect", code)) => attrs.expect = Some(code.to_string()),
            Some(("also", code)) => attrs.also.push(code.to_string()),
            Some(("file", name)) => attrs.file = Some(name.to_string()),
            _ => {
                return Err(format!(
                    "unknown annotation `{word}` (fragment, fragment=BLOCK, expect=CODE, also=CODE, file=NAME, unchecked)"
                ));
            }
        }
    }
    if !attrs.also.is_empty() && attrs.expect.is_none() {
        return Err("`also=` needs `expect=`".into());
    }
    if attrs.unchecked {
        let allowed = attrs
            .expect
            .as_deref()
            .is_some_and(|c| mesosc::explain::NOT_STANDALONE.contains(&c));
        if !allowed {
            return Err(
                "`unchecked` is only for the codes of mesosc::explain::NOT_STANDALONE".into(),
            );
        }
    }
    Ok(attrs)
}

/// The file a snippet is checked as.
fn complete(attrs: &Attrs, body: &str) -> String {
    match &attrs.fragment {
        None => format!("{body}\n"),
        Some(block) => {
            let body = match block {
                Some(b) => format!("{b} {{\n{body}\n}}"),
                None => body.to_string(),
            };
            mesosc::explain::complete(attrs.expect.as_deref(), &body)
        }
    }
}

/// Checks one snippet with the page's `file=` snippets beside it: clean, or
/// exactly the expected code. The error names every diagnostic.
fn check_snippet(attrs: &Attrs, body: &str, library: &[(String, String)]) -> Result<(), String> {
    if attrs.unchecked || attrs.file.is_some() {
        return Ok(());
    }
    let mut files = MemoryFiles::new();
    for (name, text) in library {
        files.insert(name.as_str(), text.clone());
    }
    let (text, checked) = if body.contains(mesosc::explain::AFTER) {
        // A rollout danger: the deployed description, then the new one,
        // completed and checked as `mesosc explain` does.
        let doc = mesosc::explain::CodeDoc {
            code: "",
            meaning: "",
            example: Box::leak(body.to_string().into_boxed_str()),
        };
        let (before, after) = mesosc::explain::example_pair(&doc).expect("split at AFTER");
        files.insert("before.mcl", before);
        files.insert("snippet.mcl", after.clone());
        let checked = mesosc::explain::check_rollout(
            Path::new("before.mcl"),
            Path::new("snippet.mcl"),
            &files,
        );
        (after, checked)
    } else {
        let text = complete(attrs, body);
        files.insert("snippet.mcl", text.clone());
        let unset = |_: &str| None;
        let checked = check_path(
            Path::new("snippet.mcl"),
            &files,
            &unset,
            &Options::default(),
        );
        (text, checked)
    };
    let checked = checked.map_err(|e| format!("cannot check: {e:?}"))?;
    let found: Vec<String> = (checked.diagnostics.iter())
        .map(|d| {
            d.code()
                .map(|c| c.to_string())
                .unwrap_or_else(|| d.to_string())
        })
        .collect();
    let ok = match &attrs.expect {
        None => found.is_empty(),
        Some(code) => {
            found.contains(code) && found.iter().all(|c| c == code || attrs.also.contains(c))
        }
    };
    if ok {
        return Ok(());
    }
    let want = attrs.expect.as_deref().unwrap_or("no diagnostic");
    let reports: String = (checked.diagnostics.iter())
        .map(|d| mesosc::diagnostic::render(d, &checked.sources, 100, false))
        .collect();
    Err(format!(
        "expected {want}, got {found:?}\n--- checked as:\n{text}--- reports:\n{reports}"
    ))
}

/// Every markdown page of the book, and README.md.
fn pages() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    let mut out = vec![root().join("README.md")];
    walk(&root().join("docs"), &mut out);
    out.retain(|p| !p.starts_with(root().join("docs/book")));
    out.sort();
    out
}

/// Checks every snippet of one page; the failures, each with its place.
fn check_page(path: &Path, text: &str) -> Vec<String> {
    let mut failures = Vec::new();
    let all = snippets(text);
    let mut parsed = Vec::new();
    for s in &all {
        match parse_attrs(&s.info) {
            Ok(a) => parsed.push((s, a)),
            Err(e) => failures.push(format!("{}:{}: {e}", path.display(), s.line)),
        }
    }
    let library: Vec<(String, String)> = (parsed.iter())
        .filter_map(|(s, a)| a.file.clone().map(|f| (f, format!("{}\n", s.body))))
        .collect();
    for (name, _) in &library {
        let imported = parsed
            .iter()
            .any(|(s, a)| a.file.is_none() && s.body.contains(&format!("import \"{name}\"")));
        if !imported {
            failures.push(format!(
                "{}: the `file={name}` snippet is imported by no snippet",
                path.display()
            ));
        }
    }
    for (s, a) in &parsed {
        if let Err(e) = check_snippet(a, &s.body, &library) {
            failures.push(format!("{}:{}: {e}", path.display(), s.line));
        }
    }
    failures
}

#[test]
fn every_mcl_block_of_the_book_checks() {
    let mut failures = Vec::new();
    let mut count = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).expect("readable");
        count += snippets(&text).len();
        failures.extend(check_page(&page, &text));
    }
    assert!(count > 90, "the book's snippets were found: {count}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_broken_snippet_fails() {
    let broken = "cluster \"c\" { mesos = \"1.11.0\" }\nhost \"a\" { adress = 10.0.0.1  roles = [follower] }";
    let err = check_snippet(&Attrs::default(), broken, &[]).expect_err("broken");
    assert!(err.contains("expected no diagnostic"), "{err}");
    let page = format!("# A page\n\n```mcl\n{broken}\n```\n");
    let failures = check_page(Path::new("page.md"), &page);
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(failures[0].starts_with("page.md:3: "), "{failures:?}");
}

#[test]
fn an_annotation_must_name_the_exact_code() {
    let fragment = "leader { flags { workdir = \"/x\" } }";
    let attrs = |code: &str| {
        parse_attrs(&format!("mcl,fragment,expect={code}")).expect("known annotations")
    };
    assert_eq!(
        check_snippet(&attrs("mcl::check::unknown_flag"), fragment, &[]),
        Ok(())
    );
    assert!(check_snippet(&attrs("mcl::check::invalid_flag_value"), fragment, &[]).is_err());
    // Another code is allowed only when `also=` names it.
    let two = "leader { flags { workdir = \"/x\"  offer_timeout = 10 } }";
    assert!(check_snippet(&attrs("mcl::check::unknown_flag"), two, &[]).is_err());
    let with_also = parse_attrs(
        "mcl,fragment,expect=mcl::check::unknown_flag,also=mcl::check::invalid_flag_value",
    )
    .expect("known");
    assert_eq!(check_snippet(&with_also, two, &[]), Ok(()));
    // A clean fragment annotated with a code fails too.
    assert!(
        check_snippet(
            &attrs("mcl::check::unknown_flag"),
            "leader { quorum = auto }",
            &[]
        )
        .is_err()
    );
}

#[test]
fn a_fragment_is_checked_inside_a_cluster_and_its_block() {
    let attrs = parse_attrs("mcl,fragment=leader").expect("known");
    assert_eq!(attrs.fragment, Some(Some("leader".to_string())));
    let file = complete(&attrs, "flags { offer_timeout = 30secs }");
    assert!(file.starts_with("cluster \"example\""), "{file}");
    assert!(file.contains("host \"m${n}\""), "{file}");
    assert!(
        file.ends_with("leader {\nflags { offer_timeout = 30secs }\n}\n"),
        "{file}"
    );
    assert_eq!(
        check_snippet(&attrs, "flags { offer_timeout = 30secs }", &[]),
        Ok(())
    );
    // Without `fragment` the same text has no cluster.
    assert!(check_snippet(&Attrs::default(), "leader { quorum = auto }", &[]).is_err());
}

#[test]
fn unknown_and_misused_annotations_fail() {
    assert!(parse_attrs("mcl,ignore").is_err());
    assert!(parse_attrs("mcl,unchecked").is_err());
    assert!(parse_attrs("mcl,unchecked,expect=mcl::check::unknown_flag").is_err());
    assert!(parse_attrs("mcl,unchecked,expect=mcl::check::import_cycle").is_ok());
    let page = "```mcl,file=lib.mcl\nlet x = 1\n```\n";
    assert_eq!(
        check_page(Path::new("p.md"), page).len(),
        1,
        "an unimported library"
    );
}

/// Compares a generated file with the repository's copy, or rewrites it
/// under MESOSC_BLESS.
fn fresh(path: &Path, want: &str) -> Result<(), String> {
    if std::env::var_os("MESOSC_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("writable");
        std::fs::write(path, want).expect("writable");
        return Ok(());
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    if have == want {
        Ok(())
    } else {
        Err(format!(
            "{} is stale: run `MESOSC_BLESS=1 cargo test --test book` and review the diff",
            path.display()
        ))
    }
}

#[test]
fn the_diagnostics_reference_is_fresh() {
    let path = root().join("docs/src/reference/diagnostics.md");
    let want = mesosc::explain::reference();
    for doc in mesosc::explain::codes() {
        assert!(want.contains(&format!("## `{}`", doc.code)), "{}", doc.code);
    }
    fresh(&path, &want).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn the_man_pages_are_fresh_and_complete() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_mesosc"))
        .args(["man", "--out"])
        .arg(dir.path())
        .status()
        .expect("mesosc runs");
    assert!(status.success());
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("written")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names.contains(&"mesosc.1".to_string()) && names.contains(&"mesosc-build.1".to_string()),
        "{names:?}"
    );
    let mut stale = Vec::new();
    for name in &names {
        let text = std::fs::read_to_string(dir.path().join(name)).expect("readable");
        for section in [".SH \"EXIT STATUS\"", ".SH \"ENVIRONMENT\"", ".SH EXAMPLES"] {
            assert!(text.contains(section), "{name} lacks {section}");
        }
        if let Err(e) = fresh(&root().join("docs/man").join(name), &text) {
            stale.push(e);
        }
    }
    let kept: Vec<String> = std::fs::read_dir(root().join("docs/man"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    for name in kept {
        if !names.contains(&name) && std::env::var_os("MESOSC_BLESS").is_none() {
            stale.push(format!("docs/man/{name} is not a page mesosc writes"));
        }
    }
    assert!(stale.is_empty(), "{}", stale.join("\n"));
}

#[test]
fn every_subcommand_has_a_section_in_the_commands_reference() {
    let text =
        std::fs::read_to_string(root().join("docs/src/reference/commands.md")).expect("readable");
    let names: Vec<String> = std::fs::read_dir(root().join("docs/man"))
        .expect("docs/man")
        .flatten()
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.strip_prefix("mesosc-")?
                .strip_suffix(".1")
                .map(str::to_owned)
        })
        .collect();
    assert!(names.len() >= 10, "{names:?}");
    for name in names {
        assert!(
            text.contains(&format!("## `mesosc {name}")),
            "docs/src/reference/commands.md has no `## `mesosc {name}` section"
        );
    }
}

/// mdBook's id of a heading: lower case, letters, digits, `-` and `_` kept,
/// spaces made `-`, everything else dropped.
fn heading_id(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The relative links `](target)` of a page, outside code blocks.
fn links(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_code = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        for part in line.split("](").skip(1) {
            let target = part.split(')').next().unwrap_or("");
            if !target.contains("://") && !target.is_empty() {
                out.push(target.to_string());
            }
        }
    }
    out
}

#[test]
fn every_link_between_pages_of_the_book_resolves() {
    let src = root().join("docs/src");
    let mut broken = Vec::new();
    for page in pages().into_iter().filter(|p| p.starts_with(&src)) {
        let text = std::fs::read_to_string(&page).expect("readable");
        for link in links(&text) {
            let (file, anchor) = link.split_once('#').unwrap_or((&link, ""));
            let target = if file.is_empty() {
                page.clone()
            } else {
                page.parent().expect("a folder").join(file)
            };
            let Ok(body) = std::fs::read_to_string(&target) else {
                broken.push(format!("{}: {link}", page.display()));
                continue;
            };
            let ids: Vec<String> = (body.lines())
                .filter_map(|l| l.strip_prefix('#'))
                .map(|h| heading_id(h.trim_start_matches('#').replace('`', "").as_str()))
                .collect();
            if !anchor.is_empty() && !ids.iter().any(|id| id == anchor) {
                broken.push(format!("{}: {link} (no such heading)", page.display()));
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn heading_ids_follow_mdbook() {
    assert_eq!(heading_id(" `file()`: secrets"), "file-secrets");
    assert_eq!(
        heading_id("Environments (overlays)"),
        "environments-overlays"
    );
    let page = "See [a](b.md#c), [web](https://x.invalid/) and\n```\n[no](d.md)\n```\n";
    assert_eq!(links(page), ["b.md#c"]);
}
