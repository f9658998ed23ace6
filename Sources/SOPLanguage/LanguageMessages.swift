import SOPDiagnostics

/// The language's diagnostics (codes E02xx to E06xx, W05xx, N05xx), one sorted catalogue.
/// The code is derived from the case; the wording is headline, why, how to fix.
public enum LanguageMessage: Sendable {
    // E02xx: the file's structure
    case unknownKey(key: String, context: Message, suggestion: String?)
    case wrongType(key: String, expected: Message, found: Message)
    case missingKey(key: String, context: Message)
    case unsupportedVersion(String)
    case invalidDuration(text: String, found: String)
    case invalidIdentifier(text: String, what: Message)
    case invalidDate(String)
    case numberOutsideDraft
    case invalidValue(key: String, value: String, allowed: [String], suggestion: String?)
    // E03xx: names
    case undefinedActor(name: String, suggestion: String?)
    case undefinedStep(name: String, suggestion: String?)
    case duplicateStepID(String)
    case outcomeClashesWithStep(String)
    case undefinedOutcome(name: String, suggestion: String?)
    // E04xx: flow
    case unreachableStep(number: String)
    case noPathToEnd(number: String)
    case cycleWithoutExit(numbers: [String])
    case decisionTooFewBranches(count: Int)
    case decisionDuplicateLabel(String)
    case timeoutIncomplete(missing: String)
    case parallelWithoutJoin
    case parallelBranchMissesJoin(branch: String, join: String)
    case conflictingFlow(keys: [String])
    case conditionalBranching(key: String)
    case decisionSameTarget(target: String)
    // W05xx / N05xx: documents, actors, timing
    case unusedActor(String)
    case unknownDocument(name: String, suggestion: String?)
    case unusedOutput(String)
    case criticalPathExceedsSLA(path: [String], estimate: String, sla: String)
    case unanchoredDuration(anchor: String)
    // E06xx: the catalogue
    case missingCallTarget(id: String, suggestion: String?)
    case missingRelated(id: String, suggestion: String?)
    case duplicateCatalogueID(String)

    public var code: String {
        switch self {
        case .unknownKey: return "E0201"
        case .wrongType: return "E0202"
        case .missingKey: return "E0203"
        case .unsupportedVersion: return "E0204"
        case .invalidDuration: return "E0205"
        case .invalidIdentifier: return "E0206"
        case .invalidDate: return "E0207"
        case .numberOutsideDraft: return "E0208"
        case .invalidValue: return "E0209"
        case .undefinedActor: return "E0301"
        case .undefinedStep: return "E0302"
        case .duplicateStepID: return "E0303"
        case .outcomeClashesWithStep: return "E0304"
        case .undefinedOutcome: return "E0305"
        case .unreachableStep: return "E0401"
        case .noPathToEnd: return "E0402"
        case .cycleWithoutExit: return "E0403"
        case .decisionTooFewBranches: return "E0404"
        case .decisionDuplicateLabel: return "E0405"
        case .timeoutIncomplete: return "E0406"
        case .parallelWithoutJoin: return "E0407"
        case .parallelBranchMissesJoin: return "E0408"
        case .conflictingFlow: return "E0409"
        case .conditionalBranching: return "E0410"
        case .decisionSameTarget: return "W0411"
        case .unusedActor: return "W0501"
        case .unknownDocument: return "W0502"
        case .unusedOutput: return "N0503"
        case .criticalPathExceedsSLA: return "W0504"
        case .unanchoredDuration: return "W0505"
        case .missingCallTarget: return "E0601"
        case .missingRelated: return "E0602"
        case .duplicateCatalogueID: return "E0603"
        }
    }

    /// The default severity, from the code's letter. Drafts soften flow errors to warnings.
    public var severity: Severity {
        switch code.first {
        case "W": return .warning
        case "N": return .note
        default: return .error
        }
    }

    public var message: Message {
        switch self {
        case let .unknownKey(key, context, _):
            return Message(en: "unknown key `\(key)` in \(context.en)", id: "kunci `\(key)` tidak dikenal di \(context.id)")
        case let .wrongType(key, expected, found):
            return Message(en: "`\(key)` must be \(expected.en), but it is \(found.en)",
                           id: "`\(key)` harus berupa \(expected.id), tetapi berisi \(found.id)")
        case let .missingKey(key, context):
            return Message(en: "\(context.en) has no `\(key)`, which is required", id: "\(context.id) tidak memiliki `\(key)`, yang wajib ada")
        case let .unsupportedVersion(found):
            return Message(en: "language version `\(found)` is not supported; this compiler reads version 1",
                           id: "versi bahasa `\(found)` tidak didukung; kompilator ini membaca versi 1")
        case let .invalidDuration(text, found):
            let at = found.isEmpty ? "" : " (stuck at `\(found)`)"
            let atID = found.isEmpty ? "" : " (berhenti di `\(found)`)"
            return Message(en: "`\(text)` is not a duration this compiler understands\(at)",
                           id: "`\(text)` bukan durasi yang dipahami kompilator\(atID)")
        case let .invalidIdentifier(text, what):
            return Message(en: "`\(text)` is not a valid \(what.en)", id: "`\(text)` bukan \(what.id) yang sah")
        case let .invalidDate(text):
            return Message(en: "`\(text)` is not a date of the form YYYY-MM-DD", id: "`\(text)` bukan tanggal berbentuk YYYY-MM-DD")
        case .numberOutsideDraft:
            return Message(en: "step numbers are derived from the order of the steps; `number` is allowed only in a draft",
                           id: "nomor langkah diturunkan dari urutan langkah; `number` hanya boleh pada draf")
        case let .invalidValue(key, value, allowed, _):
            let list = allowed.map { "`\($0)`" }.joined(separator: ", ")
            return Message(en: "`\(value)` is not a valid value for `\(key)`; expected one of \(list)",
                           id: "`\(value)` bukan nilai yang sah untuk `\(key)`; yang diharapkan salah satu dari \(list)")
        case let .undefinedActor(name, _):
            return Message(en: "the actor `\(name)` is not declared under `actors:`",
                           id: "pelaksana `\(name)` tidak dideklarasikan di bawah `actors:`")
        case let .undefinedStep(name, _):
            return Message(en: "no step has the id `\(name)`", id: "tidak ada langkah dengan id `\(name)`")
        case let .duplicateStepID(id):
            return Message(en: "two steps have the id `\(id)`", id: "dua langkah memiliki id `\(id)`")
        case let .outcomeClashesWithStep(id):
            return Message(en: "the outcome `\(id)` has the id of a step", id: "hasil `\(id)` memakai id sebuah langkah")
        case let .undefinedOutcome(name, _):
            return Message(en: "the outcome `\(name)` is not declared under `outcomes:`", id: "hasil `\(name)` tidak dideklarasikan di bawah `outcomes:`")
        case let .conditionalBranching(key):
            return Message(en: "a conditional step (`when`) goes on to one next step, but this one also has `\(key)`",
                           id: "langkah bersyarat (`when`) berlanjut ke satu langkah berikutnya, tetapi langkah ini juga memiliki `\(key)`")
        case let .decisionSameTarget(target):
            return Message(en: "every branch of this decision leads to `\(target)`, so the answer changes nothing",
                           id: "setiap cabang keputusan ini menuju `\(target)`, sehingga jawabannya tidak mengubah apa pun")
        case let .unanchoredDuration(anchor):
            return Message(en: "the time counts from \"\(anchor)\", an event the runtime cannot find; the deadline will count from the step's start",
                           id: "waktu dihitung sejak \"\(anchor)\", peristiwa yang tidak dapat ditemukan runtime; tenggat akan dihitung sejak langkah dimulai")
        case let .unreachableStep(number):
            return Message(en: "step \(number) can never be reached from the first step",
                           id: "langkah \(number) tidak pernah dapat dicapai dari langkah pertama")
        case let .noPathToEnd(number):
            return Message(en: "from step \(number) the process can never reach an end",
                           id: "dari langkah \(number) proses tidak pernah dapat mencapai akhir")
        case let .cycleWithoutExit(numbers):
            let (list, total) = Self.steps(numbers)
            return Message(en: "steps \(list)\(total.map { ", in all \($0) steps," } ?? "") form a loop with no way out",
                           id: "langkah \(list)\(total.map { ", seluruhnya \($0) langkah," } ?? "") membentuk putaran tanpa jalan keluar")
        case let .decisionTooFewBranches(count):
            return Message(en: "a decision needs at least two branches, but this one has \(count)",
                           id: "keputusan memerlukan setidaknya dua cabang, tetapi yang ini memiliki \(count)")
        case let .decisionDuplicateLabel(label):
            return Message(en: "the branch label `\(label)` is used twice in this decision (labels ignore case)",
                           id: "label cabang `\(label)` dipakai dua kali dalam keputusan ini (huruf besar/kecil tidak dibedakan)")
        case let .timeoutIncomplete(missing):
            return Message(en: "this timeout has no `\(missing)`", id: "batas waktu ini tidak memiliki `\(missing)`")
        case .parallelWithoutJoin:
            return Message(en: "parallel branches start here but never join", id: "cabang paralel dimulai di sini tetapi tidak pernah bergabung")
        case let .parallelBranchMissesJoin(branch, join):
            return Message(en: "the parallel branch `\(branch)` never reaches its join `\(join)`",
                           id: "cabang paralel `\(branch)` tidak pernah mencapai titik gabung `\(join)`")
        case let .conflictingFlow(keys):
            let list = keys.map { "`\($0)`" }.joined(separator: " and ")
            let listID = keys.map { "`\($0)`" }.joined(separator: " dan ")
            return Message(en: "a step can say where it goes only once, but this one has both \(list)",
                           id: "sebuah langkah hanya boleh menyatakan tujuannya sekali, tetapi langkah ini memiliki \(listID)")
        case let .unusedActor(key):
            return Message(en: "the actor `\(key)` is declared but no step uses it",
                           id: "pelaksana `\(key)` dideklarasikan tetapi tidak dipakai oleh langkah mana pun")
        case let .unknownDocument(name, _):
            return Message(en: "`\(name)` is required here but no earlier step produces it",
                           id: "`\(name)` diperlukan di sini tetapi tidak dihasilkan oleh langkah sebelumnya")
        case let .unusedOutput(name):
            return Message(en: "`\(name)` is produced but never used by a later step",
                           id: "`\(name)` dihasilkan tetapi tidak pernah dipakai oleh langkah berikutnya")
        case let .criticalPathExceedsSLA(path, estimate, sla):
            let (list, total) = Self.steps(path)
            return Message(en: "the longest path (steps \(list)\(total.map { ", in all \($0) steps" } ?? "")) can take \(estimate), longer than the SLA of \(sla)",
                           id: "jalur terpanjang (langkah \(list)\(total.map { ", seluruhnya \($0) langkah" } ?? "")) dapat memakan \(estimate), lebih lama dari SLA \(sla)")
        case let .missingCallTarget(id, _):
            return Message(en: "the called SOP `\(id)` is not in the catalogue", id: "SOP yang dipanggil `\(id)` tidak ada di katalog")
        case let .missingRelated(id, _):
            return Message(en: "the related SOP `\(id)` is not in the catalogue", id: "SOP terkait `\(id)` tidak ada di katalog")
        case let .duplicateCatalogueID(id):
            return Message(en: "two files in the catalogue have the id `\(id)`", id: "dua berkas di katalog memiliki id `\(id)`")
        }
    }

    public var help: Message? {
        switch self {
        case let .unknownKey(_, _, suggestion?), let .invalidValue(_, _, _, suggestion?),
             let .undefinedActor(_, suggestion?), let .undefinedStep(_, suggestion?), let .undefinedOutcome(_, suggestion?),
             let .missingCallTarget(_, suggestion?), let .missingRelated(_, suggestion?):
            return Message(en: "did you mean `\(suggestion)`?", id: "apakah maksud Anda `\(suggestion)`?")
        case let .unknownDocument(_, suggestion?):
            return Message(en: "did you mean `\(suggestion)`?", id: "apakah maksud Anda `\(suggestion)`?")
        case .unknownKey:
            return Message(en: "remove it, or see `grammar/LANGUAGE.md` for the keys allowed here",
                           id: "hapus kunci ini, atau lihat `grammar/LANGUAGE.md` untuk kunci yang diizinkan di sini")
        case .wrongType:
            return Message(en: "see `grammar/LANGUAGE.md` for the form of this key", id: "lihat `grammar/LANGUAGE.md` untuk bentuk kunci ini")
        case .missingKey:
            return Message(en: "add the key", id: "tambahkan kunci tersebut")
        case .unsupportedVersion:
            return Message(en: "write `sop: 1`", id: "tulis `sop: 1`")
        case .invalidDuration:
            return Message(en: "write it like `5 menit`, `1-3 hari`, `10 hari kerja`, `Maks. 3 Hari`, `1 x 24 jam`, `Setiap hari kerja` or `NA`",
                           id: "tulis seperti `5 menit`, `1-3 hari`, `10 hari kerja`, `Maks. 3 Hari`, `1 x 24 jam`, `Setiap hari kerja` atau `NA`")
        case .invalidIdentifier:
            return Message(en: "use lower-case letters, digits, `-` and `_`, starting with a letter or digit (e.g. `kepala-dinas`)",
                           id: "gunakan huruf kecil, angka, `-` dan `_`, diawali huruf atau angka (misalnya `kepala-dinas`)")
        case .invalidDate:
            return Message(en: "write the date as year-month-day, e.g. `2024-01-02` for 02 Januari 2024",
                           id: "tulis tanggal sebagai tahun-bulan-hari, misalnya `2024-01-02` untuk 02 Januari 2024")
        case .numberOutsideDraft:
            return Message(en: "remove `number`, or mark the SOP `draft: true` if its table is incomplete",
                           id: "hapus `number`, atau tandai SOP dengan `draft: true` jika tabelnya tidak lengkap")
        case .invalidValue:
            return nil
        case .undefinedActor:
            return Message(en: "declare the actor under `actors:`, or use one that is declared",
                           id: "deklarasikan pelaksana di bawah `actors:`, atau pakai yang sudah dideklarasikan")
        case .undefinedStep:
            return Message(en: "give the target step an `id:`, or use an existing step id",
                           id: "beri langkah tujuan sebuah `id:`, atau pakai id langkah yang ada")
        case .duplicateStepID:
            return Message(en: "rename one of them; ids must be unique in the file", id: "ganti nama salah satunya; id harus unik dalam berkas")
        case .outcomeClashesWithStep:
            return Message(en: "rename the outcome or the step", id: "ganti nama hasil atau langkahnya")
        case .undefinedOutcome:
            return Message(en: "declare it under `outcomes:`, or write `end: true` for the default end",
                           id: "deklarasikan di bawah `outcomes:`, atau tulis `end: true` untuk akhir bawaan")
        case .conditionalBranching:
            return Message(en: "make the row a decision instead, or move the branching to the next step",
                           id: "jadikan baris ini keputusan, atau pindahkan percabangan ke langkah berikutnya")
        case .decisionSameTarget:
            return Message(en: "lead each answer where the source says it goes; if the source shows no other way, the row is not a decision",
                           id: "arahkan setiap jawaban sesuai sumber; jika sumber tidak menunjukkan jalan lain, baris ini bukan keputusan")
        case .unanchoredDuration:
            return Message(en: "name the step the time counts from with `duration: {text: …, from: STEP}` (or `from: start`), or explain in `notes` why the event lies outside the SOP",
                           id: "sebutkan langkah awal hitungan dengan `duration: {text: …, from: LANGKAH}` (atau `from: start`), atau jelaskan di `notes` mengapa peristiwanya di luar SOP")
        case .unreachableStep:
            return Message(en: "make an earlier step lead here with `next:` or a decision branch, or remove the step",
                           id: "arahkan langkah sebelumnya ke sini dengan `next:` atau cabang keputusan, atau hapus langkah ini")
        case .noPathToEnd:
            return Message(en: "add `end: true` to the last step of this path, or lead it to a step that ends",
                           id: "tambahkan `end: true` pada langkah terakhir jalur ini, atau arahkan ke langkah yang berakhir")
        case .cycleWithoutExit:
            return Message(en: "add a decision branch or a timeout that leaves the loop",
                           id: "tambahkan cabang keputusan atau batas waktu yang keluar dari putaran")
        case .decisionTooFewBranches:
            return Message(en: "list the branches as `label: step-id`, e.g. `ya: lanjut` and `tidak: tolak`",
                           id: "tuliskan cabang sebagai `label: id-langkah`, misalnya `ya: lanjut` dan `tidak: tolak`")
        case .decisionDuplicateLabel:
            return Message(en: "give each branch its own label", id: "beri setiap cabang label sendiri")
        case let .timeoutIncomplete(missing):
            return missing == "after"
                ? Message(en: "say after how long it fires, e.g. `after: 10 hari kerja`", id: "nyatakan setelah berapa lama berlaku, misalnya `after: 10 hari kerja`")
                : Message(en: "say which step it leads to, e.g. `goto: selesai`", id: "nyatakan langkah tujuannya, misalnya `goto: selesai`")
        case .parallelWithoutJoin:
            return Message(en: "add `join: step-id` naming the step that waits for every branch",
                           id: "tambahkan `join: id-langkah` yang menunjuk langkah yang menunggu semua cabang")
        case .parallelBranchMissesJoin:
            return Message(en: "lead the branch's last step to the join with `next:`",
                           id: "arahkan langkah terakhir cabang ke titik gabung dengan `next:`")
        case .conflictingFlow:
            return Message(en: "keep only one of them; to end after a branch, point the branch at `end`",
                           id: "pertahankan salah satunya saja; untuk berakhir setelah sebuah cabang, arahkan cabang ke `end`")
        case .unusedActor:
            return Message(en: "remove the actor, or give it the steps it performs", id: "hapus pelaksana, atau berikan langkah yang dilakukannya")
        case .unknownDocument:
            return Message(en: "produce it in an earlier step, or list it under `inputs:` if it comes from outside",
                           id: "hasilkan di langkah sebelumnya, atau cantumkan di `inputs:` jika berasal dari luar")
        case .unusedOutput:
            return Message(en: "list it under `outputs:` if it is a final product", id: "cantumkan di `outputs:` jika merupakan hasil akhir")
        case .criticalPathExceedsSLA:
            return Message(en: "shorten the steps on this path or review the SLA", id: "persingkat langkah pada jalur ini atau tinjau SLA")
        case .missingCallTarget, .missingRelated:
            return Message(en: "use the `id` of an SOP in the catalogue, or add that SOP",
                           id: "pakai `id` SOP yang ada di katalog, atau tambahkan SOP tersebut")
        case .duplicateCatalogueID:
            return Message(en: "every SOP needs its own id; rename one", id: "setiap SOP memerlukan id sendiri; ganti salah satunya")
        }
    }

    /// The diagnostic at `range`; `severity` overrides the default (drafts soften errors).
    public func diagnostic(at range: SourceRange?, severity: Severity? = nil, labels: [Label] = [],
                           notes: [Message] = [], fixIts: [FixIt] = []) -> Diagnostic {
        Diagnostic(severity: severity ?? self.severity, code: code, message: message, range: range,
                   labels: labels, notes: notes, help: help, fixIts: fixIts)
    }
}

extension LanguageMessage {
    /// Step numbers joined by arrows; a path or loop of hundreds of steps is shown by its
    /// ends, with `total` its length, so that the message stays one readable line.
    static func steps(_ numbers: [String]) -> (list: String, total: Int?) {
        guard numbers.count > 24 else { return (numbers.joined(separator: " → "), nil) }
        return ((Array(numbers.prefix(12)) + ["…"] + Array(numbers.suffix(6))).joined(separator: " → "), numbers.count)
    }
}
