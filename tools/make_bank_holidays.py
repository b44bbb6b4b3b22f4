"""Write resources/bank_holidays.json: England and Wales bank holidays from the `holidays` package.

The app reads this file instead of importing the package at run time (the package loads every
country it knows: 0.15-0.5 s and ~17 MB, half the window's start-up budget). The package stays
the source: tests/test_domain_bank_holidays.py fails when the file and the installed package
disagree, and this script brings the file up to date.
"""

from __future__ import annotations

import json
from pathlib import Path

from scrdesk.domain.timescales import BANK_HOLIDAY_YEARS, package_bank_holidays

OUT = Path(__file__).resolve().parents[1] / "resources" / "bank_holidays.json"


def main() -> None:
    first, last = BANK_HOLIDAY_YEARS
    data = {
        "_comment": "England and Wales bank holidays; made by tools/make_bank_holidays.py from the "
                    "holidays package. Do not edit by hand.",
        "years": [first, last],
        "holidays": {d.isoformat(): name for year in range(first, last + 1)
                     for d, name in package_bank_holidays(year).items()},
    }
    OUT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(data['holidays'])} holidays, {first}-{last})")


if __name__ == "__main__":
    main()
