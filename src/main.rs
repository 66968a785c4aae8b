//! The `art33` binary: argument parsing → `cli::run` → exit status.

fn main() -> std::process::ExitCode {
    art33::cli::main()
}
