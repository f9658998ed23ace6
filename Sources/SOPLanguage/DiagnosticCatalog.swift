import Foundation
import SOPDiagnostics

/// Every diagnostic code with its documentation: what `sop explain CODE` prints and what
/// SARIF lists as rules. Sorted by code; the golden tests check that each code has a fixture.
public enum DiagnosticCatalog {
    public struct Entry: Sendable {
        public var code: String
        public var name: String
        public var summary: Message
        /// Why this is a problem.
        public var explanation: Message
        /// A small YAML that triggers it.
        public var example: String
        /// How to fix it.
        public var fix: Message
    }

    static func e(_ code: String, _ name: String, _ en: String, _ id: String, why: String, whyID: String,
                  example: String, fix: String, fixID: String) -> Entry {
        Entry(code: code, name: name, summary: Message(en: en, id: id), explanation: Message(en: why, id: whyID),
              example: example, fix: Message(en: fix, id: fixID))
    }

    public static let entries: [Entry] = [
        e("E0101", "yaml-syntax", "The YAML is not well formed.", "YAML tidak tersusun dengan benar.",
          why: "The file cannot be read as YAML: a bad indentation, a tab, an unclosed quote or bracket, or a `: ` inside an unquoted text.",
          whyID: "Berkas tidak dapat dibaca sebagai YAML: indentasi salah, tab, tanda kutip atau kurung yang tidak ditutup, atau `: ` di dalam teks tanpa kutip.",
          example: "steps:\n  - action: Menerima laporan: lengkap\n", fix: "Quote texts that contain `: ` and indent with spaces only.",
          fixID: "Kutip teks yang memuat `: ` dan gunakan spasi saja untuk indentasi."),
        e("E0102", "duplicate-key", "A key appears twice in one mapping.", "Kunci muncul dua kali dalam satu pemetaan.",
          why: "YAML would silently keep only the last value, losing the first.", whyID: "YAML akan diam-diam hanya menyimpan nilai terakhir.",
          example: "name: A\nname: B\n", fix: "Keep one of the two entries.", fixID: "Pertahankan salah satu entri."),
        e("E0103", "alias-limit", "Aliases expand beyond the bound, or name no anchor.", "Alias mengembang melebihi batas, atau tidak merujuk jangkar.",
          why: "Aliases that expand exponentially (a billion-laughs attack) would exhaust memory.", whyID: "Alias yang mengembang eksponensial akan menghabiskan memori.",
          example: "a: &a [x, x]\nb: &b [*a, *a]\n# … nine levels deep\n", fix: "Write repeated content out; avoid aliases.", fixID: "Tulis ulang isi yang berulang; hindari alias."),
        e("E0104", "too-deep", "The document nests too deeply.", "Dokumen bersarang terlalu dalam.",
          why: "An SOP needs a handful of levels; hundreds mean a broken or hostile file.", whyID: "SOP hanya memerlukan beberapa tingkat.",
          example: "a: [[[[[[[[ … ]]]]]]]]\n", fix: "Remove the runaway nesting.", fixID: "Hapus sarang yang berlebihan."),
        e("E0105", "too-large", "The file exceeds the size bound.", "Berkas melebihi batas ukuran.",
          why: "Files over 64 MiB are refused so that a check can never exhaust the machine.", whyID: "Berkas di atas 64 MiB ditolak.",
          example: "(a 100 MB file)\n", fix: "Split the SOP with `call:`.", fixID: "Pecah SOP dengan `call:`."),
        e("E0106", "invalid-utf8", "The file is not UTF-8.", "Berkas bukan UTF-8.",
          why: "SOP files are UTF-8 text; other encodings garble Indonesian names.", whyID: "Berkas SOP adalah teks UTF-8.",
          example: "(a file saved as Latin-1)\n", fix: "Save the file as UTF-8.", fixID: "Simpan berkas sebagai UTF-8."),
        e("E0107", "multiple-documents", "More than one YAML document in a file.", "Lebih dari satu dokumen YAML dalam berkas.",
          why: "One file holds one SOP; a second `---` document would be ignored by other tools.", whyID: "Satu berkas berisi satu SOP.",
          example: "sop: 1\n---\nsop: 1\n", fix: "Put each SOP in its own file.", fixID: "Tempatkan setiap SOP di berkasnya sendiri."),
        e("E0108", "empty-file", "The file is empty.", "Berkas kosong.",
          why: "There is nothing to check.", whyID: "Tidak ada yang dapat diperiksa.",
          example: "# only a comment\n", fix: "Start from an example in `sops/`.", fixID: "Mulai dari contoh di `sops/`."),
        e("E0109", "root-not-mapping", "The top of the file is not a mapping.", "Bagian teratas berkas bukan pemetaan.",
          why: "An SOP is a set of keys (`sop:`, `id:`, `steps:` …).", whyID: "SOP adalah sekumpulan kunci.",
          example: "- a\n- b\n", fix: "Write `key: value` lines, starting with `sop: 1`.", fixID: "Tulis baris `kunci: nilai`, diawali `sop: 1`."),
        e("E0110", "complex-key", "A key is a list or mapping.", "Kunci berupa daftar atau pemetaan.",
          why: "Keys name fields; they are plain texts.", whyID: "Kunci menamai bidang; berupa teks biasa.",
          example: "? [a, b]\n: c\n", fix: "Use a plain text key.", fixID: "Gunakan kunci teks biasa."),
        e("E0201", "unknown-key", "A key the language does not know.", "Kunci yang tidak dikenal bahasa.",
          why: "A misspelt key would otherwise be silently ignored and its content lost.", whyID: "Kunci yang salah eja akan diabaikan dan isinya hilang.",
          example: "steps:\n  - action: Menerima laporan\n    acter: admin\n", fix: "Use the suggested key.", fixID: "Pakai kunci yang disarankan."),
        e("E0202", "wrong-type", "A value has the wrong type.", "Nilai bertipe salah.",
          why: "Each key expects a text, a list or a mapping.", whyID: "Setiap kunci mengharapkan teks, daftar, atau pemetaan.",
          example: "steps: Menerima laporan\n", fix: "Write the value in the documented form.", fixID: "Tulis nilai sesuai bentuk yang didokumentasikan."),
        e("E0203", "missing-key", "A required key is missing.", "Kunci wajib tidak ada.",
          why: "Without it the SOP cannot be identified, drawn or run.", whyID: "Tanpa kunci itu SOP tidak dapat dikenali, digambar, atau dijalankan.",
          example: "sop: 1\nid: a/b\nactors: {}\nsteps: []\n", fix: "Add the key.", fixID: "Tambahkan kunci tersebut."),
        e("E0204", "unsupported-version", "The language version is not 1.", "Versi bahasa bukan 1.",
          why: "This compiler reads version 1 of the language.", whyID: "Kompilator ini membaca versi 1.",
          example: "sop: 2\n", fix: "Write `sop: 1`.", fixID: "Tulis `sop: 1`."),
        e("E0205", "invalid-duration", "A duration cannot be read.", "Durasi tidak dapat dibaca.",
          why: "Deadlines and the SLA check need every Waktu value as a number and a unit.", whyID: "Tenggat dan pemeriksaan SLA memerlukan angka dan satuan.",
          example: "duration: lima menit\n", fix: "Write e.g. `5 menit`, `1-3 hari`, `10 hari kerja`, `NA`.", fixID: "Tulis misalnya `5 menit`, `1-3 hari`, `10 hari kerja`, `NA`."),
        e("E0206", "invalid-identifier", "An id has characters ids may not have.", "Id memuat karakter yang tidak diizinkan.",
          why: "Ids are used in links, file names and URLs.", whyID: "Id dipakai di tautan, nama berkas, dan URL.",
          example: "actors:\n  Kepala Dinas: {name: Kepala Dinas}\n", fix: "Use lower case, digits, `-` and `_`.", fixID: "Gunakan huruf kecil, angka, `-` dan `_`."),
        e("E0207", "invalid-date", "A date is not YYYY-MM-DD.", "Tanggal tidak berbentuk YYYY-MM-DD.",
          why: "Dates are compared and printed on the official sheet.", whyID: "Tanggal dibandingkan dan dicetak pada lembar resmi.",
          example: "dates: {created: 02 Januari 2018}\n", fix: "Write `2018-01-02`.", fixID: "Tulis `2018-01-02`."),
        e("E0208", "number-outside-draft", "A step number outside a draft.", "Nomor langkah di luar draf.",
          why: "Numbers are derived from the order; typed numbers go stale when steps move.", whyID: "Nomor diturunkan dari urutan; nomor yang diketik menjadi usang.",
          example: "steps:\n  - number: \"1\"\n    action: A\n", fix: "Remove `number`.", fixID: "Hapus `number`."),
        e("E0209", "invalid-value", "A value outside the allowed set.", "Nilai di luar himpunan yang diizinkan.",
          why: "Some keys take one of a few words (`kind`, `draft`, `end`).", whyID: "Beberapa kunci hanya menerima beberapa kata.",
          example: "actors:\n  lapor: {name: LAPOR!, kind: sistem}\n", fix: "Use one of the listed values.", fixID: "Pakai salah satu nilai yang tercantum."),
        e("E0301", "undefined-actor", "A step names an undeclared actor.", "Langkah menyebut pelaksana yang tidak dideklarasikan.",
          why: "The actor is the swimlane; an unknown one cannot be drawn or assigned.", whyID: "Pelaksana adalah jalur renang; yang tidak dikenal tidak dapat digambar.",
          example: "actors: {admin: {name: Tim Admin}}\nsteps:\n  - {action: A, actor: admn}\n", fix: "Use a declared actor id.", fixID: "Pakai id pelaksana yang dideklarasikan."),
        e("E0302", "undefined-step", "A jump names no step.", "Lompatan tidak menunjuk langkah mana pun.",
          why: "`next`, branches, timeouts and parallel blocks must lead to an existing step.", whyID: "Lompatan harus menuju langkah yang ada.",
          example: "steps:\n  - {action: A, actor: x, next: selesia}\n  - {id: selesai, action: B, actor: x}\n", fix: "Use the id of an existing step.", fixID: "Pakai id langkah yang ada."),
        e("E0303", "duplicate-step-id", "Two steps share an id.", "Dua langkah memakai id yang sama.",
          why: "Jumps to that id would be ambiguous.", whyID: "Lompatan ke id itu menjadi ambigu.",
          example: "steps:\n  - {id: a, action: A, actor: x}\n  - {id: a, action: B, actor: x}\n", fix: "Rename one.", fixID: "Ganti nama salah satunya."),
        e("E0304", "outcome-clashes-with-step", "An outcome has the id of a step.", "Hasil memakai id sebuah langkah.",
          why: "A jump to that id could mean the step or the end.", whyID: "Lompatan ke id itu bisa berarti langkah atau akhir.",
          example: "outcomes: {tolak: {name: Ditolak}}\nsteps:\n  - {id: tolak, action: A, actor: x}\n", fix: "Rename one.", fixID: "Ganti nama salah satunya."),
        e("E0305", "undefined-outcome", "`end:` names no declared outcome.", "`end:` tidak menunjuk hasil yang dideklarasikan.",
          why: "A named end must say which outcome it is, as declared under `outcomes:`.", whyID: "Akhir bernama harus menyebut hasil yang dideklarasikan di `outcomes:`.",
          example: "outcomes: {tolak: {name: Ditolak}}\nsteps:\n  - {action: A, actor: x, end: tolka}\n", fix: "Use a declared outcome id, or `end: true`.", fixID: "Pakai id hasil yang dideklarasikan, atau `end: true`."),
        e("E0401", "unreachable-step", "A step can never be reached.", "Langkah tidak pernah dapat dicapai.",
          why: "Steps after an `end` or skipped by every jump never run.", whyID: "Langkah setelah `end` atau yang dilewati semua lompatan tidak pernah berjalan.",
          example: "steps:\n  - {action: A, actor: x, end: true}\n  - {action: B, actor: x}\n", fix: "Lead a step to it, or remove it.", fixID: "Arahkan langkah ke sana, atau hapus."),
        e("E0402", "no-path-to-end", "A step can never reach an end.", "Langkah tidak pernah dapat mencapai akhir.",
          why: "A case that gets there can never be completed.", whyID: "Kasus yang sampai di sana tidak pernah selesai.",
          example: "steps:\n  - {action: A, actor: x}\n  - {id: b, action: B, actor: x, next: c}\n  - {id: c, action: C, actor: x, next: b}\n", fix: "Add an exit.", fixID: "Tambahkan jalan keluar."),
        e("E0403", "cycle-without-exit", "A loop has no way out.", "Putaran tanpa jalan keluar.",
          why: "A case in the loop would run forever.", whyID: "Kasus dalam putaran akan berjalan selamanya.",
          example: "steps:\n  - {id: b, action: B, actor: x, next: c}\n  - {id: c, action: C, actor: x, next: b}\n", fix: "Add a decision branch or timeout leaving the loop.", fixID: "Tambahkan cabang keputusan atau batas waktu yang keluar."),
        e("E0404", "decision-branches", "A decision with fewer than two branches.", "Keputusan dengan kurang dari dua cabang.",
          why: "A question with one answer is not a decision.", whyID: "Pertanyaan dengan satu jawaban bukan keputusan.",
          example: "decision: {question: Lengkap?, branches: {ya: b}}\n", fix: "Add the other branch.", fixID: "Tambahkan cabang lainnya."),
        e("E0405", "decision-duplicate-label", "Two branches share a label.", "Dua cabang memakai label yang sama.",
          why: "The runtime picks a branch by its label.", whyID: "Runtime memilih cabang berdasarkan labelnya.",
          example: "branches: {ya: a, Ya: b}\n", fix: "Give each branch its own label.", fixID: "Beri setiap cabang label sendiri."),
        e("E0406", "timeout-incomplete", "A timeout lacks `after` or `goto`.", "Batas waktu tanpa `after` atau `goto`.",
          why: "A timer needs a duration and a destination.", whyID: "Pewaktu memerlukan durasi dan tujuan.",
          example: "timeout: {after: 10 hari kerja}\n", fix: "Add the missing key.", fixID: "Tambahkan kunci yang kurang."),
        e("E0407", "parallel-without-join", "Parallel branches without a join.", "Cabang paralel tanpa titik gabung.",
          why: "The process must know where the branches meet again.", whyID: "Proses harus tahu di mana cabang bertemu lagi.",
          example: "parallel: {branches: [a, b]}\n", fix: "Add `join: step-id`.", fixID: "Tambahkan `join: id-langkah`."),
        e("E0408", "parallel-branch-misses-join", "A parallel branch never reaches its join.", "Cabang paralel tidak mencapai titik gabung.",
          why: "The join would wait forever.", whyID: "Titik gabung akan menunggu selamanya.",
          example: "parallel: {branches: [a, b], join: c}  # a ends before c\n", fix: "Lead the branch to the join with `next:`.", fixID: "Arahkan cabang ke titik gabung dengan `next:`."),
        e("E0409", "flow-conflict", "A step has two of decision, next, parallel, end.", "Langkah memiliki dua dari decision, next, parallel, end.",
          why: "Only one of them can say where the step goes.", whyID: "Hanya satu yang dapat menentukan tujuan langkah.",
          example: "- {action: A, actor: x, next: b, end: true}\n", fix: "Keep one.", fixID: "Pertahankan satu."),
        e("E0410", "conditional-step-branches", "A conditional step (`when`) is also a decision or a parallel split.", "Langkah bersyarat (`when`) juga berupa keputusan atau percabangan paralel.",
          why: "When its condition does not hold the step is passed by, so it must have one way on.", whyID: "Jika syaratnya tidak terpenuhi langkah dilewati, jadi harus memiliki satu jalan lanjut.",
          example: "- {action: A, actor: x, when: jika diperlukan, decision: {question: Q?, branches: {ya: b, tidak: c}}}\n", fix: "Make the row a decision, or drop `when`.", fixID: "Jadikan baris keputusan, atau hapus `when`."),
        e("W0411", "decision-same-target", "Every branch of a decision leads to the same place.", "Semua cabang keputusan menuju tempat yang sama.",
          why: "The answer changes nothing: one branch has lost the target the source gives it, or the row is not a decision.", whyID: "Jawabannya tidak mengubah apa pun: satu cabang kehilangan tujuannya menurut sumber, atau baris ini bukan keputusan.",
          example: "decision: {question: Lengkap?, branches: {ya: b, tidak: b}}\n", fix: "Lead each answer where the source says.", fixID: "Arahkan setiap jawaban sesuai sumber."),
        e("W0501", "unused-actor", "An actor performs no step.", "Pelaksana tidak melakukan langkah apa pun.",
          why: "An empty swimlane usually means a step names the wrong actor.", whyID: "Jalur kosong biasanya berarti langkah menyebut pelaksana yang salah.",
          example: "actors: {a: {name: A}, b: {name: B}}\nsteps: [{action: X, actor: a}]\n", fix: "Remove the actor or assign it steps.", fixID: "Hapus pelaksana atau beri langkah."),
        e("W0502", "unknown-document", "A required document is not produced upstream.", "Dokumen yang diperlukan tidak dihasilkan sebelumnya.",
          why: "Either a name differs (a typo) or the document comes from outside and belongs in `inputs:`.", whyID: "Ada nama yang berbeda (salah ketik) atau dokumen berasal dari luar dan perlu dicantumkan di `inputs:`.",
          example: "steps:\n  - {action: A, actor: x, produces: [Surat terdisposisi]}\n  - {action: B, actor: x, requires: [Surat terdisporsi]}\n", fix: "Fix the name or declare the input.", fixID: "Perbaiki nama atau deklarasikan masukan."),
        e("N0503", "unused-output", "A produced document is never used.", "Dokumen yang dihasilkan tidak pernah dipakai.",
          why: "Often a final product that belongs in `outputs:`, or a name that differs from where it is used.", whyID: "Sering kali hasil akhir yang perlu dicantumkan di `outputs:`.",
          example: "steps:\n  - {action: A, actor: x, produces: [Draf]}\n  - {action: B, actor: x}\n", fix: "List it in `outputs:` or use it.", fixID: "Cantumkan di `outputs:` atau pakai."),
        e("W0504", "critical-path", "The longest path exceeds the SLA.", "Jalur terpanjang melebihi SLA.",
          why: "A case that takes the slowest path would breach the promised service level.", whyID: "Kasus yang mengambil jalur terlambat akan melanggar SLA.",
          example: "sla: 1 hari\nsteps:\n  - {action: A, actor: x, duration: 3 hari}\n", fix: "Shorten the steps or review the SLA.", fixID: "Persingkat langkah atau tinjau SLA."),
        e("W0505", "unanchored-duration", "A duration counts from an event the runtime cannot find.", "Durasi dihitung sejak peristiwa yang tidak dapat ditemukan runtime.",
          why: "\"10 hari kerja sejak diterimanya permohonan\" runs from an event; without `from:` the deadline counts from the step's own start.", whyID: "\"10 hari kerja sejak diterimanya permohonan\" berjalan sejak suatu peristiwa; tanpa `from:` tenggat dihitung sejak langkah dimulai.",
          example: "- {action: A, actor: x, duration: 10 hari kerja sejak diterimanya permohonan}\n", fix: "Write `duration: {text: …, from: STEP}` (or `from: start`), or explain in `notes` why the event lies outside the SOP.", fixID: "Tulis `duration: {text: …, from: LANGKAH}` (atau `from: start`), atau jelaskan di `notes` mengapa peristiwanya di luar SOP."),
        e("E0601", "missing-call-target", "A called SOP is not in the catalogue.", "SOP yang dipanggil tidak ada di katalog.",
          why: "The runtime cannot start a case of a missing SOP.", whyID: "Runtime tidak dapat memulai kasus SOP yang tidak ada.",
          example: "- {action: A, actor: x, call: kota-cirebon/dkis/tidak-ada}\n", fix: "Use an existing id.", fixID: "Pakai id yang ada."),
        e("E0602", "missing-related", "A related SOP id is not in the catalogue.", "Id SOP terkait tidak ada di katalog.",
          why: "The catalogue site would link to nothing.", whyID: "Situs katalog akan menaut ke sesuatu yang tidak ada.",
          example: "related: [{name: SOP X, id: kota-cirebon/dkis/x}]\n", fix: "Use an existing id, or drop `id`.", fixID: "Pakai id yang ada, atau hapus `id`."),
        e("E0603", "duplicate-catalogue-id", "Two files share a catalogue id.", "Dua berkas memakai id katalog yang sama.",
          why: "Ids identify SOPs in links, calls and running cases.", whyID: "Id mengenali SOP di tautan, panggilan, dan kasus.",
          example: "(two files with `id: a/b`)\n", fix: "Rename one.", fixID: "Ganti salah satunya."),
    ]

    /// The entry of a code, case-insensitively (`e0301` works).
    public static func entry(_ code: String) -> Entry? {
        entries.first { $0.code.caseInsensitiveCompare(code) == .orderedSame }
    }

    /// The SARIF driver's rules.
    public static var sarifRules: [MachineRenderer.RuleInfo] {
        entries.map { MachineRenderer.RuleInfo(code: $0.code, name: $0.name, summary: $0.summary.en) }
    }
}
