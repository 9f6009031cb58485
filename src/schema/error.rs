//! The error every value check returns.

/// A value that the program would reject (or, in the warning list of
/// [`super::check_value_with_warnings`], accept with a problem).
///
/// `message` names the problem ("`10sec` is not a Mesos duration"), `help`
/// offers the fix ("use one of ns, us, ms, secs, mins, hrs, days, weeks:
/// `10secs`"). Both are plain text with backticks around code, ready for a
/// diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ValueError {
    /// What is wrong, as a short lowercase phrase without final period.
    pub message: String,
    /// How to fix it, when there is something concrete to say.
    pub help: Option<String>,
}

impl ValueError {
    /// An error without help.
    pub fn new(message: impl Into<String>) -> Self {
        ValueError {
            message: message.into(),
            help: None,
        }
    }

    /// The same error with `help`.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The same error with `help` when there is some.
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }
}

/// Shorthand for `Err(ValueError::new(message))`.
pub(super) fn fail<T>(message: impl Into<String>) -> Result<T, ValueError> {
    Err(ValueError::new(message))
}

/// `value` shortened for a message.
pub(super) fn short(value: &str) -> String {
    match value.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", value.get(..i).unwrap_or(value)),
        None => value.to_owned(),
    }
}
