//! Every writer of the escaping layer, read back by the test harness's
//! reader of its format (`tests/support/roundtrip.rs`, included by path with
//! the readers it uses): for any text a format can carry, the reader gets
//! exactly the text; what it cannot carry is refused (`escape::refusal`).
//!
//! The input is split at its first NUL into two texts (a value and a key or
//! second word); each also runs with its control characters removed, since
//! most formats refuse those and the interesting escapes are elsewhere.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../../tests/support/envfile.rs"]
mod envfile;
#[allow(dead_code)]
#[path = "../../tests/support/props.rs"]
mod props;
#[allow(dead_code)]
#[path = "../../tests/support/roundtrip.rs"]
mod roundtrip;
#[allow(dead_code)]
#[path = "../../tests/support/unit.rs"]
mod unit;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (a, b) = text.split_once('\0').unwrap_or((&text, ""));
    let line = |s: &str| -> String { s.chars().filter(|c| !c.is_control()).collect() };
    for (a, b) in [(a.to_owned(), b.to_owned()), (line(a), line(b))] {
        if let Err(e) = roundtrip::all(&a, &b) {
            panic!("{e}");
        }
    }
});
