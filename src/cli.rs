//! The command line, as clap derive types. No behaviour here: [`crate::run`] acts on it.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// The help heading of the flags that say which notes and which data folder, for every command.
const NOTES: &str = "Notes and progress (any command)";
/// The help heading of the flags for studying and scheduling, shown by the commands that take them.
const QUIZ: &str = "Quiz and scheduling";

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

    /// The daily drill's options, for `amgi` without a subcommand (`amgi drill` takes them too).
    #[command(flatten)]
    pub drill: Drill,

    /// What to do; without one, the daily drill.
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// The command line of this process, or an exit with clap's message (see [`Cli::try_parse_checked`]).
    pub fn parse_args() -> Cli {
        Cli::try_parse_checked(std::env::args_os()).unwrap_or_else(|e| e.exit())
    }

    /// Reads `args` (the program's name first). Besides clap's own checks, a drill's flag before another subcommand
    /// (`amgi --new 10 cards`) is refused rather than silently ignored.
    pub fn try_parse_checked<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        use clap::{CommandFactory, FromArgMatches};
        let mut command = Cli::command();
        let matches = command.try_get_matches_from_mut(args)?;
        if let Some((name, _)) = matches.subcommand()
            && name != "drill"
        {
            let given = [
                "new_per_day",
                "max_reviews",
                "cards_only",
                "retention",
                "target_seconds",
            ]
            .into_iter()
            .find(|id| matches.value_source(id) == Some(clap::parser::ValueSource::CommandLine));
            if let Some(id) = given {
                let flag = command
                    .get_arguments()
                    .find(|arg| arg.get_id() == id)
                    .and_then(|arg| arg.get_long())
                    .unwrap_or(id);
                let message = format!(
                    "--{flag} is a drill's flag and does not apply to `amgi {name}`; give it after the subcommand \
                     where it applies (see `amgi {name} --help`)"
                );
                return Err(command.error(clap::error::ErrorKind::ArgumentConflict, message));
            }
        }
        Cli::from_arg_matches(&matches).map_err(|e| e.format(&mut command))
    }
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
    Drill(Drill),
    /// Go over every matching card, weakest first, without moving the schedule.
    #[command(after_help = "Example:\n  amgi cram --topic database --limit 30")]
    Cram(Cram),
    /// A mock interview (모의 면접): questions across topics, weakest first, against a countdown; graded after.
    #[command(after_help = "Examples:\n  amgi mock\n  amgi mock --count 5 --seconds 90 --topic network")]
    Mock(Mock),
    /// Rebuild progress.yaml from reviews.yaml by replaying every review.
    #[command(after_help = "Example:\n  amgi repair --data-dir ~/.local/share/amgi")]
    Repair(Repair),
    /// List the cards found in the notes, in note order.
    #[command(
        after_help = "Examples:\n  amgi cards --topic http --json\n  amgi cards --suspended\n  amgi cards --attempts TCP"
    )]
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
    /// Keep this deck's progress in its notes folder (DIR/.amgi), to carry it between machines with git.
    #[command(after_help = "Examples:\n  amgi init ~/interview\n  amgi --notes ~/interview/os.md init ~/interview")]
    Init(Init),
    /// Commit the deck's progress, pull, rebuild progress from the merged log, and push, with the system git.
    #[command(after_help = "Example:\n  amgi sync --notes ~/interview")]
    Sync(Sync),
}

/// Options of `amgi init`.
#[derive(Debug, Args)]
pub struct Init {
    /// The folder to keep the progress in, as DIR/.amgi; default: the notes folder. The notes must be in it.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Options of `amgi sync`.
#[derive(Debug, Args)]
pub struct Sync {
    /// Print what was done as one JSON object instead of a line a step.
    #[arg(long)]
    pub json: bool,
}

/// Options of the daily drill: its limits, the retention it schedules for, the timer.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = QUIZ)]
pub struct Drill {
    /// New cards a day.
    #[arg(long = "new", value_name = "N", default_value_t = 20)]
    pub new_per_day: usize,

    /// Reviews a day.
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub max_reviews: usize,

    /// Only cards with a written answer: leave out the questions asked without one.
    #[arg(long)]
    pub cards_only: bool,

    #[command(flatten)]
    pub retention: Retention,

    #[command(flatten)]
    pub timer: Timer,
}

/// The retention the schedule aims for.
#[derive(Debug, Clone, Copy, Default, Args)]
#[command(next_help_heading = QUIZ)]
pub struct Retention {
    /// Desired retention, 0.70 to 0.99 (default 0.9); remembered in progress.yaml once set.
    #[arg(long, value_name = "R", value_parser = parse_retention)]
    pub retention: Option<f32>,
}

/// The answer timer of the quiz.
#[derive(Debug, Clone, Copy, Args)]
#[command(next_help_heading = QUIZ)]
pub struct Timer {
    /// Seconds to answer out loud before the full-screen timer turns amber.
    #[arg(long, value_name = "S", default_value_t = 60)]
    pub target_seconds: u64,
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
    // The limits and pace the plan assumes: those of the drill.
    #[command(flatten)]
    pub drill: Drill,
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
    /// Only cards with a written answer: leave out the questions asked without one.
    #[arg(long)]
    pub cards_only: bool,
    #[command(flatten)]
    pub retention: Retention,
    #[command(flatten)]
    pub timer: Timer,
}

/// Options of `amgi mock`.
#[derive(Debug, Args)]
pub struct Mock {
    /// How many questions, follow-ups included.
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub count: u64,
    /// Seconds to answer each question before the countdown runs over.
    #[arg(long, value_name = "S", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub seconds: u64,
    /// The chance, 0 to 1, that a follow-up question (꼬리 질문) comes after a question that has one.
    #[arg(long, value_name = "P", default_value_t = 0.5, value_parser = parse_chance)]
    pub follow_ups: f64,
    /// Let the grades move the schedule, as in a drill.
    #[arg(long)]
    pub reschedule: bool,
}

fn parse_chance(text: &str) -> Result<f64, String> {
    let value: f64 = text.parse().map_err(|_| format!("{text:?} is not a number"))?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is outside 0..1"))
    }
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
    /// The answers written out from memory (`w` in the quiz) for the cards matching TEXT (any case, against
    /// folders, topic, headings and question), oldest first: how many key terms each said.
    #[arg(long, value_name = "TEXT", conflicts_with = "suspended")]
    pub attempts: Option<String>,
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

    /// A subcommand's help as the binary shows it.
    fn help_of(name: &str) -> String {
        let mut command = Cli::command();
        // Global flags reach the subcommands when the command is built, as the binary builds it.
        command.build();
        command.find_subcommand_mut(name).expect(name).render_help().to_string()
    }

    #[test]
    fn a_subcommands_help_shows_its_own_flags_first_then_the_shared_ones_under_headings() {
        let help = help_of("cards");
        let own = help.find("--json").expect("its own flag");
        let notes = help
            .find("Notes and progress (any command):")
            .expect("the notes heading");
        assert!(own < notes && help[notes..].contains("--topic"), "{help}");
        // A listing schedules nothing: no quiz options in its help.
        for flag in [
            "--new",
            "--max-reviews",
            "--target-seconds",
            "--retention",
            "Quiz and scheduling",
        ] {
            assert!(!help.contains(flag), "{flag} in\n{help}");
        }
    }

    #[test]
    fn the_quiz_options_show_where_they_apply() {
        let takes = |name: &str, flags: &[&str]| {
            let help = help_of(name);
            let quiz = help
                .find("Quiz and scheduling:")
                .unwrap_or_else(|| panic!("{name}:\n{help}"));
            let notes = help.find("Notes and progress (any command):").expect("notes heading");
            for flag in ["--new", "--max-reviews", "--retention", "--target-seconds"] {
                let shown = help[quiz..notes].contains(flag);
                assert_eq!(shown, flags.contains(&flag), "{name} {flag}:\n{help}");
            }
        };
        takes("drill", &["--new", "--max-reviews", "--retention", "--target-seconds"]);
        takes("plan", &["--new", "--max-reviews", "--retention", "--target-seconds"]);
        takes("cram", &["--retention", "--target-seconds"]);
        for name in ["stats", "topics", "check", "completions", "man", "repair", "optimize"] {
            assert!(!help_of(name).contains("--max-reviews"), "{name}");
        }
    }

    #[test]
    fn a_drills_flag_is_refused_before_another_subcommand_and_taken_where_it_applies() {
        let refused = Cli::try_parse_checked(["amgi", "--new", "5", "cards"]).unwrap_err();
        assert_eq!(refused.kind(), clap::error::ErrorKind::ArgumentConflict);
        assert!(refused.to_string().contains("--new is a drill's flag"), "{refused}");
        // A flag a subcommand does not take is clap's own error.
        let unknown = Cli::try_parse_checked(["amgi", "cards", "--new", "5"]).unwrap_err();
        assert_eq!(unknown.kind(), clap::error::ErrorKind::UnknownArgument);
        for args in [
            &["amgi", "--new", "5"][..],
            &["amgi", "drill", "--new", "5"],
            &["amgi", "--new", "5", "drill"],
        ] {
            let cli = Cli::try_parse_checked(args).expect("a drill");
            let new = match &cli.command {
                Some(Command::Drill(drill)) if args.len() == 4 && args[1] == "drill" => drill.new_per_day,
                _ => cli.drill.new_per_day,
            };
            assert_eq!(new, 5, "{args:?}");
        }
        let plan = Cli::try_parse_checked(["amgi", "plan", "--new", "7", "--retention", "0.8"]).expect("plan");
        let Some(Command::Plan(plan)) = plan.command else {
            panic!("plan")
        };
        assert_eq!((plan.drill.new_per_day, plan.drill.retention.retention), (7, Some(0.8)));
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
                    suspended: false,
                    attempts: None,
                }))
            ));
        }
    }
}
