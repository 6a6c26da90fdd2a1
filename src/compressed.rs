//! Bytes held compressed in memory: what a big site keeps for its whole run (rendered bodies,
//! `tre serve`'s output) shrinks about threefold. LZ4, not deflate: it packs several times
//! faster and unpacks a page in microseconds, where deflate cost a 10k-article build 0.4 s.

use std::borrow::Cow;
use std::sync::Arc;

/// Smaller values are held as they are: compressing them saves little.
const PACK_MIN_BYTES: usize = 512;

/// Bytes, compressed where that makes them smaller. Compressing is deterministic, so equal bytes
/// make equal values, and comparing two values compares their bytes. Clones share the bytes.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Compressed {
    bytes: Arc<[u8]>,
    is_packed: bool,
}

impl Compressed {
    /// Compresses `bytes` unless they are small or hardly shrink, as pictures and fonts,
    /// which are compressed already.
    pub fn pack(bytes: Vec<u8>) -> Compressed {
        if bytes.len() >= PACK_MIN_BYTES {
            let packed = lz4_flex::compress_prepend_size(&bytes);
            if packed.len() < bytes.len() - bytes.len() / 8 {
                return Compressed {
                    bytes: packed.into(),
                    is_packed: true,
                };
            }
        }
        Compressed {
            bytes: bytes.into(),
            is_packed: false,
        }
    }

    /// The bytes, unpacked if they were packed.
    pub fn bytes(&self) -> Cow<'_, [u8]> {
        if !self.is_packed {
            return Cow::Borrowed(&self.bytes);
        }
        match lz4_flex::decompress_size_prepended(&self.bytes) {
            Ok(out) => Cow::Owned(out),
            // Only bytes `pack` made are ever unpacked: this cannot fail.
            Err(_) => Cow::Borrowed(&[]),
        }
    }

    /// The bytes as text; only text is packed where text is read.
    pub fn text(&self) -> Cow<'_, str> {
        as_text(self.bytes())
    }

    /// The bytes as held, and whether they are packed: what `from_raw` takes back.
    pub fn raw(&self) -> (&[u8], bool) {
        (&self.bytes, self.is_packed)
    }

    /// A value from bytes `raw` gave, kept elsewhere meanwhile.
    pub fn from_raw(bytes: Vec<u8>, is_packed: bool) -> Compressed {
        Compressed {
            bytes: bytes.into(),
            is_packed,
        }
    }

    /// How many bytes it takes in memory.
    pub fn held_len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether both hold the very same bytes (a clone of one another).
    pub fn is_shared_with(&self, other: &Compressed) -> bool {
        Arc::ptr_eq(&self.bytes, &other.bytes)
    }
}

/// Unpacked bytes as text, without copying them where they are valid UTF-8.
pub fn as_text(bytes: Cow<'_, [u8]>) -> Cow<'_, str> {
    match bytes {
        Cow::Borrowed(b) => String::from_utf8_lossy(b),
        Cow::Owned(b) => match String::from_utf8(b) {
            Ok(s) => Cow::Owned(s),
            Err(e) => Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        },
    }
}

impl From<String> for Compressed {
    fn from(text: String) -> Self {
        Compressed::pack(text.into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_held_compressed_and_read_back_whole() {
        let page = "<p>Hội An, phố cổ bên sông Hoài.</p>\n".repeat(200);
        let held = Compressed::from(page.clone());
        assert!(held.held_len() * 4 < page.len(), "{}", held.held_len());
        assert_eq!(held.text(), page);
        assert_eq!(held.bytes(), page.as_bytes());
        assert_eq!(held, Compressed::from(page));
        // Bytes that do not shrink, like a JPEG's, are held as they are.
        use sha2::Digest;
        let noise: Vec<u8> = (0..128u32)
            .flat_map(|i| sha2::Sha256::digest(i.to_le_bytes()))
            .collect();
        let held = Compressed::pack(noise.clone());
        assert_eq!(held.held_len(), noise.len());
        assert_eq!(held.bytes(), &noise[..]);
        // Short text too.
        assert_eq!(Compressed::from("ngắn".to_string()).text(), "ngắn");
        assert_eq!(Compressed::default().text(), "");
    }
}
