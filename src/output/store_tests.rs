//! Tests of how the output folder is read, trusted and owned (issue 23,
//! items 3 to 6; issue 19's "Build"): each reproduces an attack or a
//! failure of the earlier code and asserts the safe result.

use std::os::unix::fs::symlink;

use super::tests::{V1, V2, fileset, read, snapshot};
use super::*;

/// `fileset(files)` as the build of another cluster.
fn of_cluster(files: &[(&str, &str)], cluster: &str) -> FileSet {
    let mut set = fileset(files);
    let manifest = set.get_mut(MANIFEST).expect("a manifest");
    manifest.content = manifest
        .content
        .replace("\"cluster\": \"t\"", &format!("\"cluster\": \"{cluster}\""));
    set
}

/// The manifest `fileset(files)` writes, as text.
fn manifest_of(files: &[(&str, &str)]) -> String {
    fileset(files)[MANIFEST].content.clone()
}

#[test]
fn readers_follow_no_link_in_the_output_folder() {
    // Item 3: Git can carry `x.env -> /proc/self/environ`; `diff` printed
    // the target's content, `--check` compared it.
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    write(&out, &fileset(V1)).expect("writes");
    let secret = tmp.path().join("secret");
    fs::write(&secret, "TOKEN=hunter2\n").expect("write");
    fs::remove_file(out.join("hosts/a/etc/x.env")).expect("remove");
    symlink(&secret, out.join("hosts/a/etc/x.env")).expect("symlink");
    let diff = diff(&out, &fileset(V1)).expect("diffs");
    assert!(!diff.contains("hunter2"), "{diff}");
    assert!(
        diff.contains("File a/hosts/a/etc/x.env is not a regular file"),
        "{diff}"
    );
    let drift = check(&out, &fileset(V1)).expect("checks");
    assert_eq!(
        drift,
        [Drift {
            path: "hosts/a/etc/x.env".into(),
            kind: DriftKind::Special
        }]
    );
    // A link to a folder on the way is not followed either.
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir_all(elsewhere.join("etc")).expect("mkdir");
    fs::write(elsewhere.join("etc/keep.cfg"), "same\n").expect("write");
    fs::rename(out.join("hosts/a"), tmp.path().join("moved")).expect("move");
    symlink(&elsewhere, out.join("hosts/a")).expect("symlink");
    let drift = check(&out, &fileset(V1)).expect("checks");
    assert!(
        drift
            .iter()
            .any(|d| d.path == "hosts/a/etc/keep.cfg" && d.kind == DriftKind::Special),
        "{drift:?}"
    );
}

#[test]
fn readers_never_open_a_fifo() {
    // Item 3: a FIFO in out/ hung `build --check`, `diff`, and `build` when
    // it was the manifest. Each returns at once here.
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path();
    write(out, &fileset(V1)).expect("writes");
    let fifo = |path: &Path| {
        let _ = fs::remove_file(path);
        rustix::fs::mknodat(
            rustix::fs::CWD,
            path,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o644),
            0,
        )
        .expect("mkfifo");
    };
    fifo(&out.join("README.md"));
    let drift = check(out, &fileset(V1)).expect("checks");
    assert_eq!(drift[0].kind, DriftKind::Special, "{drift:?}");
    assert!(
        diff(out, &fileset(V1))
            .expect("diffs")
            .contains("not a regular file")
    );
    fifo(&out.join(MANIFEST));
    let err = write(out, &fileset(V1)).expect_err("refuses");
    assert!(
        matches!(&err, OutputError::ForeignManifest { reason, .. } if reason.contains("regular")),
        "{err}"
    );
}

#[test]
fn a_crafted_manifest_cannot_claim_hidden_files() {
    // Item 5: an entry naming `.git/HEAD` (or the lock) made the build
    // delete it and report it "replaced".
    for claimed in [".git/HEAD", LOCK, "hosts/.secret"] {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path();
        write(out, &fileset(V1)).expect("writes");
        fs::create_dir_all(out.join(".git")).expect("mkdir");
        fs::write(out.join(".git/HEAD"), "ref: refs/heads/main\n").expect("write");
        let sha = sha256_hex(b"ref: refs/heads/main\n");
        let crafted = read(out, MANIFEST).replacen(
            "\"files\": [",
            &format!(
                "\"files\": [{{\"host\": null, \"kind\": \"readme\", \"mode\": \"0644\", \"path\": \"{claimed}\", \"sha256\": \"{sha}\"}},"
            ),
            1,
        );
        fs::write(out.join(MANIFEST), crafted).expect("write");
        let err = write(out, &fileset(V2)).expect_err("refuses");
        assert!(
            matches!(&err, OutputError::ForeignManifest { reason, .. } if reason.contains(claimed)),
            "{claimed}: {err}"
        );
        assert_eq!(read(out, ".git/HEAD"), "ref: refs/heads/main\n");
    }
}

#[test]
fn a_claimed_file_is_removed_only_with_proof() {
    // Item 5: a manifest entry naming a user's file, with any hash, made the
    // build delete it.
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path();
    write(out, &fileset(V1)).expect("writes");
    fs::write(out.join("notes.txt"), "mine\n").expect("write");
    let crafted = read(out, MANIFEST).replacen(
        "\"files\": [",
        &format!(
            "\"files\": [{{\"host\": null, \"kind\": \"readme\", \"mode\": \"0644\", \"path\": \"notes.txt\", \"sha256\": \"{}\"}},",
            "0".repeat(64)
        ),
        1,
    );
    fs::write(out.join(MANIFEST), crafted).expect("write");
    let report = write(out, &fileset(V2)).expect("writes");
    assert_eq!(report.kept, ["notes.txt"]);
    assert!(report.removed.iter().all(|p| p != "notes.txt"));
    assert_eq!(read(out, "notes.txt"), "mine\n");
}

#[test]
fn a_users_backup_and_temporary_files_survive() {
    // Item 5: `.X.mesosc-bak` and `.X.mesosc-tmp` of the user's were
    // deleted while the build said they were left alone.
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path();
    write(out, &fileset(V1)).expect("writes");
    for name in [
        ".x.env.mesosc-bak",
        ".x.env.mesosc-tmp",
        ".README.md.mesosc-tmp",
    ] {
        let path = if name.starts_with(".x") {
            out.join("hosts/a/etc").join(name)
        } else {
            out.join(name)
        };
        fs::write(&path, "the user's\n").expect("write");
    }
    let report = write(out, &fileset(V2)).expect("writes");
    assert_eq!(read(out, "hosts/a/etc/.x.env.mesosc-bak"), "the user's\n");
    assert_eq!(read(out, "hosts/a/etc/.x.env.mesosc-tmp"), "the user's\n");
    assert_eq!(read(out, ".README.md.mesosc-tmp"), "the user's\n");
    assert!(report.foreign.contains(&".README.md.mesosc-tmp".to_owned()));
    assert_eq!(read(out, "hosts/a/etc/x.env"), "X=2\n");
}

#[test]
fn a_manifest_with_conflict_markers_is_read_as_both_sides() {
    // Issue 19: a conflicted manifest made `build` exit 2 with "key must be
    // a string"; it is recognised, both sides are owned, and it is rebuilt.
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path();
    let both: Vec<(&str, &str)> = V1.iter().chain(&V2[3..]).copied().collect();
    write(out, &fileset(&both)).expect("writes");
    let (ours, theirs) = (manifest_of(V1), manifest_of(V2));
    let conflicted = format!("<<<<<<< HEAD\n{ours}=======\n{theirs}>>>>>>> branch\n");
    fs::write(out.join(MANIFEST), conflicted).expect("write");
    let report = write(out, &fileset(V2)).expect("rebuilds");
    assert!(report.merged);
    assert_eq!(report.removed, ["hosts/b/etc/deep/old.service"]);
    assert_eq!(read(out, MANIFEST), manifest_of(V2));
    assert_eq!(check(out, &fileset(V2)).expect("checks"), []);
}

#[test]
fn manifest_formats_old_and_new() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path();
    write(out, &fileset(V1)).expect("writes");
    // Format 1 (no `format_version`, with `inputs` and `sources`): read,
    // its files owned, and rewritten in format 2.
    let old = read(out, MANIFEST).replace(
        "  \"format_version\": 2,\n",
        "  \"inputs\": \"ab\",\n  \"sources\": [{\"name\": \"t.mcl\", \"sha256\": \"cd\"}],\n",
    );
    fs::write(out.join(MANIFEST), old).expect("write");
    let report = write(out, &fileset(V2)).expect("migrates");
    assert_eq!(report.removed, ["hosts/b/etc/deep/old.service"]);
    assert!(read(out, MANIFEST).contains("\"format_version\": 2"));
    // A newer format is refused, not guessed at.
    let newer = read(out, MANIFEST).replace("\"format_version\": 2", "\"format_version\": 99");
    fs::write(out.join(MANIFEST), &newer).expect("write");
    let err = write(out, &fileset(V1)).expect_err("refuses");
    assert!(err.to_string().contains("format 99"), "{err}");
    assert_eq!(read(out, MANIFEST), newer);
}

#[test]
fn another_cluster_in_the_folder_is_refused_unless_forced() {
    // Issue 19: `build prod.mcl` then `build dev.mcl` silently replaced
    // the first cluster.
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path();
    write(out, &fileset(V1)).expect("writes");
    let before = snapshot(out);
    let err = write(out, &of_cluster(V2, "dev")).expect_err("refuses");
    assert_eq!(
        err.to_string(),
        format!(
            "`{}` holds the cluster `t`, not the cluster `dev`",
            out.display()
        )
    );
    assert_eq!(snapshot(out), before, "nothing changed");
    let forced = write_opts(out, &of_cluster(V2, "dev"), WriteOptions { force: true });
    assert!(forced.is_ok());
    assert!(read(out, MANIFEST).contains("\"cluster\": \"dev\""));
}

#[test]
fn check_does_not_trust_the_manifest_hashes() {
    // Item 4: edit a unit and patch its sha256 in manifest.json (or drop
    // its entry): the check must still see the edit.
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path();
    write(out, &fileset(V1)).expect("writes");
    fs::write(out.join("hosts/a/etc/x.env"), "X=evil\n").expect("write");
    let patched = read(out, MANIFEST).replace(&sha256_hex(b"X=1\n"), &sha256_hex(b"X=evil\n"));
    fs::write(out.join(MANIFEST), patched).expect("write");
    let drift = check(out, &fileset(V1)).expect("checks");
    let kinds: Vec<(&str, DriftKind)> = drift.iter().map(|d| (d.path.as_str(), d.kind)).collect();
    assert_eq!(
        kinds,
        [
            ("hosts/a/etc/x.env", DriftKind::Differs),
            (MANIFEST, DriftKind::Differs)
        ]
    );
    write(out, &fileset(V1)).expect("writes");
    assert_eq!(
        read(out, "hosts/a/etc/x.env"),
        "X=1\n",
        "the edit is not kept"
    );
}
