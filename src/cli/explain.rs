//! `mesosc explain`: a diagnostic code's explanation, the list of codes, and
//! a flag's entry in the flag tables (`--flag`).

use std::process::ExitCode;

use super::out;
use super::ui::{self, Stream};

/// `mesosc explain [CODE]` and `explain --list`: a code's page from the
/// diagnostics' own documentation.
pub(super) fn code(code: Option<&str>, list: bool) -> ExitCode {
    use mesosc::explain;
    if list {
        for doc in explain::codes() {
            out(&format!("{:<44} {}\n", doc.code, doc.summary()));
        }
        return ExitCode::SUCCESS;
    }
    let code = code.unwrap_or_default();
    match explain::lookup(code) {
        Some(doc) => {
            out(&explain::explain_colored(
                &doc,
                100,
                ui::colors(Stream::Stdout),
            ));
            ExitCode::SUCCESS
        }
        None => {
            let help = explain::suggest(code)
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            ui::error(&format!(
                "no diagnostic code `{code}`{help} (`mesosc explain --list` lists them)"
            ));
            ExitCode::from(2)
        }
    }
}

/// `mesosc explain --flag [PROGRAM.]NAME`: the language server's hover text
/// of every flag the query names.
pub(super) fn flag(query: &str) -> ExitCode {
    match mesosc::schema::find_flags(query) {
        Ok(found) => {
            let docs: Vec<String> = (found.iter())
                .map(|(program, flag)| mesosc::schema::flag_doc(*program, flag.name, None))
                .collect();
            out(&docs.join("\n"));
            ExitCode::SUCCESS
        }
        Err(hint) => {
            let help = hint.map(|h| format!("; {h}")).unwrap_or_default();
            ui::error(&format!("no flag `{query}` in the flag tables{help}"));
            ExitCode::from(2)
        }
    }
}
