"""Writers for the formats auditors use: sheets of plain data (:mod:`.sheet`) written as an XLSX
workbook (:mod:`.xlsx`) or as a CSV that Swedish Excel opens as numbers (:mod:`.csv_excel`).
They know nothing of any agreement: a command builds the sheets, a writer turns them into bytes."""

from avtalsregler.apps.export.sheet import KINDS, Column, Sheet, Typed

__all__ = ["KINDS", "Column", "Sheet", "Typed"]
