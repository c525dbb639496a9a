//! One door to the files amgi keeps: a deck's folder (progress.yaml, reviews.yaml, deck.yaml, install-id, the
//! lock, backups, temporary files) and the cache folder.
//!
//! A deck kept in its notes repository (`.amgi/`) arrives from someone else's commit, so everything there is
//! distrusted, and the same door serves the folders amgi makes itself:
//! - nothing is opened through a symbolic link (`O_NOFOLLOW`), and a folder amgi keeps files in must be a real
//!   folder, not a link to one elsewhere ([`check_dir`]);
//! - only regular files are read or written: a FIFO, a device, a socket or a folder where a file belongs is
//!   [`Refused`], and opening one never waits (`O_NONBLOCK`, so a FIFO without a writer cannot hang amgi);
//! - a read takes no more than the file's length at open, and no more than a limit the caller gives;
//! - a rewritten file keeps its permissions; new files are private (0600, in a 0700 folder) unless they live in a
//!   notes repository, where they are made as the repository's own files are (the umask decides).
//!
//! Every function here names no file of its own: the callers (the store, the caches) know which file is which.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Who may read the files amgi makes in a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sharing {
    /// The user alone: files 0600, folders 0700 (a data or cache folder).
    Private,
    /// As the other files there: the umask decides (a deck kept in its notes repository, shared through git).
    AsRepo,
}

impl Sharing {
    #[cfg(unix)]
    fn file_mode(self) -> u32 {
        match self {
            Sharing::Private => 0o600,
            Sharing::AsRepo => 0o666,
        }
    }

    #[cfg(unix)]
    fn dir_mode(self) -> u32 {
        match self {
            Sharing::Private => 0o700,
            Sharing::AsRepo => 0o777,
        }
    }
}

/// Something other than a regular file (or a real folder) where amgi keeps one of its own: refused, with nothing
/// read or written there. Carried inside an [`io::Error`] (see [`refused`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{} is {found}, where amgi keeps a {want} of its own; amgi does not follow it or read it, and wrote nothing \
     (a cloned repository may hold one to make amgi write outside it). Move it away, then run amgi again",
    crate::visible::name(path)
)]
pub struct Refused {
    /// The path.
    pub path: PathBuf,
    /// What is there: `a symbolic link`, `a FIFO`, `a folder`, ….
    pub found: &'static str,
    /// What amgi wanted there: `file` or `folder`.
    pub want: &'static str,
}

/// The [`Refused`] an error carries, if it is one.
pub fn refused(error: &io::Error) -> Option<&Refused> {
    error.get_ref()?.downcast_ref::<Refused>()
}

/// A file that is larger than a read of it may take.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{} is {len} bytes long, more than amgi reads of such a file ({limit} bytes)",
    crate::visible::name(path)
)]
pub struct TooLarge {
    /// The file.
    pub path: PathBuf,
    /// Its length.
    pub len: u64,
    /// The most a read of it takes.
    pub limit: u64,
}

fn refuse(path: &Path, found: &'static str, want: &'static str) -> io::Error {
    io::Error::other(Refused {
        path: path.to_path_buf(),
        found,
        want,
    })
}

/// What `file_type` is, in a user's words.
fn kind(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
    }
    if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_dir() {
        "a folder"
    } else if file_type.is_file() {
        "a file"
    } else {
        "not a regular file"
    }
}

/// How a file is opened.
#[derive(Debug, Clone, Copy)]
enum Open {
    Read,
    Append,
    ReadWrite,
    CreateNew,
}

/// Opens `path` as `how` says, never through a link and never waiting, and keeps it only if it is a regular file.
fn open(path: &Path, how: Open, mode: Option<u32>) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    match how {
        Open::Read => options.read(true),
        Open::Append => options.read(true).append(true).create(true),
        Open::ReadWrite => options.read(true).write(true).create(true).truncate(false),
        Open::CreateNew => options.write(true).create_new(true),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
        if let Some(mode) = mode {
            options.mode(mode);
        }
    }
    #[cfg(not(unix))]
    {
        let _ = mode;
        if let Ok(meta) = std::fs::symlink_metadata(path)
            && !meta.is_file()
        {
            return Err(refuse(path, kind(meta.file_type()), "file"));
        }
    }
    let file = match options.open(path) {
        Ok(file) => file,
        Err(e) => return Err(explain(path, e)),
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(refuse(path, kind(meta.file_type()), "file"));
    }
    Ok(file)
}

/// The error of an open of `path` that failed, as a [`Refused`] when what is there is not a regular file.
fn explain(path: &Path, error: io::Error) -> io::Error {
    #[cfg(unix)]
    {
        let not_a_file = matches!(
            error.raw_os_error(),
            Some(libc::ELOOP | libc::EISDIR | libc::ENXIO | libc::EEXIST | libc::ENOTDIR | libc::ETXTBSY)
        );
        if not_a_file
            && let Ok(meta) = std::fs::symlink_metadata(path)
            && !meta.is_file()
        {
            return refuse(path, kind(meta.file_type()), "file");
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    error
}

/// Opens the regular file at `path` for reading.
pub fn open_read(path: &Path) -> io::Result<File> {
    open(path, Open::Read, None)
}

/// Reads the regular file at `path` whole: no more than its length at open, and [`TooLarge`] when that is more
/// than `limit` bytes.
pub fn read(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let file = open_read(path)?;
    let len = file.metadata()?.len();
    if len > limit {
        return Err(io::Error::other(TooLarge {
            path: path.to_path_buf(),
            len,
            limit,
        }));
    }
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(usize::try_from(len).unwrap_or(usize::MAX))
        .map_err(io::Error::other)?;
    file.take(len).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Opens the regular file at `path` to append to it (and read it), making it if there is none.
pub fn open_append(path: &Path, sharing: Sharing) -> io::Result<File> {
    open(path, Open::Append, Some(sharing_mode(sharing)))
}

/// Opens the regular file at `path` to read and write it in place (a lock), making it if there is none.
pub fn open_read_write(path: &Path, sharing: Sharing) -> io::Result<File> {
    open(path, Open::ReadWrite, Some(sharing_mode(sharing)))
}

fn sharing_mode(sharing: Sharing) -> u32 {
    #[cfg(unix)]
    return sharing.file_mode();
    #[cfg(not(unix))]
    {
        let _ = sharing;
        0
    }
}

/// Makes a new regular file at `path`, which must not exist yet (not even as a link).
pub fn create_new(path: &Path, sharing: Sharing) -> io::Result<File> {
    open(path, Open::CreateNew, Some(sharing_mode(sharing)))
}

/// Writes `bytes` to a new regular file at `path` (which must not exist yet, not even as a link) and syncs it.
pub fn write_new(path: &Path, bytes: &[u8], sharing: Sharing) -> io::Result<()> {
    use std::io::Write;
    let mut file = create_new(path, sharing)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Makes a new file at `path`, a temporary one to be renamed over another: whatever was left there (by a killed
/// write, or by a repository: a link to follow) is removed first, never followed. With `like`, the file gets the
/// permissions of that file when it is a regular one (a rewrite keeps a user's 0600); else new ones as `sharing`
/// says.
pub fn create_temporary(path: &Path, like: Option<&Path>, sharing: Sharing) -> io::Result<File> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => return Err(refuse(path, "a folder", "file")),
        Ok(_) => std::fs::remove_file(path)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let kept = like.and_then(permissions_of);
    let file = open(
        path,
        Open::CreateNew,
        Some(kept.unwrap_or_else(|| sharing_mode(sharing))),
    )?;
    #[cfg(unix)]
    if let Some(mode) = kept {
        // The umask took its part at the open; the old file's permissions are kept whole.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    Ok(file)
}

/// The permission bits of the regular file at `path` (not through a link); `None` for anything else.
fn permissions_of(path: &Path) -> Option<u32> {
    let meta = std::fs::symlink_metadata(path)
        .ok()
        .filter(std::fs::Metadata::is_file)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(meta.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// Writes `bytes` to `path` whole or not at all: to `tmp` (made by [`create_temporary`], with `path`'s
/// permissions), synced, renamed over `path` (the rename replaces whatever name is there, a link included, never
/// writing through it). On failure `tmp` is removed and `path` is as it was. The folder is not synced.
pub fn replace(path: &Path, tmp: &Path, bytes: &[u8], sharing: Sharing) -> io::Result<()> {
    use std::io::Write;
    let written = create_temporary(tmp, Some(path), sharing).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    let renamed = written.and_then(|()| match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => Err(refuse(path, "a folder", "file")),
        _ => std::fs::rename(tmp, path),
    });
    if renamed.is_err() {
        let _ = std::fs::remove_file(tmp);
    }
    renamed
}

/// Checks the folder `dir` is a real folder, not a link to one (which would take amgi's files out of where they
/// are meant to be) nor a file; a folder that does not exist yet passes.
pub fn check_dir(dir: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(meta) => Err(refuse(dir, kind(meta.file_type()), "folder")),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Makes the folder `dir` and those above it that are missing (a new one 0700 when `sharing` is
/// [`Sharing::Private`]), then [`check_dir`]s it.
pub fn create_dir(dir: &Path, sharing: Sharing) -> io::Result<()> {
    check_dir(dir)?;
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(sharing.dir_mode());
    }
    #[cfg(not(unix))]
    let _ = sharing;
    builder.create(dir)?;
    check_dir(dir)
}

/// Opens the folder `dir` (checked by [`check_dir`]) to sync it after a rename in it.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        check_dir(dir)?;
        let folder = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_DIRECTORY)
            .open(dir)?;
        folder.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Copies the regular file `from` (not through a link; no more than its length at open) to a new file `to`, made
/// as `sharing` says, and syncs it.
pub fn copy_file(from: &Path, to: &Path, sharing: Sharing) -> io::Result<()> {
    let source = open_read(from)?;
    let len = source.metadata()?.len();
    let mut target = create_new(to, sharing)?;
    io::copy(&mut source.take(len), &mut target)?;
    target.sync_all()
}

/// What [`build_dir`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Built<T> {
    /// The folder was made; what filling it gave.
    Made(T),
    /// Another process made the folder first; the one built here was removed.
    There,
}

/// Makes the folder `target` whole or not at all: `fill` fills a new folder beside it (`.NAME.new-PID`, as
/// `sharing` says), which is synced and renamed into place. What a killed run left under that name goes first (a
/// link there is removed, never followed); on failure the new folder goes and `target` is as it was.
pub fn build_dir<T, E: From<io::Error>>(
    target: &Path,
    sharing: Sharing,
    fill: impl FnOnce(&Path) -> Result<T, E>,
) -> Result<Built<T>, E> {
    let parent = target.parent().unwrap_or(Path::new("."));
    let name = target.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let hidden = if name.starts_with('.') { "" } else { "." };
    let building = parent.join(format!("{hidden}{name}.new-{}", std::process::id()));
    let remove = |path: &Path| match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    };
    remove(&building)?;
    create_dir(&building, sharing)?;
    let filled = fill(&building).and_then(|made| {
        sync_dir(&building)?;
        Ok(made)
    });
    let made = match filled {
        Ok(made) => made,
        Err(e) => {
            let _ = remove(&building);
            return Err(e);
        }
    };
    match std::fs::rename(&building, target) {
        Ok(()) => {
            let _ = sync_dir(parent);
            Ok(Built::Made(made))
        }
        Err(_) if std::fs::symlink_metadata(target).is_ok() => {
            let _ = remove(&building);
            Ok(Built::There)
        }
        Err(e) => {
            let _ = remove(&building);
            Err(e.into())
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn fifo(path: &Path) {
        let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).expect("a path");
        // SAFETY: `name` is a NUL-terminated path that lives across the call.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0, "mkfifo");
    }

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).expect("a file").permissions().mode() & 0o777
    }

    #[test]
    fn a_link_is_never_followed_to_read_or_write() {
        let dir = tempfile::tempdir().expect("a folder");
        let outside = dir.path().join("outside.txt");
        std::fs::write(&outside, "the user's own file\n").expect("a file");
        let link = dir.path().join("reviews.yaml");
        std::os::unix::fs::symlink(&outside, &link).expect("a link");
        for error in [
            open_read(&link).expect_err("read"),
            read(&link, 1 << 20).expect_err("read whole"),
            open_append(&link, Sharing::Private).expect_err("append"),
            open_read_write(&link, Sharing::Private).expect_err("lock"),
        ] {
            let why = refused(&error).unwrap_or_else(|| panic!("refused: {error}"));
            assert_eq!((why.found, why.path.as_path()), ("a symbolic link", link.as_path()));
            assert!(error.to_string().contains("reviews.yaml"), "{error}");
        }
        // A temporary file's name holding a link: the link goes, the file it named is not written.
        let tmp = dir.path().join("progress.yaml.tmp");
        std::os::unix::fs::symlink(&outside, &tmp).expect("a link");
        replace(&dir.path().join("progress.yaml"), &tmp, b"mine\n", Sharing::Private).expect("written");
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "the user's own file\n");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("progress.yaml")).unwrap(),
            "mine\n"
        );
        // Replacing a link renames over the link itself.
        replace(&link, &tmp, b"log\n", Sharing::Private).expect("written");
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "the user's own file\n");
        assert!(std::fs::symlink_metadata(&link).unwrap().is_file());
    }

    #[test]
    fn a_fifo_or_a_device_is_refused_at_once_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().expect("a folder");
        let pipe = dir.path().join("progress.yaml");
        fifo(&pipe);
        for error in [
            open_read(&pipe).expect_err("read"),
            open_append(&pipe, Sharing::Private).expect_err("append"),
            open_read_write(&pipe, Sharing::Private).expect_err("lock"),
        ] {
            assert_eq!(refused(&error).map(|r| r.found), Some("a FIFO"), "{error}");
        }
        let error = read(Path::new("/dev/zero"), 1 << 20).expect_err("a device");
        assert_eq!(refused(&error).map(|r| r.found), Some("a device"), "{error}");
        let folder = dir.path().join("reviews.yaml");
        std::fs::create_dir(&folder).unwrap();
        let error = open_read(&folder).expect_err("a folder");
        assert_eq!(refused(&error).map(|r| r.found), Some("a folder"), "{error}");
        let error = replace(&folder, &dir.path().join("x.tmp"), b"x", Sharing::Private).expect_err("a folder");
        assert_eq!(refused(&error).map(|r| r.found), Some("a folder"), "{error}");
        assert!(folder.is_dir());
    }

    #[test]
    fn a_read_takes_no_more_than_the_limit() {
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("install-id");
        std::fs::write(&path, "0123456789").unwrap();
        assert_eq!(read(&path, 10).unwrap(), b"0123456789");
        let error = read(&path, 9).expect_err("too large");
        assert!(error.to_string().contains("10 bytes long"), "{error}");
    }

    #[test]
    fn a_folder_that_is_a_link_is_refused_and_new_folders_and_files_are_private() {
        let dir = tempfile::tempdir().expect("a folder");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let amgi = dir.path().join(".amgi");
        std::os::unix::fs::symlink(&elsewhere, &amgi).unwrap();
        let error = check_dir(&amgi).expect_err("a link");
        assert_eq!(
            refused(&error).map(|r| (r.found, r.want)),
            Some(("a symbolic link", "folder"))
        );
        assert!(create_dir(&amgi, Sharing::Private).is_err());
        assert!(check_dir(&dir.path().join("missing")).is_ok());

        let private = dir.path().join("data/decks/one");
        create_dir(&private, Sharing::Private).unwrap();
        assert_eq!(mode(&private), 0o700);
        let file = private.join("reviews.yaml");
        drop(open_append(&file, Sharing::Private).unwrap());
        assert_eq!(mode(&file), 0o600);
    }

    #[test]
    fn a_rewrite_keeps_the_files_permissions() {
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("progress.yaml");
        let tmp = dir.path().join("progress.yaml.tmp");
        for kept in [0o600, 0o640, 0o664] {
            std::fs::write(&path, "old\n").unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(kept)).unwrap();
            replace(&path, &tmp, b"new\n", Sharing::AsRepo).unwrap();
            assert_eq!(mode(&path), kept);
            assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        }
        std::fs::remove_file(&path).unwrap();
        replace(&path, &tmp, b"new\n", Sharing::Private).unwrap();
        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn a_folder_is_built_whole_or_not_at_all_and_a_link_left_at_its_name_is_not_followed() {
        let dir = tempfile::tempdir().expect("a folder");
        let outside = dir.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        let target = dir.path().join("repo/.amgi");
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        // A link where the folder is built (a clone may hold one): removed, not filled.
        let building = dir.path().join(format!("repo/.amgi.new-{}", std::process::id()));
        std::os::unix::fs::symlink(&outside, &building).unwrap();
        let failed: io::Result<Built<()>> = build_dir(&target, Sharing::AsRepo, |new| {
            std::fs::write(new.join("reviews.yaml"), "half")?;
            Err(io::Error::other("a full disk"))
        });
        assert!(failed.is_err());
        assert!(std::fs::symlink_metadata(&target).is_err(), "nothing made");
        assert!(std::fs::symlink_metadata(&building).is_err(), "nothing left");
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
        let source = dir.path().join("reviews.yaml");
        std::fs::write(&source, "- {line}\n").unwrap();
        let made = build_dir(&target, Sharing::AsRepo, |new| {
            copy_file(&source, &new.join("reviews.yaml"), Sharing::AsRepo)
        });
        assert_eq!(made.unwrap(), Built::Made(()));
        assert_eq!(
            std::fs::read_to_string(target.join("reviews.yaml")).unwrap(),
            "- {line}\n"
        );
        // Made meanwhile by another: left as it is.
        let again = build_dir(&target, Sharing::AsRepo, |new| std::fs::write(new.join("other"), "x"));
        assert_eq!(again.unwrap(), Built::There);
        assert!(!target.join("other").exists());
        // A link is not copied from.
        let link = dir.path().join("link.yaml");
        std::os::unix::fs::symlink(&source, &link).unwrap();
        let error = copy_file(&link, &dir.path().join("copy.yaml"), Sharing::Private).expect_err("a link");
        assert!(refused(&error).is_some(), "{error}");
    }

    #[test]
    fn a_refusal_names_the_file_on_one_line_whatever_its_name_holds() {
        let dir = tempfile::tempdir().expect("a folder");
        let odd = dir.path().join("notes\n\u{1b}[2Jamgi: all good");
        std::fs::create_dir(&odd).unwrap();
        let link = odd.join("reviews.yaml");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let message = open_read(&link).expect_err("a link").to_string();
        assert!(!message.contains('\n') && !message.contains('\u{1b}'), "{message:?}");
        assert!(
            message.contains("notes␊␛[2Jamgi: all good/reviews.yaml is a symbolic link"),
            "{message}"
        );
    }
}
