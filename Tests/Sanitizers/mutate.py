#!/usr/bin/env python3
"""Writes N mutations of the catalogue's SOPs (bytes inserted, deleted, copied; YAML tokens,
invalid UTF-8, odd line breaks) into a folder, for runs under the sanitizers.
Usage: mutate.py N OUT_DIR [SEED]"""
import glob, os, random, sys

n, out = int(sys.argv[1]), sys.argv[2]
random.seed(int(sys.argv[3]) if len(sys.argv) > 3 else 5)
sources = [open(f, 'rb').read() for f in sorted(glob.glob('sops/**/*.yaml', recursive=True))]
tokens = [b': ', b'- ', b'\n', b'  ', b'{', b'}', b'[', b']', b'&a ', b'*a', b'"', b"'", b'|', b'>', b'#',
          b'\t', b'end', b'next: ', b'decision:', b'parallel:', b'timeout:', b'null', b'~', b'\xc3\xa9',
          b'\xff', b'\r', b'\xe2\x80\xa8', b'\xef\xbb\xbf', b'? ', b'---\n']
os.makedirs(out, exist_ok=True)
for k in range(n):
    s = bytearray(random.choice(sources))
    for _ in range(random.randint(1, 6)):
        i = random.randrange(len(s) + 1)
        op = random.random()
        if op < 0.5:
            s[i:i] = random.choice(tokens)
        elif op < 0.8:
            del s[i:i + random.randint(1, 40)]
        else:
            j = random.randrange(len(s))
            s[i:i] = s[j:j + random.randint(1, 80)]
    with open(os.path.join(out, f'm{k:04d}.yaml'), 'wb') as f:
        f.write(s)
