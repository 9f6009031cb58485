//! The key reference (`docs/src/reference/keys.md`) is generated from the key
//! schema (`src/schema/keys.rs`) and must be fresh: `MESOSC_BLESS=1 cargo
//! test --test keys` rewrites it.

use std::path::Path;

#[test]
fn the_key_reference_is_fresh() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/src/reference/keys.md");
    let want = mesosc::schema::keys::reference();
    if std::env::var_os("MESOSC_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("docs/src/reference");
        std::fs::write(&path, &want).expect("writable");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/src/reference/keys.md is stale: run `MESOSC_BLESS=1 cargo test --test keys` and review the diff"
    );
}

#[test]
fn the_reference_names_every_block_and_where_keys_go() {
    let text = mesosc::schema::keys::reference();
    for block in mesosc::schema::keys::Block::ALL {
        assert!(
            text.contains(&format!("## `{}`", block.name())),
            "{block:?}"
        );
    }
    assert!(text.contains("| `quorum` | `auto` \\| integer | cluster-wide only |"));
    assert!(text.contains("| `image` | string | anywhere | docker runtime |"));
}
