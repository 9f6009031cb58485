//! Errors and warnings of the check stage: resolution (imports, names,
//! templates, overlays) and the meaning of the cluster.
//!
//! Every variant has a stable code `mcl::check::<name>`, never renamed or
//! reused, and its `///` shows a snippet that triggers it.

use miette::Diagnostic;
use thiserror::Error;

use crate::escape::{self, Format};
use crate::span::Span;

/// A diagnostic of the check stage.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Error, Diagnostic)]
pub enum CheckError {
    /// A name used as a value (in arithmetic, interpolation or a loop) that no
    /// `let` or `for` binds.
    ///
    /// ```mcl
    /// let base = 10
    /// host "a" { address = "10.0.0.${bse + 1}" }
    /// ```
    #[error("unknown name `{name}`")]
    #[diagnostic(code(mcl::check::unknown_name))]
    UnknownName {
        /// The name.
        name: String,
        /// Where it was used.
        #[label("not defined")]
        span: Span,
        /// A suggestion.
        #[help]
        help: Option<String>,
    },

    /// A name used before the `let` that defines it.
    ///
    /// ```mcl
    /// let a = b + 1
    /// let b = 2
    /// ```
    #[error("`{name}` is used before it is defined")]
    #[diagnostic(
        code(mcl::check::use_before_definition),
        help("move the `let` above its first use")
    )]
    UseBeforeDefinition {
        /// The name.
        name: String,
        /// The use.
        #[label("used here")]
        span: Span,
        /// The definition.
        #[label("defined later here")]
        defined: Span,
    },

    /// A key written twice in one block.
    ///
    /// ```mcl
    /// leader { port = 5050  port = 5051 }
    /// ```
    #[error("duplicate key `{key}`")]
    #[diagnostic(code(mcl::check::duplicate_key), help("remove one of them"))]
    DuplicateKey {
        /// The key.
        key: String,
        /// The first.
        #[label("first set here")]
        first: Span,
        /// The second.
        #[label("set again here")]
        second: Span,
    },

    /// Two hosts with the same name (after interpolation).
    ///
    /// ```mcl
    /// host "a" { address = "10.0.0.1" roles = [leader] }
    /// host "a" { address = "10.0.0.2" roles = [leader] }
    /// ```
    #[error("duplicate host `{name}`")]
    #[diagnostic(
        code(mcl::check::duplicate_host),
        help(
            "host names must be unique; to change a host in one environment, put the `host` block inside `environment`"
        )
    )]
    DuplicateHost {
        /// The host name.
        name: String,
        /// The first.
        #[label("first defined here")]
        first: Span,
        /// The second.
        #[label("defined again here")]
        second: Span,
    },

    /// A host name that is not a DNS label.
    ///
    /// ```mcl
    /// host "../x" { address = "10.0.0.1" roles = [follower] }
    /// ```
    #[error("invalid host name `{name}`")]
    #[diagnostic(code(mcl::check::invalid_host_name), help("{help}"))]
    InvalidHostName {
        /// The name as evaluated.
        name: String,
        /// Why, and the fix.
        help: String,
        /// Where.
        #[label("not a DNS label")]
        span: Span,
    },

    /// A name (of a cluster, host, service, environment, template or a
    /// labelled entry such as a credential) holding a character that shows
    /// nothing or reorders the text around it: a bidirectional override or
    /// isolate, a direction mark, or a zero-width character. Such a name can
    /// look like another one in an editor or a review.
    ///
    /// ```mcl
    /// cluster "c" { mesos = "1.11.0" }
    /// service "web\u{200B}" {
    ///   on = [leader]
    ///   exec = "/usr/bin/web"
    /// }
    /// ```
    #[error("the name `{name}` holds an invisible character ({code_point})")]
    #[diagnostic(
        code(mcl::check::invisible_character),
        help("delete the character: names are written with visible characters only")
    )]
    InvisibleCharacter {
        /// The name (cut to 64 characters).
        name: String,
        /// The character, as `U+200B`.
        code_point: String,
        /// Where.
        #[label("holds {code_point}")]
        span: Span,
    },

    /// A value of the wrong kind for where it is used.
    ///
    /// ```mcl
    /// let n = "three" * 2
    /// ```
    #[error("expected {expected}, found {found}")]
    #[diagnostic(code(mcl::check::type_mismatch))]
    TypeMismatch {
        /// What fits here.
        expected: String,
        /// What was given.
        found: String,
        /// Where.
        #[label("{found}")]
        span: Span,
        /// A fix.
        #[help]
        help: Option<String>,
    },

    /// Integer arithmetic that leaves the 64-bit range.
    ///
    /// ```mcl
    /// let big = 9223372036854775807 + 1
    /// ```
    #[error("integer overflow in `{op}`")]
    #[diagnostic(code(mcl::check::overflow), help("MCL integers are signed 64-bit"))]
    Overflow {
        /// The operator.
        op: String,
        /// The expression.
        #[label("overflows")]
        span: Span,
    },

    /// Division or remainder by zero.
    ///
    /// ```mcl
    /// let n = 10 / 0
    /// ```
    #[error("division by zero")]
    #[diagnostic(code(mcl::check::division_by_zero))]
    DivisionByZero {
        /// The divisor.
        #[label("this is zero")]
        span: Span,
    },

    /// `env("NAME")` of a variable that is not set when compiling.
    ///
    /// ```mcl
    /// cluster "c" { mesos = env("MESOS_VERSION_UNSET") }
    /// ```
    #[error("environment variable `{name}` {why}")]
    #[diagnostic(
        code(mcl::check::env_unset),
        help(
            "set it (to UTF-8 text) before running mesosc (an unset variable is an error, never an empty string)"
        )
    )]
    EnvUnset {
        /// The variable.
        name: String,
        /// `is not set`, or `is not valid UTF-8` for a value no generated
        /// file can hold.
        why: String,
        /// The call.
        #[label("read here")]
        span: Span,
    },

    /// A value that reaches a generated file whose format cannot carry it: a
    /// line break, NUL or other control character in anything written on a
    /// line (a unit, an env file), or a `\` at the end of a unit line, which
    /// systemd joins with the next line. Each format's rules are in
    /// `src/emit/escape.rs`.
    ///
    /// ```mcl
    /// cluster "c" { mesos = "1.11.0" }
    /// host "a" {
    ///   address = 10.0.0.1
    ///   roles = [zookeeper, leader, follower]
    /// }
    /// service "web" {
    ///   on = [a]
    ///   exec = "/usr/bin/web --root /srv \\"
    /// }
    /// ```
    #[error("{what} cannot be written into {format}")]
    #[diagnostic(code(mcl::check::unwritable_value))]
    UnwritableValue {
        /// What the value is (`the cluster name`, `a secret path`).
        what: String,
        /// The format it cannot be written into.
        format: String,
        /// Where the value comes from.
        #[label("{reason}")]
        span: Span,
        /// Why.
        reason: String,
        /// The fix.
        #[help]
        help: Option<String>,
    },

    /// A call of a function MCL does not have, or with the wrong arguments.
    ///
    /// ```mcl
    /// auth { follower_secret = secret("/etc/x") }
    /// ```
    #[error("{message}")]
    #[diagnostic(code(mcl::check::bad_call))]
    BadCall {
        /// What is wrong.
        message: String,
        /// The call.
        #[label("here")]
        span: Span,
        /// A fix.
        #[help]
        help: Option<String>,
    },

    /// A `file()` path that is not absolute: it names a file on the host.
    ///
    /// ```mcl
    /// auth { follower_secret = file("secrets/follower") }
    /// ```
    #[error("secret path `{path}` is not absolute")]
    #[diagnostic(
        code(mcl::check::relative_secret_path),
        help(
            "`file()` names a file on the target host, e.g. `file(\"/etc/mesos/secrets/follower\")`"
        )
    )]
    RelativeSecretPath {
        /// The path.
        path: String,
        /// Where.
        #[label("relative path")]
        span: Span,
    },

    /// An `import` whose file cannot be read.
    ///
    /// ```mcl
    /// import "missing.mcl"
    /// ```
    #[error("cannot import `{path}`: {reason}")]
    #[diagnostic(code(mcl::check::import_failed))]
    ImportFailed {
        /// The path as written.
        path: String,
        /// The operating system's reason.
        reason: String,
        /// The import.
        #[label("imported here")]
        span: Span,
        /// A fix.
        #[help]
        help: Option<String>,
    },

    /// Files that import each other in a circle.
    ///
    /// ```mcl
    /// # a.mcl
    /// import "b.mcl"
    /// # b.mcl
    /// import "a.mcl"
    /// ```
    #[error("import cycle: {chain}")]
    #[diagnostic(code(mcl::check::import_cycle), help("remove one of these imports"))]
    ImportCycle {
        /// The files of the cycle, `a.mcl → b.mcl → a.mcl`.
        chain: String,
        /// The import that closes the cycle.
        #[label("closes the cycle")]
        span: Span,
        /// The other imports of the cycle.
        #[label(collection, "imported here")]
        steps: crate::diagnostic::Labels,
    },

    /// `uses` of a template that does not exist.
    ///
    /// ```mcl
    /// host "a" uses wroker { address = "10.0.0.1" }
    /// ```
    #[error("unknown template `{name}`")]
    #[diagnostic(code(mcl::check::unknown_template))]
    UnknownTemplate {
        /// The name.
        name: String,
        /// Where it was used.
        #[label("no template with this name")]
        span: Span,
        /// A suggestion.
        #[help]
        help: Option<String>,
    },

    /// Two templates with one name.
    ///
    /// ```mcl
    /// template worker { roles = [follower] }
    /// template worker { roles = [leader] }
    /// ```
    #[error("duplicate template `{name}`")]
    #[diagnostic(code(mcl::check::duplicate_template))]
    DuplicateTemplate {
        /// The name.
        name: String,
        /// The first.
        #[label("first defined here")]
        first: Span,
        /// The second.
        #[label("defined again here")]
        second: Span,
    },

    /// A top-level block whose name MCL does not know.
    ///
    /// ```mcl
    /// leadr { port = 5050 }
    /// ```
    #[error("unknown block `{name}`")]
    #[diagnostic(code(mcl::check::unknown_block))]
    UnknownBlock {
        /// The name.
        name: String,
        /// Where.
        #[label("not a block MCL knows here")]
        span: Span,
        /// A suggestion, or the list of blocks allowed here.
        #[help]
        help: Option<String>,
    },

    /// No `cluster` block in the file and its imports.
    ///
    /// ```mcl
    /// host "a" { address = "10.0.0.1" roles = [leader] }
    /// ```
    #[error("no `cluster` block")]
    #[diagnostic(
        code(mcl::check::missing_cluster),
        help("add `cluster \"name\" {{ mesos = \"1.11.0\" }}` to the main file")
    )]
    MissingCluster {
        /// The start of the main file.
        #[label("in this file or its imports")]
        span: Span,
    },

    /// Two `cluster` blocks.
    ///
    /// ```mcl
    /// cluster "a" { mesos = "1.11.0" }
    /// cluster "b" { mesos = "1.11.0" }
    /// ```
    #[error("more than one `cluster` block")]
    #[diagnostic(
        code(mcl::check::duplicate_cluster),
        help("one compilation describes one cluster: keep one `cluster` block")
    )]
    DuplicateCluster {
        /// The first.
        #[label("first cluster here")]
        first: Span,
        /// The second.
        #[label("second cluster here")]
        second: Span,
    },

    /// An item where it may not stand (an `import` inside `for`, a `template` in an `environment`...).
    ///
    /// ```mcl
    /// for n in 1..2 { import "x.mcl" }
    /// ```
    #[error("{what} is not allowed {place}")]
    #[diagnostic(code(mcl::check::misplaced_item))]
    MisplacedItem {
        /// The item.
        what: String,
        /// Where it stood.
        place: String,
        /// Where.
        #[label("not allowed here")]
        span: Span,
        /// A fix.
        #[help]
        help: Option<String>,
    },

    /// A range whose start is above its end.
    ///
    /// ```mcl
    /// for n in 3..1 { host "a${n}" { address = "10.0.0.${n}" roles = [follower] } }
    /// ```
    #[error("empty range `{start}..{end}`")]
    #[diagnostic(
        code(mcl::check::empty_range),
        help("ranges are inclusive and count upwards: write `{end}..{start}`")
    )]
    EmptyRange {
        /// The start.
        start: i64,
        /// The end.
        end: i64,
        /// Where.
        #[label("start is above end")]
        span: Span,
    },

    /// Expansion (`for` loops, ranges in lists) that would create more items than mesosc allows.
    ///
    /// ```mcl
    /// for n in 1..100000000 { host "h${n}" { address = "10.0.0.1" roles = [follower] } }
    /// ```
    #[error("{what} is too large ({count} items; the limit is {limit})")]
    #[diagnostic(code(mcl::check::too_large))]
    TooLarge {
        /// What.
        what: String,
        /// How many.
        count: u128,
        /// The limit.
        limit: u64,
        /// Where.
        #[label("too many")]
        span: Span,
    },

    /// The selected environment has no overlay, and an overlay with a
    /// similar name exists; or a service's `environments` names an
    /// environment that nothing declares (no overlay, not
    /// `cluster { environment }`, not `--env`), so it is built nowhere.
    ///
    /// ```mcl
    /// cluster "c" { mesos = "1.11.0" environment = "debgu" }
    /// environment "debug" { }
    /// ```
    #[error("no environment {what} `{name}`")]
    #[diagnostic(code(mcl::check::unknown_environment), severity(Warning))]
    UnknownEnvironment {
        /// The name.
        name: String,
        /// What has no such name: `overlay named` for a selected
        /// environment, `named` for a service's (nothing declares it).
        what: &'static str,
        /// Where the name is written (none when it came from `--env`).
        #[label("{label}")]
        span: Option<Span>,
        /// What the name does there: `selected here`, or the service it
        /// restricts.
        label: String,
        /// A suggestion.
        #[help]
        help: Option<String>,
    },

    /// Two environment overlays with one name.
    ///
    /// ```mcl
    /// environment "debug" { }
    /// environment "debug" { }
    /// ```
    #[error("duplicate environment `{name}`")]
    #[diagnostic(
        code(mcl::check::duplicate_environment),
        help("merge the two overlays into one")
    )]
    DuplicateEnvironment {
        /// The name.
        name: String,
        /// The first.
        #[label("first defined here")]
        first: Span,
        /// The second.
        #[label("defined again here")]
        second: Span,
    },

    /// Two `service` blocks with one name.
    ///
    /// ```mcl
    /// service "lsf" { exec = "/bin/true" on = [leader] }
    /// service "lsf" { exec = "/bin/false" on = [leader] }
    /// ```
    #[error("duplicate service `{name}`")]
    #[diagnostic(
        code(mcl::check::duplicate_service),
        help("service names become unit names and must be unique")
    )]
    DuplicateService {
        /// The name.
        name: String,
        /// The first.
        #[label("first defined here")]
        first: Span,
        /// The second.
        #[label("defined again here")]
        second: Span,
    },

    /// A key that the block does not have.
    ///
    /// ```mcl
    /// leader { prot = 5050 }
    /// ```
    #[error("unknown key `{key}` in `{block}`")]
    #[diagnostic(code(mcl::check::unknown_key))]
    UnknownKey {
        /// The key.
        key: String,
        /// The block.
        block: String,
        /// Where.
        #[label("not a setting of `{block}`")]
        span: Span,
        /// A suggestion, or the keys allowed.
        #[help]
        help: Option<String>,
    },

    /// A label on a block that takes none: only `credential "principal" { … }`
    /// is labelled, and the label of any other block was never read.
    ///
    /// ```mcl
    /// follower { resources "big" { cpus = 8 } }
    /// ```
    #[error("`{key}` takes no label")]
    #[diagnostic(code(mcl::check::unexpected_label))]
    UnexpectedLabel {
        /// The key of the labelled block.
        key: String,
        /// The label as written (global span, quotes included).
        #[label("this label has no meaning")]
        span: Span,
        /// The fix.
        #[help]
        help: Option<String>,
    },

    /// A key written in a host or a template that describes the whole
    /// cluster, so it may only be written in the cluster-wide block: the
    /// ZooKeeper ensemble (`chroot`, `marathon_chroot`, `hosts`, `dns`) and
    /// the leaders' `quorum`.
    ///
    /// ```mcl
    /// host "m1" { address = "10.0.0.1"  roles = [leader]  leader { quorum = 1 } }
    /// ```
    #[error("`{key}` describes the whole cluster and cannot be set per host")]
    #[diagnostic(code(mcl::check::misplaced_key))]
    MisplacedKey {
        /// The key.
        key: String,
        /// The block it is in (`leader`).
        block: String,
        /// Where the key is written.
        #[label("written in {place}")]
        span: Span,
        /// The whole entry (`key = value`), which the fix removes.
        entry: Span,
        /// Where it was written (`host block`, `template `t``).
        place: String,
        /// Where it may go.
        #[help]
        help: Option<String>,
    },

    /// A setting whose value is of the right kind but not allowed.
    ///
    /// ```mcl
    /// leader { port = 70000 }
    /// ```
    #[error("{message}")]
    #[diagnostic(code(mcl::check::invalid_value))]
    InvalidValue {
        /// What is wrong.
        message: String,
        /// Where.
        #[label("{label}")]
        span: Span,
        /// The label text.
        label: String,
        /// A fix.
        #[help]
        help: Option<String>,
    },

    /// A required setting that is missing.
    ///
    /// ```mcl
    /// cluster "c" { }
    /// ```
    #[error("missing `{key}` in {block}")]
    #[diagnostic(code(mcl::check::missing_setting))]
    MissingSetting {
        /// The key.
        key: String,
        /// The block, e.g. "host `a`".
        block: String,
        /// The block that lacks it.
        #[label("needs `{key}`")]
        span: Span,
        /// A fix.
        #[help]
        help: Option<String>,
    },

    /// A role MCL does not know.
    ///
    /// ```mcl
    /// host "a" { address = "10.0.0.1" roles = [leeder] }
    /// ```
    #[error("unknown role `{role}`")]
    #[diagnostic(code(mcl::check::unknown_role))]
    UnknownRole {
        /// The role.
        role: String,
        /// Where.
        #[label("not a role")]
        span: Span,
        /// A suggestion.
        #[help]
        help: Option<String>,
    },

    /// A host with an empty role list.
    ///
    /// ```mcl
    /// host "a" { address = "10.0.0.1" roles = [] }
    /// ```
    #[error("host `{host}` has no roles")]
    #[diagnostic(code(mcl::check::no_roles), help("give it at least one of {roles}"))]
    NoRoles {
        /// The host.
        host: String,
        /// Where.
        #[label("empty")]
        span: Span,
        /// Every role, in the user's words.
        roles: String,
    },

    /// An address that is not an IPv4 or IPv6 address.
    ///
    /// ```mcl
    /// host "a" { address = "10.0.0" roles = [follower] }
    /// ```
    #[error("invalid address `{text}`")]
    #[diagnostic(
        code(mcl::check::invalid_address),
        help("write an IPv4 (`10.0.0.1`) or IPv6 (`fd00::1`) address")
    )]
    InvalidAddress {
        /// The text.
        text: String,
        /// Where.
        #[label("not an IP address")]
        span: Span,
    },

    /// Two hosts with one address.
    ///
    /// ```mcl
    /// host "a" { address = "10.0.0.1" roles = [follower] }
    /// host "b" { address = "10.0.0.1" roles = [follower] }
    /// ```
    #[error("duplicate address `{address}`")]
    #[diagnostic(
        code(mcl::check::duplicate_address),
        help("every host needs its own address")
    )]
    DuplicateAddress {
        /// The address.
        address: String,
        /// The first.
        #[label("used by `{first_host}`")]
        first: Span,
        /// The first host.
        first_host: String,
        /// The second.
        #[label("used again by `{second_host}`")]
        second: Span,
        /// The second host.
        second_host: String,
    },
}

impl CheckError {
    /// [`CheckError::UnwritableValue`] when one of `formats` cannot carry
    /// `text` (the value `what`, at `span`); the rules are the writers' own
    /// ([`escape::refusal`]).
    pub(crate) fn unwritable(
        what: &str,
        formats: &[Format],
        text: &str,
        span: Span,
    ) -> Option<CheckError> {
        let (format, reason) = formats
            .iter()
            .find_map(|f| escape::refusal(*f, text).map(|r| (f, r)))?;
        let help = if text.contains(char::is_control) {
            "remove the character; write one value per setting instead of several lines"
        } else {
            "remove the `\\` at the end, or end the value with another character"
        };
        Some(CheckError::UnwritableValue {
            what: what.to_owned(),
            format: format.name().to_owned(),
            span,
            reason,
            help: Some(help.to_owned()),
        })
    }
}
