//! A job's manifest: the CSV of `bucket,key` lines S3 Batch Operations reads
//! (`S3BatchOperations_CSV_20180820`, keys URL-encoded), and the idempotency token derived from it.

use sha2::{Digest, Sha256};

use super::BATCH_PREFIX;
use crate::services::s3::copy_source;

/// The manifest for these object keys, sorted, so the same objects always give the same bytes.
pub fn manifest_body(bucket: &str, keys: &[&str]) -> String {
    let mut sorted: Vec<&str> = keys.to_vec();
    sorted.sort_unstable();
    sorted
        .iter()
        .map(|k| {
            let encoded = copy_source("", k);
            format!("{bucket},{}\n", encoded.trim_start_matches('/'))
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The manifest's object key, named by its content: the same objects reuse the object (and its
/// ETag) instead of writing a new one.
pub fn manifest_key(storage_class: &str, body: &str) -> String {
    let digest = Sha256::digest(body.as_bytes());
    format!(
        "{BATCH_PREFIX}manifests/{}-{}.csv",
        storage_class.to_ascii_lowercase(),
        &hex(&digest)[..32]
    )
}

/// CreateJob's `ClientRequestToken` (at most 64 characters): from the tenant, the bucket, the
/// storage class and the manifest's ETag, so a rerun over the same manifest never creates a
/// second job.
pub fn client_request_token(tenant: &str, bucket: &str, storage_class: &str, etag: &str) -> String {
    let digest = Sha256::digest(
        format!(
            "{tenant}\n{bucket}\n{storage_class}\n{}",
            etag.trim_matches('"')
        )
        .as_bytes(),
    );
    format!("cmek-{}", &hex(&digest)[..40])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_are_sorted_and_url_encoded() {
        assert_eq!(
            manifest_body("b", &["z", "a/b c.json"]),
            "b,a/b%20c.json\nb,z\n"
        );
    }

    #[test]
    fn the_same_objects_name_the_same_manifest_and_token() {
        let body = manifest_body("b", &["k1", "k2"]);
        assert_eq!(
            manifest_key("STANDARD_IA", &body),
            manifest_key("STANDARD_IA", &manifest_body("b", &["k2", "k1"]))
        );
        assert!(manifest_key("STANDARD_IA", &body)
            .starts_with("speedscale-cmek/batch/manifests/standard_ia-"));
        let t = client_request_token("acme", "b", "STANDARD", "\"abc\"");
        assert_eq!(t, client_request_token("acme", "b", "STANDARD", "abc"));
        assert_ne!(t, client_request_token("acme", "b", "STANDARD_IA", "abc"));
        assert_ne!(t, client_request_token("acme", "b", "STANDARD", "abd"));
        assert!(t.len() <= 64, "{t}");
    }
}
