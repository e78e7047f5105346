//! One tenancy resolution for every command that reads a tenant: the key its resources should
//! use (the option, else its record, else its first bucket's tags), checked like `--key-arn`, and
//! its record. Our own side failing (throttling, our IAM, the network) is an error (exit 3), never
//! "no key".

use serde::Serialize;

use crate::aws::Clients;
use crate::environment::Environment;
use crate::error::{AwsError, Error};
use crate::input::{InputError, KeyArn, TenantId};
use crate::services::kms::KeyView;
use crate::services::registry::Registry;
use crate::services::s3::bucket_tag;
use crate::shared::record::Record;
use crate::shared::report::SCHEMA_VERSION;
use crate::shared::tenancy::{Tenancy, TAG_KEY};

/// Where the expected key came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KeySource {
    /// `--key-arn`.
    Option,
    /// The tenant's registry record.
    Record,
    /// The `speedscale:cmek-key-arn` tag of the tenant's first bucket.
    Tags,
}

impl KeySource {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            KeySource::Option => "option",
            KeySource::Record => "record",
            KeySource::Tags => "tags",
        }
    }
}

/// A tenant, resolved.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The tenancy, with the expected key.
    pub tenancy: Tenancy,
    /// Its record, when it has one.
    pub record: Option<Record>,
    /// Where the key came from.
    pub source: KeySource,
}

/// Who is asking, where.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// The environment.
    pub env: &'a Environment,
    /// Speedscale's account.
    pub account: &'a str,
    /// The region.
    pub region: &'a str,
    /// The endpoint override.
    pub endpoint: Option<&'a str>,
}

/// Resolves a tenant: its record, and the key from the option, the record or the tags. Exit 2
/// when no key can be found or it is not usable here; exit 3 when our side fails.
pub async fn resolve(
    c: &Clients,
    s: Scope<'_>,
    tenant: &TenantId,
    option: Option<&KeyArn>,
) -> Result<Resolved, Error> {
    let registry =
        Registry::for_environment(s.env, s.account, s.region, s.endpoint.map(str::to_string));
    let record = registry.read_record(c, tenant.as_str()).await?;
    let (key, source) = match (option, &record) {
        (Some(k), _) => (Some(k.clone()), KeySource::Option),
        (None, Some(r)) if r.key_arn.parse::<KeyArn>().is_ok() => {
            (r.key_arn.parse().ok(), KeySource::Record)
        }
        (None, _) => (tagged_key(c, s, tenant).await?, KeySource::Tags),
    };
    let record = match source {
        KeySource::Tags => None,
        KeySource::Option | KeySource::Record => record,
    };
    let Some(key) = key else {
        return Err(no_key(tenant));
    };
    check_key(&key, s.account, s.region)?;
    let tenancy = Tenancy::new(
        tenant.clone(),
        key,
        s.account,
        s.region,
        s.env.clone(),
        s.endpoint.map(str::to_string),
    );
    Ok(Resolved {
        tenancy,
        record,
        source,
    })
}

/// The key named by the tenant's first bucket's tags, if any. Our side failing (throttling, our
/// IAM, the network) is an error; anything else (no bucket, no tags, a bucket that is not ours) is
/// "no key here".
async fn tagged_key(
    c: &Clients,
    s: Scope<'_>,
    tenant: &TenantId,
) -> Result<Option<KeyArn>, AwsError> {
    let names = s.env.tenant_names(tenant, s.account, s.region);
    let Some((_, bucket)) = names.buckets.first() else {
        return Ok(None);
    };
    Ok(bucket_tag(c, bucket, TAG_KEY, s.endpoint)
        .await?
        .and_then(|v| v.parse().ok()))
}

/// The refusal when no key can be found for a tenant: it is not onboarded here.
pub fn no_key(tenant: &TenantId) -> Error {
    InputError::new(
        "--tenant",
        tenant.as_str(),
        "the tenant is not onboarded in this environment: it has no record in the registry and no tagged bucket (run cmek enable, or pass --key-arn)",
    )
    .into()
}

/// A tenant's key must be in the environment's region and not in Speedscale's own account.
fn check_key(key: &KeyArn, account: &str, region: &str) -> Result<(), Error> {
    if key.region() != region {
        return Err(InputError::new(
            "--key-arn",
            key.as_str(),
            format!(
                "the key is in {}, the environment in {region}",
                key.region()
            ),
        )
        .into());
    }
    if key.account() == account {
        return Err(InputError::new(
            "--key-arn",
            key.as_str(),
            format!("the key is in Speedscale's own account {account}"),
        )
        .into());
    }
    Ok(())
}

/// What `status --tenant` and `revoke-check` reports start with: the tenant, its key and the
/// key's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TenantHead<V> {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// `status` or `revoke-check`.
    pub command: &'static str,
    /// The command's verdict.
    pub verdict: V,
    /// The tenant.
    pub tenant: String,
    /// The expected key.
    pub key_arn: String,
    /// Where the expected key came from: option, record or tags.
    pub key_source: KeySource,
    /// Speedscale's account.
    pub account: String,
    /// The region.
    pub region: String,
    /// The customer account the tenant belongs to: its record's, else the key's.
    pub customer_account: String,
    /// The key's own state.
    pub key: KeyView,
}

/// The customer account a tenant's record names (older records: its key's), and the line to show
/// when the key in use is not in it: a key from another customer account is a finding.
pub fn customer_account(t: &Tenancy, record: Option<&Record>) -> (String, Option<String>) {
    let Some(r) = record else {
        return (t.key.account().to_string(), None);
    };
    let named = r.customer_account();
    let line = (named != t.key.account()).then(|| {
        format!(
            "the key {} is in account {}, but tenant {}'s record names customer account {named}: a key of another customer is on this tenant; only `cmek enable --new-customer-account` moves a tenant to another customer's key",
            t.key,
            t.key.account(),
            t.tenant
        )
    });
    (named, line)
}

impl<V> TenantHead<V> {
    /// The head for a tenant; `record` names its customer account.
    pub fn new(
        command: &'static str,
        verdict: V,
        t: &Tenancy,
        (key_source, record): (KeySource, Option<&Record>),
        key: KeyView,
    ) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            command,
            verdict,
            tenant: t.tenant.to_string(),
            key_arn: t.key.to_string(),
            key_source,
            account: t.account.clone(),
            region: t.region.clone(),
            customer_account: customer_account(t, record).0,
            key,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_from_another_customer_account_than_the_record_names_is_flagged() {
        let t = crate::shared::tenancy::test_tenancy(
            "arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        );
        assert_eq!(customer_account(&t, None), ("333333333333".into(), None));
        let record: Record = serde_json::from_value(serde_json::json!({
            "schema_version": 1, "tenant": "acme",
            "key_arn": "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "environment": "default", "account": "222222222222", "region": "us-east-1",
            "resources": {"buckets": [], "streams": []}, "enabled_by": "", "enabled_at": "",
            "updated_by": "", "updated_at": "", "cmek_version": "0.1.0"
        }))
        .unwrap();
        let (named, line) = customer_account(&t, Some(&record));
        assert_eq!(named, "111111111111", "an older record: its key's account");
        let line = line.expect("flagged");
        assert!(
            line.contains("333333333333") && line.contains("--new-customer-account"),
            "{line}"
        );
    }
}
