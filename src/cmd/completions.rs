//! `amgi completions` and `amgi man`: made from the command line's definition alone, no notes, no progress.

use super::print;
use crate::cli::{Cli, Completions};
use clap::CommandFactory;
use std::process::ExitCode;

/// `amgi completions SHELL`: the shell's completion script on stdout.
pub fn completions(options: &Completions) -> anyhow::Result<ExitCode> {
    let mut command = Cli::command();
    print(true, |out| {
        clap_complete::generate(options.shell, &mut command, "amgi", out);
        Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// `amgi man`: the manual page, as roff, on stdout.
pub fn man() -> anyhow::Result<ExitCode> {
    print(true, |out| clap_mangen::Man::new(Cli::command()).render(out))?;
    Ok(ExitCode::SUCCESS)
}
