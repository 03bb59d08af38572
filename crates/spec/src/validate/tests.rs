use super::*;
use std::path::Path;

fn errors(text: &str) -> Vec<String> {
    let mut diag = Diag::new(Path::new("s.yaml"), Some(text));
    parse_sweep(text, &mut diag);
    diag.errors.iter().map(ToString::to_string).collect()
}

#[test]
fn top_level_typos_are_located_and_explained() {
    let e = errors("name: a\nbase: {}\nseed: [1]\n");
    assert_eq!(e.len(), 1);
    assert!(
        e[0].starts_with("s.yaml: seed (line 3 column 1): unknown field `seed` in the sweep; did you mean `seeds`?"),
        "{}",
        e[0]
    );
}

#[test]
fn every_bad_part_is_reported() {
    let e = errors("name: [a]\nbase: {}\nseeds: [1, x]\nclaims:\n  - { name: c, metrc: m }\n");
    assert_eq!(e.len(), 3, "{e:#?}");
    assert!(e[0].contains("name (line 1 column 7)"), "{}", e[0]);
    assert!(e[1].contains("seeds[1] (line 3 column 12)"), "{}", e[1]);
    assert!(
        e[2].contains("claims[0].metrc (line 5 column 16)"),
        "{}",
        e[2]
    );
}

#[test]
fn missing_required_parts_say_what_to_add() {
    let e = errors("description: x\n");
    assert_eq!(e.len(), 2);
    assert!(e[0].contains("missing `name`"));
    assert!(e[1].contains("missing `base`"));
}

#[test]
fn syntax_errors_keep_the_parser_position() {
    let e = errors("name: a\nbase: {\n");
    assert_eq!(e.len(), 1);
    assert!(e[0].contains("line"), "{}", e[0]);
}
