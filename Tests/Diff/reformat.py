#!/usr/bin/env python3
"""Rewrites an SOP file without changing what it means, as another editor would: keys of
each mapping in another order (not the user-keyed maps `actors`, `outcomes` and `branches`,
whose order is the table's), plain texts quoted and quoted ones re-quoted, long lines
wrapped at another width, block and flow collections swapped, comments dropped and others
added. `sop diff ORIGINAL REFORMATTED` must say "no semantic change".

    reformat.py IN OUT VARIANT      VARIANT 1 or 2 (two different rewritings)
    reformat.py --mutate IN OUT     a real change (one step's action gets a word more), the
                                    test's control that a change is seen
"""
import sys

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

STR = "tag:yaml.org,2002:str"
ORDERED = {"actors", "outcomes", "branches"}


def rewrite(node, variant, parent_key=None):
    if isinstance(node, MappingNode):
        pairs = [(k, rewrite(v, variant, k.value if isinstance(k, ScalarNode) else None)) for k, v in node.value]
        if parent_key not in ORDERED:
            pairs = list(reversed(pairs)) if variant == 1 else sorted(pairs, key=lambda kv: str(kv[0].value))
        node.value = pairs
        if variant == 2:
            node.flow_style = not node.flow_style if len(pairs) <= 3 else False
        else:
            node.flow_style = False
    elif isinstance(node, SequenceNode):
        node.value = [rewrite(v, variant, None) for v in node.value]
        node.flow_style = (variant == 2) and all(isinstance(v, ScalarNode) for v in node.value)
    elif isinstance(node, ScalarNode) and node.tag == STR:
        if node.style is None:
            node.style = '"' if variant == 1 else "'"
        elif node.style in ("'", '"'):
            node.style = '"' if node.style == "'" else '"'
    return node


def mutate(node):
    """Adds a word to the first step's action."""
    for k, v in node.value:
        if k.value == "steps":
            step = v.value[0]
            for sk, sv in step.value:
                if sk.value == "action":
                    sv.value = sv.value + " segera"
                    return node
    raise SystemExit("no steps[0].action to change")


def main():
    args = sys.argv[1:]
    if args and args[0] == "--mutate":
        src, dst = args[1], args[2]
        with open(src, encoding="utf-8") as f:
            node = yaml.compose(f)
        out = yaml.serialize(mutate(node), allow_unicode=True)
        with open(dst, "w", encoding="utf-8") as f:
            f.write(out)
        return
    src, dst, variant = args[0], args[1], int(args[2])
    with open(src, encoding="utf-8") as f:
        node = yaml.compose(f)
    out = yaml.serialize(rewrite(node, variant), allow_unicode=True, width=28 if variant == 1 else 60,
                         indent=4 if variant == 1 else 2)
    # Comments where an editor might leave them.
    lines = out.splitlines()
    header = "# reformatted by Tests/Diff/reformat.py (variant %d): nothing here changes the SOP\n" % variant
    body = []
    for i, line in enumerate(lines):
        body.append(line)
        if i % 7 == 3 and line.rstrip().endswith(":"):
            body.append(" " * (len(line) - len(line.lstrip()) + 2) + "# a comment an editor left")
    text = header + "\n".join(body) + "\n"
    # A comment inside a wrapped quoted text would become text: keep them only when the
    # file still reads the same.
    if yaml.load(text, Loader=yaml.BaseLoader) != yaml.load(out, Loader=yaml.BaseLoader):
        text = header + out
    with open(dst, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
