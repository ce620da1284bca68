//! The `gazette` command: parse the arguments, run, exit with 0, 1 or 2.

#![forbid(unsafe_code)]

mod cli;

use std::process::ExitCode;

use clap::Parser as _;

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
