//! The index's folder, read with `pread` into memory the process owns instead of mapped: pages of a mapped
//! file that a search touches stay counted in the process's memory until the kernel wants them back (65-80
//! MB at a million questions after a few common words), while a read buffer is freed when the search ends.
//! Writing, locking and watching are the stock folder's.

use std::{
    fs::File,
    io,
    ops::Range,
    os::unix::fs::FileExt,
    path::{Path, PathBuf},
    sync::Arc,
};

use tantivy::{
    Directory, HasLen,
    directory::{
        DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback, WatchHandle,
        WritePtr,
        error::{DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError},
    },
};

#[derive(Clone, Debug)]
pub struct ReadDirectory {
    stock: MmapDirectory,
    root: PathBuf,
}

impl ReadDirectory {
    pub fn open(root: &Path) -> Result<Self, OpenDirectoryError> {
        Ok(Self {
            stock: MmapDirectory::open(root)?,
            root: root.to_owned(),
        })
    }
}

#[derive(Debug)]
struct ReadHandle {
    file: File,
    len: usize,
}

impl FileHandle for ReadHandle {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        let mut bytes = vec![0; range.len()];
        self.file.read_exact_at(&mut bytes, range.start as u64)?;
        Ok(OwnedBytes::new(bytes))
    }
}

impl HasLen for ReadHandle {
    fn len(&self) -> usize {
        self.len
    }
}

impl Directory for ReadDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let full = self.root.join(path);
        let opened = File::open(&full).and_then(|file| Ok((file.metadata()?.len(), file)));
        match opened {
            Ok((len, file)) => Ok(Arc::new(ReadHandle {
                file,
                len: len as usize,
            })),
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                Err(OpenReadError::FileDoesNotExist(path.to_owned()))
            }
            Err(err) => Err(OpenReadError::wrap_io_error(err, path.to_owned())),
        }
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.stock.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.stock.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.stock.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.stock.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.stock.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.stock.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.stock.acquire_lock(lock)
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.stock.watch(callback)
    }
}
