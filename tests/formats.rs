//! Every writer of the escaping layer (`mesosc::escape`), read back by a
//! reader of its format: for any text the format can carry (no `refusal`),
//! what the reader gets is exactly the text. The readers are the test
//! harness's own, written from the formats' specifications, not from the
//! writers (`support::unit` for systemd command lines, `support::envfile`
//! for systemd's and docker's env files, `support::props` for zoo.cfg,
//! yaml-rust2 for YAML, and a POSIX `sh` for shell words).
//!
//! The fuzz target `fuzz/fuzz_targets/formats.rs` runs the same properties
//! on coverage-guided input.

mod support;

use mesosc::escape::{self, Format, refusal};
use proptest::prelude::*;
use support::roundtrip;

/// Text with the characters the formats treat specially, more often than
/// uniform strings would give them.
fn tricky() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        ' ', '\t', '\n', '\r', '\0', '\\', '"', '\'', '$', '%', '`', '#', ';', ':', '=', '!', '-',
        '[', ']', '{', '}', ',', '&', '*', '|', '>', '?', '@', '~', 'é', '\u{2028}', '\u{feff}',
        '\u{85}', '😀', 'y', 'n', '0', '.', 'e',
    ]);
    let c = prop_oneof![3 => special, 2 => any::<char>(), 2 => prop::char::range('a', 'z')];
    prop::collection::vec(c, 0..24).prop_map(|v| v.into_iter().collect())
}

/// [`tricky`] text on one line: without control characters, which no line
/// format carries (`refusal`), and, for units, without a trailing `\`.
fn one_line() -> impl Strategy<Value = String> {
    tricky().prop_map(|s| {
        s.chars()
            .filter(|c| !c.is_control())
            .collect::<String>()
            .trim_end_matches('\\')
            .to_owned()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn exec_words_read_back(a in one_line(), b in one_line()) {
        roundtrip::exec_words(&a, &b).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn systemd_env_values_read_back(v in one_line()) {
        roundtrip::systemd_env(&v).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn docker_env_values_read_back(v in one_line()) {
        roundtrip::docker_env(&v).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn zoo_cfg_lines_read_back(k in tricky(), v in tricky()) {
        roundtrip::zoo_cfg(&k, &v).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn yaml_scalars_read_back(v in tricky()) {
        roundtrip::yaml(&v).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn unit_text_keeps_the_text(v in one_line()) {
        roundtrip::unit_text(&v).map_err(TestCaseError::fail)?;
    }
}

/// Each writer's known traps, read back (and a refused text stays refused).
#[test]
fn known_traps_read_back() {
    for (a, b) in [
        ("", "%n"),
        ("$HOME", "a b"),
        ("a\\\\b", "\\\\"),
        ("'\"", ";"),
        ("0644", "yes"),
        ("- x", "a: b"),
        ("\u{2028}", "\u{feff}x"),
        ("\t", "😀"),
        (" lead", "trail "),
        ("#c", "!x"),
    ] {
        roundtrip::all(a, b).unwrap_or_else(|e| panic!("{e}"));
    }
    assert!(refusal(Format::Unit, "a\\").is_some());
}

/// Shell words through a real `/bin/sh`: every word comes back as written.
#[test]
fn shell_words_read_back_through_sh() {
    let words = [
        "plain",
        "",
        "it's",
        "a b",
        "$HOME",
        "`id`",
        "\\",
        "'\\''",
        "line\nbreak",
        "*",
        "-n",
        "é 😀",
        "\"q\"",
        "; rm -rf /",
    ];
    for w in words {
        assert_eq!(refusal(Format::Shell, w), None);
    }
    let script = words
        .iter()
        .map(|w| format!("printf '%s\\0' {}", escape::sh_quote(w)))
        .collect::<Vec<_>>()
        .join("\n");
    let out = std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(&script)
        .output()
        .expect("runs /bin/sh");
    assert!(out.status.success(), "{out:?}");
    let got: Vec<String> = String::from_utf8(out.stdout)
        .expect("UTF-8")
        .split_terminator('\0')
        .map(str::to_owned)
        .collect();
    assert_eq!(got, words);
}
