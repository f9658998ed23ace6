#!/usr/bin/env python3
"""lane_order.py FILE.dot.svg...: checks, in SVG drawn by Graphviz from our DOT, that the
clusters cluster_L0, cluster_L1, ... (the lanes, in the SOP's actor order) stand left to
right without overlapping, that every node N<i> lies inside its lane's cluster, and that
the rows run top to bottom (N<i+1> lower than N<i>, rows being the IR's order).
Prints one PASS/FAIL line per file."""
import re
import sys

def boxes(svg):
    out = {}
    for m in re.finditer(r'<g id="[^"]*" class="(cluster|node)">\s*<title>([^<]*)</title>\s*<(polygon|ellipse|path)([^>]*)>', svg):
        kind, title, shape, attrs = m.groups()
        xs, ys = [], []
        pts = re.search(r'points="([^"]*)"', attrs)
        if pts:
            xs = [float(p.split(",")[0]) for p in pts.group(1).split()]
            ys = [float(p.split(",")[1]) for p in pts.group(1).split()]
        else:
            d = re.search(r' d="([^"]*)"', attrs)
            if d:
                nums = re.findall(r'-?\d+(?:\.\d+)?', d.group(1))
                xs = [float(v) for v in nums[0::2]]
                ys = [float(v) for v in nums[1::2]]
        if xs:
            out[title] = (kind, min(xs), max(xs), (min(ys) + max(ys)) / 2)
    return out

failed = 0
for path in sys.argv[1:]:
    svg = open(path, encoding="utf-8").read()
    b = boxes(svg)
    lanes = sorted((int(t[len("cluster_L"):]), v) for t, v in b.items() if t.startswith("cluster_L"))
    problems = []
    for (i, (_, l1, r1, _y1)), (j, (_, l2, r2, _y2)) in zip(lanes, lanes[1:]):
        if not r1 <= l2 + 0.5:
            problems.append("lane %d (%.0f-%.0f) is not left of lane %d (%.0f-%.0f)" % (i, l1, r1, j, l2, r2))
    source = path[:-len(".dot.svg")] + ".dot" if path.endswith(".dot.svg") else path[:-4] + ".dot"
    dot = open(source, encoding="utf-8").read()
    for lane_match in re.finditer(r'subgraph cluster_L(\d+) \{(.*?)\n    \}', dot, re.S):
        lane = int(lane_match.group(1))
        for node in re.findall(r'^\s*(N\d+) \[', lane_match.group(2), re.M):
            if node in b and ("cluster_L%d" % lane) in b:
                _, nl, nr, _ = b[node]
                _, cl, cr, _ = b["cluster_L%d" % lane]
                if nl < cl - 0.5 or nr > cr + 0.5:
                    problems.append("%s is outside its lane %d" % (node, lane))
    rows = sorted((int(t[1:]), v[3]) for t, v in b.items() if re.fullmatch(r"N\d+", t))
    for (i, y1), (j, y2) in zip(rows, rows[1:]):
        if not y2 > y1:
            problems.append("row N%d is not below row N%d" % (j, i))
    if problems:
        failed += 1
        print("FAIL  lanes left to right in actor order: %s: %s" % (path.split("/")[-1], "; ".join(problems)))
    else:
        print("PASS  lanes left to right in actor order, rows top to bottom: %s (%d lanes, %d rows)" % (path.split("/")[-1], len(lanes), len(rows)))
sys.exit(1 if failed else 0)
