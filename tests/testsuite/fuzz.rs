//! The fuzz targets' corpora and crash reproducers, replayed: every input
//! `cargo fuzz` kept (`fuzz/corpus/<target>/`) and every one that once broke
//! gazette (`fuzz/regressions/<target>/`) goes through the same function
//! the target runs, in `gazette::fuzz`. None may panic or take long.

use std::path::Path;
use std::time::{Duration, Instant};

/// What a fuzz target runs on one input.
type Target = fn(&[u8]);

/// Runs `target` on every file of the corpus and the regressions of
/// `name`; returns how many inputs there were.
fn replay(name: &str, target: Target) -> usize {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut count = 0;
    for folder in ["corpus", "regressions"] {
        let dir = fuzz.join(folder).join(name);
        let Ok(files) = std::fs::read_dir(&dir) else {
            continue;
        };
        for file in files.filter_map(Result::ok) {
            let bytes = std::fs::read(file.path()).expect("read");
            let started = Instant::now();
            let outcome = std::panic::catch_unwind(|| target(&bytes));
            assert!(
                outcome.is_ok(),
                "{name} panics on {}",
                file.path().display()
            );
            // Generous for a debug build on a shared machine: a blow-up is
            // seconds to minutes.
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "{name} took {:?} on {}",
                started.elapsed(),
                file.path().display()
            );
            count += 1;
        }
    }
    count
}

#[test]
fn fuzz_corpora_and_crashes_replay_cleanly() {
    let targets: [(&str, Target); 6] = [
        ("entry_file", gazette::fuzz::entry_file),
        ("front_matter", gazette::fuzz::front_matter),
        ("site_yaml", gazette::fuzz::site_yaml),
        ("outlets_yaml", gazette::fuzz::outlets_yaml),
        ("markdown", gazette::fuzz::markdown),
        ("url", gazette::fuzz::url),
    ];
    for (name, target) in targets {
        let count = replay(name, target);
        assert!(count > 0, "no corpus for the fuzz target `{name}`");
        println!("{name}: {count} inputs");
    }
}
