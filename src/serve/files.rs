//! The output of `tre serve` in memory: output path → bytes, split into shards. Requests read
//! one version while a rebuild writes the next, which copies only the shards it writes to:
//! copying a 175k-entry map for each edit touched every entry's reference count.
//!
//! Text is held compressed: a 50k-article portal's 3.2 GB of HTML would otherwise be most of
//! serve's memory, and unpacking one page for a request takes microseconds.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::sync::Arc;

pub use super::stored::Stored;

const SHARDS: usize = 256;

type Shard = HashMap<Arc<str>, Stored>;

/// Output path → bytes. Cloning it clones the shard pointers, not the entries.
#[derive(Clone)]
pub struct Files {
    shards: Vec<Arc<Shard>>,
}

impl Default for Files {
    fn default() -> Self {
        Self::new()
    }
}

impl Files {
    pub fn new() -> Self {
        Self {
            shards: (0..SHARDS).map(|_| Arc::default()).collect(),
        }
    }

    /// The shard a path lives in; the same in every version, since the hasher has no keys.
    fn shard_of(path: &str) -> usize {
        let hash = BuildHasherDefault::<DefaultHasher>::default().hash_one(path);
        usize::try_from(hash % SHARDS as u64).unwrap_or(0)
    }

    pub fn get(&self, path: &str) -> Option<&Stored> {
        self.shards.get(Self::shard_of(path))?.get(path)
    }

    pub fn get_key_value(&self, path: &str) -> Option<(&str, &Stored)> {
        let (k, v) = self.shards.get(Self::shard_of(path))?.get_key_value(path)?;
        Some((&**k, v))
    }

    pub fn contains(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// Sets the bytes at `path`; copies its shard first if an older version still shares it.
    pub fn insert(&mut self, path: &str, bytes: Stored) {
        if let Some(shard) = self.shards.get_mut(Self::shard_of(path)) {
            Arc::make_mut(shard).insert(path.into(), bytes);
        }
    }

    pub fn remove(&mut self, path: &str) {
        if let Some(shard) = self.shards.get_mut(Self::shard_of(path))
            && shard.contains_key(path)
        {
            Arc::make_mut(shard).remove(path);
        }
    }

    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| s.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many bytes the outputs take in memory, as held.
    pub fn held_bytes(&self) -> usize {
        self.iter().map(|(_, b)| b.held_len()).sum()
    }

    /// How many bytes the outputs take in a pack.
    pub fn packed_bytes(&self) -> usize {
        self.iter().map(|(_, b)| b.packed_len()).sum()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Stored)> {
        self.shards
            .iter()
            .flat_map(|s| s.iter().map(|(k, v)| (&**k, v)))
    }

    /// Paths whose bytes differ between two versions, sorted; shards they still share are
    /// skipped whole, and entries they share are compared by pointer first.
    pub fn changed_since(&self, before: &Files) -> Vec<String> {
        let mut out = Vec::new();
        for (new, old) in self.shards.iter().zip(&before.shards) {
            if Arc::ptr_eq(new, old) {
                continue;
            }
            for (path, bytes) in new.iter() {
                let same = old
                    .get(path)
                    .is_some_and(|b| b.is_shared_with(bytes) || b == bytes);
                if !same {
                    out.push(path.to_string());
                }
            }
            out.extend(
                old.keys()
                    .filter(|p| !new.contains_key(*p))
                    .map(|p| p.to_string()),
            );
        }
        out.sort();
        out
    }
}

impl FromIterator<(String, Stored)> for Files {
    fn from_iter<I: IntoIterator<Item = (String, Stored)>>(iter: I) -> Self {
        let mut files = Files::new();
        for (path, bytes) in iter {
            files.insert(&path, bytes);
        }
        files
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(s: &str) -> Stored {
        Stored::pack(s.as_bytes().to_vec())
    }

    #[test]
    fn a_new_version_leaves_the_old_one_as_it_was() {
        let mut v1 = Files::new();
        v1.insert("a/index.html", bytes("a"));
        v1.insert("b/index.html", bytes("b"));
        let mut v2 = v1.clone();
        v2.insert("a/index.html", bytes("a2"));
        v2.remove("b/index.html");
        v2.insert("c.css", bytes("c"));
        assert_eq!(
            v1.get("a/index.html").map(|b| b.bytes()),
            Some(b"a"[..].into())
        );
        assert!(v1.contains("b/index.html") && !v1.contains("c.css"));
        assert_eq!(v2.len(), 2);
        assert_eq!(
            v2.changed_since(&v1),
            ["a/index.html", "b/index.html", "c.css"]
        );
        assert!(v1.changed_since(&v1.clone()).is_empty());
    }

    #[test]
    fn equal_bytes_are_no_change() {
        let mut v1 = Files::new();
        v1.insert("a.html", bytes("same"));
        let mut v2 = v1.clone();
        v2.insert("a.html", bytes("same"));
        assert!(v2.changed_since(&v1).is_empty());
        assert_eq!(v2.get_key_value("a.html").map(|(k, _)| k), Some("a.html"));
    }
}
