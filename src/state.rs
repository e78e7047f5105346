//! What a tenant's resources look like right now: read-only observation shared by `enable` (to
//! plan), `status` and `revoke-check`. Every read of one resource runs concurrently with the
//! others; nothing here changes anything.

use std::collections::BTreeMap;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures_util::future::try_join_all;
use serde::Serialize;

use crate::aws::Clients;
use crate::environment::{Environment, TenantNames};
use crate::error::{AwsError, Error};
use crate::input::{KeyArn, TenantId};

/// Tag: the tenant id.
pub const TAG_TENANT: &str = "speedscale:tenant";
/// Tag: the customer key ARN.
pub const TAG_KEY: &str = "speedscale:cmek-key-arn";
/// Tag: who manages it.
pub const TAG_MANAGED_BY: &str = "speedscale:managed-by";
/// The object key of the canary in each tenant bucket.
pub const CANARY_KEY: &str = "speedscale-cmek/canary.txt";
/// The inline policy name of the Firehose delivery role.
pub const ROLE_POLICY: &str = "cmek-firehose-delivery";

/// One tenant in one environment: every name and the key its resources must use.
#[derive(Debug, Clone)]
pub struct Tenancy {
    /// The tenant.
    pub tenant: TenantId,
    /// The key every tenant resource must use.
    pub key: KeyArn,
    /// Speedscale's CMEK environment account.
    pub account: String,
    /// The environment's region.
    pub region: String,
    /// The environment.
    pub env: Environment,
    /// Rendered resource names.
    pub names: TenantNames,
    /// Endpoint override, for error messages.
    pub endpoint: Option<String>,
}

impl Tenancy {
    /// Builds the names for a tenant.
    pub fn new(
        tenant: TenantId,
        key: KeyArn,
        account: &str,
        region: &str,
        env: Environment,
        endpoint: Option<String>,
    ) -> Self {
        let names = env.tenant_names(&tenant, account, region);
        Self {
            tenant,
            key,
            account: account.into(),
            region: region.into(),
            env,
            names,
            endpoint,
        }
    }

    /// The tags everything cmek manages carries.
    pub fn tags(&self) -> BTreeMap<String, String> {
        BTreeMap::from([
            (TAG_TENANT.to_string(), self.tenant.to_string()),
            (TAG_KEY.to_string(), self.key.to_string()),
            (TAG_MANAGED_BY.to_string(), "cmek".to_string()),
        ])
    }

    /// The Firehose delivery role cmek creates when the environment names none.
    pub fn role_name(&self) -> String {
        format!("cmek-firehose-{}", self.tenant)
    }

    /// The delivery role ARN for a stream spec index.
    pub fn role_arn(&self, stream: usize) -> String {
        match self
            .env
            .streams
            .get(stream)
            .and_then(|s| s.role_arn.as_ref())
        {
            Some(t) => crate::environment::render(
                t,
                &crate::environment::Scope {
                    tenant: Some(&self.tenant),
                    account: &self.account,
                    region: &self.region,
                },
            ),
            None => format!(
                "arn:{}:iam::{}:role/{}",
                self.key.partition(),
                self.account,
                self.role_name()
            ),
        }
    }

    /// Whether cmek manages the delivery role (no stream names its own).
    pub fn manages_role(&self) -> bool {
        !self.env.streams.is_empty() && self.env.streams.iter().any(|s| s.role_arn.is_none())
    }

    /// The S3 bucket ARN.
    pub fn bucket_arn(&self, bucket: &str) -> String {
        format!("arn:{}:s3:::{bucket}", self.key.partition())
    }

    pub(crate) fn ep(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }
}

/// How something is encrypted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "key", rename_all = "kebab-case")]
pub enum Encryption {
    /// Not encrypted (an S3 object written before 2023, a database created without encryption).
    None,
    /// SSE-S3 (AES256, keys S3 owns).
    SseS3,
    /// A KMS key AWS manages or owns (aws/s3, aws/rds, Firehose's AWS-owned key).
    AwsManaged,
    /// A KMS key, by ARN or id as AWS reports it.
    Kms(String),
}

impl Encryption {
    /// A KMS key reference (ARN, id or alias) as AWS reports it.
    pub fn kms(key: Option<&str>) -> Self {
        match key {
            Some(k) if !k.is_empty() && !k.contains("alias/aws/") => Encryption::Kms(k.to_string()),
            _ => Encryption::AwsManaged,
        }
    }

    /// Whether this is the customer key.
    pub fn is_key(&self, key: &KeyArn) -> bool {
        matches!(self, Encryption::Kms(k) if key_matches(k, key))
    }

    /// For tables and JSON: the key ARN, `sse-s3`, `aws-managed` or `none`.
    pub fn shown(&self) -> String {
        match self {
            Encryption::None => "none".into(),
            Encryption::SseS3 => "sse-s3".into(),
            Encryption::AwsManaged => "aws-managed".into(),
            Encryption::Kms(k) => k.clone(),
        }
    }
}

/// Whether an ARN or key id AWS reports names the customer key.
pub fn key_matches(reported: &str, key: &KeyArn) -> bool {
    reported == key.as_str()
        || reported == key.key_id()
        || reported
            .rsplit_once(":key/")
            .is_some_and(|(head, id)| id == key.key_id() && head.ends_with(key.account()))
}

/// Objects in a bucket that are not under the expected key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StaleObjects {
    /// Objects examined.
    pub examined: u64,
    /// Of those, not under the key.
    pub stale: u64,
    /// Whether every object was examined.
    pub complete: bool,
    /// A few of them: (key, encryption shown).
    pub examples: Vec<(String, String)>,
}

/// A tenant bucket as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketState {
    /// The environment's bucket id.
    pub id: String,
    /// The bucket name.
    pub name: String,
    /// Whether it exists (in our account).
    pub exists: bool,
    /// Default encryption.
    pub encryption: Encryption,
    /// S3 Bucket Key on.
    pub bucket_key: bool,
    /// All four public access block settings on.
    pub public_access_blocked: bool,
    /// Object ownership BucketOwnerEnforced.
    pub ownership_enforced: bool,
    /// Its tags.
    pub tags: BTreeMap<String, String>,
    /// The canary object's encryption, when it exists.
    pub canary: Option<Encryption>,
    /// Objects not under the key, when scanned.
    pub stale: Option<StaleObjects>,
}

impl BucketState {
    fn missing(id: &str, name: &str) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            exists: false,
            encryption: Encryption::None,
            bucket_key: false,
            public_access_blocked: false,
            ownership_enforced: false,
            tags: BTreeMap::new(),
            canary: None,
            stale: None,
        }
    }
}

/// A tenant Firehose stream as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamState {
    /// The environment's stream id.
    pub id: String,
    /// The stream name.
    pub name: String,
    /// Whether it exists.
    pub exists: bool,
    /// DirectPut or KinesisStreamAsSource...
    pub stream_type: String,
    /// CREATING, ACTIVE, ...
    pub status: String,
    /// Server-side encryption: the key, when on.
    pub encryption: Encryption,
    /// ENABLED, ENABLING, ENABLING_FAILED, DISABLED...
    pub encryption_status: String,
    /// The encryption configuration's failure, when it reports one: (type, details).
    pub encryption_failure: Option<(String, String)>,
    /// The S3 destination's id.
    pub destination_id: String,
    /// The S3 destination bucket ARN.
    pub destination_bucket: String,
    /// The S3 destination's KMS configuration.
    pub destination_encryption: Encryption,
    /// Its tags.
    pub tags: BTreeMap<String, String>,
}

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
    fn missing(identifier: &str) -> Self {
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

/// The Firehose delivery role cmek manages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleState {
    /// The role name.
    pub name: String,
    /// Whether it exists.
    pub exists: bool,
    /// Its inline delivery policy, parsed, when present.
    pub policy: Option<serde_json::Value>,
    /// Its tags.
    pub tags: BTreeMap<String, String>,
}

/// Everything observed about a tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed {
    /// Each bucket, in environment order.
    pub buckets: Vec<BucketState>,
    /// Each stream, in environment order.
    pub streams: Vec<StreamState>,
    /// The database at the environment's identifier.
    pub database: Option<DatabaseState>,
    /// The database a migration restores into (`<identifier>-cmek`), when the first one is not
    /// on the key.
    pub migrated: Option<DatabaseState>,
    /// The delivery role, when cmek manages one.
    pub role: Option<RoleState>,
}

/// How deep to look into the buckets' objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectScan {
    /// Not at all.
    None,
    /// At most this many objects per bucket.
    Sample(u64),
}

pub(crate) fn err<'a, E>(
    service: &'static str,
    operation: &'static str,
    ep: Option<&'a str>,
) -> impl Fn(SdkError<E, HttpResponse>) -> AwsError + 'a
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    move |e| AwsError::from_sdk(service, operation, &e).at(ep)
}

/// The identifier a migration restores the tenant's database into.
pub fn migrated_identifier(identifier: &str) -> String {
    format!("{identifier}-cmek")
}

/// Reads every tenant resource, concurrently.
pub async fn observe(c: &Clients, t: &Tenancy, scan: ObjectScan) -> Result<Observed, Error> {
    let buckets = try_join_all(
        t.names
            .buckets
            .iter()
            .map(|(id, name)| observe_bucket(c, t, id, name, scan)),
    );
    let streams = try_join_all(
        t.names
            .streams
            .iter()
            .map(|(id, name, _)| observe_stream(c, t, id, name)),
    );
    let database = async {
        match &t.names.database {
            None => Ok((None, None)),
            Some(id) => {
                let target = migrated_identifier(id);
                let (db, migrated) =
                    tokio::try_join!(observe_database(c, t, id), observe_database(c, t, &target))?;
                let migrated = migrated.exists.then_some(migrated);
                Ok::<_, AwsError>((Some(db), migrated))
            }
        }
    };
    let role = async {
        if t.manages_role() {
            observe_role(c, t).await.map(Some)
        } else {
            Ok(None)
        }
    };
    let (buckets, streams, (database, migrated), role) =
        tokio::try_join!(buckets, streams, database, role)?;
    Ok(Observed {
        buckets,
        streams,
        database,
        migrated,
        role,
    })
}

/// One bucket: existence, default encryption, public access, ownership, versioning, tags, the
/// canary object (HeadObject: metadata only, no KMS) and optionally a sample of its objects.
pub async fn observe_bucket(
    c: &Clients,
    t: &Tenancy,
    id: &str,
    name: &str,
    scan: ObjectScan,
) -> Result<BucketState, AwsError> {
    let ep = t.ep();
    match c.s3.head_bucket().bucket(name).send().await {
        Ok(_) => {}
        Err(e) => {
            let e = AwsError::from_sdk("s3", "HeadBucket", &e).at(ep);
            if e.http_status == Some(404) || e.is("NotFound") || e.is("NoSuchBucket") {
                return Ok(BucketState::missing(id, name));
            }
            if e.http_status == Some(403) && !e.is_our_side() {
                return Err(AwsError::service(
                    "s3",
                    "HeadBucket",
                    "BucketNameTaken",
                    &format!("the bucket name {name} belongs to another AWS account; choose another name template in the environment file"),
                ));
            }
            return Err(e);
        }
    }
    let s3 = &c.s3;
    let (enc, pab, own, tags, canary, stale) = tokio::join!(
        bucket_encryption(c, t, name),
        s3.get_public_access_block().bucket(name).send(),
        s3.get_bucket_ownership_controls().bucket(name).send(),
        s3.get_bucket_tagging().bucket(name).send(),
        observe_object(c, t, name, CANARY_KEY),
        async {
            match scan {
                ObjectScan::None => Ok(None),
                ObjectScan::Sample(n) => scan_objects(c, t, name, Some(n), None).await.map(Some),
            }
        }
    );
    // The bucket was there a moment ago; if it is gone now, read it as without encryption.
    let (encryption, bucket_key) = enc?.unwrap_or((Encryption::None, false));
    let public_access_blocked = match pab {
        Ok(out) => out.public_access_block_configuration().is_some_and(|p| {
            p.block_public_acls() == Some(true)
                && p.ignore_public_acls() == Some(true)
                && p.block_public_policy() == Some(true)
                && p.restrict_public_buckets() == Some(true)
        }),
        Err(e) => {
            let e = err("s3", "GetPublicAccessBlock", ep)(e);
            if e.is("NoSuchPublicAccessBlockConfiguration") {
                false
            } else {
                return Err(e);
            }
        }
    };
    let ownership_enforced = match own {
        Ok(out) => out.ownership_controls().is_some_and(|o| {
            o.rules().iter().any(|r| {
                r.object_ownership() == &aws_sdk_s3::types::ObjectOwnership::BucketOwnerEnforced
            })
        }),
        Err(e) => {
            let e = err("s3", "GetBucketOwnershipControls", ep)(e);
            if e.is("OwnershipControlsNotFoundError") {
                false
            } else {
                return Err(e);
            }
        }
    };
    let tags = match tags {
        Ok(out) => out
            .tag_set()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect(),
        Err(e) => {
            let e = err("s3", "GetBucketTagging", ep)(e);
            if e.is("NoSuchTagSet") || e.is("NoSuchTagSetError") {
                BTreeMap::new()
            } else {
                return Err(e);
            }
        }
    };
    Ok(BucketState {
        id: id.into(),
        name: name.into(),
        exists: true,
        encryption,
        bucket_key,
        public_access_blocked,
        ownership_enforced,
        tags,
        canary: canary?,
        stale: stale?,
    })
}

/// A bucket's default encryption and whether its bucket key is on; `None` when there is no such
/// bucket. Every bucket written since 2023 has at least SSE-S3; "none" is an older bucket.
pub async fn bucket_encryption(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
) -> Result<Option<(Encryption, bool)>, AwsError> {
    match c.s3.get_bucket_encryption().bucket(bucket).send().await {
        Ok(out) => {
            let rule = out
                .server_side_encryption_configuration()
                .and_then(|c| c.rules().first());
            let default = rule.and_then(|r| r.apply_server_side_encryption_by_default());
            let bucket_key = rule.and_then(|r| r.bucket_key_enabled()).unwrap_or(false);
            let enc = match default.map(|d| d.sse_algorithm().as_str()) {
                Some(a) if a.starts_with("aws:kms") => {
                    Encryption::kms(default.and_then(|d| d.kms_master_key_id()))
                }
                Some(_) => Encryption::SseS3,
                None => Encryption::None,
            };
            Ok(Some((enc, bucket_key)))
        }
        Err(e) => {
            let e = err("s3", "GetBucketEncryption", t.ep())(e);
            if e.is("NoSuchBucket") {
                Ok(None)
            } else if e.is("ServerSideEncryptionConfigurationNotFoundError") {
                Ok(Some((Encryption::None, false)))
            } else {
                Err(e)
            }
        }
    }
}

/// An object's encryption from HeadObject (metadata only: HeadObject never calls KMS), or None
/// when there is no such object.
pub async fn observe_object(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
    key: &str,
) -> Result<Option<Encryption>, AwsError> {
    match c.s3.head_object().bucket(bucket).key(key).send().await {
        Ok(out) => Ok(Some(object_encryption(
            out.server_side_encryption(),
            out.ssekms_key_id(),
        ))),
        Err(e) => {
            let e = AwsError::from_sdk("s3", "HeadObject", &e).at(t.ep());
            if e.http_status == Some(404) || e.is("NotFound") || e.is("NoSuchKey") {
                Ok(None)
            } else {
                Err(e)
            }
        }
    }
}

/// An object's encryption as S3 reports it.
pub fn object_encryption(
    sse: Option<&aws_sdk_s3::types::ServerSideEncryption>,
    key: Option<&str>,
) -> Encryption {
    match sse.map(|s| s.as_str()) {
        Some(a) if a.starts_with("aws:kms") => Encryption::kms(key),
        Some(_) => Encryption::SseS3,
        None => Encryption::None,
    }
}

/// Keeps the five first objects in key order as examples, whatever order the concurrent heads
/// answered in, so a report names the same objects every time.
fn keep_example(examples: &mut Vec<(String, String)>, e: (String, String)) {
    const EXAMPLES: usize = 5;
    if examples.len() == EXAMPLES && examples.last().is_some_and(|last| *last <= e) {
        return;
    }
    let at = examples.partition_point(|x| *x < e);
    examples.insert(at, e);
    examples.truncate(EXAMPLES);
}

/// One object that is not under the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleObject {
    /// Its key.
    pub key: String,
    /// Its ETag (CopyObject's precondition).
    pub etag: String,
    /// Its storage class (CopyObject would otherwise reset it to STANDARD).
    pub storage_class: Option<String>,
    /// Its size in bytes.
    pub size: i64,
    /// How it is encrypted now.
    pub encryption: Encryption,
}

/// Lists a bucket and heads every object (up to `limit`), 32 at a time; returns the counts and,
/// when `collect` is given, every object not under the key.
pub async fn scan_objects(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
    limit: Option<u64>,
    mut collect: Option<&mut Vec<StaleObject>>,
) -> Result<StaleObjects, AwsError> {
    use futures_util::stream::{self, StreamExt, TryStreamExt};
    let ep = t.ep();
    let mut out = StaleObjects {
        complete: true,
        ..Default::default()
    };
    let mut token: Option<String> = None;
    loop {
        let page =
            c.s3.list_objects_v2()
                .bucket(bucket)
                .set_continuation_token(token.take())
                .send()
                .await
                .map_err(err("s3", "ListObjectsV2", ep))?;
        let mut keys: Vec<(String, i64)> = page
            .contents()
            .iter()
            .filter_map(|o| o.key().map(|k| (k.to_string(), o.size().unwrap_or(0))))
            .filter(|(k, _)| k != CANARY_KEY)
            .collect();
        if let Some(limit) = limit {
            let room = limit.saturating_sub(out.examined) as usize;
            if keys.len() > room {
                keys.truncate(room);
                out.complete = false;
            }
        }
        let heads: Vec<(
            String,
            i64,
            aws_sdk_s3::operation::head_object::HeadObjectOutput,
        )> = stream::iter(keys.into_iter().map(|(k, size)| async move {
            let h =
                c.s3.head_object()
                    .bucket(bucket)
                    .key(&k)
                    .send()
                    .await
                    .map_err(err("s3", "HeadObject", ep))?;
            Ok::<_, AwsError>((k, size, h))
        }))
        .buffer_unordered(32)
        .try_collect()
        .await?;
        for (k, size, h) in heads {
            out.examined += 1;
            let enc = object_encryption(h.server_side_encryption(), h.ssekms_key_id());
            if !enc.is_key(&t.key) {
                out.stale += 1;
                keep_example(&mut out.examples, (k.clone(), enc.shown()));
                if let Some(list) = collect.as_deref_mut() {
                    list.push(StaleObject {
                        key: k,
                        etag: h.e_tag().unwrap_or_default().to_string(),
                        storage_class: h.storage_class().map(|s| s.as_str().to_string()),
                        size,
                        encryption: enc,
                    });
                }
            }
        }
        if !out.complete {
            break;
        }
        match page.next_continuation_token() {
            Some(next) if page.is_truncated() == Some(true) => token = Some(next.to_string()),
            _ => break,
        }
    }
    out.examples.sort();
    Ok(out)
}

/// In a versioned bucket, the noncurrent versions not under the key (HeadObject with the version
/// id: metadata only). Re-encryption copies current versions only, so these keep their old key
/// until a lifecycle rule (the customer's decision) expires them.
pub async fn scan_noncurrent_versions(
    c: &Clients,
    t: &Tenancy,
    bucket: &str,
    limit: u64,
) -> Result<StaleObjects, AwsError> {
    use futures_util::stream::{self, StreamExt, TryStreamExt};
    let ep = t.ep();
    let mut out = StaleObjects {
        complete: true,
        ..Default::default()
    };
    let (mut key_marker, mut version_marker): (Option<String>, Option<String>) = (None, None);
    loop {
        let page =
            c.s3.list_object_versions()
                .bucket(bucket)
                .set_key_marker(key_marker.take())
                .set_version_id_marker(version_marker.take())
                .send()
                .await
                .map_err(err("s3", "ListObjectVersions", ep))?;
        let mut versions: Vec<(String, String)> = page
            .versions()
            .iter()
            .filter(|v| v.is_latest() == Some(false))
            .filter_map(|v| Some((v.key()?.to_string(), v.version_id()?.to_string())))
            .filter(|(k, _)| k != CANARY_KEY)
            .collect();
        let room = limit.saturating_sub(out.examined) as usize;
        if versions.len() > room {
            versions.truncate(room);
            out.complete = false;
        }
        let heads: Vec<(String, String, Encryption)> =
            stream::iter(versions.into_iter().map(|(k, v)| async move {
                let h =
                    c.s3.head_object()
                        .bucket(bucket)
                        .key(&k)
                        .version_id(&v)
                        .send()
                        .await
                        .map_err(err("s3", "HeadObject", ep))?;
                let enc = object_encryption(h.server_side_encryption(), h.ssekms_key_id());
                Ok::<_, AwsError>((k, v, enc))
            }))
            .buffer_unordered(32)
            .try_collect()
            .await?;
        for (k, v, enc) in heads {
            out.examined += 1;
            if !enc.is_key(&t.key) {
                out.stale += 1;
                keep_example(
                    &mut out.examples,
                    (format!("{k} (version {v})"), enc.shown()),
                );
            }
        }
        if !out.complete || page.is_truncated() != Some(true) {
            break;
        }
        key_marker = page.next_key_marker().map(str::to_string);
        version_marker = page.next_version_id_marker().map(str::to_string);
        if key_marker.is_none() {
            break;
        }
    }
    out.examples.sort();
    Ok(out)
}

/// One Firehose stream, with its tags.
pub async fn observe_stream(
    c: &Clients,
    t: &Tenancy,
    id: &str,
    name: &str,
) -> Result<StreamState, AwsError> {
    let (state, tags) = tokio::join!(
        describe_stream(c, t, id, name),
        c.firehose
            .list_tags_for_delivery_stream()
            .delivery_stream_name(name)
            .send()
    );
    let mut state = state?;
    if state.exists {
        state.tags = tags
            .map_err(err("firehose", "ListTagsForDeliveryStream", t.ep()))?
            .tags()
            .iter()
            .map(|t| {
                (
                    t.key().to_string(),
                    t.value().unwrap_or_default().to_string(),
                )
            })
            .collect();
    }
    Ok(state)
}

/// One Firehose stream from DescribeDeliveryStream alone (no tags): its encryption, what its
/// encryption configuration reports, and its S3 destination.
pub async fn describe_stream(
    c: &Clients,
    t: &Tenancy,
    id: &str,
    name: &str,
) -> Result<StreamState, AwsError> {
    let desc = match c
        .firehose
        .describe_delivery_stream()
        .delivery_stream_name(name)
        .send()
        .await
    {
        Ok(d) => d,
        Err(e) => {
            let e = err("firehose", "DescribeDeliveryStream", t.ep())(e);
            if e.is("ResourceNotFoundException") {
                return Ok(StreamState {
                    id: id.into(),
                    name: name.into(),
                    exists: false,
                    stream_type: String::new(),
                    status: String::new(),
                    encryption: Encryption::None,
                    encryption_status: String::new(),
                    encryption_failure: None,
                    destination_id: String::new(),
                    destination_bucket: String::new(),
                    destination_encryption: Encryption::None,
                    tags: BTreeMap::new(),
                });
            }
            return Err(e);
        }
    };
    let d = desc.delivery_stream_description();
    let sse = d.and_then(|d| d.delivery_stream_encryption_configuration());
    let encryption_status = sse
        .and_then(|s| s.status())
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|| "DISABLED".into());
    let encryption = match sse.and_then(|s| s.key_type()).map(|k| k.as_str()) {
        _ if encryption_status == "DISABLED" || encryption_status == "DISABLING" => {
            Encryption::None
        }
        Some("CUSTOMER_MANAGED_CMK") => Encryption::kms(sse.and_then(|s| s.key_arn())),
        Some(_) => Encryption::AwsManaged,
        None => Encryption::None,
    };
    let encryption_failure = sse
        .and_then(|s| s.failure_description())
        .map(|f| (f.r#type().as_str().to_string(), f.details().to_string()));
    let dest = d.and_then(|d| d.destinations().first());
    let ext = dest.and_then(|x| x.extended_s3_destination_description());
    let plain = dest.and_then(|x| x.s3_destination_description());
    let (bucket_arn, dest_enc) = match (ext, plain) {
        (Some(e), _) => (e.bucket_arn().to_string(), e.encryption_configuration()),
        (None, Some(p)) => (p.bucket_arn().to_string(), p.encryption_configuration()),
        _ => (String::new(), None),
    };
    let destination_encryption = match dest_enc.and_then(|e| e.kms_encryption_config()) {
        Some(k) => Encryption::kms(Some(k.awskms_key_arn())),
        None => Encryption::SseS3,
    };
    Ok(StreamState {
        id: id.into(),
        name: name.into(),
        exists: true,
        stream_type: d
            .map(|d| d.delivery_stream_type().as_str().to_string())
            .unwrap_or_default(),
        status: d
            .map(|d| d.delivery_stream_status().as_str().to_string())
            .unwrap_or_default(),
        encryption,
        encryption_status,
        encryption_failure,
        destination_id: dest
            .map(|x| x.destination_id().to_string())
            .unwrap_or_default(),
        destination_bucket: bucket_arn,
        destination_encryption,
        tags: BTreeMap::new(),
    })
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

/// The Firehose delivery role cmek manages.
pub async fn observe_role(c: &Clients, t: &Tenancy) -> Result<RoleState, AwsError> {
    let ep = t.ep();
    let name = t.role_name();
    if let Err(e) = c.iam.get_role().role_name(&name).send().await {
        let e = err("iam", "GetRole", ep)(e);
        if e.is("NoSuchEntity") || e.is("NoSuchEntityException") {
            return Ok(RoleState {
                name,
                exists: false,
                policy: None,
                tags: BTreeMap::new(),
            });
        }
        return Err(e);
    }
    let (policy, tags) = tokio::join!(
        c.iam
            .get_role_policy()
            .role_name(&name)
            .policy_name(ROLE_POLICY)
            .send(),
        c.iam.list_role_tags().role_name(&name).send()
    );
    let policy = match policy {
        Ok(p) => {
            let doc = p.policy_document();
            let decoded = percent_decode(doc);
            serde_json::from_str(&decoded).ok()
        }
        Err(e) => {
            let e = err("iam", "GetRolePolicy", ep)(e);
            if e.is("NoSuchEntity") || e.is("NoSuchEntityException") {
                None
            } else {
                return Err(e);
            }
        }
    };
    let tags = tags
        .map_err(err("iam", "ListRoleTags", ep))?
        .tags()
        .iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect();
    Ok(RoleState {
        name,
        exists: true,
        policy,
        tags,
    })
}

/// IAM returns policy documents URL-encoded (RFC 3986).
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Tenant `acme` on a customer key in the default environment, for the library's unit tests.
#[cfg(test)]
pub(crate) fn test_tenancy(key: &str) -> Tenancy {
    Tenancy::new(
        "acme".parse().unwrap(),
        key.parse().unwrap(),
        "222222222222",
        "us-east-1",
        Environment::default(),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_matching_accepts_arn_and_id_only_for_the_same_key() {
        let key: KeyArn =
            "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                .parse()
                .unwrap();
        assert!(key_matches(key.as_str(), &key));
        assert!(key_matches("1234abcd-12ab-34cd-56ef-1234567890ab", &key));
        assert!(!key_matches(
            "arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            &key
        ));
        assert!(!key_matches(
            "arn:aws:kms:us-east-1:111111111111:alias/x",
            &key
        ));
        assert!(Encryption::Kms(key.to_string()).is_key(&key));
        assert!(!Encryption::SseS3.is_key(&key));
        assert_eq!(
            Encryption::kms(Some("alias/aws/s3")),
            Encryption::AwsManaged
        );
    }

    #[test]
    fn examples_are_the_first_five_in_key_order_whatever_the_answer_order() {
        let mut ex = vec![];
        for k in ["k7", "k2", "k9", "k0", "k5", "k1", "k8", "k3"] {
            keep_example(&mut ex, (k.to_string(), "sse-s3".to_string()));
        }
        let keys: Vec<&str> = ex.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["k0", "k1", "k2", "k3", "k5"]);
    }

    #[test]
    fn iam_policy_documents_are_url_decoded() {
        assert_eq!(percent_decode("%7B%22a%22%3A1%7D"), "{\"a\":1}");
        assert_eq!(percent_decode("{\"a\":1}"), "{\"a\":1}");
    }
}
