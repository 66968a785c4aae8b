//! Group commit for audited writes that lock the same rows (`docs/ARCHITECTURE.md` §8).
//!
//! The reports of one client queue on that client's row and on its audit chain's head from the
//! moment they lock them until they commit, and a commit waits for the disk (about a millisecond and
//! a half on the reference machine's PostgreSQL). When several such writes arrive at once, the first
//! one leads: it takes every write waiting under the same key and runs them one after another in a
//! single transaction, each in a savepoint of its own, then commits them together. A write that
//! fails rolls back to its savepoint alone; the others are kept. Every caller gets its answer only
//! after the commit: an acknowledged write is a committed one, as before.
//!
//! Only writes that lock the same rows in the same order share a key (the client's slug for
//! reports), so a group locks nothing a single write of that key would not: no new deadlock. On
//! SQLite, where every write takes the database's one write lock first, all keys are one group.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use diesel::Connection;

use super::audit_log::{self, Appender};
use super::backend::AnyConnection;
use super::error::StorageError;

/// The most writes one transaction takes: a longer queue is served by the next transaction, so that
/// a write waits for at most one full group before its own.
pub(crate) const MAX_GROUP: usize = 32;

/// One queued write, its type erased so that writes of one key with different results share a group.
pub(crate) trait GroupedWrite: Send {
    /// Runs the write in the open transaction. `alone`: it is the group's only write and runs
    /// without a savepoint (its failure rolls the whole transaction back). Returns whether it
    /// succeeded; its audit events go to `audit` only if it did.
    fn run(&mut self, tx: &mut AnyConnection, audit: &mut Appender, alone: bool) -> bool;
    /// Answers the caller: its own outcome when the group committed (or when it failed by itself),
    /// otherwise the group's failure.
    fn answer(self: Box<Self>, group_failure: Option<&StorageError>);
}

/// A write with the caller's reply channel.
struct Write<T, E, F> {
    work: Option<F>,
    outcome: Option<Result<T, E>>,
    reply: tokio::sync::oneshot::Sender<Result<T, E>>,
}

impl<T, E, F> GroupedWrite for Write<T, E, F>
where
    F: FnOnce(&mut AnyConnection, &mut Appender) -> Result<T, E> + Send,
    T: Send,
    E: From<StorageError> + From<diesel::result::Error> + Send,
{
    fn run(&mut self, tx: &mut AnyConnection, audit: &mut Appender, alone: bool) -> bool {
        let Some(work) = self.work.take() else { return false };
        let mut own = Appender::default();
        let outcome =
            if alone { work(tx, &mut own) } else { tx.transaction(|savepoint| work(savepoint, &mut own)) };
        let succeeded = outcome.is_ok();
        if succeeded {
            audit.absorb(own);
        }
        self.outcome = Some(outcome);
        succeeded
    }

    fn answer(self: Box<Self>, group_failure: Option<&StorageError>) {
        let outcome = match (group_failure, self.outcome) {
            (None, Some(outcome)) => outcome,
            // Its own refusal stands: nothing of it was kept either way.
            (Some(_), Some(Err(own))) => Err(own),
            (Some(failure), _) => Err(E::from(failure.duplicate())),
            (None, None) => Err(E::from(StorageError::Corrupt("a grouped write did not run".into()))),
        };
        // The caller may have gone (a dropped request): its write stands or not like any other.
        let _ = self.reply.send(outcome);
    }
}

/// The queues of waiting writes, by key. A key has an entry exactly while a leader serves it.
#[derive(Debug, Default)]
pub(crate) struct Groups {
    queues: Mutex<HashMap<String, VecDeque<Box<dyn GroupedWrite>>>>,
}

impl std::fmt::Debug for dyn GroupedWrite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GroupedWrite")
    }
}

impl Groups {
    /// Queues `write` under `key`; true when no leader serves the key and the caller must start one.
    fn enqueue(&self, key: &str, write: Box<dyn GroupedWrite>) -> bool {
        let mut queues = self.queues.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match queues.get_mut(key) {
            Some(queue) => {
                queue.push_back(write);
                false
            }
            None => {
                queues.insert(key.to_string(), VecDeque::from([write]));
                true
            }
        }
    }

    /// Drops `key`'s queue (its callers' reply channels with it) and its leader.
    fn abandon(&self, key: &str) {
        let dropped = self.queues.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(key);
        drop(dropped);
    }

    /// The next group under `key`, at most [`MAX_GROUP`] writes; `None` when the queue is empty, and
    /// then the key has no leader any more (decided under the same lock as [`Groups::enqueue`]).
    fn next_group(&self, key: &str) -> Option<Vec<Box<dyn GroupedWrite>>> {
        let mut queues = self.queues.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let queue = queues.get_mut(key)?;
        if queue.is_empty() {
            queues.remove(key);
            return None;
        }
        let take = queue.len().min(MAX_GROUP);
        Some(queue.drain(..take).collect())
    }
}

/// The task that serves one key's queue.
struct Leader {
    db: super::Database,
    key: String,
    /// Whether it served the queue until it was empty (its key's entry is then gone).
    finished: bool,
    /// Since when its next group has waited: from its spawning (the wait for a blocking thread
    /// counts against the pool's timeout, as for [`super::Database::run`]), then from the end of
    /// the group before.
    waiting_since: std::time::Instant,
}

impl Leader {
    /// Serves the queue, group after group, until it is empty.
    fn lead(mut self) {
        while let Some(group) = self.db.groups.next_group(&self.key) {
            // A write that panics drops its group's reply channels (their callers get an error) but
            // must not leave the key with a leader that is gone.
            let served = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.db.commit_group(group, self.waiting_since)
            }));
            // Later groups did not wait for the thread.
            self.waiting_since = std::time::Instant::now();
            if served.is_err() {
                tracing::error!("a grouped audited write panicked; its group was rolled back");
            }
        }
        self.finished = true;
    }
}

impl Drop for Leader {
    /// A leader that never ran (the runtime shut down first) gives up its queue: the callers get an
    /// error instead of waiting for good, and the next write under the key starts a new leader.
    fn drop(&mut self) {
        if !self.finished {
            self.db.groups.abandon(&self.key);
        }
    }
}

impl super::Database {
    /// Runs the audited write `work` (as [`audit_log::write_tx`] would) together with the other
    /// writes waiting under `key` (on SQLite: every write waiting), in one transaction on the
    /// blocking pool, and answers once that transaction has committed. Writes under one key must
    /// lock the same rows in the same order.
    pub async fn write_grouped<T, E, F>(&self, key: &str, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut AnyConnection, &mut Appender) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StorageError> + From<diesel::result::Error> + Send + 'static,
    {
        // On SQLite every write takes the database's one write lock first, whatever rows it touches:
        // any writes may share a group, so all keys are one (a burst spread over many clients is
        // committed together too).
        let key = match self.backend {
            super::Backend::Postgres => key,
            super::Backend::Sqlite => "",
        };
        let (reply, answer) = tokio::sync::oneshot::channel();
        let write = Box::new(Write { work: Some(work), outcome: None, reply });
        if self.groups.enqueue(key, write) {
            let leader = Leader {
                db: self.clone(),
                key: key.to_string(),
                finished: false,
                waiting_since: std::time::Instant::now(),
            };
            tokio::task::spawn_blocking(move || leader.lead());
        }
        answer.await.unwrap_or_else(|_| {
            Err(E::from(StorageError::Corrupt("the grouped write was dropped (see the log)".into())))
        })
    }

    /// Runs one group in one transaction and answers each of its writes.
    fn commit_group(&self, mut group: Vec<Box<dyn GroupedWrite>>, waiting_since: std::time::Instant) {
        let alone = group.len() == 1;
        let committed = super::checkout(&self.pool, waiting_since).and_then(|mut conn| {
            audit_log::with_writer_turns(self.writer_turns.as_ref(), self.urgent, || {
                audit_log::write_tx(&mut conn, |tx, audit| {
                    let mut any = false;
                    for write in &mut group {
                        any |= write.run(tx, audit, alone);
                    }
                    if alone && !any {
                        // Its own error is its answer; the transaction must not keep half of it.
                        return Err(StorageError::Corrupt("the write failed".into()));
                    }
                    Ok(())
                })
            })
        });
        if group.len() > 1 {
            tracing::debug!(writes = group.len(), "group commit");
        }
        let failure = committed.err();
        for write in group {
            write.answer(failure.as_ref());
        }
    }
}
