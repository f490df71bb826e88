"""The user's intent decides a race: a command without --step acts only on the instance as it
was when the command began; a named step someone else finished is a conflict even when it
finished the instance; a command retried after an unclear failure recognises its own write."""

from __future__ import annotations

import pytest

from sopctl.errors import ConflictError
from sopctl.run.engine import Engine
from tests.conftest import Clock

PDK = "pengelolaan-data-kepegawaian"


def test_without_step_a_change_entered_after_the_command_began_is_a_conflict(
    engine: Engine, clock: Clock
) -> None:
    iid = engine.start(PDK, "Balapan").state.id
    began = clock.now  # the second user's command begins, having seen step 1 current
    clock.advance(seconds=1)
    engine.done(iid, by="siti")  # the first user completes step 1 meanwhile
    with pytest.raises(ConflictError) as caught:
        engine.done(iid, by="rina", seen_at=began)
    assert str(caught.value) == (
        f"instance {iid} changed after this command began (siti recorded step 1 at "
        "2026-03-02T08:00+07:00; current: 2): look at "
        f"`sopctl status {iid}` and name the step with --step"
    )
    assert len(engine.store.events(iid)) == 2  # nothing written
    # Begun after that change, it acts on the step current then, as before.
    assert engine.done(iid, by="rina", seen_at=clock.now).state.runs[-1].step == 2


def test_a_named_step_that_finished_the_instance_is_a_conflict(engine: Engine, clock: Clock) -> None:
    iid = engine.start(PDK, "Selesai").state.id
    for _ in range(12):
        view = engine.status(iid)
        if view.state.state != "running":
            break
        [number] = view.state.current
        clock.advance(minutes=5)
        if view.flow.step(number).kind == "decision":
            engine.decide(iid, "ya", by="budi")
        else:
            engine.done(iid, by="siti")
    assert engine.status(iid).state.state == "done"
    with pytest.raises(
        ConflictError, match=r"step 10 is no longer current \(done by siti at .*; the instance is done\)"
    ):
        engine.done(iid, by="rina", step=10)


def test_a_retried_command_recognises_its_own_write(engine: Engine, clock: Clock) -> None:
    iid = engine.start(PDK, "Ulang").state.id
    clock.advance(minutes=5)
    first = engine.done(iid, by="siti", step=1, note="berkas lengkap")
    assert not first.already
    # The same command again, as a script retries it when the server died at commit.
    again = engine.done(iid, by="siti", step=1, note="berkas lengkap")
    assert again.already and len(engine.store.events(iid)) == 2
    assert [engine.status(iid).flow.label(n) for n in again.state.current] == ["2"]
    # Anyone or anything else is a conflict, as before.
    for kwargs in ({"by": "rina"}, {"by": "siti", "note": "lain"}):
        with pytest.raises(ConflictError, match="step 1 is no longer current"):
            engine.done(iid, step=1, **kwargs)  # type: ignore[arg-type]
    for _ in range(2):  # steps 2 and 3
        clock.advance(minutes=5)
        engine.done(iid, by="siti")
    decided = engine.decide(iid, "Tidak", by="budi", step=4)
    assert not decided.already
    assert engine.decide(iid, "tidak", by="budi", step=4).already  # the label as typed
    with pytest.raises(ConflictError):
        engine.decide(iid, "Ya", by="budi", step=4)
    assert len(engine.store.events(iid)) == 5
