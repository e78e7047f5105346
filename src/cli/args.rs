//! Argument parsers shared by the subcommands: the tenant id and the key ARN, each with the rule
//! it breaks in one line.

use cmek::{KeyArn, TenantId};

/// `--tenant`.
pub fn parse_tenant(s: &str) -> Result<TenantId, String> {
    s.parse().map_err(|e: cmek::InputError| e.rule)
}

/// `--key-arn`.
pub fn parse_key_arn(s: &str) -> Result<KeyArn, String> {
    s.parse().map_err(|e: cmek::InputError| e.rule)
}

/// `--max-age`: whole numbers with a unit, largest first: `90s`, `15m`, `1h30m`, `7d`.
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    const RULE: &str =
        "a duration is whole numbers each followed by s, m, h or d, such as 90s, 15m, 1h30m or 7d";
    let mut total: u64 = 0;
    let mut digits = String::new();
    let mut last_unit = u64::MAX;
    for ch in s.chars() {
        if ch.is_ascii_digit() {
            digits.push(ch);
            continue;
        }
        let unit = match ch {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return Err(RULE.into()),
        };
        if digits.is_empty() || unit >= last_unit {
            return Err(RULE.into());
        }
        let n: u64 = digits.parse().map_err(|_| RULE.to_string())?;
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .filter(|v| *v <= 3650 * 86_400)
            .ok_or_else(|| "a duration is at most 3650d".to_string())?;
        digits.clear();
        last_unit = unit;
    }
    if !digits.is_empty() || last_unit == u64::MAX {
        return Err(RULE.into());
    }
    Ok(std::time::Duration::from_secs(total))
}

#[cfg(test)]
mod tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn durations_are_numbers_with_units_largest_first() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(604_800)));
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
        for bad in [
            "",
            "1",
            "h",
            "1x",
            "30m1h",
            "1h1h",
            "-1h",
            "1.5h",
            " 1h",
            "99999999999d",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
