"""--sop and --lane filters: a typo is refused instead of matching nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sopctl.errors import NotFoundError, UsageError
from sopctl.filters import check_filters
from sopctl.run.engine import Engine
from sopctl.sop.loader import Catalog, load_catalog
from sopctl.store import Store
from tests.conftest import SOPS, Clock

PDK = "pengelolaan-data-kepegawaian"
SIMPEG = "pemeliharaan-simpeg"


def _refused(engine: Engine, **filters: str) -> str:
    with pytest.raises(NotFoundError) as caught:
        check_filters(engine, **filters)
    assert caught.value.exit_code == 2
    return str(caught.value)


def test_sops_and_lanes_of_the_catalogue_pass_without_instances(engine: Engine) -> None:
    check_filters(engine, sop=PDK, lane="kasubag-umpeg")
    check_filters(engine, sop=SIMPEG)
    check_filters(engine, lane="kepala-sub-bidang")


def test_a_mistyped_sop_is_refused_with_the_nearest_id(engine: Engine) -> None:
    assert _refused(engine, sop="pengelolaan-data-kepegawai") == (
        f'no SOP "pengelolaan-data-kepegawai" in the catalogue or the store (did you mean "{PDK}"?)'
    )
    assert _refused(engine, sop="nope") == (
        f'no SOP "nope" in the catalogue or the store; known: {SIMPEG}, {PDK}, '
        "pengelolaan-surat-masuk, pengumpulan-data-capaian-kinerja"
    )


def test_a_lane_name_where_its_id_is_wanted_names_the_id(engine: Engine) -> None:
    assert _refused(engine, lane="Kepala Sub Bidang") == (
        'no lane "Kepala Sub Bidang" in any SOP (--lane takes a lane id: did you mean "kepala-sub-bidang"?)'
    )
    assert _refused(engine, lane="Kasubag") == (
        'no lane "Kasubag" in any SOP (--lane takes a lane id: did you mean "kasubag-umpeg"?)'
    )


def test_a_mistyped_lane_is_refused(engine: Engine) -> None:
    assert (
        _refused(engine, lane="kasubag-umpg")
        == 'no lane "kasubag-umpg" in any SOP (did you mean "kasubag-umpeg"?)'
    )
    assert _refused(engine, lane="nope") == (
        'no lane "nope" in any SOP (lanes are ids like bagian-umum, kasubag-umpeg, kepala, …)'
    )


def test_a_lane_of_another_sop_is_refused_with_the_sops_lanes(engine: Engine) -> None:
    assert _refused(engine, sop=SIMPEG, lane="kasubag-umpeg") == (
        f'no lane "kasubag-umpeg" in SOP "{SIMPEG}" '
        "(its lanes: kepala-badan, kepala-bidang, kepala-sub-bidang, staf-sub-bidang)"
    )


def test_the_unknown_sop_is_named_before_its_lane(engine: Engine) -> None:
    assert _refused(engine, sop="nope", lane="nope").startswith('no SOP "nope"')


def test_an_sop_whose_file_was_removed_is_still_known_by_its_instances(
    store: Store, clock: Clock, tmp_path: Path
) -> None:
    folder = tmp_path / "sops"
    folder.mkdir()
    shutil.copy(SOPS / f"{PDK}.yaml", folder)
    Engine(store, load_catalog([folder]), clock).start(PDK, "Kasus")
    (folder / f"{PDK}.yaml").unlink()
    engine = Engine(store, load_catalog([folder]), clock)
    check_filters(engine, sop=PDK, lane="kepala-dinas")
    assert _refused(engine, sop=SIMPEG) == f'no SOP "{SIMPEG}" in the catalogue or the store; known: {PDK}'


def test_a_filter_found_in_the_store_does_not_load_the_catalogue(
    engine: Engine, store: Store, catalog: Catalog, clock: Clock
) -> None:
    engine.start(PDK, "Kasus")

    def not_needed() -> Catalog:
        raise AssertionError("the catalogue was loaded")

    check_filters(Engine(store, not_needed, clock), sop=PDK, lane="kasubag-umpeg")


def test_without_a_catalogue_folder_the_store_is_all_there_is(
    engine: Engine, store: Store, clock: Clock
) -> None:
    engine.start(PDK, "Kasus")

    def missing() -> Catalog:
        raise UsageError("the catalogue folder sops does not exist")

    without = Engine(store, missing, clock)
    check_filters(without, sop=PDK)
    assert _refused(without, sop=SIMPEG) == f'no SOP "{SIMPEG}" in the catalogue or the store; known: {PDK}'
