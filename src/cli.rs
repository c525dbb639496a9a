//! The command line, as clap derive types. No behaviour here: [`crate::run`] acts on it.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

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
    #[arg(long, global = true, value_name = "PATH")]
    pub notes: Vec<PathBuf>,

    /// Only cards whose topic, headings or question contain this text (any case). Repeatable: any match wins.
    #[arg(long, global = true, value_name = "TEXT")]
    pub topic: Vec<String>,

    /// What to do; without one, a summary of the deck.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the cards found in the notes, in note order.
    #[command(after_help = "Example:\n  amgi cards --topic http --json")]
    Cards(Listing),
    /// List the topics with their number of cards.
    #[command(after_help = "Example:\n  amgi topics --notes ~/interview")]
    Topics(Listing),
    /// Report what the parser passed over or doubts: stubs, open questions, duplicates, unreadable files.
    #[command(after_help = "Example:\n  amgi check --notes ~/interview/notes.txt")]
    Check(Listing),
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
            assert!(matches!(cli.command, Some(Command::Cards(Listing { json: false }))));
        }
    }
}
