//! How long each stage of a run took, and each template's renders, for
//! the benchmark and for theme authors: on when the environment sets
//! `GAZETTE_TIMINGS`, and then printed by the CLI after a build. Off, a
//! stage or a render costs one check of a flag.

use std::collections::BTreeMap;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

static ON: LazyLock<bool> = LazyLock::new(|| std::env::var_os("GAZETTE_TIMINGS").is_some());
static STAGES: Mutex<Vec<Record>> = Mutex::new(Vec::new());
/// Each template's renders since the last report: how many, and the CPU
/// time of the threads that made them.
static TEMPLATES: Mutex<BTreeMap<String, (usize, Duration)>> = Mutex::new(BTreeMap::new());

/// A stage's name, wall time, CPU time of all threads, and the memory
/// resident when it ended.
type Record = (&'static str, Duration, Option<Duration>, Option<u64>);

/// A stage being timed: recorded when it is dropped.
pub struct Stage {
    name: &'static str,
    started: Option<(Instant, Option<Duration>)>,
}

/// Starts timing the stage `name`, until the value returned is dropped.
pub fn stage(name: &'static str) -> Stage {
    Stage {
        name,
        started: ON.then(|| (Instant::now(), cpu_time(Cpu::Process))),
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if let Some((started, cpu)) = self.started
            && let Ok(mut stages) = STAGES.lock()
        {
            let cpu = cpu
                .zip(cpu_time(Cpu::Process))
                .map(|(then, now)| now.saturating_sub(then));
            stages.push((self.name, started.elapsed(), cpu, resident_mib()));
        }
    }
}

/// `render()`, counted as a render of `template` when timings are on: the
/// CPU time of the thread that renders it, so that work on other threads
/// does not count. It holds the layout the template extends and the
/// components it calls, which Tera renders within it.
pub fn template<T>(template: &str, render: impl FnOnce() -> T) -> T {
    if !*ON {
        return render();
    }
    let started = cpu_time(Cpu::Thread);
    let made = render();
    if let (Some(then), Some(now), Ok(mut templates)) =
        (started, cpu_time(Cpu::Thread), TEMPLATES.lock())
    {
        let took = now.saturating_sub(then);
        match templates.get_mut(template) {
            Some((count, total)) => {
                *count += 1;
                *total += took;
            }
            None => {
                templates.insert(template.to_owned(), (1, took));
            }
        }
    }
    made
}

/// `stage: 12.3 ms` lines (with the CPU time it took on all cores, and the
/// memory resident when it ended, where the system says), in the order the
/// stages ended since the last report, then `template name: …` lines, the
/// costliest first; `None` when off.
pub fn report() -> Option<String> {
    if !*ON {
        return None;
    }
    let stages = std::mem::take(&mut *STAGES.lock().ok()?);
    let mut templates: Vec<_> = std::mem::take(&mut *TEMPLATES.lock().ok()?)
        .into_iter()
        .collect();
    templates.sort_by(|(a, (_, a_took)), (b, (_, b_took))| b_took.cmp(a_took).then(a.cmp(b)));
    let templates = templates.into_iter().map(|(name, (count, took))| {
        let ms = took.as_secs_f64() * 1000.0;
        let each = took.as_secs_f64() * 1e6 / count as f64;
        let renders = crate::build::plural(count, "render", "renders");
        format!("template {name}: {renders}, {ms:.1} ms CPU, {each:.1} µs each\n")
    });
    Some(
        stages
            .iter()
            .map(|(name, took, cpu, mib)| {
                let ms = took.as_secs_f64() * 1000.0;
                let mut notes = Vec::new();
                if let Some(cpu) = cpu {
                    notes.push(format!("{:.0} ms CPU", cpu.as_secs_f64() * 1000.0));
                }
                if let Some(mib) = mib {
                    notes.push(format!("{mib} MiB resident"));
                }
                match notes.is_empty() {
                    true => format!("{name}: {ms:.1} ms\n"),
                    false => format!("{name}: {ms:.1} ms ({})\n", notes.join(", ")),
                }
            })
            .chain(templates)
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

/// Whose CPU time [`cpu_time`] reads.
#[derive(Clone, Copy)]
enum Cpu {
    /// The process, on all its threads.
    Process,
    /// The calling thread alone.
    Thread,
}

/// The CPU time `whose` has used.
#[cfg(unix)]
fn cpu_time(whose: Cpu) -> Option<Duration> {
    use rustix::time::ClockId;
    let clock = match whose {
        Cpu::Process => ClockId::ProcessCPUTime,
        Cpu::Thread => ClockId::ThreadCPUTime,
    };
    let t = rustix::time::clock_gettime(clock);
    Some(Duration::new(
        t.tv_sec.try_into().ok()?,
        t.tv_nsec.try_into().ok()?,
    ))
}

#[cfg(not(unix))]
fn cpu_time(_: Cpu) -> Option<Duration> {
    None
}
