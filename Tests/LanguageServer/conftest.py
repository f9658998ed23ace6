"""Shared set-up of the language server tests: the `sop` binary and a small catalogue."""
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOP = os.environ.get("SOP_BIN", str(ROOT / ".build/debug/sop"))

PENGADUAN = """\
sop: 1
id: kota-contoh/diskominfo/pengaduan
name: Penanganan Pengaduan
inputs: [Surat pengaduan]
outputs: [Surat jawaban]
actors:
  petugas: {name: Petugas Pelayanan}
  kepala: {name: Kepala Seksi Pengaduan}
steps:
  - id: terima
    action: Menerima surat pengaduan — catatan “awal” 📨
    actor: petugas
    requires: [Surat pengaduan]
    produces: [Lembar disposisi]
    duration: 3 hari kerja
    next: telaah
  - id: telaah
    action: Menelaah pengaduan
    actor: kepala
    requires: [Lembar disposisi]
    produces: [Surat jawaban]
    call: kota-contoh/diskominfo/arsip
"""

ARSIP = (PENGADUAN.replace("kota-contoh/diskominfo/pengaduan", "kota-contoh/diskominfo/arsip")
         .replace("Penanganan Pengaduan", "Pengarsipan Berkas")
         .replace("    call: kota-contoh/diskominfo/arsip\n", ""))


@pytest.fixture(scope="session")
def catalogue(tmp_path_factory):
    """A catalogue folder of two SOPs, the first calling the second."""
    root = tmp_path_factory.mktemp("catalogue")
    folder = root / "kota-contoh" / "diskominfo"
    folder.mkdir(parents=True)
    (folder / "pengaduan.yaml").write_text(PENGADUAN, encoding="utf-8")
    (folder / "arsip.yaml").write_text(ARSIP, encoding="utf-8")
    return root
