//! The command line, as clap derive types. No behaviour here: [`crate::run`] acts on it.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// The help heading of the flags that say which notes and which data folder, for every command.
const NOTES: &str = "Notes and progress (any command)";
/// The help heading of the flags for studying and scheduling.
const QUIZ: &str = "Quiz and scheduling (drill, cram, plan, repair, optimize)";

/// amgi (암기): drill your interview notes as flashcards in the terminal.
#[derive(Debug, Parser)]
#[command(
    name = "amgi",
    version,
    after_help = "Example:\n  amgi --notes ~/interview cards --topic network"
)]
pub struct Cli {
    /// Notes to read: a markdown file (any extension) or a folder walked for *.md and *.markdown. Repeatable.
    /// Default: $AMGI_NOTES (paths separated by ':'), else ./notes when it exists, else the bundled deck.
    #[arg(long, global = true, value_name = "PATH", help_heading = NOTES)]
    pub notes: Vec<PathBuf>,

    /// Only cards whose topic, headings or question contain this text (any case). Repeatable: any match wins.
    #[arg(long, global = true, value_name = "TEXT", help_heading = NOTES)]
    pub topic: Vec<String>,

    /// Where progress is kept. Default: $AMGI_DATA, else the platform data folder (~/.local/share/amgi).
    #[arg(long, global = true, value_name = "DIR", help_heading = NOTES)]
    pub data_dir: Option<PathBuf>,

    /// Line by line instead of full screen: the quiz, and stats as text (chosen anyway when stdin or stdout is not a
    /// terminal).
    #[arg(long, global = true, help_heading = NOTES)]
    pub plain: bool,

    /// New cards a day in a drill.
    #[arg(long = "new", global = true, value_name = "N", default_value_t = 20, help_heading = QUIZ)]
    pub new_per_day: usize,

    /// Reviews a day in a drill.
    #[arg(long, global = true, value_name = "N", default_value_t = 200, help_heading = QUIZ)]
    pub max_reviews: usize,

    /// Desired retention, 0.70 to 0.99 (default 0.9); remembered in progress.yaml once set.
    #[arg(long, global = true, value_name = "R", value_parser = parse_retention, help_heading = QUIZ)]
    pub retention: Option<f32>,

    /// Seconds to answer out loud before the full-screen timer turns amber.
    #[arg(long, global = true, value_name = "S", default_value_t = 60, help_heading = QUIZ)]
    pub target_seconds: u64,

    /// What to do; without one, the daily drill.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// A day as `YYYY-MM-DD`; anything else is refused saying so, not in the date library's words.
fn parse_day(text: &str) -> Result<jiff::civil::Date, String> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return Err(format!(
            "{text:?} is not a day: give it as YYYY-MM-DD, such as 2026-12-10"
        ));
    }
    text.parse()
        .map_err(|_| format!("{text} is not a day of the calendar (YYYY-MM-DD, such as 2026-12-10)"))
}

fn parse_retention(text: &str) -> Result<f32, String> {
    let value: f32 = text.parse().map_err(|_| format!("{text:?} is not a number"))?;
    if crate::schedule::RETENTION_RANGE.contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is outside 0.70..0.99"))
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The daily drill (the default): learning cards, due reviews, then new cards.
    #[command(after_help = "Example:\n  amgi drill --topic network --new 10")]
    Drill,
    /// Go over every matching card, weakest first, without moving the schedule.
    #[command(after_help = "Example:\n  amgi cram --topic database --limit 30")]
    Cram(Cram),
    /// Rebuild progress.yaml from reviews.yaml by replaying every review.
    #[command(after_help = "Example:\n  amgi repair --data-dir ~/.local/share/amgi")]
    Repair(Repair),
    /// List the cards found in the notes, in note order.
    #[command(after_help = "Examples:\n  amgi cards --topic http --json\n  amgi cards --suspended")]
    Cards(Cards),
    /// Bring suspended cards back (`!` in the quiz suspends one): drills and crams ask them again.
    #[command(after_help = "Examples:\n  amgi release 'TCP vs UDP'\n  amgi release --all --topic network")]
    Release(Release),
    /// List the topics with their number of cards.
    #[command(after_help = "Example:\n  amgi topics --notes ~/interview")]
    Topics(Listing),
    /// Report what the parser passed over or doubts: stubs, open questions, duplicates, unreadable files.
    #[command(after_help = "Example:\n  amgi check --notes ~/interview/notes.txt")]
    Check(Listing),
    /// Where you stand: review calendar, streaks, retention, weakest topics and cards, leeches, forecast.
    #[command(after_help = "Example:\n  amgi stats --topic network --plain")]
    Stats(Stats),
    /// Fit the FSRS parameters to your own review history; saved only when they predict it better.
    #[command(after_help = "Example:\n  amgi optimize")]
    Optimize(Optimize),
    /// Print a shell completion script: `amgi completions bash > ~/.local/share/bash-completion/completions/amgi`.
    #[command(after_help = "Example:\n  amgi completions zsh > ~/.zfunc/_amgi")]
    Completions(Completions),
    /// Print the manual page (roff): `amgi man > ~/.local/share/man/man1/amgi.1`.
    #[command(after_help = "Example:\n  amgi man | man -l -")]
    Man,
    /// Get ready for an interview day: cap intervals before it, bring weak cards forward, print the forecast.
    #[command(after_help = "Example:\n  amgi plan --interview 2026-12-10\n  amgi plan --clear")]
    Plan(Plan),
}

/// Options of `amgi stats`.
#[derive(Debug, Args)]
pub struct Stats {
    /// Print the figures as one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Options of `amgi optimize`.
#[derive(Debug, Args)]
pub struct Optimize {
    /// Print the result as one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Options of `amgi plan`.
#[derive(Debug, Args)]
pub struct Plan {
    /// The interview day, YYYY-MM-DD; remembered in progress.yaml.
    #[arg(long, value_name = "DATE", conflicts_with = "clear", value_parser = parse_day)]
    pub interview: Option<jiff::civil::Date>,
    /// Forget the interview day.
    #[arg(long)]
    pub clear: bool,
    /// Print the plan as one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Options of `amgi cram`.
#[derive(Debug, Args)]
pub struct Cram {
    /// Ask at most N cards.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Ask in random order instead of weakest first.
    #[arg(long)]
    pub shuffle: bool,
    /// Let the answers move the schedule, as in a drill.
    #[arg(long)]
    pub reschedule: bool,
}

/// Options of `amgi completions`.
#[derive(Debug, Args)]
pub struct Completions {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Options of `amgi repair`.
#[derive(Debug, Args)]
pub struct Repair {
    /// Rebuild even when reviews.yaml holds fewer answers than progress.yaml counts (they are lost).
    #[arg(long)]
    pub force: bool,
}

/// Options of `amgi cards`.
#[derive(Debug, Args)]
pub struct Cards {
    /// Only the suspended cards (`!` in the quiz suspends one; `amgi release` brings it back).
    #[arg(long)]
    pub suspended: bool,
    /// Print JSON Lines (one object per line) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Options of `amgi release`.
#[derive(Debug, Args)]
pub struct Release {
    /// Release the suspended cards whose topic, headings or question contain this text (any case), or whose id it
    /// is (as `amgi cards --suspended --json` shows it). Repeatable: any match wins.
    #[arg(value_name = "TEXT", required_unless_present = "all", conflicts_with = "all")]
    pub text: Vec<String>,
    /// Release every suspended card (with `--topic`, every one it matches).
    #[arg(long)]
    pub all: bool,
}

/// Options shared by every listing.
#[derive(Debug, Args)]
pub struct Listing {
    /// Print JSON Lines (one object per line) instead of text.
    #[arg(long)]
    pub json: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn a_day_is_yyyy_mm_dd_and_anything_else_says_so() {
        assert_eq!(parse_day("2026-12-10"), Ok(jiff::civil::date(2026, 12, 10)));
        for bad in ["12/11", "2026-1-5", "20261210", "next friday", ""] {
            let message = parse_day(bad).unwrap_err();
            assert!(
                message.contains("YYYY-MM-DD") && !message.contains("integer"),
                "{bad}: {message}"
            );
        }
        assert!(
            parse_day("2026-02-30")
                .unwrap_err()
                .contains("not a day of the calendar")
        );
    }

    #[test]
    fn a_subcommands_help_shows_its_own_flags_first_then_the_shared_ones_under_headings() {
        let mut command = Cli::command();
        // Global flags reach the subcommands when the command is built, as the binary builds it.
        command.build();
        let help = command
            .find_subcommand_mut("cards")
            .expect("cards")
            .render_help()
            .to_string();
        let own = help.find("--json").expect("its own flag");
        let notes = help
            .find("Notes and progress (any command):")
            .expect("the notes heading");
        let quiz = help
            .find("Quiz and scheduling (drill, cram, plan, repair, optimize):")
            .expect("the quiz heading");
        assert!(own < notes && notes < quiz, "{help}");
        assert!(
            help[notes..quiz].contains("--topic") && help[quiz..].contains("--max-reviews"),
            "{help}"
        );
    }

    #[test]
    fn release_wants_text_or_all_and_not_both() {
        let cli = Cli::parse_from(["amgi", "release", "TCP", "쿠키"]);
        assert!(matches!(&cli.command, Some(Command::Release(r)) if r.text == ["TCP", "쿠키"] && !r.all));
        let cli = Cli::parse_from(["amgi", "release", "--all", "--topic", "network"]);
        assert!(matches!(&cli.command, Some(Command::Release(r)) if r.text.is_empty() && r.all));
        for wrong in [&["amgi", "release"][..], &["amgi", "release", "--all", "TCP"]] {
            let error = Cli::try_parse_from(wrong).unwrap_err();
            assert_eq!(error.exit_code(), 2, "{wrong:?}: {error}");
        }
    }

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_work_on_either_side_of_the_subcommand() {
        let before = Cli::parse_from(["amgi", "--topic", "tcp", "--notes", "n", "cards"]);
        let after = Cli::parse_from(["amgi", "cards", "--topic", "tcp", "--notes", "n"]);
        for cli in [before, after] {
            assert_eq!(cli.topic, ["tcp"]);
            assert_eq!(cli.notes, [PathBuf::from("n")]);
            assert!(matches!(
                cli.command,
                Some(Command::Cards(Cards {
                    json: false,
                    suspended: false
                }))
            ));
        }
    }
}
