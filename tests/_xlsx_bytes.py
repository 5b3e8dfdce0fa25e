"""Workbooks whose bytes come out the same each run, for the corpus generators under tests/.

openpyxl stamps the save time into docProps/core.xml and into every zip entry; here both
are replaced by a fixed moment, so a regenerated corpus file matches the committed one.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import openpyxl


def fixed_book(stamp: dt.datetime) -> openpyxl.Workbook:
    """An empty workbook created and modified at ``stamp`` by "hzlib"."""
    wb = openpyxl.Workbook()
    wb.properties.creator = "hzlib"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    return wb


def xlsx_bytes(wb: openpyxl.Workbook, stamp: dt.datetime) -> bytes:
    """The workbook's bytes with every timestamp set to ``stamp`` (openpyxl stamps the save time)."""
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode(), data)
            zout.writestr(zipfile.ZipInfo(item.filename, date_time=stamp.timetuple()[:6]), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()
