//! Compresses the embedded text assets once, at build time, with the slowest and best settings, so a request
//! for Bootstrap or htmx costs no compression at all: `$OUT_DIR/compressed/<path>.br` and `.gz`, embedded
//! beside the originals (`src/assets.rs`). A compressed file that would not be smaller is left out.

use std::{
    env, fs,
    io::Write,
    path::{Path, PathBuf},
};

/// The file types worth compressing; images and fonts already are.
const TEXT_TYPES: [&str; 4] = ["css", "js", "svg", "txt"];

fn main() {
    println!("cargo::rerun-if-changed=assets");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("compressed");
    // Start empty, so a file removed from assets/ leaves no compressed copy behind.
    let _ = fs::remove_dir_all(&out);
    fs::create_dir_all(&out).expect("create OUT_DIR/compressed");
    compress_tree(Path::new("assets"), Path::new(""), &out);
}

fn compress_tree(root: &Path, relative: &Path, out: &Path) {
    let dir = root.join(relative);
    let mut entries: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("read {}: {err}", dir.display()))
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let path = relative.join(entry.file_name());
        let file_type = entry.file_type().expect("file type");
        if file_type.is_dir() {
            compress_tree(root, &path, out);
            continue;
        }
        let is_text = path
            .extension()
            .and_then(|ext| ext.to_str())
            .is_some_and(|ext| TEXT_TYPES.contains(&ext));
        if !is_text {
            continue;
        }
        let data = fs::read(root.join(&path)).expect("read asset");
        let target = out.join(&path);
        fs::create_dir_all(target.parent().expect("a file has a parent")).expect("create dir");
        for (suffix, compressed) in [("br", brotli(&data)), ("gz", gzip(&data))] {
            if compressed.len() < data.len() {
                let name = format!("{}.{suffix}", target.display());
                fs::write(&name, compressed).unwrap_or_else(|err| panic!("write {name}: {err}"));
            }
        }
    }
}

fn brotli(data: &[u8]) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let mut compressed = Vec::new();
    brotli::BrotliCompress(&mut &data[..], &mut compressed, &params).expect("brotli");
    compressed
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).expect("gzip");
    encoder.finish().expect("gzip")
}
