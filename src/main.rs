//! The `cmek` binary: parse, run, map the outcome to an exit code (decided once, here).

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
