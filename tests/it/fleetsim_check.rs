//! fleetsim (the fleet benchmark's stand-in for AWS) against the local AWS: the same fleet, the
//! same `cmek status --all`, the same report and the same calls. If fleetsim's wire formats drift
//! from what the SDK parses (or from the local AWS's answers), this fails.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value;

use crate::common::*;
use crate::fleetsim::{Behaviour, FleetSim, FleetSpec};

/// The report without what differs run to run (times, ages).
fn normalised(mut report: Value) -> Value {
    for row in report["tenants"].as_array_mut().expect("tenants") {
        let row = row.as_object_mut().unwrap();
        row.remove("observed_at");
        row.remove("age_seconds");
    }
    report
}

#[tokio::test(flavor = "multi_thread")]
async fn fleetsim_answers_as_the_local_aws_does_for_the_same_fleet() {
    let (a, arn) = crate::fleet::seeded(3).await;
    clear_calls(&a.speedscale);
    let args = ["--output", "json", "--no-progress", "status", "--all"];
    let local = cmek(&a.speedscale, &args);
    assert_eq!(local.status.code(), Some(0), "{}", stderr(&local));
    let local_calls = calls_by_operation(&a.speedscale);

    let sim = FleetSim::start(
        FleetSpec {
            account: a.speedscale.clone(),
            region: REGION.into(),
            keys: vec![arn.clone()],
            tenants: 3,
        },
        Behaviour {
            latency: Duration::ZERO,
            quotas: false,
        },
    )
    .await;
    let simulated = cmek_command(&a.speedscale, &args)
        .env("AWS_ENDPOINT_URL", &sim.url)
        .output()
        .unwrap();
    assert_eq!(simulated.status.code(), Some(0), "{}", stderr(&simulated));
    assert_eq!(
        normalised(json_out(&simulated)),
        normalised(json_out(&local)),
        "fleetsim and the local AWS disagree"
    );
    let sim_calls: BTreeMap<String, usize> = sim
        .calls()
        .into_iter()
        .map(|((_, op), n)| (op, n as usize))
        .collect();
    assert_eq!(sim_calls, local_calls, "different calls for the same fleet");
}
