"""Member lists as a union would upload them, for benchmarks and the fault drill."""

from __future__ import annotations

import io
import random


def member_sheet(rows: int, group_codes: list[str], *, seed: int = 7, phone_base: int = 0) -> bytes:
    """An .xlsx of `rows` made-up members with the import template's headers; phones and
    CCCD numbers are distinct from `phone_base` on."""
    from openpyxl import Workbook

    from suotdoi.organisations.importing import COLUMNS

    from .world import FAMILY, GIVEN_F, GIVEN_M, MIDDLE_F, MIDDLE_M

    middle = sorted(set(MIDDLE_F + MIDDLE_M))
    given = sorted(set(GIVEN_F + GIVEN_M))
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Thành viên")
    ws.append([str(c.header) for c in COLUMNS])
    for i in range(phone_base, phone_base + rows):
        ws.append(
            [
                f"{rng.choice(FAMILY)} {rng.choice(middle)} {rng.choice(given)}",
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1960, 2004)}",
                rng.choice(["Nam", "Nữ"]),
                f"09{i:08d}",
                "",
                f"0{i:011d}",
                group_codes[i % len(group_codes)] if group_codes else "",
                "",
                "",
                "01/01/2024",
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
