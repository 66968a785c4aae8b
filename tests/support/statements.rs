//! The SQL a connection sends, recorded with diesel's instrumentation, for the tests that count a
//! request's or a write's statements.

use std::sync::{Arc, Mutex};

use diesel::Connection;
use diesel::connection::InstrumentationEvent;

/// The statements recorded on one connection since [`Recorder::start`].
#[derive(Debug, Clone, Default)]
pub struct Recorder(Arc<Mutex<Vec<String>>>);

impl Recorder {
    /// Starts recording `conn`'s statements (in place of its instrumentation).
    pub fn start(conn: &mut impl Connection) -> Recorder {
        let recorder = Recorder::default();
        let log = recorder.0.clone();
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::StartQuery { query, .. } = event {
                log.lock().unwrap().push(query.to_string());
            }
        });
        recorder
    }

    /// Stops recording on `conn`.
    pub fn stop(conn: &mut impl Connection) {
        conn.set_instrumentation(|_: InstrumentationEvent<'_>| {});
    }

    /// The statements so far, in order, without their binds.
    pub fn statements(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|s| s.split(" -- binds:").next().unwrap().trim().to_string())
            .collect()
    }
}
