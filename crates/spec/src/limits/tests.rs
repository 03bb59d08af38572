use super::*;

fn refused(text: &str) -> Refusal {
    screen(text, &Limits::default()).expect_err("refused")
}

#[test]
fn ordinary_sweeps_pass() {
    let text = "name: a # it's a comment ]]]\ndescription: don't [ stop\nbase:\n  task: { kind: copy, length: 10 }\ngrid:\n  task: [{ kind: adding }, { kind: copy }]\n";
    assert_eq!(screen(text, &Limits::default()), Ok(()));
}

#[test]
fn deep_flow_nesting_is_refused_where_it_passes_the_bound() {
    let text = format!("name: a\nbase: {}{}\n", "[".repeat(40), "]".repeat(40));
    let r = refused(&text);
    assert_eq!(
        r.location,
        Some(Location {
            line: 2,
            column: 39
        })
    );
    assert!(r.message.contains("nested 33 deep"), "{}", r.message);
}

#[test]
fn closing_brackets_inside_quotes_do_not_hide_depth() {
    // Real depth grows by one per `[ "]"`; a count that took the quoted `]` would stay at 1.
    let text = format!("base: {}\n", "[ \"]\", 'x]' ".repeat(40));
    assert!(flow_depth(&text, 32).is_some());
    // The same with the quotes' contents written as escapes and doubled quotes.
    let text = format!("base: {}\n", "[ \"a\\\"]\", 'it''s]', ".repeat(40));
    assert!(flow_depth(&text, 32).is_some());
}

#[test]
fn closed_brackets_in_many_lines_stay_shallow() {
    let text = "  - { a: [1, 2], b: 'x' }\n".repeat(1000);
    assert_eq!(flow_depth(&text, 32), None);
}

#[test]
fn deep_block_nesting_is_refused_with_its_position() {
    let text = format!("name: a\nbase:\n  {}x\n", "- ".repeat(40));
    let r = refused(&text);
    assert!(r.message.contains("nested more than 32"), "{}", r.message);
    assert_eq!(r.location.map(|l| l.line), Some(3));
}

#[test]
fn aliases_that_expand_past_the_budget_are_refused() {
    let big = vec!["1"; 1000].join(",");
    let refs = vec!["*a"; 300].join(",");
    let text = format!("name: x\na: &a [{big}]\nb: [{refs}]\n");
    let r = refused(&text);
    assert!(
        r.message.contains("more than 200000 values"),
        "{}",
        r.message
    );
    // Fewer repeats fit.
    let refs = vec!["*a"; 100].join(",");
    let text = format!("name: x\na: &a [{big}]\nb: [{refs}]\n");
    assert_eq!(screen(&text, &Limits::default()), Ok(()));
}

#[test]
fn large_files_are_refused_before_parsing() {
    let text = format!("name: a\ndescription: {}\n", "x".repeat(300_000));
    assert!(refused(&text)
        .message
        .contains("the file has more than the 262144 bytes"));
}
