"""The ``load_raw`` task: load every batch's envelopes into ``raw`` in one transaction.

Checks each envelope (``extract/envelope.py``), then hands them all to the only writer of
``raw`` (``extract/load.py``, the raw DDL in ``extract/raw_tables.py``) under the warehouse
lock, waiting while a reader holds the warehouse open.
"""

from __future__ import annotations

from typing import Any

from jixiao import settings as settings_module
from jixiao.locking import connect_writable, warehouse_lock


def load(envelope_batches: list[list[dict[str, Any]]] | None) -> dict[str, Any]:
    """Given the envelopes of every batch, load them into ``raw`` in one transaction.

    A document filed under another year's folder is quarantined as ``fiscal_year_mismatch``
    unless ``JIXIAO_ACCEPT_PRINTED_YEAR`` is set.
    """
    from extract.envelope import check_envelope
    from extract.load import load_envelope_data

    cfg = settings_module.resolve()
    envelopes = [
        check_envelope(envelope, f"extract batch {number}, item {position}")
        for number, batch in enumerate(envelope_batches or [])
        for position, envelope in enumerate(batch or [])
    ]
    with warehouse_lock(cfg.warehouse):
        result = load_envelope_data(
            cfg.warehouse,
            envelopes,
            accept_printed_year=cfg.accept_printed_year,
            connect=connect_writable,  # waits while a reader holds the warehouse open
        )
    return {"extracted": len(envelopes), **result.to_dict()}
