//! The deployed side of a rollout: the files of an `out/` tree that is on
//! the hosts now, read from a folder (`--from DIR`) or from a Git revision
//! (`--from-git REF`), and the side a build would write.
//!
//! Both readers keep the output folder's discipline: a folder is read
//! through [`crate::output`]'s no-follow reader (no symbolic link is
//! followed, only regular files are read), and a Git revision is read with
//! the `git` binary from its object database into memory (`git ls-tree`,
//! then `git cat-file --batch`): only blobs of mode `100644`/`100755` are
//! read; a link (`120000`) or a submodule is refused, never resolved.

use std::collections::BTreeMap;
use std::io::{Read as _, Write as _};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::emit::{FileSet, MANIFEST, Manifest};
use crate::output::read::{Found, read_below};

/// Every file of one `out/` tree, by path relative to it, and its manifest.
#[derive(Clone, Debug, Default)]
pub struct Tree {
    /// Path (`/`-separated, relative to the tree) → text.
    pub files: BTreeMap<String, String>,
    /// The versions the tree was built for, when its manifest says.
    pub versions: Option<crate::emit::ManifestVersions>,
}

impl Tree {
    /// The tree a build would write (its manifest left out).
    pub fn from_files(files: &FileSet) -> Tree {
        let mut tree = Tree::default();
        for (path, entry) in files {
            if path == MANIFEST {
                tree.versions = manifest_versions(&entry.content);
                continue;
            }
            tree.files.insert(path.clone(), entry.content.clone());
        }
        tree
    }

    /// Every file its manifest lists, read from `dir` without following a
    /// link (see the module docs).
    pub fn from_dir(dir: &Path) -> Result<Tree, String> {
        let read = |rel: &str| match read_below(dir, rel) {
            Ok(Found::File(bytes)) => Ok(Some(bytes)),
            Ok(Found::Missing) => Ok(None),
            Ok(Found::Special) => Err(format!(
                "`{}` is a link, folder or special file; only regular files are read",
                dir.join(rel).display()
            )),
            Err(e) => Err(e.to_string()),
        };
        let Some(manifest) = read(MANIFEST)? else {
            return Err(format!(
                "`{}` has no {MANIFEST}: it is not an output folder of mesosc",
                dir.display()
            ));
        };
        let manifest = parse_manifest(&manifest)?;
        let mut tree = Tree {
            versions: manifest.versions.clone(),
            ..Tree::default()
        };
        for f in &manifest.files {
            check_rel(&f.path)?;
            if let Some(bytes) = read(&f.path)? {
                tree.files
                    .insert(f.path.clone(), String::from_utf8_lossy(&bytes).into_owned());
            }
        }
        Ok(tree)
    }

    /// The tree at `dir` (a path as the working directory sees it) in the
    /// Git revision `rev`, read with the `git` binary run in `cwd`.
    pub fn from_git(cwd: &Path, rev: &str, dir: &Path) -> Result<Tree, String> {
        if rev.starts_with('-') || rev.is_empty() {
            return Err(format!("`{rev}` is not a Git revision"));
        }
        // `git ls-tree` names paths relative to the working directory.
        let dir = match dir.strip_prefix(std::path::absolute(cwd).unwrap_or_default()) {
            Ok(rel) if dir.is_absolute() => rel,
            _ => dir,
        };
        let prefix = dir.to_string_lossy().trim_end_matches('/').to_owned();
        let prefix = if prefix.is_empty() || prefix == "." {
            String::new()
        } else {
            format!("{prefix}/")
        };
        let listing = git(cwd, &["ls-tree", "-r", "-z", rev, "--", &prefix], None)?;
        let mut objects = BTreeMap::new();
        for row in listing.split(|b| *b == 0).filter(|r| !r.is_empty()) {
            let row = String::from_utf8_lossy(row);
            let (meta, path) = row
                .split_once('\t')
                .ok_or("unexpected `git ls-tree` output")?;
            let mut meta = meta.split(' ');
            let (mode, kind, oid) = (meta.next(), meta.next(), meta.next());
            let rel = path.strip_prefix(&prefix).unwrap_or(path).to_owned();
            match (mode, kind, oid) {
                (Some("100644" | "100755"), Some("blob"), Some(oid)) => {
                    objects.insert(rel, oid.to_owned());
                }
                _ => {
                    return Err(format!(
                        "`{path}` at {rev} is a link or submodule; only regular files are read"
                    ));
                }
            }
        }
        let Some(manifest_oid) = objects.get(MANIFEST) else {
            return Err(format!(
                "`{prefix}{MANIFEST}` is not in {rev}: give the output folder with --out"
            ));
        };
        let manifest = parse_manifest(&git_blobs(cwd, std::slice::from_ref(manifest_oid))?[0])?;
        let listed: Vec<(&String, &String)> = (manifest.files.iter())
            .filter_map(|f| objects.get_key_value(&f.path))
            .collect();
        let oids: Vec<String> = listed.iter().map(|(_, o)| (*o).clone()).collect();
        let blobs = git_blobs(cwd, &oids)?;
        let mut tree = Tree {
            versions: manifest.versions.clone(),
            ..Tree::default()
        };
        for ((path, _), bytes) in listed.into_iter().zip(blobs) {
            tree.files
                .insert(path.clone(), String::from_utf8_lossy(&bytes).into_owned());
        }
        Ok(tree)
    }
}

/// The versions a manifest's text records.
fn manifest_versions(text: &str) -> Option<crate::emit::ManifestVersions> {
    serde_json::from_str::<Manifest>(text).ok()?.versions
}

fn parse_manifest(bytes: &[u8]) -> Result<Manifest, String> {
    serde_json::from_slice(bytes).map_err(|e| format!("cannot read {MANIFEST}: {e}"))
}

/// A manifest path must stay inside the tree.
fn check_rel(rel: &str) -> Result<(), String> {
    let bad = rel.is_empty()
        || rel.starts_with('/')
        || rel
            .split('/')
            .any(|p| p.is_empty() || p == "." || p == "..");
    if bad {
        return Err(format!(
            "{MANIFEST} lists `{rel}`, a path outside the folder"
        ));
    }
    Ok(())
}

/// Runs `git ARGS` in `cwd` (standard input from `input`), its output.
fn git(cwd: &Path, args: &[&str], input: Option<&[u8]>) -> Result<Vec<u8>, String> {
    let mut child = Command::new("git")
        .args(args)
        .current_dir(cwd)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let writer = match (input, child.stdin.take()) {
        (Some(bytes), Some(mut stdin)) => {
            let bytes = bytes.to_vec();
            Some(std::thread::spawn(move || stdin.write_all(&bytes)))
        }
        _ => None,
    };
    let mut out = Vec::new();
    if let Some(mut stdout) = child.stdout.take() {
        stdout
            .read_to_end(&mut out)
            .map_err(|e| format!("git: {e}"))?;
    }
    let done = child.wait_with_output().map_err(|e| format!("git: {e}"))?;
    if let Some(w) = writer {
        let _ = w.join();
    }
    if !done.status.success() {
        let err = String::from_utf8_lossy(&done.stderr);
        return Err(format!("git {}: {}", args.join(" "), err.trim()));
    }
    Ok(out)
}

/// The contents of blobs, in order, through one `git cat-file --batch`.
fn git_blobs(cwd: &Path, oids: &[String]) -> Result<Vec<Vec<u8>>, String> {
    let input: String = oids.iter().map(|o| format!("{o}\n")).collect();
    let out = git(cwd, &["cat-file", "--batch"], Some(input.as_bytes()))?;
    let mut blobs = Vec::with_capacity(oids.len());
    let mut rest = &out[..];
    for _ in oids {
        let nl = rest
            .iter()
            .position(|b| *b == b'\n')
            .ok_or("short git output")?;
        let header = String::from_utf8_lossy(&rest[..nl]).into_owned();
        let size: usize = (header.rsplit(' ').next())
            .and_then(|s| s.parse().ok())
            .filter(|_| header.split(' ').nth(1) == Some("blob"))
            .ok_or_else(|| format!("git cat-file: {header}"))?;
        let body = rest.get(nl + 1..nl + 1 + size).ok_or("short git output")?;
        blobs.push(body.to_vec());
        rest = rest.get(nl + 2 + size..).unwrap_or_default();
    }
    Ok(blobs)
}
