//! Passwords: the policy a new one must meet, and argon2id hashing off the async workers (it is
//! deliberately slow). The store only ever sees hashes.

use crate::{Error, Result};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;

/// A random secret, hex encoded (32 bytes = 256 bits): session and API tokens.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// What is stored of a secret token.
pub fn sha256_hex(s: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// Password hashes (argon2id, 19 MiB each) computed at once; more wait their turn.
pub const HASHING_AT_ONCE: usize = 2;
/// Hashes waiting for their turn; past this a login answers 503 with `Retry-After`, so a burst
/// of logins can neither exhaust memory nor queue without bound.
pub const HASHING_QUEUE: usize = 32;

/// A hashing job for the argon2 threads.
type HashJob = Box<dyn FnOnce() + Send>;

/// Password checks of clients the account has logged in from before (a known device, see
/// `gongkai_web::auth::login`): their own argon2 thread and queue, so a flood of logins from
/// unknown clients that fills the common queue never makes an officer wait or see 503.
pub const KNOWN_DEVICE_QUEUE: usize = 8;

/// A set of argon2 threads and their queue. Dedicated threads, not the blocking pool: glibc
/// keeps the 19 MiB an argon2 run allocates in the arena of the thread that ran it, so hashing
/// on whichever of hundreds of blocking threads is free would keep hundreds of such blocks (the
/// issue's 7 GB); a few threads keep a few.
fn lane(threads: usize, queue: usize, name: &str) -> std::sync::mpsc::SyncSender<HashJob> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<HashJob>(queue);
    let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
    for i in 0..threads {
        let rx = rx.clone();
        std::thread::Builder::new()
            .name(format!("{name}-{i}"))
            .spawn(move || {
                loop {
                    let job = match rx.lock().unwrap_or_else(|e| e.into_inner()).recv() {
                        Ok(job) => job,
                        Err(_) => return,
                    };
                    // A panicking job must not take a hashing thread with it.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                }
            })
            .expect("cannot start an argon2 thread");
    }
    tx
}

/// The common lane: [`HASHING_AT_ONCE`] threads behind [`HASHING_QUEUE`].
fn hashers() -> &'static std::sync::mpsc::SyncSender<HashJob> {
    static HASHERS: std::sync::OnceLock<std::sync::mpsc::SyncSender<HashJob>> =
        std::sync::OnceLock::new();
    HASHERS.get_or_init(|| lane(HASHING_AT_ONCE, HASHING_QUEUE, "argon2"))
}

/// The known devices' lane: one thread behind [`KNOWN_DEVICE_QUEUE`].
fn known_hashers() -> &'static std::sync::mpsc::SyncSender<HashJob> {
    static HASHERS: std::sync::OnceLock<std::sync::mpsc::SyncSender<HashJob>> =
        std::sync::OnceLock::new();
    HASHERS.get_or_init(|| lane(1, KNOWN_DEVICE_QUEUE, "argon2-known"))
}

/// Runs `f` (argon2) on one of the [`HASHING_AT_ONCE`] argon2 threads, behind a queue of
/// [`HASHING_QUEUE`]; past that, [`Error::Busy`] without running it.
async fn hashing<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    hashing_on(hashers(), f).await
}

async fn hashing_on<T: Send + 'static>(
    lane: &std::sync::mpsc::SyncSender<HashJob>,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    use std::sync::mpsc::TrySendError;
    let (tx, rx) = std::sync::mpsc::channel();
    let job: HashJob = Box::new(move || {
        let _ = tx.send(f());
    });
    match lane.try_send(job) {
        Ok(()) => {}
        Err(TrySendError::Full(_)) => {
            tracing::warn!("password hashing queue full; answering 503");
            return Err(Error::Busy);
        }
        Err(TrySendError::Disconnected(_)) => {
            return Err(Error::Internal("argon2 threads stopped".into()));
        }
    }
    // Waiting for the answer blocks a thread of the blocking pool, which allocates nothing.
    tokio::task::spawn_blocking(move || rx.recv())
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .map_err(|_| Error::Internal("argon2 job failed".into()))
}

/// Hashes a password with argon2id off the async runtime (it is deliberately slow), behind the
/// hashing queue.
pub async fn hash_password(password: String) -> Result<String> {
    hashing(move || {
        let mut salt = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut salt);
        let salt = SaltString::encode_b64(&salt).map_err(|e| Error::Internal(e.to_string()))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| Error::Internal(e.to_string()))
    })
    .await?
}

/// Checks a password against a stored hash, off the async runtime, behind the hashing queue.
pub async fn verify_password(password: String, hash: String) -> Result<bool> {
    hashing(move || verify(&password, &hash)).await
}

/// [`verify_password`] for a client the account has logged in from before, on its own lane
/// ([`KNOWN_DEVICE_QUEUE`]).
pub async fn verify_password_known(password: String, hash: String) -> Result<bool> {
    hashing_on(known_hashers(), move || verify(&password, &hash)).await
}

fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Passwords (and the words under them) that appear at the top of every leaked-password list;
/// matched case-insensitively on the letters alone, so `Password1!` and `P@ssword2024` are
/// refused with `password`.
const COMMON_WORDS: &[&str] = &[
    "password",
    "passwort",
    "passw",
    "pass",
    "pwd",
    "qwerty",
    "qwertyuiop",
    "qwer",
    "asdf",
    "asdfgh",
    "asdfghjkl",
    "zxcvbn",
    "zxcvbnm",
    "qazwsx",
    "qwe",
    "qweasd",
    "qweasdzxc",
    "abc",
    "abcd",
    "abcde",
    "abcdef",
    "abcdefg",
    "abcdefgh",
    "admin",
    "administrator",
    "root",
    "user",
    "test",
    "guest",
    "welcome",
    "letmein",
    "iloveyou",
    "monkey",
    "dragon",
    "master",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "shadow",
    "superman",
    "trustno",
    "changeme",
    "secret",
    "default",
    "login",
    "woaini",
    "wang",
    "zhang",
    "china",
    "beijing",
    "shanghai",
    "gongkai",
    "a",
    "p",
    "q",
    "x",
];

/// Words that make a password common wherever they stand in it.
const COMMON_INSIDE: &[&str] = &[
    "password", "passwort", "qwerty", "iloveyou", "letmein", "welcome", "admin", "woaini",
];

/// Whole passwords often tried that the word rule above does not catch.
const COMMON_PASSWORDS: &[&str] = &[
    "1234567890",
    "12345678910",
    "0123456789",
    "1q2w3e4r5t",
    "1qaz2wsx3edc",
    "1qaz@wsx",
    "1qaz!qaz",
    "1q2w3e4r!",
    "zaq12wsx",
    "!qaz2wsx",
    "5201314",
    "52013145201314",
    "a1b2c3d4e5",
];

/// The password with the usual substitutions undone (`@`→a, `0`→o, `$`→s…), lower case.
fn unleet(p: &str) -> String {
    p.chars()
        .map(|c| match c {
            '@' | '4' => 'a',
            '0' => 'o',
            '$' | '5' => 's',
            '3' => 'e',
            '1' | '!' => 'i',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Digits anyone tries after a word: a run up or down (123, 1234, 987), one digit repeated
/// (888, 0000), a year (1950–2039), 520/1314 and their kin.
fn trivial_digits(d: &str) -> bool {
    let b = d.as_bytes();
    if b.is_empty() {
        return true;
    }
    let step = |k: i8| b.windows(2).all(|w| w[1] as i8 - w[0] as i8 == k);
    let year = d.len() == 4 && d.parse::<u32>().is_ok_and(|y| (1950..=2039).contains(&y));
    step(1)
        || step(-1)
        || step(0)
        || year
        || ["520", "1314", "5201314", "666", "168", "8888"].contains(&d)
}

/// The shape of `Huawei@123`, `Gongkai#2024`, `Admin!888`: one word, a symbol or none, then
/// trivial digits (or the digits first) — the first guess of every dictionary attack's rules,
/// whatever the word (a company, the organ's initials, a name).
fn word_and_trivial_digits(p: &str) -> bool {
    let trimmed = p.trim_matches(|c: char| !c.is_alphanumeric());
    let (word, rest): (String, String) = {
        let i = trimmed
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(trimmed.len());
        if i > 0 {
            (trimmed[..i].to_string(), trimmed[i..].to_string())
        } else {
            // Digits first: 123@Huawei.
            let j = trimmed
                .find(|c: char| c.is_ascii_alphabetic())
                .unwrap_or(trimmed.len());
            (trimmed[j..].to_string(), trimmed[..j].to_string())
        }
    };
    if word.is_empty() || word.len() > 12 || !word.chars().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    let digits: String = rest.chars().filter(|c| !c.is_ascii_punctuation()).collect();
    digits.chars().all(|c| c.is_ascii_digit()) && trivial_digits(&digits)
}

/// Is this one of the passwords every guessing list starts with?
pub fn is_common_password(p: &str) -> bool {
    if word_and_trivial_digits(p) {
        return true;
    }
    let lower = p.to_lowercase();
    if COMMON_PASSWORDS.iter().any(|c| lower.contains(c)) {
        return true;
    }
    let unleeted = unleet(p);
    if COMMON_INSIDE
        .iter()
        .any(|w| lower.contains(w) || unleeted.contains(w))
    {
        return true;
    }
    // The letters alone: a common word, possibly repeated, with digits and symbols around it.
    let letters: String = lower.chars().filter(|c| c.is_alphabetic()).collect();
    letters.is_empty()
        || COMMON_WORDS.iter().any(|w| {
            letters.len().is_multiple_of(w.len()) && letters == w.repeat(letters.len() / w.len())
        })
}

/// Checks a new password is acceptable; the message says what is wrong.
pub fn check_new_password(p: &str) -> Result<(), String> {
    if p.chars().count() < 10 {
        return Err("密码至少需要10个字符".into());
    }
    let classes = [
        p.chars().any(|c| c.is_ascii_lowercase()),
        p.chars().any(|c| c.is_ascii_uppercase()),
        p.chars().any(|c| c.is_ascii_digit()),
        p.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if classes.iter().filter(|x| **x).count() < 3 {
        return Err("密码须包含大写字母、小写字母、数字、符号中的至少三类".into());
    }
    if is_common_password(p) {
        return Err("该密码过于常见，容易被猜中，请换一个".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_passwords_are_refused() {
        for p in [
            "Password1!",
            "Password123!",
            "P@ssw0rd2024",
            "Qwerty12345!",
            "Admin@123456",
            "Welcome2026!",
            "1qaz@WSX3edc",
            "Abc123456789!",
            "Woaini5201314!",
            // Issue 33: a word, a symbol and trivial digits.
            "Huawei@123",
            "Huawei@1234",
            "Gongkai#2024",
            "Lingwu!888888",
            "Zhengfu@123456",
            "123456@Huawei",
            "Tencent.4321",
        ] {
            assert!(check_new_password(p).is_err(), "{p} should be refused");
        }
        for p in [
            "Huanghe-Liu2026",
            "x7Kp!mR2vQ9s",
            "教育局Gk-2026-春",
            "Huawei@7391",
            "Correct-Horse-42",
            "Temporary-Pass-77",
            "Qiuyue-Lanhe-2025",
        ] {
            assert_eq!(check_new_password(p), Ok(()), "{p} should pass");
        }
    }
}
