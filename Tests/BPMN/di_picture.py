"""Reads a BPMN file's diagram interchange (DI) as any modeler does and (1) draws it as SVG
from the DI coordinates alone, for a screenshot in headless Chromium, and (2) measures it:
shapes that overlap, flows that cross a shape that is neither their source nor their target,
and flow nodes outside their lane.

Usage: di_picture.py FILE.bpmn OUT.svg   (prints the findings as JSON, exits 1 on any)
"""

from __future__ import annotations

import html
import json
import sys
import textwrap

from lxml import etree

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
}


def read(path: str):
    root = etree.parse(path).getroot()
    elements = {e.get("id"): e for e in root.iter() if e.get("id")}
    shapes, edges = {}, {}
    for s in root.iterfind(".//bpmndi:BPMNShape", NS):
        b = s.find("dc:Bounds", NS)
        shapes[s.get("bpmnElement")] = tuple(float(b.get(k)) for k in ("x", "y", "width", "height"))
    for e in root.iterfind(".//bpmndi:BPMNEdge", NS):
        edges[e.get("bpmnElement")] = [(float(p.get("x")), float(p.get("y"))) for p in e.iterfind("di:waypoint", NS)]
    return root, elements, shapes, edges


def kind(element) -> str:
    return etree.QName(element).localname


def segment_hits_box(p, q, box, margin=1.0) -> bool:
    """An orthogonal segment passes through the inside of a box (its border excluded)."""
    x, y, w, h = box
    x0, x1 = x + margin, x + w - margin
    y0, y1 = y + margin, y + h - margin
    (ax, ay), (bx, by) = p, q
    if ay == by:
        return y0 < ay < y1 and max(min(ax, bx), x0) < min(max(ax, bx), x1)
    if ax == bx:
        return x0 < ax < x1 and max(min(ay, by), y0) < min(max(ay, by), y1)
    return False  # our flows are orthogonal; a diagonal is reported separately


def findings(path: str) -> list[str]:
    root, elements, shapes, edges = read(path)
    out = []
    nodes = {i: b for i, b in shapes.items() if kind(elements[i]) not in ("participant", "lane")}
    # Every flow node, flow, lane, participant and data object reference has its DI.
    for i, e in elements.items():
        k = kind(e)
        if k in ("sequenceFlow",) and i not in edges:
            out.append(f"no edge for {i}")
        if (k.endswith("Task") or k.endswith("Event") or k.endswith("Gateway") or k in ("callActivity", "lane", "participant", "dataObjectReference")) and i not in shapes:
            out.append(f"no shape for {i}")
    # No two shapes overlap (a boundary event may sit on its host).
    ids = sorted(nodes)
    for a in range(len(ids)):
        for b in range(a + 1, len(ids)):
            i, j = ids[a], ids[b]
            if elements[i].get("attachedToRef") == j or elements[j].get("attachedToRef") == i:
                continue
            (x1, y1, w1, h1), (x2, y2, w2, h2) = nodes[i], nodes[j]
            if x1 < x2 + w2 and x2 < x1 + w1 and y1 < y2 + h2 and y2 < y1 + h1:
                out.append(f"{i} overlaps {j}")
    # No flow crosses a shape other than its ends (and their boundary events' hosts).
    for fid, points in edges.items():
        e = elements[fid]
        ends = {e.get("sourceRef"), e.get("targetRef")}
        if kind(e) in ("dataInputAssociation", "dataOutputAssociation"):
            src = e.find("bpmn:sourceRef", NS)
            tgt = e.find("bpmn:targetRef", NS)
            ends = {src.text if src is not None else None, tgt.text if tgt is not None else None, e.getparent().get("id")}
        hosts = {elements[x].get("attachedToRef") for x in ends if x in elements}
        for p, q in zip(points, points[1:]):
            if p[0] != q[0] and p[1] != q[1]:
                out.append(f"{fid} has a diagonal segment")
            for nid, box in nodes.items():
                if nid in ends or nid in hosts:
                    continue
                if segment_hits_box(p, q, box):
                    out.append(f"{fid} crosses {nid}")
    # Every flow node lies inside its lane.
    for lane in root.iterfind(".//bpmn:lane", NS):
        lx, ly, lw, lh = shapes[lane.get("id")]
        for ref in lane.iterfind("bpmn:flowNodeRef", NS):
            x, y, w, h = shapes[ref.text]
            if kind(elements[ref.text]) == "boundaryEvent":
                continue
            if not (lx <= x and x + w <= lx + lw and ly <= y and y + h <= ly + lh):
                out.append(f"{ref.text} is outside its lane {lane.get('id')}")
    return out


def svg(path: str) -> str:
    root, elements, shapes, edges = read(path)
    width = max(x + w for x, y, w, h in shapes.values()) + 20
    height = max(y + h for x, y, w, h in shapes.values()) + 20
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" font-family="Liberation Sans, Arial, sans-serif" font-size="10">',
           '<defs><marker id="a" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z"/></marker></defs>',
           '<rect width="100%" height="100%" fill="white"/>']

    def text(x, y, w, label, size=10, anchor="middle"):
        lines = textwrap.wrap(label, max(4, int(w / (size * 0.55))))[:6]
        for k, line in enumerate(lines):
            out.append(f'<text x="{x:.0f}" y="{y + k * (size + 2):.0f}" font-size="{size}" text-anchor="{anchor}">{html.escape(line)}</text>')

    for i, (x, y, w, h) in shapes.items():
        e = elements[i]
        k = kind(e)
        name = e.get("name") or ""
        if k == "participant":
            out.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="none" stroke="black" stroke-width="1.5"/>')
            out.append(f'<text transform="translate({x + 18},{y + h / 2}) rotate(-90)" text-anchor="middle" font-weight="bold">{html.escape(name)}</text>')
        elif k == "lane":
            out.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="none" stroke="#555"/>')
            out.append(f'<text transform="translate({x + 18},{y + h / 2}) rotate(-90)" text-anchor="middle">{html.escape(name[:40])}</text>')
    for i, (x, y, w, h) in shapes.items():
        e = elements[i]
        k = kind(e)
        name = e.get("name") or ""
        if k.endswith("Task") or k == "callActivity":
            fill = "#e8f0ff" if k == "userTask" else "#fff2d8" if k == "serviceTask" else "#e8ffe8"
            out.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="8" fill="{fill}" stroke="black"/>')
            text(x + w / 2, y + 14, w, name, 9)
        elif k.endswith("Gateway"):
            cx, cy = x + w / 2, y + h / 2
            out.append(f'<path d="M{cx},{y} L{x + w},{cy} L{cx},{y + h} L{x},{cy} z" fill="white" stroke="black"/>')
            mark = "+" if k == "parallelGateway" else "×"
            out.append(f'<text x="{cx}" y="{cy + 6}" font-size="18" text-anchor="middle">{mark}</text>')
            if name:
                text(cx, y - 18, 140, name, 8)
        elif k.endswith("Event"):
            cx, cy, r = x + w / 2, y + h / 2, w / 2
            stroke = 3 if k == "endEvent" else 1
            dash = ' stroke-dasharray="3,2"' if k == "boundaryEvent" else ""
            out.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="white" stroke="black" stroke-width="{stroke}"{dash}/>')
            if k == "boundaryEvent":
                out.append(f'<circle cx="{cx}" cy="{cy}" r="{r - 5}" fill="none" stroke="black"/>')
            if k != "boundaryEvent":
                text(cx, y + h + 12, 110, name, 8)
        elif k == "dataObjectReference":
            out.append(f'<path d="M{x},{y} L{x + w - 10},{y} L{x + w},{y + 10} L{x + w},{y + h} L{x},{y + h} z" fill="white" stroke="#444"/>')
    for i, points in edges.items():
        e = elements[i]
        k = kind(e)
        d = " ".join(f"{'M' if n == 0 else 'L'}{x},{y}" for n, (x, y) in enumerate(points))
        dash = ' stroke-dasharray="4,3"' if k != "sequenceFlow" else ""
        out.append(f'<path d="{d}" fill="none" stroke="#222"{dash} marker-end="url(#a)"/>')
        if e.get("name") and k == "sequenceFlow":
            (x1, y1), (x2, y2) = points[-2], points[-1]
            out.append(f'<text x="{x1 + 4}" y="{y1 - 4}" font-size="9" fill="#a00">{html.escape(e.get("name"))}</text>')
    out.append("</svg>")
    return "\n".join(out)


if __name__ == "__main__":
    path = sys.argv[1]
    if len(sys.argv) > 2:
        with open(sys.argv[2], "w") as f:
            f.write(svg(path))
    found = findings(path)
    print(json.dumps(found, indent=1))
    sys.exit(1 if found else 0)
