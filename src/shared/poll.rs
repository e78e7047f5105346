//! Waiting on AWS where the SDK has no waiter: one polling loop with one backoff policy (250 ms,
//! doubling, at most 10 s between reads), reporting each status it sees.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

/// The first pause between two reads.
pub const FIRST_DELAY: Duration = Duration::from_millis(250);
/// The longest pause between two reads.
pub const MAX_DELAY: Duration = Duration::from_secs(10);

/// What one read found.
#[derive(Debug)]
pub enum Probe<T> {
    /// Done: the value the wait was for.
    Done(T),
    /// Not yet: the status seen (shown while waiting).
    Pending(String),
}

/// The wait outlasted its limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimedOut {
    /// The last status seen.
    pub status: String,
    /// How long it waited.
    pub waited: Duration,
}

/// Reads with `probe` until it is done, an error ends it, or `limit` has passed; `on_wait` sees
/// each pending status and the time waited so far.
pub async fn until<T, E, F, Fut>(
    limit: Duration,
    mut on_wait: impl FnMut(&str, Duration),
    mut probe: F,
) -> Result<Result<T, TimedOut>, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Probe<T>, E>>,
{
    let started = Instant::now();
    let mut delay = FIRST_DELAY;
    loop {
        match probe().await? {
            Probe::Done(v) => return Ok(Ok(v)),
            Probe::Pending(status) => {
                let waited = started.elapsed();
                on_wait(&status, waited);
                if waited > limit {
                    return Ok(Err(TimedOut { status, waited }));
                }
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(MAX_DELAY);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn polls_until_done_and_reports_each_pending_status() {
        let mut n = 0;
        let mut seen = vec![];
        let r: Result<_, ()> = until(
            Duration::from_secs(60),
            |s, _| seen.push(s.to_string()),
            || {
                n += 1;
                let v = n;
                async move {
                    Ok(if v < 3 {
                        Probe::Pending(format!("creating {v}"))
                    } else {
                        Probe::Done(v)
                    })
                }
            },
        )
        .await;
        assert_eq!(r, Ok(Ok(3)));
        assert_eq!(seen, ["creating 1", "creating 2"]);
    }

    #[tokio::test(start_paused = true)]
    async fn stops_at_the_limit_with_the_last_status() {
        let r: Result<Result<(), TimedOut>, ()> = until(
            Duration::from_secs(30),
            |_, _| {},
            || async { Ok(Probe::Pending("creating".into())) },
        )
        .await;
        let t = r.unwrap().unwrap_err();
        assert_eq!(t.status, "creating");
        assert!(t.waited > Duration::from_secs(30));
    }
}
