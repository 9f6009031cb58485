//! Small value syntaxes: integers, ports, Java class names, rates,
//! percentages, role weights and net_cls handles.

use super::error::{ValueError, fail, short};
use super::net;
use super::resources::scalar;
use super::units::{lenient_bytes, lenient_duration, parse_mesos_duration};

/// A decimal integer in `min..=max` (an optional `-` only when `min < 0`).
pub(super) fn check_int(v: &str, min: i128, max: i128, noun: &str) -> Result<(), ValueError> {
    let digits = v.strip_prefix('-').unwrap_or(v);
    let well_formed =
        !digits.is_empty() && digits.len() <= 38 && digits.bytes().all(|b| b.is_ascii_digit());
    let noun = if noun.is_empty() { "an integer" } else { noun };
    let err = || ValueError::new(format!("`{}` is not {noun}", short(v)));
    if !well_formed {
        let help = if v.trim() != v {
            "remove the spaces".to_owned()
        } else if lenient_duration(v).is_some() || lenient_bytes(v).is_some() {
            "write a plain number without unit".to_owned()
        } else {
            "write a whole number, e.g. `10`".to_owned()
        };
        return Err(err().with_help(help));
    }
    let n: i128 = v.parse().map_err(|_| err())?;
    if n < min {
        return Err(err().with_help(if min == 0 {
            "it cannot be negative".to_owned()
        } else {
            format!("the minimum is {min}")
        }));
    }
    if n > max {
        return Err(err().with_help(format!("the maximum is {max}")));
    }
    Ok(())
}

pub(super) fn check_port(v: &str) -> Result<(), ValueError> {
    if net::port(v).is_some() {
        return Ok(());
    }
    let err = ValueError::new(format!("`{}` is not a port number", short(v)));
    Err(match v.rsplit_once(':') {
        Some((_, p)) if net::port(p).is_some() => {
            err.with_help(format!("give the port alone: `{p}`"))
        }
        _ => err.with_help("ports are whole numbers from 0 to 65535"),
    })
}

pub(super) fn check_nonblank(v: &str, what: &str) -> Result<(), ValueError> {
    if v.trim().is_empty() {
        return fail(format!("expected {what}, got an empty value"));
    }
    Ok(())
}

/// A fully qualified Java class name: `package.Class`, Java identifiers.
pub(super) fn check_class(v: &str) -> Result<(), ValueError> {
    let ident = |s: &str| {
        let mut chars = s.chars();
        chars
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
            && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
    };
    if v.split('.').all(ident) && v.contains('.') {
        return Ok(());
    }
    Err(ValueError::new(format!(
        "`{}` is not a fully qualified Java class name",
        short(v)
    ))
    .with_help(
        "include the package, e.g. `org.apache.zookeeper.server.auth.SASLAuthenticationProvider`",
    ))
}

/// `<int>/<duration>`, e.g. `1/10mins`.
pub(super) fn check_rate(v: &str) -> Result<(), ValueError> {
    let err = || {
        ValueError::new(format!("`{v}` is not a rate"))
            .with_help("write `<count>/<duration>`, e.g. `1/10mins`")
    };
    let (permits, duration) = v.split_once('/').ok_or_else(err)?;
    match permits.parse::<i32>() {
        Ok(n) if n > 0 && permits.bytes().all(|b| b.is_ascii_digit()) => {}
        _ => return Err(err()),
    }
    parse_mesos_duration(duration).map(|_| ())
}

/// `0%` to `100%`.
pub(super) fn check_percent(v: &str) -> Result<(), ValueError> {
    let Some(number) = v.strip_suffix('%') else {
        let help = match scalar(v) {
            Some(_) => format!("add `%`: `{v}%`"),
            None => "write e.g. `50%`".to_owned(),
        };
        return Err(ValueError::new(format!("`{v}` is not a percentage")).with_help(help));
    };
    match scalar(number) {
        Some(p) if (0.0..=100.0).contains(&p) => Ok(()),
        Some(_) => fail(format!("`{v}` is outside 0% to 100%")),
        None => {
            Err(ValueError::new(format!("`{v}` is not a percentage")).with_help("write e.g. `50%`"))
        }
    }
}

/// `role=weight,role=weight` with positive weights.
pub(super) fn check_role_weights(v: &str) -> Result<(), ValueError> {
    for item in v.split(',') {
        let Some((role, weight)) = item.split_once('=') else {
            return Err(ValueError::new(format!("`{item}` is not a role weight"))
                .with_help("write `role=weight`, e.g. `analytics=2.5,web=1`"));
        };
        if role.is_empty() || role.contains(char::is_whitespace) {
            return fail(format!("`{role}` is not a valid role name"));
        }
        match scalar(weight) {
            Some(w) if w > 0.0 => {}
            _ => {
                return fail(format!(
                    "the weight of `{role}` must be a positive number, not `{weight}`"
                ));
            }
        }
    }
    Ok(())
}

/// `0xAAAA`: a non-zero 16-bit hex number.
pub(super) fn hex16(v: &str) -> Result<u16, ValueError> {
    let err = || ValueError::new(format!("`{v}` is not a 16-bit hex handle"));
    let Some(hex) = v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) else {
        let help = match v.parse::<u16>() {
            Ok(n) => format!("write it in hex: `{n:#06x}`"),
            Err(_) => "write e.g. `0xAAAA`".to_owned(),
        };
        return Err(err().with_help(help));
    };
    let n = (!hex.is_empty() && hex.len() <= 4)
        .then(|| u16::from_str_radix(hex, 16).ok())
        .flatten()
        .ok_or_else(|| err().with_help("use 1 to 4 hex digits, e.g. `0xAAAA`"))?;
    if n == 0 {
        return Err(
            ValueError::new("handle `0x0000` is reserved").with_help("use a non-zero handle")
        );
    }
    Ok(n)
}

/// `0xAAAA,0xBBBB`, lower ≤ upper.
pub(super) fn check_hex16_range(v: &str) -> Result<(), ValueError> {
    let Some((lo, hi)) = v.split_once(',') else {
        return Err(ValueError::new(format!("`{v}` is not a handle range"))
            .with_help("write `0xAAAA,0xBBBB`"));
    };
    if hex16(lo)? > hex16(hi)? {
        return Err(ValueError::new(format!("`{v}` ends before it begins"))
            .with_help(format!("write `{hi},{lo}`")));
    }
    Ok(())
}
