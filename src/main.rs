//! The `art33` binary: argument parsing → `cli::run` → exit status.

/// Rust's allocations go to mimalloc: its per-thread free lists cost a fraction of glibc's
/// locked arenas, and a page view allocates thousands of small strings and rows (glibc's
/// `malloc` and `free` were a quarter of a dashboard view's CPU in a profile; with mimalloc a
/// view costs about a fifth less CPU, docs/PERFORMANCE.md). Built without transparent huge
/// pages (`no_thp`): with them every 2 MiB of heap it touched became resident, and the server's
/// peak RSS doubled.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's option `purge_delay` (its `mi_option_purge_delay`; libmimalloc-sys does not name it,
/// a test below checks the number against the option's default).
const MIMALLOC_PURGE_DELAY: std::ffi::c_int = 15;

fn main() -> std::process::ExitCode {
    tune_allocators();
    owner_only_files();
    art33::http_client::install_crypto_provider();
    art33::cli::main()
}

/// mimalloc returns freed memory to the system 10 ms after it was freed (its own default is a
/// second, during which a busy server's freed pages stayed resident: a fifth more peak RSS).
/// `MIMALLOC_PURGE_DELAY` in the environment still wins.
///
/// glibc's allocator still serves the C libraries (SQLite, libpq). It gives every thread that
/// allocates under contention an arena of its own, up to eight per core; the blocking threads that
/// run database work then hold tens of megabytes of mostly free memory. Four arenas keep the
/// resident size in check at no measurable cost in throughput (docs/PERFORMANCE.md).
/// `MALLOC_ARENA_MAX` in the environment still wins.
#[expect(unsafe_code, reason = "mi_option_set and mallopt are C functions; called before any thread exists")]
fn tune_allocators() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of mimalloc's options; called before any thread exists.
        unsafe {
            libmimalloc_sys::mi_option_set(MIMALLOC_PURGE_DELAY, 10);
        }
    }
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

#[cfg(test)]
mod tests {
    /// The option number [`super::MIMALLOC_PURGE_DELAY`] is mimalloc's purge delay: unset, it
    /// is a second (mimalloc 3), or what `MIMALLOC_PURGE_DELAY` says. A mimalloc that numbers its
    /// options otherwise fails here.
    #[test]
    #[expect(unsafe_code, reason = "mi_option_get is a C function that reads an option")]
    fn the_purge_delay_option_is_the_one_tuned() {
        let expected =
            std::env::var("MIMALLOC_PURGE_DELAY").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
        // SAFETY: reads one option.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::MIMALLOC_PURGE_DELAY) };
        assert_eq!(delay, expected);
    }
}
