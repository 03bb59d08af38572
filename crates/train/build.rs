//! libtorch's rpath (build/libtorch_rpath.rs, shared with the other crates that link it) and
//! the git commit stamped into summary.json (build/git_commit.rs).
#[path = "../../build/git_commit.rs"]
mod git_commit;
#[path = "../../build/libtorch_rpath.rs"]
mod libtorch_rpath;

fn main() {
    libtorch_rpath::main();
    git_commit::emit();
}
