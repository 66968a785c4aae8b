//! A timeout that counts only the time the process ran. A send that was on the wire when the process
//! was stopped (SIGSTOP, a virtual machine frozen by its host) is usually answered while it is stopped;
//! a plain timeout would then fire the moment the process resumes, before the answer is read, and
//! the mail or post would be sent again although it had been delivered. Here the time is measured in
//! short slices, and a slice that ends far later than asked counts only as long as it may have run.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

/// Slices short enough that a pause costs the send at most this much of its limit, long enough
/// that a waiting send wakes a few times a second only.
const SLICE: Duration = Duration::from_millis(250);

/// The send did not finish within its limit of running time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut;

/// Awaits `future` for at most `limit` of the process's running time. A slice's timer that fires
/// late (the process was stopped, or starved of CPU) counts as at most two slices, so that after a
/// pause the answer that arrived meanwhile is read before the limit is reached.
pub async fn timeout<F: Future>(limit: Duration, future: F) -> Result<F::Output, TimedOut> {
    in_slices(limit, SLICE, future).await
}

async fn in_slices<F: Future>(limit: Duration, slice: Duration, future: F) -> Result<F::Output, TimedOut> {
    let mut future = std::pin::pin!(future);
    let mut spent = Duration::ZERO;
    while spent < limit {
        let this = slice.min(limit - spent);
        let started = Instant::now();
        match tokio::time::timeout(this, future.as_mut()).await {
            Ok(output) => return Ok(output),
            Err(_) => spent += started.elapsed().min(this * 2),
        }
    }
    Err(TimedOut)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: Duration = Duration::from_millis(100);
    const TEST_SLICE: Duration = Duration::from_millis(10);

    /// A send on the wire while the process (this one-thread runtime) is stopped for three times its
    /// limit and answered meanwhile: on resume the timers are seen first, the answer just after.
    /// Returns what `bounded` made of it.
    async fn answered_during_a_pause<T>(
        bounded: impl FnOnce(tokio::sync::oneshot::Receiver<&'static str>) -> T + Send + 'static,
    ) -> T::Output
    where
        T: Future + Send + 'static,
        T::Output: Send + 'static,
    {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let send = tokio::spawn(bounded(answered));
        tokio::task::yield_now().await;
        // The whole runtime stands still, as a stopped process does.
        std::thread::sleep(LIMIT * 3);
        // Resumed: the runtime's timers are seen (the send's among them) before the answer comes.
        tokio::time::sleep(Duration::from_millis(1)).await;
        let _ = answer.send("250 OK");
        send.await.unwrap()
    }

    #[tokio::test]
    async fn an_answer_that_came_while_the_process_was_stopped_is_read() {
        let plain = answered_during_a_pause(|answered| async move {
            tokio::time::timeout(LIMIT, answered).await.ok().map(Result::unwrap)
        })
        .await;
        assert_eq!(plain, None, "a plain timeout fires on resume: the case this module is for");
        let counted = answered_during_a_pause(|answered| async move {
            in_slices(LIMIT, TEST_SLICE, answered).await.ok().map(Result::unwrap)
        })
        .await;
        assert_eq!(counted, Some("250 OK"));
    }

    #[tokio::test]
    async fn a_send_that_never_ends_times_out_after_its_limit() {
        let started = Instant::now();
        let outcome = in_slices(LIMIT, TEST_SLICE, std::future::pending::<()>()).await;
        assert_eq!(outcome, Err(TimedOut));
        let took = started.elapsed();
        assert!(took >= LIMIT && took < LIMIT * 10, "{took:?}");
    }

    #[tokio::test]
    async fn an_answer_in_time_is_returned() {
        let answer = async {
            tokio::time::sleep(LIMIT / 2).await;
            "250 OK"
        };
        assert_eq!(in_slices(LIMIT, TEST_SLICE, answer).await, Ok("250 OK"));
    }
}
