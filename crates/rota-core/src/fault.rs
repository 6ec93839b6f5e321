//! Test-only fault injection, so crash tests stop a write at a chosen step instead of racing a
//! timer. Only debug builds read it (the tests' binary); a release build ignores it.
//!
//! `ROTA_TEST_FAULT=STEP` ends the process, as a SIGKILL would, when a write reaches STEP:
//! `journal` (the append journal is written, the log not yet), `append:N` (N bytes of the
//! append are written), `synced` (the append is synced, the journal not yet removed),
//! `renamed` (a list's temporary file is synced, not yet renamed over the list).

/// The byte count of an `append:N` fault, if one is set.
pub fn append_limit() -> Option<usize> {
    step()?.strip_prefix("append:")?.parse().ok()
}

/// Ends the process here when the fault names `name`.
pub fn at(name: &str) {
    if step().as_deref() == Some(name) {
        die();
    }
}

/// Ends the process as abruptly as it can without a signal: no destructor runs, no buffer is
/// flushed; the kernel releases the locks.
pub fn die() -> ! {
    std::process::exit(137)
}

static STEP: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();

/// Sets the step at which a write stops (the binary passes `ROTA_TEST_FAULT`). Release builds
/// ignore it.
pub fn arm(step: Option<String>) {
    if cfg!(debug_assertions) {
        let _ = STEP.set(step);
    }
}

fn step() -> Option<String> {
    STEP.get().cloned().flatten()
}
