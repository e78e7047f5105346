//! A job's completion report: `<prefix>/job-<id>/manifest.json` names the result CSVs
//! (`Report_CSV_20180820`: bucket, key, version id, task status, error code, HTTP status, result
//! message). cmek reads the failed tasks from it, then deletes the report: it lists tenant object
//! keys and S3 writes it under SSE-S3, out of the customer key's reach.

use crate::aws::Clients;
use crate::error::AwsError;
use crate::shared::tenancy::err;

/// A task the job could not do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedTask {
    /// The object key.
    pub key: String,
    /// S3's error code.
    pub code: String,
    /// S3's message.
    pub message: String,
}

/// The failed tasks of one result CSV. AWS's user guide gives the columns two ways: the report's
/// `ReportSchema` puts ErrorCode before HTTPStatusCode ("Bucket, Key, VersionId, TaskStatus,
/// ErrorCode, HTTPStatusCode, ResultMessage"), its example rows the other way round
/// ("awsexamplebucket1,image_14975,,failed,200,PermanentFailure,…"). Of the two, the error code
/// is the one that is not an HTTP status (digits), whichever order S3 writes.
pub fn parse_results_csv(csv: &str) -> Vec<FailedTask> {
    csv.lines()
        .filter(|l| !l.trim().is_empty())
        .map(fields)
        .filter(|f| f.len() >= 4 && !f[3].eq_ignore_ascii_case("succeeded"))
        .map(|f| {
            let is_status = |v: &String| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
            let code = [f.get(4), f.get(5)]
                .into_iter()
                .flatten()
                .find(|v| !v.is_empty() && !is_status(v))
                .cloned()
                .unwrap_or_default();
            FailedTask {
                key: crate::input::percent_decode(&f[1]),
                code,
                message: f.get(6).cloned().unwrap_or_default(),
            }
        })
        .collect()
}

/// One CSV line's fields (RFC 4180 quoting).
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                if let Some(f) = out.last_mut() {
                    f.push('"');
                }
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(String::new()),
            (c, _) => {
                if let Some(f) = out.last_mut() {
                    f.push(c);
                }
            }
        }
    }
    out
}

async fn get_text(
    c: &Clients,
    bucket: &str,
    key: &str,
    ep: Option<&str>,
) -> Result<String, AwsError> {
    let out =
        c.s3.get_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .map_err(err("s3", "GetObject", ep))?;
    let bytes = out
        .body
        .collect()
        .await
        .map_err(|e| AwsError::service("s3", "GetObject", "ReadError", &e.to_string()))?;
    Ok(String::from_utf8_lossy(&bytes.to_vec()).into_owned())
}

/// Reads the completion report of job `job_id` under `prefix` in `bucket`, and deletes it once
/// read. Returns the failed tasks, or None when there is no report (yet).
pub async fn read_and_remove(
    c: &Clients,
    bucket: &str,
    prefix: &str,
    job_id: &str,
    ep: Option<&str>,
) -> Result<Option<Vec<FailedTask>>, AwsError> {
    // The user guide's examples name the top-level file manifest.json; the JobReport API reference
    // says report.json. Either is read (and removed).
    let base = format!("{}/job-{job_id}", prefix.trim_end_matches('/'));
    let mut found = None;
    for name in ["manifest.json", "report.json"] {
        let key = format!("{base}/{name}");
        match get_text(c, bucket, &key, ep).await {
            Ok(m) => {
                found = Some((key, m));
                break;
            }
            Err(e) if e.is("NoSuchKey") || e.http_status == Some(404) => {}
            Err(e) => return Err(e),
        }
    }
    let Some((manifest_key, manifest)) = found else {
        return Ok(None);
    };
    let parsed: serde_json::Value = serde_json::from_str(&manifest).unwrap_or_default();
    let results: Vec<String> = parsed["Results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["Key"].as_str().map(str::to_string))
        .collect();
    let mut failed = vec![];
    for key in &results {
        match get_text(c, bucket, key, ep).await {
            Ok(csv) => failed.extend(parse_results_csv(&csv)),
            // Removed by a run that stopped before removing the top-level file: already read.
            Err(e) if e.is("NoSuchKey") || e.http_status == Some(404) => {}
            Err(e) => return Err(e),
        }
    }
    for key in results.iter().chain(std::iter::once(&manifest_key)) {
        c.s3.delete_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .map_err(err("s3", "DeleteObject", ep))?;
    }
    Ok(Some(failed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_tasks_come_from_the_result_csv_with_quoted_messages_and_encoded_keys() {
        let csv = "b,ok.json,,succeeded,,200,Successful\n\
                   b,a%20b.json,,failed,AccessDenied,403,\"Access Denied, by KMS\"\n\
                   b,big.bin,,failed,InvalidRequest,400,\"object \"\"big\"\" too large\"\n";
        let f = parse_results_csv(csv);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].key, "a b.json");
        assert_eq!(f[0].code, "AccessDenied");
        assert_eq!(f[0].message, "Access Denied, by KMS");
        assert_eq!(f[1].message, "object \"big\" too large");
        // The user guide's example order: HTTP status before the error code.
        let f = parse_results_csv("b,k.json,,failed,200,PermanentFailure,\"Lambda said no\"\n");
        assert_eq!(f[0].code, "PermanentFailure");
        assert_eq!(f[0].message, "Lambda said no");
    }
}
