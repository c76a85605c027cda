"""``stats --db`` on PostgreSQL and MariaDB, with ``--station``, ``--year`` and ``--on``, equals
``stats`` of the programme itself on generated casework programmes (issue 12: the database
counts its ledger itself; the counts are the same as from the file)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgz_adapters import service
from sgz_adapters.storage.sql import ServerStorage
from sgz_core.model import Programme
from sgz_core.testing import strategies as s

from .conftest import require, unique_prefix


@pytest.mark.db
@pytest.mark.parametrize("kind", ["postgresql", "mysql"])
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    programme=s.casework_programmes(max_stations=3, max_records=12),
    days=st.lists(st.dates(dt.date(2000, 1, 1), dt.date(2065, 12, 31)), min_size=1, max_size=3),
    years=st.lists(st.none() | st.integers(1, 4), min_size=1, max_size=3),
)
def test_stats_on_the_servers_equal_stats_of_the_programme(
    kind: str, programme: Programme, days: list[dt.date], years: list[int | None]
) -> None:
    store = ServerStorage(require(kind), prefix=unique_prefix())
    try:
        store.save(programme)
        stored = service.stored(store, programme.id)
        for on in (*days, dt.date(2065, 12, 31)):  # the last: every record counted
            for station in (None, *(x.id for x in programme.stations)):
                for year in years:
                    args: dict[str, Any] = {"on": on, "station": station, "year": year}
                    try:
                        expected = service.stats(programme, **args)
                    except Exception as exc:
                        with pytest.raises(type(exc)):
                            service.stats(stored, **args)
                        continue
                    got = service.stats(stored, **args)
                    assert got.counts == expected.counts, args
    finally:
        store.drop_all()
