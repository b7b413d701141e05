use super::*;

fn engine() -> Engine {
    Engine::new(true, None, PathBuf::new())
}

#[test]
fn commands_split_across_reads_are_parsed_once_complete() {
    let mut e = engine();
    let stream = b"\x1b@Hi\n\x1d(k\x07\x001P0ABCD\x1d(k\x03\x001Q0\x1dVA\x03";
    for chunk in stream.chunks(3) {
        assert!(e.feed(chunk).is_empty());
    }
    assert_eq!(e.output, vec!["Hi", "[QR: ABCD]", "--- cut ---"]);
}

#[test]
fn replies_follow_the_state() {
    let mut e = engine();
    assert_eq!(e.feed(&[0x10, 0x04, 1, 0x10, 0x04, 4]), vec![0x12, 0x12]);
    e.conditions.paper = Some(Paper::Out);
    assert_eq!(
        e.feed(&[0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4]),
        vec![0x1A, 0x32, 0x12, 0x7E]
    );
    e.conditions.one_way = true;
    assert!(e.feed(&[0x10, 0x04, 1]).is_empty());
    assert_eq!(e.status_queries, 7);
}

#[test]
fn held_job_prints_after_paper_unless_cleared() {
    let mut e = engine();
    e.conditions.paper = Some(Paper::Out);
    e.feed(b"stale\n\x1dVA\x03");
    assert!(e.output.is_empty());
    e.conditions.paper = Some(Paper::Ok);
    e.resume();
    assert_eq!(e.output, vec!["stale", "--- cut ---"]);

    let mut e = engine();
    e.conditions.paper = Some(Paper::Out);
    e.feed(b"stale\n\x1dVA\x03\x10\x05\x02\x1b@");
    e.conditions.paper = Some(Paper::Ok);
    e.resume();
    assert!(e.output.is_empty());
}
