//! Natural order for names people number: `agent-2` before `agent-10`.
//!
//! Used wherever hosts are listed for people (the plan's node order, its
//! waves, the graph, README tables). It is never used for ZooKeeper ids,
//! which follow the plain sorted names so that existing ensembles keep them.

use std::cmp::Ordering;

/// Compares `a` and `b` chunk by chunk: runs of ASCII digits as numbers
/// (`2` < `10`; `02` and `2` are equal as numbers, then the shorter run
/// first), everything else as text. Names equal that way fall back to the
/// plain byte order, so the order is total.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let (m, rest_x) = digits(x);
                let (n, rest_y) = digits(y);
                let (m0, n0) = (trim_zeros(m), trim_zeros(n));
                let by_value = m0.len().cmp(&n0.len()).then_with(|| m0.cmp(n0));
                let order = by_value.then_with(|| m.len().cmp(&n.len()));
                if order != Ordering::Equal {
                    return order;
                }
                (x, y) = (rest_x, rest_y);
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(d);
                }
                (x, y) = (&x[1..], &y[1..]);
            }
        }
    }
}

/// The leading run of digits of `s`, and the rest.
fn digits(s: &[u8]) -> (&[u8], &[u8]) {
    let end = s
        .iter()
        .position(|c| !c.is_ascii_digit())
        .unwrap_or(s.len());
    s.split_at(end)
}

fn trim_zeros(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|&c| c != b'0').unwrap_or(s.len());
    &s[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_as_numbers() {
        let mut names = vec![
            "agent-10",
            "agent-2",
            "agent-1",
            "master-01",
            "agent-9",
            "a",
            "agent-",
        ];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            [
                "a",
                "agent-",
                "agent-1",
                "agent-2",
                "agent-9",
                "agent-10",
                "master-01"
            ]
        );
        assert_eq!(natural_cmp("x2y10", "x2y9"), Ordering::Greater);
        assert_eq!(
            natural_cmp("02", "2"),
            Ordering::Greater,
            "total: the padded one last"
        );
        assert_eq!(natural_cmp("b", "a10"), Ordering::Greater);
        assert_eq!(natural_cmp("same", "same"), Ordering::Equal);
        assert_eq!(
            natural_cmp("99999999999999999999999", "100000000000000000000000"),
            Ordering::Less
        );
    }
}
