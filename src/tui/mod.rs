//! The full-screen quiz: ratatui over crossterm. The only module that touches the terminal.
//!
//! Keys become [`action::Action`]s, [`app::App::update`] changes the state, [`view`] draws it. The terminal is
//! restored on quit, on error, on panic (ratatui's hook) and on SIGTERM/SIGHUP (which end the quiz like `q`).

pub mod action;
pub mod app;
pub mod markdown;
pub mod view;

use crate::session::{Journal, Session};
use crate::time::Moment;
use app::App;
use ratatui::crossterm::event::{self, Event};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// What the full-screen quiz needs from the world outside it.
pub struct Shell<'s> {
    /// The clock (honours `AMGI_NOW`).
    pub clock: &'s dyn Fn() -> Moment,
    /// Re-reads the notes after an edit: the cards of this session as they are now.
    pub reload: &'s mut dyn FnMut() -> Vec<crate::Card>,
    /// The notes paths given (a card's `file` is relative to one of the folders, or is a file named directly).
    pub notes_roots: Vec<std::path::PathBuf>,
    /// Seconds after which the timer turns amber.
    pub target_seconds: u64,
    /// Warnings about the notes and progress.
    pub warnings: Vec<String>,
}

/// Runs the quiz full screen until the user quits or the session ends and they leave. Returns the session
/// (for its summary).
pub fn run<'a>(session: Session<'a>, shell: Shell<'_>, journal: &mut impl Journal) -> anyhow::Result<Session<'a>> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    let mut app = App::new(session, (shell.clock)(), shell.target_seconds, shell.warnings);
    app.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut terminal = ratatui::try_init()?;
    let result = event_loop(
        &mut terminal,
        &mut app,
        &stop,
        shell.clock,
        shell.reload,
        &shell.notes_roots,
        journal,
    );
    ratatui::restore();
    result.map(|()| app.session)
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    stop: &AtomicBool,
    clock: &dyn Fn() -> Moment,
    reload: &mut dyn FnMut() -> Vec<crate::Card>,
    notes_roots: &[std::path::PathBuf],
    journal: &mut impl Journal,
) -> anyhow::Result<()> {
    loop {
        let size = terminal.size()?;
        app.size = (size.width, size.height);
        terminal.draw(|frame| frame.render_widget(&*app, frame.area()))?;
        if app.quit || stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        // Block until a key, a resize or the next timer tick; nothing runs in between.
        if event::poll(Duration::from_millis(1000))? {
            match event::read()? {
                Event::Key(key) => {
                    if let Some(action) = action::action(key) {
                        app.update(action, clock(), journal);
                    }
                }
                Event::Resize(..) => {}
                _ => continue,
            }
        } else {
            app.tick(clock());
        }
        if let Some((file, line)) = app.take_edit() {
            let Some(path) = locate(notes_roots, &file) else {
                app.flash = Some(format!(
                    "{file} is in the bundled deck; give --notes a folder to edit your own"
                ));
                continue;
            };
            ratatui::restore();
            let edited = open_editor(&path, line);
            *terminal = ratatui::try_init()?;
            match edited {
                Ok(()) => {
                    app.session.replace_cards(reload());
                    app.flash = Some("notes re-read".into());
                }
                Err(e) => app.flash = Some(format!("could not run the editor: {e}")),
            }
        }
    }
}

/// The file on disk a card's `file` names: under one of the notes folders, or as given.
fn locate(roots: &[std::path::PathBuf], file: &str) -> Option<std::path::PathBuf> {
    roots
        .iter()
        .filter(|root| root.is_dir())
        .map(|root| root.join(file))
        .chain([std::path::PathBuf::from(file)])
        .find(|path| path.is_file())
}

/// `$VISUAL` or `$EDITOR` (else `vi`) at `+line file`, waiting for it to exit.
fn open_editor(path: &std::path::Path, line: usize) -> std::io::Result<()> {
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|e| !e.is_empty())
        .or_else(|| std::env::var("EDITOR").ok().filter(|e| !e.is_empty()))
        .unwrap_or_else(|| "vi".into());
    let mut parts = editor.split_whitespace();
    let program = parts.next().unwrap_or("vi");
    let status = std::process::Command::new(program)
        .args(parts)
        .arg(format!("+{line}"))
        .arg(path)
        .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(std::io::Error::other(format!("{editor} exited with {status}")))
    }
}
