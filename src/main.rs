//! The `art33` binary: argument parsing → `cli::run` → exit status.

fn main() -> std::process::ExitCode {
    limit_malloc_arenas();
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
