from sopctl.engine import Engine


def test_walk_personnel_sop_with_correction(engine: Engine, clock) -> None:
    view = engine.start("pengelolaan-data-kepegawaian", "Mutasi a.n. Siti Aminah")
    iid = view.state.id
    assert iid == "PDK-2026-0001"
    for _ in range(3):
        clock.advance(minutes=10)
        engine.done(iid, by="siti")
    clock.advance(minutes=10)
    engine.decide(iid, "tidak", by="budi")
    for _ in range(2):
        clock.advance(minutes=10)
        engine.done(iid, by="siti")
    clock.advance(minutes=10)
    engine.decide(iid, "Ya", by="budi")
    for _ in range(6):
        clock.advance(minutes=10)
        view = engine.done(iid, by="siti", as_lane=None) if _ in (0, 1) else view
        if _ >= 2:
            step = next(iter(view.state.current))
            lane = view.flow.step(step).lanes[0]
            view = engine.done(iid, by="x", as_lane=lane)
    assert view.state.state == "done"
    assert [r.step for r in view.state.runs] == [1, 2, 3, 4, 2, 3, 4, 5, 6, 7, 8, 9, 10]
