"""Neovim (Debian `neovim`, headless) with its built-in LSP client on a catalogue file:
a typo typed into an actor shows our diagnostic, and completion offers the file's actors."""
import json
import os
import shutil
import subprocess

import yaml

from conftest import ROOT, SOP

FILE = "kota-cirebon/dkis/penanganan-keberatan-informasi-publik.yaml"


def test_neovim_shows_the_diagnostic_of_a_typo(tmp_path):
    nvim = shutil.which("nvim")
    assert nvim, "neovim is not installed (make lsp-deps installs it)"
    # A copy of the catalogue: Neovim never writes into sops/.
    catalogue = tmp_path / "sops"
    shutil.copytree(ROOT / "sops", catalogue)
    out = tmp_path / "seen.json"
    env = dict(os.environ, SOP_BIN=SOP, SOP_ROOT=str(tmp_path), SOP_FILE=str(catalogue / FILE), SOP_OUT=str(out),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_STATE_HOME=str(tmp_path / "state"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    run = subprocess.run([nvim, "--headless", "--clean", "-n", "-u", "NONE", "-c", f"luafile {ROOT / 'Tests/LanguageServer/neovim_client.lua'}"],
                         env=env, capture_output=True, timeout=120, cwd=tmp_path)
    seen = json.loads(out.read_text())
    assert seen["status"] == "ok", (seen, run.stderr[-2000:])
    assert seen["initial"] == 0
    [d] = seen["diagnostics"]
    assert d["code"] == "E0301"
    assert d["severity"] == 1
    assert "is not declared under `actors:`" in d["message"]
    assert d["lnum"] == seen["line"]
    # The typo's range: from after `actor: ` to the end of the line.
    line = (catalogue / FILE).read_text(encoding="utf-8").split("\n")[seen["line"]]
    assert d["col"] == line.index("actor: ") + 7 and d["end_col"] == len(line) + 1
    actors = list(yaml.safe_load((catalogue / FILE).read_text(encoding="utf-8"))["actors"])
    assert seen["completion"] == actors
