#!/usr/bin/env python3
"""Checks a `sop diff --format markdown` change note as GitHub renders it: the HTML that
cmark-gfm (tables, strikethrough) makes of it must hold what the JSON diff of the same two
files says, with every SOP text shown as written (no markdown syntax or escape leaking).

    check_markdown.py NOTE.html DIFF.json
"""
import html.parser
import json
import sys


class Reader(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.tags, self.text = [], {}, []
        self.deleted, self.strong, self.rows, self.tables = [], [], 0, 0

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag == "tr":
            self.rows += 1
        if tag == "table":
            self.tables += 1
        if tag in ("del", "strong"):
            (self.deleted if tag == "del" else self.strong).append("")

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        self.text.append(data)
        if "del" in self.stack:
            self.deleted[-1] += data
        if "strong" in self.stack:
            self.strong[-1] += data


def main():
    note, diff_path = sys.argv[1], sys.argv[2]
    page = open(note, encoding="utf-8").read()
    diff = json.load(open(diff_path, encoding="utf-8"))["diff"]
    r = Reader()
    r.feed(page)
    text = " ".join("".join(r.text).split())
    failures = []

    def expect(cond, what):
        if not cond:
            failures.append(what)

    expect(r.tags.get("h2") == 1, "one level-2 heading (the change note's title)")
    expect(r.tags.get("h3", 0) >= 5, "a section heading per kind of change")
    # Identity table (header + one row per field) and the time table (header + 2 rows).
    expect(r.tables == 2, "two tables, got %d" % r.tables)
    expect(r.rows == len(diff["identity"]) + 1 + 3, "rows: %d, expected %d" % (r.rows, len(diff["identity"]) + 4))
    for change in diff["identity"]:
        for side in ("old", "new"):
            if change.get(side):
                expect(change[side] in text, "identity %s %s shown as written: %r" % (change["field"], side, change[side]))
    for lst in diff["lists"]:
        for item in lst["removed"]:
            expect(item in r.deleted, "removed item struck out: %r" % item)
        for item in lst["added"]:
            expect(item in r.strong, "added item in bold: %r" % item)
        for c in lst["reworded"]:
            for seg in c["words"]:
                if seg["op"] == "removed":
                    expect(seg["text"] in r.deleted, "reworded: removed words struck out: %r" % seg["text"])
                if seg["op"] == "added":
                    expect(seg["text"] in r.strong, "reworded: added words in bold: %r" % seg["text"])
    for step in diff["steps"]:
        expect(" ".join(step["action"].split()) in text or step.get("actionWords"), "step action shown: %r" % step["action"])
    for actor in diff["actors"]:
        if actor["kind"] == "removed":
            expect(actor["oldName"] in r.deleted, "removed actor struck out: %r" % actor["oldName"])
    for d in diff["diagnostics"]["introduced"] + diff["diagnostics"]["resolved"]:
        expect(d["code"] in text, "diagnostic %s listed" % d["code"])
    # Nothing of the markup leaks into what a reader sees.
    for leak in ("\\", "~~", "**", "| ---", "&amp;"):
        expect(leak not in text, "markup leaked into the text: %r" % leak)
    if failures:
        print("check_markdown: %d problem(s):" % len(failures))
        for f in failures:
            print("  - " + f)
        sys.exit(1)
    print("check_markdown: ok (%d headings, %d table rows, %d struck, %d bold)" %
          (r.tags.get("h2", 0) + r.tags.get("h3", 0), r.rows, len(r.deleted), len(r.strong)))


if __name__ == "__main__":
    main()
