//! The `art33` binary: argument parsing → `cli::run` → exit status.

fn main() -> std::process::ExitCode {
    limit_malloc_arenas();
    owner_only_files();
    art33::http_client::install_crypto_provider();
    art33::cli::main()
}

/// glibc gives every thread that allocates under contention an arena of its own, up to eight per
/// core; the blocking threads that run database work then hold tens of megabytes of mostly free
/// memory. Four arenas keep the resident size in check at no measurable cost in throughput
/// (docs/PERFORMANCE.md). `MALLOC_ARENA_MAX` in the environment still wins.
#[expect(unsafe_code, reason = "mallopt is a C function; called before any thread exists")]
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets an allocator parameter; called before any thread exists.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 4);
        }
    }
    // A fixed mmap threshold: blocks of 1 MiB and more (argon2's 19 MiB per login) are mapped and
    // returned on free. The default threshold rises to the largest block freed, after which every
    // login's memory stayed resident in an arena.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_none() {
        // SAFETY: as above.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
        }
    }
}

/// Every file and directory art33 creates is for its own user only: the SQLite database and its
/// `-wal`/`-shm` files hold the incidents, the `.eml` files of the file transport hold live
/// acknowledgement links. A umask of 077 makes them 0600 (directories 0700) whoever creates them:
/// art33, SQLite or lettre (SECURITY.md).
#[expect(unsafe_code, reason = "umask is a C function; called before any thread exists")]
fn owner_only_files() {
    #[cfg(unix)]
    // SAFETY: umask only sets the process's file mode creation mask; it cannot fail, and it is
    // called before any thread exists, so no file is being created concurrently.
    unsafe {
        libc::umask(0o077);
    }
}
