//! One tenant, one customer, one key. A key belongs to the tenant that claimed it first (a claim in
//! the registry, `registry/claims.rs`), and a tenant to the customer account its record names.
//! Another tenant's key, or a key from another customer account, is a blocked plan unless an
//! explicit option says so (`--share-key-with`, `--new-customer-account`); both show in the plan
//! and the audit event. Read before planning; the claim itself is written under the lock, before
//! any other change (`run.rs`), so two runs with one new key cannot both apply.

use crate::aws::Clients;
use crate::error::Error;
use crate::services::registry::{KeyClaim, Registry};
use crate::shared::ids::NoteId;
use crate::shared::record::Record;
use crate::shared::steps::{Action, Change, Kind, RecordStep};
use crate::shared::tenancy::Tenancy;

/// The change id of the key's claim in a plan.
pub const KEY_CHANGE: &str = "key";

/// The explicit options that widen the binding.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BindingOptions {
    /// `--share-key-with TENANT`: use a key another tenant claimed (same customer account only).
    pub share_key_with: Option<String>,
    /// `--new-customer-account`: move an onboarded tenant to a key in another customer account.
    pub new_customer_account: bool,
}

/// What the registry says about the key, read before planning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Binding {
    /// The key's claim and its ETag.
    pub claim: Option<(KeyClaim, String)>,
    /// The record of the tenant that claimed the key, when that is another tenant.
    pub owner_record: Option<Record>,
    /// Other tenants with keys in the key's customer account.
    pub same_account: Vec<String>,
    /// For a key with no claim: other tenants whose records name it (onboarded before claims).
    pub recorded_on: Vec<String>,
    /// The options given.
    pub options: BindingOptions,
}

/// Reads the key's claim, its owner's record and the other tenants of the key's account.
pub async fn read_binding(
    c: &Clients,
    t: &Tenancy,
    options: BindingOptions,
) -> Result<Binding, Error> {
    let registry = Registry::new(t);
    let (claim, same_account) = tokio::try_join!(
        registry.read_claim(c, &t.key),
        registry.tenants_of_account(c, t.key.region(), t.key.account())
    )?;
    let owner_record = match &claim {
        Some((cl, _)) if cl.tenant != t.tenant.as_str() => {
            registry.read_record(c, &cl.tenant).await?
        }
        _ => None,
    };
    let recorded_on = match &claim {
        None => registry
            .tenants_recorded_on(c, &t.key)
            .await?
            .into_iter()
            .filter(|x| x != t.tenant.as_str())
            .collect(),
        Some(_) => vec![],
    };
    Ok(Binding {
        claim,
        owner_record,
        recorded_on,
        same_account: same_account
            .into_iter()
            .filter(|x| x != t.tenant.as_str())
            .collect(),
        options,
    })
}

/// The key's change: claim it (or join its claim), nothing, or blocked with the option that
/// would allow it.
pub fn plan_binding(t: &Tenancy, record: Option<&Record>, b: &Binding) -> Change {
    let mut c = Change::new(KEY_CHANGE, Kind::KeyClaim, t.key.as_str());
    let key_account = t.key.account();
    let tenant = t.tenant.as_str();
    let blocked = |mut c: Change, why: String| {
        c.action = Action::Blocked;
        c.reason = why;
        c
    };
    if let Some(r) = record {
        let was = r.customer_account();
        if was != key_account {
            if !b.options.new_customer_account {
                return blocked(c, format!(
                    "tenant {tenant} belongs to customer account {was} (its record), and this key is in account {key_account}: a tenant moves to another customer's key only with --new-customer-account"
                ));
            }
            c.note(
                NoteId::CustomerAccountChanged,
                format!("tenant {tenant} moves from customer account {was} (key {}) to customer account {key_account} (--new-customer-account)", r.key_arn),
            );
        }
    }
    let others: Vec<&str> = b.same_account.iter().map(String::as_str).collect();
    if !others.is_empty() {
        c.note(
            NoteId::CustomerAccountShared,
            format!(
                "customer account {key_account} also holds the keys of tenant(s) {}",
                others.join(", ")
            ),
        );
    }
    match &b.claim {
        // A key onboarded before claims were kept: its tenant's record is the claim.
        None if !b.recorded_on.is_empty()
            && b.options.share_key_with.as_deref() != b.recorded_on.first().map(String::as_str) =>
        {
            let owner = &b.recorded_on[0];
            blocked(c, format!(
                "the key is tenant {owner}'s (its record names it; onboarded before key claims were kept): one key belongs to one tenant; --share-key-with {owner} shares it when both tenants belong to the same customer account"
            ))
        }
        None if b.recorded_on.is_empty() && b.options.share_key_with.is_some() => blocked(
            c,
            format!(
                "--share-key-with {}: no tenant has this key, so there is nothing to share; leave the option out",
                b.options.share_key_with.as_deref().unwrap_or_default()
            ),
        ),
        None => {
            c.step(RecordStep::ClaimKey);
            c.settle(
                true,
                vec![format!(
                    "the key is not claimed yet: it becomes tenant {tenant}'s"
                )],
            )
        }
        Some((claim, _)) if claim.allows(tenant) => {
            c.reason = format!("the key is tenant {tenant}'s");
            if claim.tenant != tenant {
                c.reason = format!(
                    "the key is tenant {}'s, shared with tenant {tenant}",
                    claim.tenant
                );
            }
            c
        }
        Some((claim, _)) => {
            let owner = &claim.tenant;
            if b.options.share_key_with.as_deref() != Some(owner.as_str()) {
                return blocked(c, format!(
                    "the key is claimed by tenant {owner} (since {}): one key belongs to one tenant, so tenant {tenant}'s data would be under a key tenant {owner}'s customer controls; --share-key-with {owner} shares it when both tenants belong to the same customer account",
                    claim.claimed_at
                ));
            }
            let owner_account = b
                .owner_record
                .as_ref()
                .map(Record::customer_account)
                .unwrap_or_else(|| claim.customer_account.clone());
            let mine = record
                .map(Record::customer_account)
                .unwrap_or_else(|| key_account.to_string());
            if owner_account != mine || owner_account != key_account {
                return blocked(c, format!(
                    "--share-key-with {owner}: tenant {owner} belongs to customer account {owner_account} and tenant {tenant} to {mine}; a key is shared only between tenants of the same customer account"
                ));
            }
            c.step(RecordStep::ClaimKey);
            c.note(
                NoteId::KeyShared,
                format!("the key stays tenant {owner}'s and is shared with tenant {tenant} (--share-key-with {owner}): either tenant's customer can cut both off"),
            );
            c.settle(
                false,
                vec![format!(
                    "the key is tenant {owner}'s: tenant {tenant} joins its claim"
                )],
            )
        }
    }
}

/// The claim this run writes: a new one, or the one read with this tenant added.
pub fn claim_to_write(t: &Tenancy, b: &Binding, caller: &str, now: &str) -> KeyClaim {
    match &b.claim {
        Some((claim, _)) => {
            let mut claim = claim.clone();
            if !claim.allows(t.tenant.as_str()) {
                claim.shared_with.push(t.tenant.to_string());
            }
            claim
        }
        // A legacy key shared with its recorded tenant: that tenant becomes its owner.
        None => KeyClaim {
            schema_version: 1,
            key_arn: t.key.to_string(),
            customer_account: t.key.account().to_string(),
            tenant: b
                .recorded_on
                .first()
                .cloned()
                .unwrap_or_else(|| t.tenant.to_string()),
            shared_with: if b.recorded_on.is_empty() {
                vec![]
            } else {
                vec![t.tenant.to_string()]
            },
            claimed_by: caller.to_string(),
            claimed_at: now.to_string(),
        },
    }
}

#[cfg(test)]
#[path = "binding_tests.rs"]
mod tests;
