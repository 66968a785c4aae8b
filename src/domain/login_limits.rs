//! The login limits (issue 17; the numbers are in `SECURITY.md`): whether a login attempt may be
//! verified, from the failures recorded for its account and client address. Pure: the caller
//! counts the rows (`storage::login_attempts`) and holds the lock that makes check-and-count one
//! step (`app::login`).
//!
//! - **Per (account, address) pair**: [`PAIR_FREE_FAILURES`] failures are free; after that the
//!   pair waits [`PAIR_FIRST_DELAY`] after its last failure, doubling with each further failure up
//!   to [`PAIR_MAX_DELAY`]. Failures are remembered for [`PAIR_MEMORY`]. A guesser elsewhere cannot
//!   lock the account holder out: only their own address waits.
//! - **Per account, from anywhere** (distributed guessing): at most [`ACCOUNT_CEILING`] failures
//!   within [`ACCOUNT_WINDOW`].
//! - **Per address, any account** (one source spraying many accounts): at most
//!   [`ADDRESS_CEILING`] failures within [`ADDRESS_WINDOW`].

use chrono::{DateTime, Duration, Utc};

/// Failures of one (account, address) pair before it has to wait.
pub const PAIR_FREE_FAILURES: i64 = 5;
/// The first wait of a pair.
pub const PAIR_FIRST_DELAY: Duration = Duration::minutes(1);
/// The longest wait of a pair.
pub const PAIR_MAX_DELAY: Duration = Duration::minutes(60);
/// How long a pair's failures count.
pub const PAIR_MEMORY: Duration = Duration::hours(24);
/// How long a login attempt is kept: longer than any window counts it, so the daily purge never
/// shortens a wait.
pub const KEPT_FOR: Duration = Duration::hours(48);
/// Failures of one account, from all addresses, within [`ACCOUNT_WINDOW`].
pub const ACCOUNT_CEILING: i64 = 50;
/// The window of [`ACCOUNT_CEILING`].
pub const ACCOUNT_WINDOW: Duration = Duration::hours(1);
/// Failures from one address, for all accounts, within [`ADDRESS_WINDOW`].
pub const ADDRESS_CEILING: i64 = 20;
/// The window of [`ADDRESS_CEILING`].
pub const ADDRESS_WINDOW: Duration = Duration::minutes(15);

/// The failures recorded in one bucket within its window: how many, the oldest and the latest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Failures {
    /// How many.
    pub count: i64,
    /// The oldest.
    pub oldest: Option<DateTime<Utc>>,
    /// The latest.
    pub latest: Option<DateTime<Utc>>,
}

/// What an attempt finds recorded: the pair's failures within [`PAIR_MEMORY`], the account's
/// within [`ACCOUNT_WINDOW`], the address's within [`ADDRESS_WINDOW`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recorded {
    /// The (account, address) pair.
    pub pair: Failures,
    /// The account, from anywhere.
    pub account: Failures,
    /// The address, for any account.
    pub address: Failures,
}

/// Which limit holds an attempt back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The (account, address) pair waits.
    Pair,
    /// The account reached its ceiling.
    Account,
    /// The address reached its ceiling.
    Address,
}

/// The verdict on an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// It may be verified (and counts as a failure until it succeeds).
    Try,
    /// It is refused without verification; try again after the duration (`Retry-After`).
    Wait(Limit, Duration),
}

/// How long a pair with `failures` waits after its latest failure: nothing below
/// [`PAIR_FREE_FAILURES`], then 1, 2, 4, … minutes, at most [`PAIR_MAX_DELAY`].
pub fn pair_delay(failures: i64) -> Duration {
    if failures < PAIR_FREE_FAILURES {
        return Duration::zero();
    }
    let doublings = u32::try_from((failures - PAIR_FREE_FAILURES).min(16)).unwrap_or(16);
    let delay = PAIR_FIRST_DELAY * 2_i32.pow(doublings);
    delay.min(PAIR_MAX_DELAY)
}

/// Whether an attempt finding `recorded` may be verified at `now`. The longest wait wins.
pub fn decide(recorded: &Recorded, now: DateTime<Utc>) -> Verdict {
    let mut waits = Vec::new();
    if let Some(latest) = recorded.pair.latest {
        let until = latest + pair_delay(recorded.pair.count);
        if until > now {
            waits.push((Limit::Pair, until - now));
        }
    }
    for (limit, failures, ceiling, window) in [
        (Limit::Account, recorded.account, ACCOUNT_CEILING, ACCOUNT_WINDOW),
        (Limit::Address, recorded.address, ADDRESS_CEILING, ADDRESS_WINDOW),
    ] {
        if failures.count >= ceiling {
            // The oldest failure leaves the window first.
            let until = failures.oldest.map_or(now + window, |oldest| oldest + window);
            waits.push((limit, (until - now).max(Duration::seconds(1))));
        }
    }
    match waits.into_iter().max_by_key(|(_, wait)| *wait) {
        Some((limit, wait)) => Verdict::Wait(limit, wait),
        None => Verdict::Try,
    }
}

/// Whether a pair with `failures` is locked after its latest failure: the moment to tell the
/// account holder (once per [`PAIR_MEMORY`]).
pub fn pair_is_locked(failures: i64) -> bool {
    failures >= PAIR_FREE_FAILURES
}

/// Whether an account with `failures` within [`ACCOUNT_WINDOW`] is at its ceiling.
pub fn account_is_locked(failures: i64) -> bool {
    failures >= ACCOUNT_CEILING
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_are_kept_longer_than_any_limit_counts_them() {
        assert!(KEPT_FOR > PAIR_MEMORY && KEPT_FOR > ACCOUNT_WINDOW && KEPT_FOR > ADDRESS_WINDOW);
    }

    fn at(minute: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + minute * 60, 0).unwrap_or_default()
    }

    fn failures(count: i64, oldest: i64, latest: i64) -> Failures {
        Failures { count, oldest: Some(at(oldest)), latest: Some(at(latest)) }
    }

    #[test]
    fn a_pair_waits_longer_with_each_failure_up_to_an_hour() {
        let minutes: Vec<i64> = (0..14).map(|f| pair_delay(f).num_minutes()).collect();
        assert_eq!(minutes, [0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(pair_delay(i64::MAX), PAIR_MAX_DELAY);
    }

    #[test]
    fn the_verdict_names_the_longest_wait() {
        let now = at(100);
        assert_eq!(decide(&Recorded::default(), now), Verdict::Try);
        let four = Recorded { pair: failures(4, 99, 100), ..Recorded::default() };
        assert_eq!(decide(&four, now), Verdict::Try);
        let five = Recorded { pair: failures(5, 99, 100), ..Recorded::default() };
        assert_eq!(decide(&five, now), Verdict::Wait(Limit::Pair, Duration::minutes(1)));
        assert_eq!(decide(&five, at(101)), Verdict::Try, "the wait is over");
        let seven = Recorded { pair: failures(7, 50, 99), ..Recorded::default() };
        assert_eq!(decide(&seven, now), Verdict::Wait(Limit::Pair, Duration::minutes(3)));
        let account = Recorded { account: failures(ACCOUNT_CEILING, 70, 100), ..five };
        assert_eq!(decide(&account, now), Verdict::Wait(Limit::Account, Duration::minutes(30)));
        let address = Recorded { address: failures(ADDRESS_CEILING, 90, 100), ..Recorded::default() };
        assert_eq!(decide(&address, now), Verdict::Wait(Limit::Address, Duration::minutes(5)));
        assert!(pair_is_locked(5) && !pair_is_locked(4));
        assert!(account_is_locked(ACCOUNT_CEILING) && !account_is_locked(ACCOUNT_CEILING - 1));
    }
}
