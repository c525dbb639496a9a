//! The full-screen quiz and stats screen: ratatui over crossterm. The only module that touches the terminal.
//!
//! Keys become [`action::Action`]s, [`app::App::update`] changes the state, [`view`] draws it. The terminal is
//! restored on quit, on error, on panic (ratatui's hook), on SIGTERM, SIGHUP, SIGINT and SIGQUIT (which end the
//! quiz like `q`), and on an abort (see [`on_abort`]).
//!
//! While nobody types, nothing runs but what the screen needs: the timer's cells once a second on a card, a frame
//! when the countdown to the next due card reads otherwise, and nothing at all on a screen that does not move.

pub mod action;
pub mod app;
pub mod markdown;
pub mod mock;
pub mod stats;
pub mod view;
pub mod write;

use crate::session::{Journal, Session};
use crate::time::Moment;
use app::{App, Redraw};
use ratatui::backend::Backend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::crossterm::event::{self, Event};
use ratatui::layout::{Position, Rect};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Once, OnceLock, PoisonError, mpsc};
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

/// What wakes the event loop.
enum Input {
    /// A key or a resize.
    Terminal(Event),
    /// SIGTERM, SIGHUP, SIGINT or SIGQUIT: end as if `q` was pressed.
    Stop,
}

/// Runs the quiz full screen until the user quits or a signal ends it. Returns the session (for its summary).
pub fn run<'a>(session: Session<'a>, shell: Shell<'_>, journal: &mut impl Journal) -> anyhow::Result<Session<'a>> {
    let (rx, reader) = events()?;
    let mut app = App::new(session, (shell.clock)(), shell.target_seconds, shell.warnings);
    app.color = use_color();
    let mut terminal = take_terminal()?;
    let result = event_loop(
        &mut terminal,
        &mut app,
        &rx,
        &reader,
        shell.clock,
        shell.reload,
        &shell.notes_roots,
        journal,
    );
    give_back_terminal();
    result.map(|()| app.session)
}

/// Whether the full screen has the terminal, for [`on_abort`].
static FULL_SCREEN: AtomicBool = AtomicBool::new(false);
/// The terminal's modes (stdin's) before the first full screen took it, for [`on_abort`].
static COOKED: OnceLock<libc::termios> = OnceLock::new();

/// The terminal taken for the full screen (raw mode, the alternate screen), once an abort is sure to give it back.
fn take_terminal() -> std::io::Result<ratatui::DefaultTerminal> {
    static GUARD: Once = Once::new();
    GUARD.call_once(|| {
        // SAFETY: an all-zero termios is a valid value of the plain C struct, and tcgetattr fills it in.
        let mut modes: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: `modes` is a termios that outlives the call.
        if unsafe { libc::tcgetattr(libc::STDIN_FILENO, &raw mut modes) } == 0 {
            let _ = COOKED.set(modes);
        }
        // SAFETY: on_abort calls only async-signal-safe functions (write, tcsetattr, signal-hook's emulation of
        // the default action) and reads an atomic and a value set before the handler is.
        let _ = unsafe { signal_hook::low_level::register(signal_hook::consts::SIGABRT, on_abort) };
    });
    let terminal = ratatui::try_init()?;
    FULL_SCREEN.store(true, Ordering::SeqCst);
    Ok(terminal)
}

/// The terminal given back as it was ([`ratatui::restore`]).
fn give_back_terminal() {
    FULL_SCREEN.store(false, Ordering::SeqCst);
    ratatui::restore();
}

/// Gives the terminal back when amgi aborts with the full screen up: an allocation that fails or a stack that
/// overflows ends the process through `abort`, without unwinding, so neither ratatui's panic hook nor
/// [`give_back_terminal`] runs. In the SIGABRT that `abort` raises (or a `kill -ABRT`), this leaves the alternate
/// screen, shows the cursor and sets the terminal's modes back, then ends the process as SIGABRT would have.
fn on_abort() {
    if FULL_SCREEN.swap(false, Ordering::SeqCst) {
        const LEAVE: &[u8] = b"\x1b[?1049l\x1b[?25h";
        // SAFETY: writes LEAVE, a static buffer of that length, to stdout.
        let _ = unsafe { libc::write(libc::STDOUT_FILENO, LEAVE.as_ptr().cast(), LEAVE.len()) };
        if let Some(modes) = COOKED.get() {
            // SAFETY: `modes` is a termios tcgetattr filled in.
            let _ = unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, modes) };
        }
    }
    let _ = signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGABRT);
}

/// What a full screen waits on: keys and resizes from a [`Reader`], SIGTERM, SIGHUP, SIGINT and SIGQUIT from a
/// thread of their own.
fn events() -> anyhow::Result<(mpsc::Receiver<Input>, Reader)> {
    let (tx, rx) = mpsc::channel();
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    // SIGINT and SIGQUIT too: in raw mode Ctrl-C and Ctrl-\ are keys, so these come from outside (`kill -QUIT`),
    // and SIGQUIT's default would end amgi with the screen left raw (and a core dump).
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])?;
    let stop = tx.clone();
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = stop.send(Input::Stop);
        }
    });
    Ok((rx, Reader::spawn(tx)))
}

/// The width of the terminal in columns when stdout is one (for the line-mode quiz's answers); `None` when stdout
/// is a pipe or a file, or the terminal will not say.
pub fn terminal_width() -> Option<u16> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    ratatui::crossterm::terminal::size()
        .ok()
        .map(|(width, _)| width)
        .filter(|&w| w > 0)
}

/// Whether to draw in colour: not when `NO_COLOR` is set to anything.
fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Reads terminal input on a thread of its own. Blocking reads belong there: when the terminal goes away, the
/// terminal library may never return from a read, and the quiz must still end on the SIGHUP that follows.
///
/// The thread blocks in crossterm's read until a key or a resize comes, so an idle quiz costs nothing here. For an
/// editor to have the keyboard, [`Reader::pause`] asks the thread to stop and wakes it with a SIGWINCH of the
/// process's own: crossterm wakes for that signal (it reports a resize, and the screen is drawn afresh after the
/// editor anyway), the thread sees the request and waits, reading nothing, until [`Reader::resume`].
struct Reader {
    shared: Arc<(Mutex<ReaderState>, Condvar)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReaderState {
    Reading,
    /// Asked to stop reading.
    Pause,
    /// Not reading, until asked to read again.
    Paused,
    /// The thread ended (the terminal is gone, or nobody listens).
    Gone,
}

impl Reader {
    fn spawn(tx: mpsc::Sender<Input>) -> Reader {
        let shared = Arc::new((Mutex::new(ReaderState::Reading), Condvar::new()));
        let theirs = Arc::clone(&shared);
        std::thread::spawn(move || {
            let (state, changed) = &*theirs;
            loop {
                let mut current = lock(state);
                while *current != ReaderState::Reading {
                    if *current == ReaderState::Pause {
                        *current = ReaderState::Paused;
                        changed.notify_all();
                    }
                    current = changed.wait(current).unwrap_or_else(PoisonError::into_inner);
                }
                drop(current);
                let sent = event::read().map(|event| tx.send(Input::Terminal(event)));
                if !matches!(sent, Ok(Ok(()))) {
                    break;
                }
            }
            *lock(state) = ReaderState::Gone;
            changed.notify_all();
        });
        Reader { shared }
    }

    /// Stops reading until [`Reader::resume`], so another program can have the keyboard. Gives up waiting after
    /// a second (the thread is then stuck in a read of a terminal that went away).
    fn pause(&self) {
        let (state, changed) = &*self.shared;
        let mut current = lock(state);
        if *current != ReaderState::Reading {
            return;
        }
        *current = ReaderState::Pause;
        drop(current);
        // Wakes the read: crossterm listens for SIGWINCH (and, if it could not, SIGWINCH is ignored).
        let _ = signal_hook::low_level::raise(signal_hook::consts::SIGWINCH);
        let _ = changed
            .wait_timeout_while(lock(state), Duration::from_secs(1), |s| *s == ReaderState::Pause)
            .unwrap_or_else(PoisonError::into_inner);
    }

    fn resume(&self) {
        let (state, changed) = &*self.shared;
        let mut current = lock(state);
        if matches!(*current, ReaderState::Pause | ReaderState::Paused) {
            *current = ReaderState::Reading;
            changed.notify_all();
        }
    }
}

/// `mutex` locked, even after a panic elsewhere (the state is a plain value, never left half-changed).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The longest the quiz sleeps while something on the screen moves with the clock. The sleep is measured on a
/// clock that stands still while the machine is suspended, and the screen's clock does not: after a suspend the
/// screen catches up within this.
const LONGEST_SLEEP: Duration = Duration::from_secs(60);

/// How long from `now` until `at`, within [`LONGEST_SLEEP`]; nothing when `at` has come.
fn until(at: Moment, now: Moment) -> Duration {
    let wait = at.timestamp().duration_since(now.timestamp());
    Duration::try_from(wait).unwrap_or(Duration::ZERO).min(LONGEST_SLEEP)
}

#[allow(clippy::too_many_arguments)]
fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    input: &mpsc::Receiver<Input>,
    reader: &Reader,
    clock: &dyn Fn() -> Moment,
    reload: &mut dyn FnMut() -> Vec<crate::Card>,
    notes_roots: &[std::path::PathBuf],
    journal: &mut impl Journal,
) -> anyhow::Result<()> {
    // A frame is drawn only when the screen would look different: after a key that changed something, a
    // resize, the editor; and when the clock moves what is shown, the timer alone when only it changed.
    let mut redraw = Redraw::Frame;
    let mut apart = None;
    loop {
        // The timer alone, when it is drawn apart and stays where it was (a wider one moves the gauge).
        let screen = Rect::new(0, 0, app.size.0, app.size.1);
        let timer_only = apart.filter(|&rect| redraw == Redraw::Timer && view::timer_area(app, screen) == Some(rect));
        match (redraw, timer_only) {
            (Redraw::Nothing, _) => {}
            (_, Some(rect)) => draw_timer(terminal, app, rect)?,
            _ => apart = draw_frame(terminal, app, apart)?,
        }
        redraw = Redraw::Nothing;
        if app.quit {
            return Ok(());
        }
        // Wait for a key, a resize, a signal or the screen's next change by the clock; nothing runs in between,
        // and with nothing on the screen that moves with the clock, nothing wakes the quiz but the user.
        let next = match view::next_change(app) {
            // Measured from the app's clock, read a moment ago (for a key, a tick or a resize).
            Some(at) => input.recv_timeout(until(at, app.now)),
            None => input.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected),
        };
        match next {
            Ok(Input::Terminal(Event::Key(key))) => {
                // While an answer is written, keys are its text.
                if app.writing.is_some() {
                    if let Some(edit) = write::edit(key) {
                        redraw = redraw.max(app.write_key(edit, clock(), journal));
                    }
                } else if let Some(action) = action::action(key) {
                    redraw = redraw.max(app.update(action, clock(), journal));
                }
            }
            Ok(Input::Terminal(Event::Resize(..))) => {
                app.tick(clock());
                redraw = Redraw::Frame;
            }
            Ok(Input::Terminal(_)) => {}
            Ok(Input::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            Err(mpsc::RecvTimeoutError::Timeout) => redraw = redraw.max(app.tick(clock())),
        }
        if let Some(write_out) = app.take_write_out() {
            redraw = Redraw::Frame;
            write_answer_out(app, write_out, reload, notes_roots, clock());
        }
        if let Some((file, line)) = app.take_edit() {
            redraw = Redraw::Frame;
            let Some(path) = locate(notes_roots, &file) else {
                app.flash = Some(format!(
                    "{file} is in the bundled deck; give --notes a folder to edit your own"
                ));
                continue;
            };
            reader.pause();
            give_back_terminal();
            let edited = open_editor(&path, line);
            *terminal = take_terminal()?;
            reader.resume();
            let now = clock();
            app.tick(now);
            match edited {
                Ok(()) => {
                    app.session.replace_cards(reload(), now);
                    // The card up may be gone: the next one is up at once, not an empty screen.
                    app.session.next(now);
                    app.flash = Some("notes re-read".into());
                }
                Err(e) => app.flash = Some(format!("could not run the editor: {e}")),
            }
        }
    }
}

/// Does what `W` asked for: reads the note file and places the answer (then the screen asks), or writes it and
/// reads the notes again, the question now a card that keeps its progress. What goes wrong is flashed.
fn write_answer_out(
    app: &mut App,
    write_out: app::WriteOut,
    reload: &mut dyn FnMut() -> Vec<crate::Card>,
    notes_roots: &[std::path::PathBuf],
    now: Moment,
) {
    use crate::notes::answer_out;
    match write_out {
        app::WriteOut::Asked { card, text } => match answer_out::prepare(notes_roots, &card, &text) {
            Ok(out) => app.write_out = Some(app::WriteOut::Confirm(out)),
            Err(e) => app.flash = Some(crate::visible::one_line(&format!("{e:#}")).into_owned()),
        },
        app::WriteOut::Confirmed(out) => match out.write() {
            Ok(()) => {
                app.session.replace_cards(reload(), now);
                app.flash = Some(format!("answer written into {}; a card from now on", out.place));
            }
            Err(e) => app.flash = Some(crate::visible::one_line(&format!("{e:#}")).into_owned()),
        },
        app::WriteOut::Confirm(out) => app.write_out = Some(app::WriteOut::Confirm(out)),
    }
}

/// Draws the whole screen and returns where the timer is drawn apart from it ([`view::timer_area`]). Those
/// cells are left blank in the frame, as in every frame before, so ratatui never writes there; [`draw_timer`]
/// does, and a tick of the timer then writes a few cells instead of a frame. Where the timer was drawn apart
/// before (`apart`) and is not now, the screen is given what this frame has there, as ratatui took it for blank.
fn draw_frame(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    apart: Option<Rect>,
) -> std::io::Result<Option<Rect>> {
    let mut timer = None;
    let frame = terminal.draw(|frame| {
        let area = frame.area();
        app.size = (area.width, area.height);
        frame.render_widget(&*app, area);
        if let Some(position) = view::write_cursor(app, area) {
            frame.set_cursor_position(position);
        }
        timer = view::timer_area(app, area);
        for position in timer.iter().flat_map(|rect| rect.positions()) {
            if let Some(cell) = frame.buffer_mut().cell_mut(position) {
                cell.reset();
            }
        }
    })?;
    let stale: Vec<(Position, Cell)> = apart
        .filter(|&old| Some(old) != timer)
        .iter()
        .flat_map(|rect| rect.positions())
        .filter_map(|position| Some((position, frame.buffer.cell(position)?.clone())))
        .collect();
    let backend = terminal.backend_mut();
    backend.draw(stale.iter().map(|(at, cell)| (at.x, at.y, cell)))?;
    match timer {
        Some(rect) => draw_timer(terminal, app, rect)?,
        None => Backend::flush(backend)?,
    }
    Ok(timer)
}

/// Writes the timer into `rect` of the screen, as the frame would draw it there.
fn draw_timer(terminal: &mut ratatui::DefaultTerminal, app: &App, rect: Rect) -> std::io::Result<()> {
    let mut cells = Buffer::empty(rect);
    view::render_timer(app, rect, &mut cells);
    let backend = terminal.backend_mut();
    backend.draw(cells.content.iter().enumerate().map(|(i, cell)| {
        let (x, y) = cells.pos_of(i);
        (x, y, cell)
    }))?;
    // Writing moved the terminal's cursor: back into the answer being written, where an input method draws.
    if let Some(position) = view::write_cursor(app, Rect::new(0, 0, app.size.0, app.size.1)) {
        backend.set_cursor_position(position)?;
    }
    Backend::flush(backend)
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
fn open_editor(path: &std::path::Path, line: usize) -> Result<(), String> {
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|e| !e.is_empty())
        .or_else(|| std::env::var("EDITOR").ok().filter(|e| !e.is_empty()))
        .unwrap_or_else(|| "vi".into());
    run_editor(&editor, path, line)
}

/// Runs `editor` on `path` at `line`; why not, naming the editor tried (`nano-x: No such file or directory`), when
/// it could not start or did not end well.
fn run_editor(editor: &str, path: &std::path::Path, line: usize) -> Result<(), String> {
    let named = crate::visible::one_line(editor).into_owned();
    let status = editor_command(editor, path, line)
        .and_then(|mut command| command.status())
        .map_err(|e| format!("{named}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{named} exited with {status}"))
    }
}

/// The command that opens `path` at `line` in `editor` (a program and its own arguments, split at spaces). The
/// path is made absolute: a note file's name from someone else's repository (`-c…`) is never read as an option.
fn editor_command(editor: &str, path: &std::path::Path, line: usize) -> std::io::Result<std::process::Command> {
    let mut parts = editor.split_whitespace();
    let mut command = std::process::Command::new(parts.next().unwrap_or("vi"));
    command
        .args(parts)
        .arg(format!("+{line}"))
        .arg(std::path::absolute(path)?);
    Ok(command)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_editor_that_cannot_run_is_named() {
        let why = run_editor("amgi-no-such-editor --wait", std::path::Path::new("a.md"), 3).unwrap_err();
        assert!(why.starts_with("amgi-no-such-editor --wait: "), "{why}");
    }

    #[cfg(unix)]
    #[test]
    fn the_editor_is_given_an_absolute_path_so_no_file_name_is_an_option() {
        let command = editor_command("code --wait", std::path::Path::new("-c!touch x.md"), 12).unwrap();
        assert_eq!(command.get_program(), "code");
        let args: Vec<String> = command.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        assert_eq!(args[..2], ["--wait", "+12"]);
        assert!(
            args[2].starts_with('/') && args[2].ends_with("/-c!touch x.md"),
            "{args:?}"
        );
    }
}
