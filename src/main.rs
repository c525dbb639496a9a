//! The `amgi` binary: parse the command line, run, report an error once.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = amgi::cli::Cli::parse_args();
    match amgi::run(cli) {
        Ok(code) => code,
        Err(error) => {
            amgi::visible::warn(format_args!("{error:#}"));
            ExitCode::FAILURE
        }
    }
}
