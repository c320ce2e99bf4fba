//! Timestamps and working-hour time-zone estimation.

/// Parse an ISO 8601 UTC timestamp (`2014-11-21T14:03:00Z`, `2014-11-21 14:03:00`,
/// or a date alone) or Unix seconds into Unix seconds.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    let s = s.trim_end_matches('Z').trim_end_matches("+00:00");
    let (date, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut d = date.split('-');
    let y: i64 = d.next()?.parse().ok()?;
    let m: i64 = d.next()?.parse().ok()?;
    let day: i64 = d.next()?.parse().ok()?;
    if d.next().is_some()
        || !(1..=12).contains(&m)
        || !(1..=31).contains(&day)
        || !(1970..=2100).contains(&y)
    {
        return None;
    }
    let (mut hh, mut mm, mut ss) = (0, 0, 0);
    if let Some(t) = time {
        let t = t.split('.').next()?;
        let mut p = t.split(':');
        hh = p.next()?.parse().ok()?;
        mm = p.next().unwrap_or("0").parse().ok()?;
        ss = p.next().unwrap_or("0").parse().ok()?;
        if hh > 23 || mm > 59 || ss > 60 {
            return None;
        }
    }
    Some(days_from_civil(y, m, day) * 86_400 + hh * 3600 + mm * 60 + ss)
}

/// Days since 1970-01-01 (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A time-zone estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OffsetEstimate {
    /// Hours east of UTC.
    pub offset: f64,
    /// Half-width of the range of offsets that fit about as well.
    pub uncertainty: f64,
    /// Share of timestamps inside working hours at that offset.
    pub fit: f64,
}

/// Estimate the UTC offset at which the timestamps fall in a 09:00–18:00,
/// Monday–Friday working week. Needs at least 3 timestamps.
pub fn estimate_utc_offset(ts: &[i64]) -> Option<OffsetEstimate> {
    if ts.len() < 3 {
        return None;
    }
    let score = |off: i64| -> f64 {
        let inside = ts
            .iter()
            .filter(|&&t| {
                let local = t + off * 3600;
                let days = local.div_euclid(86_400);
                let hour = local.rem_euclid(86_400) / 3600;
                // 1970-01-01 was a Thursday: weekday 0 = Monday
                let wd = (days + 3).rem_euclid(7);
                wd < 5 && (9..18).contains(&hour)
            })
            .count();
        inside as f64 / ts.len() as f64
    };
    let scores: Vec<(i64, f64)> = (-12..=14).map(|o| (o, score(o))).collect();
    let best = scores
        .iter()
        .cloned()
        .fold((0, -1.0), |a, b| if b.1 > a.1 { b } else { a });
    // offsets that fit nearly as well
    let near: Vec<i64> = scores
        .iter()
        .filter(|s| s.1 >= best.1 - 1.0 / ts.len() as f64 - 1e-9)
        .map(|s| s.0)
        .collect();
    let lo = *near.iter().min()?;
    let hi = *near.iter().max()?;
    let center = (lo + hi) as f64 / 2.0;
    Some(OffsetEstimate {
        offset: center.round(),
        uncertainty: ((hi - lo) as f64 / 2.0).max(1.0),
        fit: best.1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_timestamps() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_timestamp("2014-11-24"), Some(1_416_787_200));
        assert_eq!(
            parse_timestamp("2014-11-24T10:00:00Z"),
            Some(1_416_787_200 + 36_000)
        );
        assert_eq!(parse_timestamp("1416787200"), Some(1_416_787_200));
        assert_eq!(parse_timestamp("2014-13-01"), None);
        assert_eq!(parse_timestamp("yesterday"), None);
    }

    #[test]
    fn estimates_korean_working_hours() {
        // Mon–Fri 2014-11-17..21, 01:00–08:00 UTC = 10:00–17:00 in UTC+9
        let mut ts = Vec::new();
        for day in 17..=21 {
            for h in [1, 3, 5, 7] {
                ts.push(parse_timestamp(&format!("2014-11-{day}T{h:02}:30:00Z")).unwrap());
            }
        }
        let e = estimate_utc_offset(&ts).unwrap();
        assert!((e.offset - 9.0).abs() <= 1.0, "{e:?}");
        assert!(e.fit > 0.99);
        assert!(estimate_utc_offset(&ts[..2]).is_none());
    }
}
