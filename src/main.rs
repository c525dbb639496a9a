//! The `amgi` binary: parse the command line, run, report an error once.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = amgi::cli::Cli::parse_args();
    // A file size limit (`ulimit -f`) reached makes a write fail, which amgi reports and survives, rather than
    // end the process.
    #[cfg(unix)]
    // SAFETY: ignoring a signal installs no handler; no other thread runs yet.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    if let Some(why) = std::env::var_os("TZ").and_then(|tz| amgi::distrusted_time_zone(&tz)) {
        amgi::visible::warn(format_args!("{why}; using the system's time zone instead"));
        // SAFETY: no other thread runs yet, so none reads the environment while it changes.
        unsafe { std::env::remove_var("TZ") };
    }
    match amgi::run(cli) {
        Ok(code) => code,
        Err(error) => {
            amgi::visible::warn(format_args!("{error:#}"));
            ExitCode::FAILURE
        }
    }
}
