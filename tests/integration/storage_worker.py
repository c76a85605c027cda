"""A child process for the reliability tests: imports or appends to a storage, then exits.

    python storage_worker.py import URL PROGRAMME_ID RECORDS   # prints "ready", then saves
    python storage_worker.py append URL PROGRAMME_ID TIMES TAG # read-modify-write, TIMES units
    python storage_worker.py pay URL PROGRAMME_ID UNITS TAG    # UNITS units of BATCH payments
    python storage_worker.py import-paid URL PROGRAMME_ID RECORDS  # an import with [[payments]]
    python storage_worker.py runs URL PROGRAMME_ID BY          # one payment run per due tranche

Run by ``test_storage_reliability.py``; not a test module itself.
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from typing import Any

import attrs

from sgz_adapters.storage import open_storage
from sgz_core.casework.ledger import ServiceRecord
from sgz_core.casework.vocabulary import ServiceType
from sgz_core.enums import Method, Milestone, ServiceDomain
from sgz_core.model import Programme
from sgz_core.payments import Payment
from sgz_core.testing.samples import sample_ledger, sample_programme


def big_programme(programme_id: str, size: int) -> Programme:
    return sample_ledger(sample_programme(programme_id, texts=("一", "二", "三")), size=size)


def record(tag: str, i: int) -> ServiceRecord:
    return ServiceRecord(
        date=dt.date(2024, 7, 1) + dt.timedelta(days=i % 300),
        station="s0-一",
        worker="李明",  # on the staff of s0 (save checks references)
        domain=ServiceDomain.COMMUNITY_GOVERNANCE,
        method=Method.COMMUNITY_ACTIVITY,
        service=ServiceType.VOLUNTEER_SERVICE,
        hours=Decimal("1.5"),
        group="居民议事会",
        participants=i,
        note=f"{tag}-{i}",
    )


BATCH = 40
"""Payments per unit of work in ``pay``: each unit commits its payments and their audit
entries together (AUD-1), so a kill leaves a multiple of BATCH of both."""


def payment(tag: str, unit: int, i: int) -> Payment:
    return Payment(
        f"{tag}-{unit}-{i}", 1, Milestone.CONTRACT_SIGNED, "100.00", dt.date(2025, 1, 2), "李会计"
    )


def brought_payments() -> tuple[Payment, ...]:
    """The ``[[payments]]`` an ``import-paid`` brings: each tranche of s0-一's year 1."""
    return tuple(Payment("s0-一", 1, m, "100.00", dt.date(2025, 1, 2), "李会计") for m in Milestone)


def run_requests(programme: Programme, by: str) -> list[Any]:
    """A payment run of every signed station-year's contract_signed tranche, paid on signing."""
    from sgz_adapters import service

    return [
        service.PayRequest(s.id, y.year, "contract_signed", y.signed, by)
        for s in programme.stations
        for y in s.years
        if y.signed is not None
    ]


def main(argv: list[str]) -> int:
    command, url, programme_id = argv[:3]
    storage = open_storage(url)
    if command == "import":
        programme = big_programme(programme_id, int(argv[3]))
        print("ready", flush=True)
        storage.save(programme, replace=True)
        print("done", flush=True)
        return 0
    if command == "import-paid":
        from sgz_adapters import service

        programme = big_programme(programme_id, int(argv[3]))
        opened = attrs.evolve(service.open_source(programme), payments=brought_payments())
        print("ready", flush=True)
        service.import_programme(opened, db=storage, replace=True, by="导入员")
        print("done", flush=True)
        return 0
    if command == "append":
        times, tag = int(argv[3]), argv[4]
        for i in range(times):
            with storage.unit_of_work() as uow:
                current = uow.load(programme_id)
                uow.save(
                    attrs.evolve(current, records=(*current.records, record(tag, i))), replace=True
                )
                uow.commit()
        return 0
    if command == "pay":
        units, tag = int(argv[3]), argv[4]
        print("ready", flush=True)
        for unit in range(units):
            with storage.unit_of_work() as uow:
                for i in range(BATCH):
                    uow.record_payment(programme_id, payment(tag, unit, i))
                uow.commit()
        print("done", flush=True)
        return 0
    if command == "runs":
        from sgz_adapters import service

        for request in run_requests(storage.load(programme_id), argv[3]):
            print("ready", flush=True)  # before each run: the parent kills at random moments
            service.pay_many(service.stored(storage, programme_id), [request])
        print("done", flush=True)
        return 0
    raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
