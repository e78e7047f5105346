//! Validated inputs: a [`TenantId`] and a [`KeyArn`] cannot hold an invalid value, so bad input is
//! refused (exit 2) before any AWS call is made.

use std::fmt;
use std::str::FromStr;

/// Why an input was refused: which input, and the rule it breaks. Rendered as one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.line())]
pub struct InputError {
    /// The option or file the value came from, e.g. `--tenant`.
    pub input: String,
    /// The offending value (never a secret: tenant ids, ARNs, file names, config values).
    pub value: String,
    /// The rule it breaks, and where useful how to fix it.
    pub rule: String,
}

impl InputError {
    /// The one line: `invalid --tenant "Acme": <rule>`, or `missing --yes: <rule>` when there is
    /// no value to show (an empty `""` says nothing).
    fn line(&self) -> String {
        if self.value.is_empty() {
            format!("missing {}: {}", self.input, self.rule)
        } else {
            format!("invalid {} {:?}: {}", self.input, self.value, self.rule)
        }
    }

    /// A refusal of `value` given for `input`.
    pub fn new(
        input: impl Into<String>,
        value: impl Into<String>,
        rule: impl Into<String>,
    ) -> Self {
        Self {
            input: input.into(),
            value: value.into(),
            rule: rule.into(),
        }
    }
}

/// A tenant id: 3 to 32 characters of `a-z`, `0-9` and `-`, starting and ending with a letter or
/// digit, with no `--`. Every resource name derived from it is valid for S3, Firehose and RDS.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TenantId(String);

impl TenantId {
    /// The rule, as shown to users.
    pub const RULE: &'static str = "a tenant id is 3 to 32 characters of a-z, 0-9 and '-', \
         starting and ending with a letter or digit, with no '--'";

    /// The id as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn check(s: &str) -> Result<(), String> {
        let len = s.chars().count();
        if !(3..=32).contains(&len) {
            return Err(format!("{len} characters; {}", Self::RULE));
        }
        if let Some(c) = s
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            let what = if c.is_ascii_uppercase() {
                "an upper-case letter".to_string()
            } else {
                format!("{c:?}")
            };
            return Err(format!("contains {what}; {}", Self::RULE));
        }
        if s.starts_with('-') || s.ends_with('-') {
            return Err(format!("starts or ends with '-'; {}", Self::RULE));
        }
        if s.contains("--") {
            return Err(format!(
                "contains '--' (RDS identifiers forbid it); {}",
                Self::RULE
            ));
        }
        Ok(())
    }
}

impl FromStr for TenantId {
    type Err = InputError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::check(s).map_err(|rule| InputError::new("--tenant", s, rule))?;
        Ok(Self(s.to_string()))
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The AWS partitions a KMS key ARN can name, with the region prefix each one's regions carry.
const PARTITIONS: &[(&str, &[&str])] = &[
    ("aws", &[]),
    ("aws-cn", &["cn-"]),
    ("aws-us-gov", &["us-gov-"]),
    ("aws-iso", &["us-iso-"]),
    ("aws-iso-b", &["us-isob-"]),
    ("aws-iso-e", &["eu-isoe-"]),
    ("aws-iso-f", &["us-isof-"]),
    ("aws-eusc", &["eusc-"]),
];

/// The partition a region belongs to (`aws` unless its name carries another partition's prefix).
pub fn partition_of_region(region: &str) -> &'static str {
    PARTITIONS
        .iter()
        .find(|(_, prefixes)| prefixes.iter().any(|p| region.starts_with(p)))
        .map(|(p, _)| *p)
        .unwrap_or("aws")
}

/// A full KMS key ARN: `arn:<partition>:kms:<region>:<account>:key/<key id>`, the key id a UUID or
/// `mrk-` and 32 hex digits. Aliases, bare key ids and other services' ARNs are refused: S3 and
/// cross-account use need the full key ARN.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyArn {
    raw: String,
    partition: String,
    region: String,
    account: String,
    key_id: String,
}

const NEED_FULL: &str = "S3 and cross-account use need the full key ARN, \
     arn:aws:kms:<region>:<account>:key/<key id>";

impl KeyArn {
    /// The ARN as given.
    pub fn as_str(&self) -> &str {
        &self.raw
    }
    /// The partition, e.g. `aws`.
    pub fn partition(&self) -> &str {
        &self.partition
    }
    /// The key's region.
    pub fn region(&self) -> &str {
        &self.region
    }
    /// The account that owns the key (the customer's).
    pub fn account(&self) -> &str {
        &self.account
    }
    /// The key id (UUID or `mrk-…`).
    pub fn key_id(&self) -> &str {
        &self.key_id
    }
    /// Whether this is a multi-Region key (`mrk-` id).
    pub fn is_multi_region(&self) -> bool {
        self.key_id.starts_with("mrk-")
    }

    fn parse(s: &str) -> Result<Self, String> {
        if s.is_empty() {
            return Err(format!("empty; {NEED_FULL}"));
        }
        if s.chars().any(char::is_whitespace) {
            return Err("contains white space; paste the key ARN alone".into());
        }
        if !s.starts_with("arn:") {
            if s.starts_with("alias/") {
                return Err(format!(
                    "an alias name, which resolves in the caller's account; {NEED_FULL}"
                ));
            }
            if is_key_id(s) {
                return Err(format!("a bare key id; {NEED_FULL}"));
            }
            return Err(format!("not an ARN; {NEED_FULL}"));
        }
        let parts: Vec<&str> = s.splitn(6, ':').collect();
        if parts.len() != 6 {
            return Err(format!("an ARN has 6 ':'-separated parts; {NEED_FULL}"));
        }
        let (partition, service, region, account, resource) =
            (parts[1], parts[2], parts[3], parts[4], parts[5]);
        let Some((_, region_prefixes)) = PARTITIONS.iter().find(|(p, _)| *p == partition) else {
            return Err(format!("unknown partition {partition:?}; expected one of aws, aws-cn, aws-us-gov, aws-iso*, aws-eusc"));
        };
        if service != "kms" {
            return Err(format!(
                "an ARN of service {service:?}, not a KMS key; {NEED_FULL}"
            ));
        }
        if !is_region(region) {
            return Err(format!(
                "region {region:?} is not an AWS region name such as us-east-1"
            ));
        }
        let region_fits = if region_prefixes.is_empty() {
            PARTITIONS
                .iter()
                .flat_map(|(_, p)| p.iter())
                .all(|p| !region.starts_with(p))
        } else {
            region_prefixes.iter().any(|p| region.starts_with(p))
        };
        if !region_fits {
            return Err(format!("region {region} is not in partition {partition}"));
        }
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("account {account:?} is not 12 digits"));
        }
        if let Some(alias) = resource.strip_prefix("alias/") {
            return Err(format!("an alias ARN (alias/{alias}); aliases resolve in the caller's account; {NEED_FULL}"));
        }
        let Some(key_id) = resource.strip_prefix("key/") else {
            return Err(format!(
                "resource {resource:?} is not key/<key id>; {NEED_FULL}"
            ));
        };
        if !is_key_id(key_id) {
            return Err(format!(
                "key id {key_id:?} is neither a UUID (lower-case hex) nor mrk- and 32 hex digits"
            ));
        }
        Ok(Self {
            raw: s.to_string(),
            partition: partition.into(),
            region: region.into(),
            account: account.into(),
            key_id: key_id.into(),
        })
    }
}

/// URL-encodes `s` byte by byte, keeping the unreserved characters (RFC 3986: letters, digits,
/// `-_.~`) and, with `keep_slash`, `/` (an S3 key in `x-amz-copy-source`).
pub fn percent_encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && b == b'/')
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Undoes URL encoding (`%XX`, and `+` as a space): IAM's policy documents, S3's keys in Batch
/// Operations reports.
pub fn percent_decode(s: &str) -> String {
    if !s.contains(['%', '+']) {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `us-east-1`, `us-gov-west-1`, `eu-isoe-west-1`, `ap-southeast-5`: lower-case words and a number.
pub fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[0].len() == 2
        && parts[parts.len() - 1].parse::<u8>().is_ok()
        && !parts[parts.len() - 1].starts_with('0')
}

/// A 12-digit AWS account id.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_key_id(s: &str) -> bool {
    let hex = |t: &str| {
        t.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    if let Some(rest) = s.strip_prefix("mrk-") {
        return rest.len() == 32 && hex(rest);
    }
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && hex(g))
}

impl FromStr for KeyArn {
    type Err = InputError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s).map_err(|rule| InputError::new("--key-arn", s, rule))
    }
}

impl fmt::Display for KeyArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str =
        "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    #[test]
    fn tenant_ids() {
        for ok in ["acme", "a1b", "acme-corp-2", &"a".repeat(32), "123"] {
            assert!(ok.parse::<TenantId>().is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("ab", "2 characters"),
            (&"a".repeat(33), "33 characters"),
            ("Acme", "upper-case"),
            ("acme_corp", "'_'"),
            ("-acme", "starts or ends"),
            ("acme-", "starts or ends"),
            ("ac--me", "'--'"),
            ("acmé", "'é'"),
            ("ac me", "' '"),
        ] {
            let err = bad.parse::<TenantId>().unwrap_err();
            assert_eq!(err.input, "--tenant");
            assert!(err.to_string().contains(why), "{bad}: {err}");
            assert!(!err.to_string().contains('\n'));
        }
    }

    #[test]
    fn key_arns() {
        let arn: KeyArn = GOOD.parse().unwrap();
        assert_eq!(arn.account(), "111111111111");
        assert_eq!(arn.region(), "us-east-1");
        assert_eq!(arn.key_id(), "1234abcd-12ab-34cd-56ef-1234567890ab");
        assert!(!arn.is_multi_region());
        let mrk: KeyArn = "arn:aws-us-gov:kms:us-gov-west-1:111111111111:key/mrk-0123456789abcdef0123456789abcdef"
            .parse()
            .unwrap();
        assert!(mrk.is_multi_region());
        assert!(
            "arn:aws-cn:kms:cn-north-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                .parse::<KeyArn>()
                .is_ok()
        );
    }

    #[test]
    fn refused_key_arns_say_why() {
        for (bad, why) in [
            ("", "empty"),
            ("alias/customer", "alias name"),
            ("1234abcd-12ab-34cd-56ef-1234567890ab", "bare key id"),
            (
                "arn:aws:kms:us-east-1:111111111111:alias/customer",
                "alias ARN",
            ),
            ("arn:aws:s3:::bucket-name", "service \"s3\""),
            ("arn:aws:kms:us-east-1", "6 ':'-separated parts"),
            (
                "arn:aws:s3:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "service \"s3\"",
            ),
            ("arn:aws:iam::111111111111:role/x", "service \"iam\""),
            (
                "arn:awz:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "partition",
            ),
            (
                "arn:aws:kms:useast1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "region",
            ),
            (
                "arn:aws:kms:cn-north-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "not in partition",
            ),
            (
                "arn:aws:kms:us-east-1:11111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "12 digits",
            ),
            (
                "arn:aws:kms:us-east-1:11111111111a:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "12 digits",
            ),
            (
                "arn:aws:kms:us-east-1:111111111111:key/1234ABCD-12ab-34cd-56ef-1234567890ab",
                "UUID",
            ),
            ("arn:aws:kms:us-east-1:111111111111:key/mrk-0123", "mrk-"),
            ("arn:aws:kms:us-east-1:111111111111:key/", "UUID"),
            (
                "arn:aws:kms:us-east-1:111111111111:grant/abc",
                "key/<key id>",
            ),
            (
                " arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "white space",
            ),
            ("not-an-arn", "not an ARN"),
        ] {
            let err = bad.parse::<KeyArn>().unwrap_err();
            assert_eq!(err.input, "--key-arn");
            assert!(err.to_string().contains(why), "{bad:?}: {err}");
        }
    }

    #[test]
    fn regions() {
        for ok in [
            "us-east-1",
            "us-gov-west-1",
            "eu-isoe-west-1",
            "ap-southeast-5",
        ] {
            assert!(is_region(ok), "{ok}");
        }
        for bad in [
            "us-east",
            "useast1",
            "US-EAST-1",
            "us-east-01",
            "u-east-1",
            "",
        ] {
            assert!(!is_region(bad), "{bad}");
        }
    }

    #[test]
    fn url_encoding_is_undone() {
        assert_eq!(super::percent_decode("%7B%22a%22%3A1%7D"), "{\"a\":1}");
        assert_eq!(super::percent_decode("{\"a\":1}"), "{\"a\":1}");
        assert_eq!(super::percent_decode("a%20b+c%C3%A9"), "a b cé");
        // Encoding: unreserved kept, `/` only when asked, UTF-8 byte by byte; round trip.
        assert_eq!(super::percent_encode("a b/cé~", true), "a%20b/c%C3%A9~");
        assert_eq!(super::percent_encode("a/b", false), "a%2Fb");
        assert_eq!(
            super::percent_decode(&super::percent_encode("k=v&x/é", false)),
            "k=v&x/é"
        );
        assert_eq!(
            super::percent_decode("%é%"),
            "%é%",
            "no panic on a non-hex byte"
        );
    }
}
