//! Reading a DB instance: its storage key, the master password secret's and Performance
//! Insights' keys, its status and tags.

use std::collections::BTreeMap;

use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::tenancy::{err, Encryption, Tenancy};

/// The tenant database as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseState {
    /// The DB instance identifier.
    pub identifier: String,
    /// Whether it exists.
    pub exists: bool,
    /// available, creating, stopped, inaccessible-encryption-credentials-recoverable...
    pub status: String,
    /// Storage encryption.
    pub encryption: Encryption,
    /// The master user secret's key, when AWS manages the password.
    pub secret_encryption: Option<Encryption>,
    /// Performance Insights' key, when on.
    pub insights_encryption: Option<Encryption>,
    /// The instance ARN.
    pub arn: String,
    /// Its tags.
    pub tags: BTreeMap<String, String>,
}

impl DatabaseState {
    /// A database that is not there.
    pub fn missing(identifier: &str) -> Self {
        Self {
            identifier: identifier.into(),
            exists: false,
            status: String::new(),
            encryption: Encryption::None,
            secret_encryption: None,
            insights_encryption: None,
            arn: String::new(),
            tags: BTreeMap::new(),
        }
    }
}

/// One DB instance.
pub async fn observe_database(
    c: &Clients,
    t: &Tenancy,
    identifier: &str,
) -> Result<DatabaseState, AwsError> {
    let out = match c
        .rds
        .describe_db_instances()
        .db_instance_identifier(identifier)
        .send()
        .await
    {
        Ok(o) => o,
        Err(e) => {
            let e = err("rds", "DescribeDBInstances", t.ep())(e);
            if e.is("DBInstanceNotFound") || e.is("DBInstanceNotFoundFault") {
                return Ok(DatabaseState::missing(identifier));
            }
            return Err(e);
        }
    };
    let Some(db) = out.db_instances().first() else {
        return Ok(DatabaseState::missing(identifier));
    };
    Ok(database_state(db))
}

/// A DB instance description as a [`DatabaseState`].
pub fn database_state(db: &aws_sdk_rds::types::DbInstance) -> DatabaseState {
    let encryption = if db.storage_encrypted() == Some(true) {
        Encryption::kms(db.kms_key_id())
    } else {
        Encryption::None
    };
    DatabaseState {
        identifier: db.db_instance_identifier().unwrap_or_default().to_string(),
        exists: true,
        status: db.db_instance_status().unwrap_or_default().to_string(),
        encryption,
        secret_encryption: db
            .master_user_secret()
            .map(|s| Encryption::kms(s.kms_key_id())),
        insights_encryption: (db.performance_insights_enabled() == Some(true))
            .then(|| Encryption::kms(db.performance_insights_kms_key_id())),
        arn: db.db_instance_arn().unwrap_or_default().to_string(),
        tags: db
            .tag_list()
            .iter()
            .filter_map(|t| {
                Some((
                    t.key()?.to_string(),
                    t.value().unwrap_or_default().to_string(),
                ))
            })
            .collect(),
    }
}
