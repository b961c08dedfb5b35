//! External programs run on files that come from anyone (an uploaded attachment, a published
//! report a crawler saved), so they never run unbounded. This is the one runner the auditor
//! (`gongkai_audit::bounded`) and the attachment extractor (`gongkai_search::extract`) share:
//!
//! - a wall-clock [`Deadline`]: past it the program and everything it started are killed (it
//!   runs in a process group of its own);
//! - an address-space limit (`RLIMIT_AS`) and a CPU-time limit (the time left, a second guard
//!   beside the wall clock), set in the child before it starts;
//! - a cap on the output kept (the rest is drained and dropped, so the child never blocks on a
//!   full pipe);
//! - a cap on how many run at once, counted in the caller's [`Slots`]; a run waits for a slot
//!   within its deadline.
//!
//! And [`read_entry_capped`]: a zip entry inflated only up to a cap, counted on the bytes
//! actually inflated (the declared size of an entry can lie).
//!
//! The callers turn a [`RunError`] into their own message in Chinese.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// The moment by which an external program (or all of one file's) must be done.
#[derive(Debug, Clone, Copy)]
pub struct Deadline(Instant);

impl Deadline {
    pub fn after(d: Duration) -> Deadline {
        Deadline(Instant::now() + d)
    }
    pub fn left(&self) -> Duration {
        self.0.saturating_duration_since(Instant::now())
    }
}

/// Why a bounded run failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    /// The program is not installed.
    Missing,
    /// Killed at the deadline.
    TimedOut,
    /// Killed by a signal: past its memory or CPU limit, or crashed.
    Killed,
    /// Exited with a failure status.
    Failed(Option<i32>),
    /// No slot became free before the deadline.
    Busy,
    /// Could not be started for another reason.
    Io(String),
}

/// The bounds of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// Address space of the program (`RLIMIT_AS`).
    pub memory_bytes: u64,
    /// Output kept from the program.
    pub max_output_bytes: usize,
    /// Programs of the same [`Slots`] running at once.
    pub max_concurrent: usize,
}

/// Slots for concurrent runs: a caller keeps one `static` pool per kind of work.
pub struct Slots {
    busy: Mutex<usize>,
    freed: Condvar,
}

impl Slots {
    pub const fn new() -> Slots {
        Slots {
            busy: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Waits for a free slot until `deadline`; the slot is given back when dropped.
    pub fn take(&self, max: usize, deadline: Deadline) -> Option<Slot<'_>> {
        let mut busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        while *busy >= max.max(1) {
            let left = deadline.left();
            if left.is_zero() {
                return None;
            }
            busy = self
                .freed
                .wait_timeout(busy, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        *busy += 1;
        Some(Slot(self))
    }
}

impl Default for Slots {
    fn default() -> Slots {
        Slots::new()
    }
}

/// A run's place among its [`Slots`], held until dropped.
pub struct Slot<'a>(&'a Slots);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut busy = self.0.busy.lock().unwrap_or_else(|e| e.into_inner());
        *busy = busy.saturating_sub(1);
        self.0.freed.notify_one();
    }
}

/// Runs `cmd` within `bounds` and `deadline`, one of `slots`' runs: `input` on its stdin, its
/// stdout returned (at most `max_output_bytes`). Blocks until the program ends or is killed.
pub fn run(
    mut cmd: Command,
    input: Option<Vec<u8>>,
    bounds: &Bounds,
    slots: &Slots,
    deadline: Deadline,
) -> Result<Vec<u8>, RunError> {
    let _slot = slots
        .take(bounds.max_concurrent, deadline)
        .ok_or(RunError::Busy)?;
    cmd.stdin(if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    limit_child(&mut cmd, bounds, deadline.left());
    let mut child = cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => RunError::Missing,
        _ => RunError::Io(e.to_string()),
    })?;
    // Write and read on other threads: a large input fills the stdout pipe before stdin is
    // consumed, and this thread watches the clock.
    let writer = match (child.stdin.take(), input) {
        (Some(mut stdin), Some(data)) => Some(std::thread::spawn(move || {
            let _ = stdin.write_all(&data);
        })),
        _ => None,
    };
    let Some(mut stdout) = child.stdout.take() else {
        kill_group(&mut child);
        let _ = child.wait();
        return Err(RunError::Io("no stdout".into()));
    };
    let cap = bounds.max_output_bytes as u64;
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = (&mut stdout).take(cap).read_to_end(&mut out);
        let _ = std::io::copy(&mut stdout, &mut std::io::sink());
        out
    });
    let (status, timed_out) = wait(&mut child, deadline);
    if let Some(w) = writer {
        let _ = w.join();
    }
    let out = reader.join().unwrap_or_default();
    if timed_out {
        return Err(RunError::TimedOut);
    }
    match status {
        Some(s) if s.success() => Ok(out),
        Some(s) if exit_signal(&s).is_some() => Err(RunError::Killed),
        Some(s) => Err(RunError::Failed(s.code())),
        None => Err(RunError::Killed),
    }
}

/// Waits for the child until `deadline`, killing its group then; whether it timed out.
fn wait(
    child: &mut std::process::Child,
    deadline: Deadline,
) -> (Option<std::process::ExitStatus>, bool) {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return (Some(status), false),
            Ok(None) if deadline.left().is_zero() => {
                kill_group(child);
                return (child.wait().ok(), true);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => {
                kill_group(child);
                return (child.wait().ok(), false);
            }
        }
    }
}

/// Kills the child and whatever it started (it runs in a process group of its own), so no
/// grandchild keeps its output open.
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    // SAFETY: kill(2) on the child's own process group, which `limit_child` created.
    unsafe {
        libc::kill(-(child.id() as i32), libc::SIGKILL);
    }
    let _ = child.kill();
}

#[cfg(unix)]
fn exit_signal(s: &std::process::ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    s.signal()
}

#[cfg(not(unix))]
fn exit_signal(_: &std::process::ExitStatus) -> Option<i32> {
    None
}

/// Puts the child in a process group of its own and limits its address space and its CPU time
/// (a second guard beside the wall clock) before it runs.
#[cfg(unix)]
fn limit_child(cmd: &mut Command, bounds: &Bounds, left: Duration) {
    use std::os::unix::process::CommandExt;
    cmd.process_group(0);
    let mem = bounds.memory_bytes as libc::rlim_t;
    let cpu = left.as_secs().saturating_add(1) as libc::rlim_t;
    // SAFETY: only setrlimit, which is async-signal-safe, runs between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            for (resource, value) in [(libc::RLIMIT_AS, mem), (libc::RLIMIT_CPU, cpu)] {
                let lim = libc::rlimit {
                    rlim_cur: value,
                    rlim_max: value,
                };
                if libc::setrlimit(resource, &lim) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            Ok(())
        });
    }
}

#[cfg(not(unix))]
fn limit_child(_: &mut Command, _: &Bounds, _: Duration) {}

/// Why a zip entry was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryError {
    /// It inflates past the cap (the cap in bytes).
    TooBig(u64),
    /// The archive could not give it (the zip library's words).
    Unreadable(String),
    /// Inflating it failed.
    Failed(String),
}

/// Reads at most `max` inflated bytes of a zip entry (`None` when there is no such entry).
pub fn read_entry_capped<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &str,
    max: u64,
) -> Result<Option<Vec<u8>>, EntryError> {
    let mut file = match archive.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(EntryError::Unreadable(e.to_string())),
    };
    if file.size() > max {
        return Err(EntryError::TooBig(max));
    }
    let mut buf = Vec::with_capacity(file.size() as usize);
    (&mut file)
        .take(max + 1)
        .read_to_end(&mut buf)
        .map_err(|e| EntryError::Failed(e.to_string()))?;
    if buf.len() as u64 > max {
        return Err(EntryError::TooBig(max));
    }
    Ok(Some(buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds() -> Bounds {
        Bounds {
            memory_bytes: 256 * 1024 * 1024,
            max_output_bytes: 10,
            max_concurrent: 1,
        }
    }

    #[test]
    fn output_is_capped_and_the_rest_drained() {
        static SLOTS: Slots = Slots::new();
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "yes | head -c 100000"]);
        let out = run(
            cmd,
            None,
            &bounds(),
            &SLOTS,
            Deadline::after(Duration::from_secs(10)),
        );
        assert_eq!(out, Ok(b"y\ny\ny\ny\ny\n".to_vec()));
    }

    #[test]
    fn input_reaches_the_program() {
        static SLOTS: Slots = Slots::new();
        let out = run(
            Command::new("cat"),
            Some(b"abc".to_vec()),
            &bounds(),
            &SLOTS,
            Deadline::after(Duration::from_secs(10)),
        );
        assert_eq!(out, Ok(b"abc".to_vec()));
    }

    #[test]
    fn a_program_past_its_deadline_is_killed() {
        static SLOTS: Slots = Slots::new();
        let mut cmd = Command::new("sh");
        // The grandchild holds stdout open too: the read ends only when the group is killed.
        cmd.args(["-c", "sleep 30 & sleep 30"]);
        let out = run(
            cmd,
            None,
            &bounds(),
            &SLOTS,
            Deadline::after(Duration::from_millis(200)),
        );
        assert_eq!(out, Err(RunError::TimedOut));
    }

    #[test]
    fn a_missing_program_and_a_failure_are_told_apart() {
        static SLOTS: Slots = Slots::new();
        let d = || Deadline::after(Duration::from_secs(10));
        let missing = run(
            Command::new("gongkai-no-such-program"),
            None,
            &bounds(),
            &SLOTS,
            d(),
        );
        assert_eq!(missing, Err(RunError::Missing));
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "exit 3"]);
        assert_eq!(
            run(cmd, None, &bounds(), &SLOTS, d()),
            Err(RunError::Failed(Some(3)))
        );
    }

    #[test]
    fn no_free_slot_before_the_deadline_is_busy() {
        static SLOTS: Slots = Slots::new();
        let _held = SLOTS
            .take(1, Deadline::after(Duration::from_secs(1)))
            .expect("a slot");
        let out = run(
            Command::new("true"),
            None,
            &bounds(),
            &SLOTS,
            Deadline::after(Duration::from_millis(50)),
        );
        assert_eq!(out, Err(RunError::Busy));
    }
}
