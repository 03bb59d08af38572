//! The one way rnnlab writes a file: to a temporary name in the same folder, flushed to disk,
//! then renamed over the target. Readers and crashes see the old file or the new one, never
//! half of either.
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::ResultsError;

/// Temporary files start with this; [`remove_temporaries`] removes exactly those.
const PREFIX: &str = ".tmp-";

/// A fresh temporary name beside `path`: `.tmp-<pid>-<n>-<file name>`. The process id and a
/// per-process counter keep concurrent writers (threads, shards) apart; the file name stays
/// last so the extension is kept (tch picks the weights' format from it).
pub fn temporary_path(path: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!("{PREFIX}{}-{n}-{name}", std::process::id()))
}

/// Writes `bytes` to `path` atomically (temporary file, fsync, rename, fsync of the folder).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ResultsError> {
    write_atomic_with(path, |tmp| {
        let mut f = std::fs::File::create(tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })
}

/// [`write_atomic`] for writers that need a path of their own (a library that saves to a
/// file): `write` fills the temporary path it is given, which is then flushed and renamed.
pub fn write_atomic_with<E>(
    path: &Path,
    write: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<(), ResultsError>
where
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let tmp = temporary_path(path);
    let io = |source| ResultsError::Io {
        path: path.to_owned(),
        source,
    };
    let result = write(&tmp)
        .map_err(|e| io(std::io::Error::other(e)))
        .and_then(|()| {
            // Library writers may not have flushed: make the bytes durable before the rename.
            std::fs::File::open(&tmp)
                .and_then(|f| f.sync_all())
                .map_err(io)
        })
        .and_then(|()| std::fs::rename(&tmp, path).map_err(io));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
        return result;
    }
    // The rename is durable once the folder is; not every platform can open a folder.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// Removes the temporaries directly inside `dir`: what a process killed mid-write leaves
/// behind (never renamed into place, so never read). Call it only where no other process is
/// writing: a run's folder before the run starts.
pub fn remove_temporaries(dir: &Path) -> Result<usize, ResultsError> {
    let mut removed = 0;
    for entry in std::fs::read_dir(dir).map_err(ResultsError::io(dir))? {
        let path = entry.map_err(ResultsError::io(dir))?.path();
        let temporary = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(PREFIX));
        if temporary && path.is_file() {
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(ResultsError::Io { path, source: e })
                }
                _ => removed += 1,
            }
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replace_and_leave_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "only the target remains");
    }

    #[test]
    fn a_failed_writer_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.safetensors");
        write_atomic(&path, b"old").unwrap();
        let err = write_atomic_with(&path, |tmp| {
            std::fs::write(tmp, b"half")?;
            Err::<(), _>(std::io::Error::other("disk full"))
        });
        assert!(err.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn temporaries_keep_the_extension_and_are_cleaned_up() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("model.safetensors");
        let tmp = temporary_path(&target);
        assert_eq!(tmp.extension().unwrap(), "safetensors");
        assert_ne!(tmp, temporary_path(&target), "every call is a fresh name");
        std::fs::write(&tmp, b"left by a killed process").unwrap();
        std::fs::write(dir.path().join("metrics.csv"), b"kept").unwrap();
        assert_eq!(remove_temporaries(dir.path()).unwrap(), 1);
        assert!(!tmp.exists());
        assert!(dir.path().join("metrics.csv").exists());
    }
}
