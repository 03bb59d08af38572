//! Build-script part that records the git commit being compiled as `RNNLAB_GIT_COMMIT`
//! (`git rev-parse --short HEAD`), read with `option_env!` (rnnlab-train stamps it into every
//! summary.json). Outside a git checkout, or without git, the variable is not set and the
//! commit is unknown. Uncommitted changes do not show: the commit is HEAD's.
//!
//! Cargo re-runs the script when HEAD moves: HEAD itself (checkout of another branch or a
//! detached commit), the branch's ref file, and packed-refs (where `git gc` moves refs).
//! Worktrees keep HEAD in their own git dir and refs in the common one: both are asked.
use std::path::PathBuf;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

pub fn emit() {
    println!("cargo:rerun-if-env-changed=RNNLAB_GIT_COMMIT");
    let (Some(git_dir), Some(common)) = (
        git(&["rev-parse", "--absolute-git-dir"]),
        git(&["rev-parse", "--git-common-dir"]),
    ) else {
        return;
    };
    let common = if PathBuf::from(&common).is_absolute() {
        PathBuf::from(common)
    } else {
        std::env::current_dir().unwrap_or_default().join(common)
    };
    println!("cargo:rerun-if-changed={git_dir}/HEAD");
    println!(
        "cargo:rerun-if-changed={}",
        common.join("packed-refs").display()
    );
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        println!("cargo:rerun-if-changed={}", common.join(branch).display());
    }
    if let Some(commit) = git(&["rev-parse", "--short", "HEAD"]) {
        println!("cargo:rustc-env=RNNLAB_GIT_COMMIT={commit}");
    }
}
