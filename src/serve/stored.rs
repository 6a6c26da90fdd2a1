//! One output as `tre serve` holds it: compressed, and on Unix moved out of memory into a
//! file with no name (a "pack") beside the site. A 50k-article portal's output is ~0.9 GB
//! even compressed; in a pack it costs page cache, which the system can reclaim, rather than
//! serve's own memory, and a request reads its one file back in microseconds.
//!
//! A pack is only appended to, so an older version of the output (kept while a rebuild may
//! still fail) stays readable; an unchanged output keeps its place, and `Pack::is_mostly_stale`
//! says when a fresh pack is worth writing.

use std::borrow::Cow;
use std::fs::File;
use std::hash::{DefaultHasher, Hasher};
use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use crate::compressed::Compressed;

/// An output's bytes, compressed, in memory or in a pack. Values compare by a digest of the
/// compressed bytes, which compressing makes the same for the same output.
#[derive(Clone, Debug)]
pub struct Stored {
    place: Place,
    digest: u64,
    len: usize,
}

#[derive(Clone, Debug)]
enum Place {
    Held(Compressed),
    InPack {
        pack: Arc<Pack>,
        at: u64,
        is_packed: bool,
    },
}

impl PartialEq for Stored {
    fn eq(&self, other: &Self) -> bool {
        self.digest == other.digest && self.len == other.len
    }
}

impl Eq for Stored {}

impl Stored {
    /// `bytes` compressed, in memory.
    pub fn pack(bytes: Vec<u8>) -> Stored {
        Stored::held(Compressed::pack(bytes))
    }

    fn held(c: Compressed) -> Stored {
        let (raw, is_packed) = c.raw();
        let mut h = DefaultHasher::new();
        h.write_u8(u8::from(is_packed));
        h.write(raw);
        Stored {
            digest: h.finish(),
            len: raw.len(),
            place: Place::Held(c),
        }
    }

    /// The same value with its bytes in `pack`; as it was if it is there already, or if it
    /// was in another pack that cannot be read back.
    pub fn into_pack(self, pack: &Arc<Pack>) -> Stored {
        let c = match &self.place {
            Place::Held(c) => c.clone(),
            Place::InPack { pack: p, .. } if Arc::ptr_eq(p, pack) => return self,
            // Into a fresh pack: the same bytes, so the same digest.
            Place::InPack { .. } => match self.compressed() {
                Ok(c) => c,
                Err(_) => return self,
            },
        };
        let (raw, is_packed) = c.raw();
        let place = Place::InPack {
            pack: Arc::clone(pack),
            at: pack.append(raw),
            is_packed,
        };
        Stored { place, ..self }
    }

    fn compressed(&self) -> io::Result<Compressed> {
        match &self.place {
            Place::Held(c) => Ok(c.clone()),
            Place::InPack {
                pack,
                at,
                is_packed,
            } => Ok(Compressed::from_raw(pack.read(*at, self.len)?, *is_packed)),
        }
    }

    /// The bytes, unpacked; empty if the pack cannot be read back.
    pub fn bytes(&self) -> Cow<'_, [u8]> {
        match &self.place {
            Place::Held(c) => c.bytes(),
            Place::InPack { .. } => match self.compressed() {
                Ok(c) => Cow::Owned(c.bytes().into_owned()),
                Err(e) => {
                    eprintln!("tre serve: cannot read an output back from its pack: {e}");
                    Cow::Borrowed(&[])
                }
            },
        }
    }

    /// The bytes as text.
    pub fn text(&self) -> Cow<'_, str> {
        crate::compressed::as_text(self.bytes())
    }

    /// How many bytes it takes in memory.
    pub fn held_len(&self) -> usize {
        match self.place {
            Place::Held(_) => self.len,
            Place::InPack { .. } => 0,
        }
    }

    /// How many bytes it takes in a pack.
    pub fn packed_len(&self) -> usize {
        self.len - self.held_len()
    }

    /// Whether both are the very same bytes (one a clone of the other).
    pub fn is_shared_with(&self, other: &Stored) -> bool {
        match (&self.place, &other.place) {
            (Place::Held(a), Place::Held(b)) => a.is_shared_with(b),
            (Place::InPack { pack: a, at: x, .. }, Place::InPack { pack: b, at: y, .. }) => {
                Arc::ptr_eq(a, b) && x == y
            }
            _ => false,
        }
    }
}

/// A file only appended to, with no name where the system allows (Linux), so nothing is
/// left behind however serve ends; elsewhere a named file removed as soon as it is open.
/// Appends are gathered in memory and written 8 MiB at a time: one write per output cost a
/// template edit of a 10k-article portal a fifth more time.
#[derive(Debug)]
pub struct Pack {
    file: File,
    staged: Mutex<Staged>,
}

/// Bytes appended but not written yet, and where in the file they go.
#[derive(Debug, Default)]
struct Staged {
    at: u64,
    bytes: Vec<u8>,
}

const WRITE_AT_LEAST: usize = 8 << 20;

impl Pack {
    /// A new, empty pack in `dir`. Fails where files cannot be read back by offset (not
    /// Unix) or `dir` cannot be written: serve then holds its output in memory.
    pub fn create(dir: &Path) -> io::Result<Pack> {
        Ok(Pack {
            file: unnamed_file(dir)?,
            staged: Mutex::default(),
        })
    }

    /// Bytes written so far, live or not.
    pub fn written(&self) -> u64 {
        let staged = self.staged();
        staged.at + staged.bytes.len() as u64
    }

    fn staged(&self) -> std::sync::MutexGuard<'_, Staged> {
        self.staged.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// True when most of what the pack holds is no longer in the output of `live` bytes.
    pub fn is_mostly_stale(&self, live: u64) -> bool {
        self.written() > live.saturating_mul(2) + (64 << 20)
    }

    /// Whether the pack grew so far past its live outputs (edits that replace every page,
    /// coming faster than serve is ever idle) that it must be compacted before the next edit.
    pub fn is_overgrown(&self, live: u64) -> bool {
        self.written() > live.saturating_mul(8) + (1 << 30)
    }

    /// Where `bytes` are in the pack. A failed write (a full disk) keeps them in memory, and
    /// readable, until a later write succeeds.
    fn append(&self, bytes: &[u8]) -> u64 {
        let mut staged = self.staged();
        let at = staged.at + staged.bytes.len() as u64;
        staged.bytes.extend_from_slice(bytes);
        if staged.bytes.len() >= WRITE_AT_LEAST
            && write_at(&self.file, &staged.bytes, staged.at).is_ok()
        {
            staged.at += staged.bytes.len() as u64;
            staged.bytes.clear();
        }
        at
    }

    fn read(&self, at: u64, len: usize) -> io::Result<Vec<u8>> {
        {
            let staged = self.staged();
            if at >= staged.at {
                let from = usize::try_from(at - staged.at).unwrap_or(usize::MAX);
                return staged
                    .bytes
                    .get(from..from.saturating_add(len))
                    .map(<[u8]>::to_vec)
                    .ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof));
            }
        }
        // Written already: the staged bytes only move forward.
        let mut buf = vec![0; len];
        read_at(&self.file, &mut buf, at)?;
        Ok(buf)
    }
}

#[cfg(target_os = "linux")]
fn unnamed_file(dir: &Path) -> io::Result<File> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::TMPFILE | OFlags::RDWR | OFlags::CLOEXEC;
    match rustix::fs::open(dir, flags, Mode::RUSR | Mode::WUSR) {
        Ok(fd) => Ok(File::from(fd)),
        // Filesystems without O_TMPFILE: a name for as long as it takes to open it.
        Err(_) => named_then_removed(dir),
    }
}

#[cfg(all(unix, not(target_os = "linux")))]
fn unnamed_file(dir: &Path) -> io::Result<File> {
    named_then_removed(dir)
}

#[cfg(not(unix))]
fn unnamed_file(_dir: &Path) -> io::Result<File> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

#[cfg(unix)]
fn named_then_removed(dir: &Path) -> io::Result<File> {
    let path = dir.join(format!(".tre-serve-{}.pack", std::process::id()));
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)?;
    std::fs::remove_file(&path)?;
    Ok(file)
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(not(unix))]
fn write_at(_: &File, _: &[u8], _: u64) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

#[cfg(not(unix))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_moved_into_a_pack_reads_back_the_same_and_leaves_no_file() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let pack = Arc::new(Pack::create(dir).unwrap());
        let page = "<p>Lễ hội Lồng Tồng, Tuyên Quang.</p>\n".repeat(300);
        let held = Stored::pack(page.clone().into_bytes());
        let moved = held.clone().into_pack(&pack);
        assert_eq!(moved.held_len(), 0);
        assert!(moved.packed_len() > 0 && moved.packed_len() * 4 < page.len());
        assert_eq!(moved.text(), page);
        assert_eq!(moved, held);
        // A second output after it, and the first still reads back.
        let other = Stored::pack(b"body{color:#1a1a1a}".to_vec()).into_pack(&pack);
        assert_eq!(other.bytes(), &b"body{color:#1a1a1a}"[..]);
        assert_eq!(moved.text(), page);
        assert_ne!(moved, other);
        // More than one write's worth after them: the first ones are read back from the file.
        use sha2::Digest;
        let noise: Vec<u8> = (0..(WRITE_AT_LEAST as u32 / 32 + 1))
            .flat_map(|i| sha2::Sha256::digest(i.to_le_bytes()))
            .collect();
        let big = Stored::pack(noise.clone()).into_pack(&pack);
        assert!(pack.staged().at > 0);
        assert_eq!(moved.text(), page);
        assert_eq!(big.bytes(), &noise[..]);
        // Moved again into a fresh pack, as serve does when the old one is mostly stale.
        let fresh = Arc::new(Pack::create(dir).unwrap());
        assert_eq!(moved.clone().into_pack(&fresh).text(), page);
        // Nothing named in the directory.
        assert_eq!(std::fs::read_dir(dir).unwrap().count(), 0);
    }
}
