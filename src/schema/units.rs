//! stout's duration and byte-size syntaxes (`10secs`, `512MB`), with help
//! for the spellings people try first (`10sec`, `10s`, `1.5GB`, `1GiB`).

use super::error::ValueError;

/// Nanoseconds per stout duration unit, largest first.
pub const DURATION_UNITS: [(&str, u128); 8] = [
    ("weeks", 7 * 24 * 3600 * NANOS_PER_SEC),
    ("days", 24 * 3600 * NANOS_PER_SEC),
    ("hrs", 3600 * NANOS_PER_SEC),
    ("mins", 60 * NANOS_PER_SEC),
    ("secs", NANOS_PER_SEC),
    ("ms", 1_000_000),
    ("us", 1_000),
    ("ns", 1),
];

/// Nanoseconds in a second.
pub const NANOS_PER_SEC: u128 = 1_000_000_000;

/// Bytes per stout byte unit, largest first (powers of 1024).
pub const BYTE_UNITS: [(&str, u64); 5] = [
    ("TB", 1 << 40),
    ("GB", 1 << 30),
    ("MB", 1 << 20),
    ("KB", 1 << 10),
    ("B", 1),
];

const UNIT_LIST: &str = "ns, us, ms, secs, mins, hrs, days, weeks";

/// Parses a Mesos duration (`Duration::parse` in stout) into nanoseconds.
///
/// The syntax is a non-negative number (digits with an optional `.`)
/// followed immediately by one case-sensitive unit: `ns us ms secs mins hrs
/// days weeks`. `500ms`, `0.5secs` and `2weeks` are accepted; `10`, `10 secs`,
/// `-1secs`, `10sec`, `10s` and `1h30m` are not, each with a help line that
/// shows the right spelling. Values beyond stout's signed 64-bit nanoseconds
/// are rejected too.
pub fn parse_mesos_duration(text: &str) -> Result<u128, ValueError> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let scale = DURATION_UNITS
        .iter()
        .find(|(u, _)| *u == unit)
        .map(|(_, n)| *n);
    match (decimal(number), scale) {
        (Some(number), Some(scale)) => {
            let nanos = number
                .scaled(scale)
                .filter(|n| *n <= i64::MAX as u128)
                .ok_or_else(|| {
                    not_a_duration(text).with_help("the longest duration is about 15250weeks")
                })?;
            Ok(nanos)
        }
        _ => Err(not_a_duration(text).with_help(duration_help(text))),
    }
}

/// Writes nanoseconds the way stout prints a duration: in the largest unit
/// that divides it exactly (`60 s` → `1mins`, `90 s` → `90secs`, `0` → `0ns`).
pub fn format_mesos_duration(nanos: u128) -> String {
    let (unit, scale) = DURATION_UNITS
        .iter()
        .find(|(_, n)| nanos != 0 && nanos.is_multiple_of(*n))
        .copied()
        .unwrap_or(("ns", 1));
    format!("{}{unit}", nanos / scale)
}

/// Parses a Mesos byte size (`Bytes::parse` in stout) into bytes.
///
/// The syntax is a non-negative integer followed by `B`, `KB`, `MB`, `GB` or
/// `TB` in any case (powers of 1024): `512MB`, `2gb`. A bare number, a
/// fraction (`1.5GB`), `KiB`-style units and a space before the unit are
/// rejected with help.
pub fn parse_mesos_bytes(text: &str) -> Result<u64, ValueError> {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let upper = unit.to_ascii_uppercase();
    let scale = BYTE_UNITS
        .iter()
        .find(|(u, _)| *u == upper)
        .map(|(_, n)| *n);
    match (number.parse::<u64>(), scale) {
        (Ok(n), Some(scale)) => n.checked_mul(scale).ok_or_else(|| {
            ValueError::new(format!("`{text}` is too large for a byte size"))
                .with_help("the largest size is 16383TB")
        }),
        _ => Err(
            ValueError::new(format!("`{text}` is not a Mesos byte size"))
                .with_help(bytes_help(text)),
        ),
    }
}

/// Writes bytes the way stout prints a byte size: in the largest unit that
/// divides it exactly (`1024` → `1KB`, `1536 MiB` → `1536MB`, `0` → `0B`).
pub fn format_mesos_bytes(bytes: u64) -> String {
    let (unit, scale) = BYTE_UNITS
        .iter()
        .find(|(_, n)| bytes != 0 && bytes.is_multiple_of(*n))
        .copied()
        .unwrap_or(("B", 1));
    format!("{}{unit}", bytes / scale)
}

fn not_a_duration(text: &str) -> ValueError {
    ValueError::new(format!("`{text}` is not a Mesos duration"))
}

/// A non-negative decimal kept exact: `int` and the fraction digits.
#[derive(Debug, Clone, Copy)]
pub(super) struct Decimal<'a> {
    int: &'a str,
    frac: &'a str,
}

impl Decimal<'_> {
    /// `self × scale`, truncated to an integer; `None` on overflow.
    pub(super) fn scaled(&self, scale: u128) -> Option<u128> {
        let int: u128 = if self.int.is_empty() {
            0
        } else {
            self.int.parse().ok()?
        };
        let mut total = int.checked_mul(scale)?;
        // Fraction digits beyond 30 cannot change a result that fits 128 bits.
        let frac = self.frac.get(..self.frac.len().min(30)).unwrap_or("");
        if !frac.is_empty() {
            let digits: u128 = frac.parse().ok()?;
            let denom = 10u128.checked_pow(u32::try_from(frac.len()).ok()?)?;
            total = total.checked_add(digits.checked_mul(scale)? / denom)?;
        }
        Some(total)
    }

    /// True when `self × scale` is a whole number.
    pub(super) fn is_whole_at(&self, scale: u128) -> bool {
        let frac = self.frac.trim_end_matches('0');
        if frac.is_empty() {
            return true;
        }
        let Some(denom) = u32::try_from(frac.len())
            .ok()
            .and_then(|n| 10u128.checked_pow(n))
        else {
            return false;
        };
        let digits: u128 = frac.parse().unwrap_or(1);
        digits.checked_mul(scale).is_some_and(|d| d % denom == 0)
    }
}

/// Digits with at most one `.` and at least one digit (`5`, `0.5`, `.5`, `5.`).
pub(super) fn decimal(text: &str) -> Option<Decimal<'_>> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    (digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty()))
        .then_some(Decimal { int, frac })
}

/// The stout unit a common misspelling means (`sec` → `secs`, `h` → `hrs`).
fn unit_alias(unit: &str) -> Option<&'static str> {
    if let Some((u, _)) = DURATION_UNITS.iter().find(|(u, _)| *u == unit) {
        return Some(u);
    }
    Some(match unit.to_ascii_lowercase().as_str() {
        "ns" | "nsec" | "nsecs" | "nanos" | "nanosecond" | "nanoseconds" => "ns",
        "us" | "µs" | "usec" | "usecs" | "micros" | "microsecond" | "microseconds" => "us",
        "ms" | "msec" | "msecs" | "millis" | "millisecond" | "milliseconds" => "ms",
        "s" | "sec" | "secs" | "second" | "seconds" => "secs",
        "m" | "min" | "mins" | "minute" | "minutes" => "mins",
        "h" | "hr" | "hrs" | "hour" | "hours" => "hrs",
        "d" | "day" | "days" => "days",
        "w" | "wk" | "week" | "weeks" => "weeks",
        _ => return None,
    })
}

/// Reads a duration the way a person might write it: stout syntax, common
/// unit misspellings, a space before the unit, or several parts (`1h30m`).
/// Used to suggest the right spelling or a plain number of milliseconds.
pub(super) fn lenient_duration(text: &str) -> Option<u128> {
    let mut rest = text.trim();
    let mut total: u128 = 0;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let split = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let (number, tail) = rest.split_at(split);
        let tail = tail.trim_start();
        let unit_end = tail
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(tail.len());
        let (unit, next) = tail.split_at(unit_end);
        let scale = DURATION_UNITS
            .iter()
            .find(|(u, _)| Some(*u) == unit_alias(unit))?
            .1;
        total = total.checked_add(decimal(number)?.scaled(scale)?)?;
        rest = next.trim_start();
    }
    Some(total)
}

/// Help for a rejected duration: the right spelling when it can be guessed.
fn duration_help(text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return format!("write a number followed by one of {UNIT_LIST}, e.g. `10secs`");
    }
    if let Some(rest) = trimmed.strip_prefix('-') {
        return match lenient_duration(rest) {
            Some(_) => "durations cannot be negative".to_owned(),
            None => format!("durations cannot be negative; write e.g. `10secs` ({UNIT_LIST})"),
        };
    }
    if decimal(trimmed).is_some() {
        return format!(
            "add a unit ({UNIT_LIST}), e.g. `{trimmed}secs` or `{trimmed}ms`; a bare number is rejected"
        );
    }
    let parts = count_parts(trimmed);
    match lenient_duration(trimmed) {
        Some(nanos) if parts > 1 => format!(
            "stout takes a single number and unit: `{}`",
            format_mesos_duration(nanos)
        ),
        Some(_) => {
            let split = trimmed
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(trimmed.len());
            let (number, unit) = trimmed.split_at(split);
            let fixed = unit_alias(unit.trim()).unwrap_or("secs");
            let fixed = format!("{}{fixed}", number.trim_start_matches('+'));
            if unit.starts_with(char::is_whitespace) && unit_alias(unit.trim()) == Some(unit.trim())
            {
                format!("remove the space: `{fixed}`")
            } else {
                format!("use one of {UNIT_LIST}: `{fixed}`")
            }
        }
        None => format!("write a number followed by one of {UNIT_LIST}, e.g. `10secs`"),
    }
}

/// How many number+unit parts a duration-like text has (`1h30m` → 2).
fn count_parts(text: &str) -> usize {
    let mut parts = 0;
    let mut in_number = false;
    for c in text.chars() {
        let digit = c.is_ascii_digit() || c == '.';
        if digit && !in_number {
            parts += 1;
        }
        in_number = digit;
    }
    parts
}

/// Reads a byte size the way a person might write it (`1.5GB`, `1 GiB`,
/// `10G`) into bytes, when the result is a whole number of bytes.
pub(super) fn lenient_bytes(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (number, unit) = text.split_at(split);
    let unit = unit.trim().to_ascii_uppercase();
    let unit = unit
        .strip_suffix("IB")
        .map(|u| format!("{u}B"))
        .unwrap_or(unit);
    let unit = if unit.len() == 1 && unit != "B" {
        format!("{unit}B")
    } else {
        unit
    };
    let scale = BYTE_UNITS.iter().find(|(u, _)| **u == unit)?.1;
    let number = decimal(number)?;
    if !number.is_whole_at(u128::from(scale)) {
        return None;
    }
    u64::try_from(number.scaled(u128::from(scale))?).ok()
}

/// Help for a rejected byte size.
fn bytes_help(text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.starts_with('-') {
        return "byte sizes cannot be negative".to_owned();
    }
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return format!(
            "add a unit (B, KB, MB, GB or TB), e.g. `{trimmed}MB` or `{trimmed}B`; a bare number is rejected"
        );
    }
    if let Some(bytes) = lenient_bytes(trimmed) {
        let fixed = format_mesos_bytes(bytes);
        let why = if trimmed.contains('.') {
            "byte sizes are whole numbers"
        } else if trimmed.to_ascii_uppercase().contains("IB") {
            "Mesos units are already powers of 1024"
        } else if trimmed.contains(char::is_whitespace) {
            "remove the space"
        } else {
            "use B, KB, MB, GB or TB"
        };
        return format!("{why}: `{fixed}`");
    }
    if trimmed.contains('.') {
        return "byte sizes are whole numbers: use a smaller unit, e.g. `1536MB` for 1.5GB"
            .to_owned();
    }
    "write a whole number followed by B, KB, MB, GB or TB, e.g. `512MB`".to_owned()
}
