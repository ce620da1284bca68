//! How long each stage of a run took, for the benchmark: on when the
//! environment sets `GAZETTE_TIMINGS`, and then printed by the CLI after a
//! build. Off, a stage costs one check of a flag.

use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

static ON: LazyLock<bool> = LazyLock::new(|| std::env::var_os("GAZETTE_TIMINGS").is_some());
static STAGES: Mutex<Vec<(&'static str, Duration, Option<u64>)>> = Mutex::new(Vec::new());

/// A stage being timed: recorded when it is dropped.
pub struct Stage {
    name: &'static str,
    started: Option<Instant>,
}

/// Starts timing the stage `name`, until the value returned is dropped.
pub fn stage(name: &'static str) -> Stage {
    Stage {
        name,
        started: ON.then(Instant::now),
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if let Some(started) = self.started
            && let Ok(mut stages) = STAGES.lock()
        {
            stages.push((self.name, started.elapsed(), resident_mib()));
        }
    }
}

/// `stage: 12.3 ms` lines (with the memory resident when it ended, where
/// the system says), in the order the stages ended since the last report;
/// `None` when off.
pub fn report() -> Option<String> {
    if !*ON {
        return None;
    }
    let stages = std::mem::take(&mut *STAGES.lock().ok()?);
    Some(
        stages
            .iter()
            .map(|(name, took, mib)| {
                let ms = took.as_secs_f64() * 1000.0;
                match mib {
                    Some(mib) => format!("{name}: {ms:.1} ms ({mib} MiB resident)\n"),
                    None => format!("{name}: {ms:.1} ms\n"),
                }
            })
            .collect(),
    )
}

/// The memory the process holds now, in MiB (Linux's `VmRSS`).
fn resident_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}
