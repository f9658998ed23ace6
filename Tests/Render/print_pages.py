#!/usr/bin/env python3
"""print_pages.py PRINTED.pdf SHEET.html: prints "ok" when Chromium printed the sheet on
A4 landscape with exactly one printed page per <section class="page ...">, else what differs."""
import re
import sys

pdf = open(sys.argv[1], "rb").read()
pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
boxes = set(re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf))
a4 = bool(boxes) and all(abs(float(b.split()[2]) - 841.9) < 2 and abs(float(b.split()[3]) - 595.3) < 2 for b in boxes)
expected = open(sys.argv[2], encoding="utf-8").read().count('<section class="page ')
if pages == expected and a4:
    print("ok")
else:
    print("printed %d pages (the sheet has %d), media boxes %s" % (pages, expected, sorted(boxes)))
