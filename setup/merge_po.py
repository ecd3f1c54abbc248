"""Merge a freshly exported .pot into a zh_CN.po, keeping known translations."""
import sys

import polib


def merge(pot_path, po_path):
    pot = polib.pofile(pot_path)
    try:
        old = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(po_path)}
    except OSError:
        old = {}
    po = polib.POFile(wrapwidth=pot.wrapwidth)
    po.metadata = dict(pot.metadata, Language="zh_CN",
                       **{"Plural-Forms": "nplurals=1; plural=0;"})
    for entry in pot:
        entry.msgstr = old.get((entry.msgctxt, entry.msgid), "")
        po.append(entry)
    po.save(po_path)
    missing = sum(1 for e in po if not e.msgstr)
    print(f"{po_path}: {len(po)} entries, {missing} to translate")


if __name__ == "__main__":
    merge(sys.argv[1], sys.argv[2])
