//! The `gazette` command: parse the arguments, run, exit with 0, 1 or 2.

#![forbid(unsafe_code)]

mod cli;

use std::process::ExitCode;

use clap::Parser as _;

/// Rendering makes millions of small strings on every core; mimalloc's
/// per-thread heaps serve them faster than the system allocator's arenas.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match args.run() {
        Ok(code) => code,
        Err(error) => {
            cli::print_failure(&error);
            ExitCode::from(2)
        }
    }
}
