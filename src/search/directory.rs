//! The index's folder is mapped into memory (tantivy reads posting lists in place), and the pages a search
//! touched are handed back after it: mapped file pages stay counted in the process's resident memory until
//! the kernel wants them (65-80 MB at a million questions after a few common words). Dropping them from the
//! process with `MADV_DONTNEED` leaves them in the kernel's file cache, so the next search that needs them
//! maps them again for a minor fault each (about 0.2 ms for a word in most of a million questions). The
//! small files every search reads at random (term dictionaries, fast fields, field norms: 12 MB at a
//! million) stay mapped: handing them back cost a quarter of a search's faults.
//! Reading with `pread` instead was measured too: every search then copied whole posting lists (50 ms and
//! 117 MB for eight common words at a million questions).

use std::{
    path::{Path, PathBuf},
    sync::atomic::{AtomicU64, Ordering},
    time::{SystemTime, UNIX_EPOCH},
};

/// Pages are handed back at most this often (milliseconds): the map listing costs ~50 microseconds.
const RELEASE_EVERY_MS: u64 = 20;
/// And only while the process holds more than this: below it, pages stay mapped and the next search that
/// needs them pays no fault (handing them back after every search cost a common word 3 ms at a million).
const RESIDENT_ALLOWANCE: u64 = 40 << 20;

/// Hands back the pages of one folder's mapped files.
pub struct MappedPages {
    /// The folder, absolute and resolved, as `/proc/self/maps` names its files.
    folder: PathBuf,
    last_release_ms: AtomicU64,
}

impl MappedPages {
    pub fn of(folder: &Path) -> Self {
        Self {
            folder: folder.canonicalize().unwrap_or_else(|_| folder.to_owned()),
            last_release_ms: AtomicU64::new(0),
        }
    }

    /// Drops the folder's read-only file mappings from the process's resident memory when it holds more
    /// than [`RESIDENT_ALLOWANCE`], unless that was done a moment ago.
    pub fn release(&self) {
        if resident_bytes().is_some_and(|bytes| bytes <= RESIDENT_ALLOWANCE) {
            return;
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_millis() as u64);
        let last = self.last_release_ms.load(Ordering::Relaxed);
        if now.saturating_sub(last) < RELEASE_EVERY_MS
            || self
                .last_release_ms
                .compare_exchange(last, now, Ordering::AcqRel, Ordering::Relaxed)
                .is_err()
        {
            return;
        }
        let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else {
            return;
        };
        for (start, end) in read_only_mappings_under(&maps, &self.folder) {
            // SAFETY: the range is a whole read-only mapping of a file, as the kernel lists it; dropping
            // its pages only means the next access reads them from the file (the kernel's cache) again.
            // A mapping unmapped meanwhile makes madvise fail with ENOMEM, which changes nothing.
            unsafe {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED);
            }
        }
    }
}

/// The process's resident memory, from `/proc/self/statm` (pages).
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf only reads a system constant.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages * u64::try_from(page).unwrap_or(4096))
}

/// Whether a file of the index stays mapped: the term dictionaries, the fast fields and the field norms
/// (12 MB at a million questions) are read at every search, the norms and fast fields at every document
/// scored, in no order, so each page handed back was a fault again at the next search; the postings and
/// their positions (470 MB) are read in runs, and handed back.
fn kept_resident(path: &str) -> bool {
    Path::new(path).extension().is_some_and(|extension| {
        ["term", "fast", "fieldnorm"]
            .iter()
            .any(|kept| extension == *kept)
    })
}

/// The address ranges of read-only mappings of files under `folder`, from a `/proc/self/maps` listing
/// (`start-end perms offset dev inode path`).
fn read_only_mappings_under(maps: &str, folder: &Path) -> Vec<(usize, usize)> {
    maps.lines()
        .filter_map(|line| {
            let mut fields = line.splitn(6, ' ');
            let range = fields.next()?;
            let perms = fields.next()?;
            let path = fields.nth(3)?.trim_start();
            if perms.contains('w') || !Path::new(path).starts_with(folder) || kept_resident(path) {
                return None;
            }
            let (start, end) = range.split_once('-')?;
            let start = usize::from_str_radix(start, 16).ok()?;
            let end = usize::from_str_radix(end, 16).ok()?;
            (end > start).then_some((start, end))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_read_only_mappings_of_the_folders_postings_and_stored_files_are_released() {
        let maps = "\
7f0000000000-7f0000002000 r--s 00000000 08:01 123   /data/board.db.search/a1.idx
7f0000003000-7f0000004000 rw-s 00000000 08:01 124   /data/board.db.search/meta.json
7f0000005000-7f0000006000 r--p 00000000 08:01 125   /data/board.db
7f0000007000-7f0000008000 r--s 00000000 08:01 126   /data/board.db.search/with space.pos
7f0000009000-7f000000a000 rw-p 00000000 00:00 0 
7f000000b000-7f000000c000 r--s 00000000 08:01 127   /data/board.db.search/a1.term
7f000000d000-7f000000e000 r--s 00000000 08:01 128   /data/board.db.search/a1.fast
7f000000f000-7f0000010000 r--s 00000000 08:01 129   /data/board.db.search/a1.fieldnorm
";
        assert_eq!(
            read_only_mappings_under(maps, Path::new("/data/board.db.search")),
            [
                (0x7f00_0000_0000, 0x7f00_0000_2000),
                (0x7f00_0000_7000, 0x7f00_0000_8000)
            ]
        );
    }

    #[test]
    fn handing_pages_back_keeps_the_files_readable() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("data");
        std::fs::write(&path, vec![7u8; 1 << 20]).expect("write");
        let file = std::fs::File::open(&path).expect("open");
        // SAFETY: a private temporary file nobody changes while it is mapped.
        let map = unsafe { memmap2::Mmap::map(&file) }.expect("map");
        assert_eq!(map.iter().map(|b| u64::from(*b)).sum::<u64>(), 7 << 20);
        let pages = MappedPages::of(dir.path());
        pages.last_release_ms.store(0, Ordering::Relaxed);
        for (start, end) in read_only_mappings_under(
            &std::fs::read_to_string("/proc/self/maps").expect("maps"),
            &pages.folder,
        ) {
            // SAFETY: as in `release`.
            unsafe {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED);
            }
        }
        assert_eq!(map[12_345], 7, "read again from the file");
        assert!(resident_bytes().is_some_and(|bytes| bytes > 0));
    }
}
