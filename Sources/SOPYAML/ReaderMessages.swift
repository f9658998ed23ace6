import SOPDiagnostics

/// The reader's diagnostics (codes E01xx), in one sorted catalogue.
public enum ReaderMessage {
    case syntax(problem: String, context: String?, isTab: Bool)
    case duplicateKey(String)
    case aliasLimit(Int)
    case tooDeep(Int)
    case tooLarge(bytes: Int, limit: Int)
    case invalidUTF8
    case multipleDocuments
    case emptyFile
    case rootNotMapping(Message)
    case complexKey
    case unknownAlias(String)

    public var code: String {
        switch self {
        case .syntax: return "E0101"
        case .duplicateKey: return "E0102"
        case .aliasLimit, .unknownAlias: return "E0103"
        case .tooDeep: return "E0104"
        case .tooLarge: return "E0105"
        case .invalidUTF8: return "E0106"
        case .multipleDocuments: return "E0107"
        case .emptyFile: return "E0108"
        case .rootNotMapping: return "E0109"
        case .complexKey: return "E0110"
        }
    }

    public var message: Message {
        switch self {
        case let .syntax(problem, _, isTab):
            if isTab {
                return Message(en: "a tab is used for indentation; YAML allows only spaces",
                               id: "tab dipakai untuk indentasi; YAML hanya mengizinkan spasi")
            }
            let plain = Self.plainSyntax(problem)
            return Message(en: "the YAML is not well formed: \(plain.en)", id: "YAML tidak tersusun dengan benar: \(plain.id)")
        case let .duplicateKey(key):
            return Message(en: "the key `\(key)` appears twice in the same mapping",
                           id: "kunci `\(key)` muncul dua kali dalam pemetaan yang sama")
        case let .aliasLimit(limit):
            return Message(en: "aliases expand to more than \(limit) nodes (an alias bomb?)",
                           id: "alias mengembang menjadi lebih dari \(limit) node (bom alias?)")
        case let .unknownAlias(name):
            return Message(en: "the alias `*\(name)` refers to no anchor `&\(name)` defined before it",
                           id: "alias `*\(name)` tidak merujuk ke jangkar `&\(name)` yang didefinisikan sebelumnya")
        case let .tooDeep(limit):
            return Message(en: "the document nests deeper than \(limit) levels",
                           id: "dokumen bersarang lebih dalam dari \(limit) tingkat")
        case let .tooLarge(bytes, limit):
            return Message(en: "the file is \(bytes) bytes, more than the limit of \(limit) bytes",
                           id: "berkas berukuran \(bytes) bita, melebihi batas \(limit) bita")
        case .invalidUTF8:
            return Message(en: "the file is not valid UTF-8 text", id: "berkas bukan teks UTF-8 yang sah")
        case .multipleDocuments:
            return Message(en: "the file holds more than one YAML document", id: "berkas berisi lebih dari satu dokumen YAML")
        case .emptyFile:
            return Message(en: "the file is empty: an SOP needs at least `sop`, `id`, `name`, `actors` and `steps`",
                           id: "berkas kosong: sebuah SOP memerlukan setidaknya `sop`, `id`, `name`, `actors` dan `steps`")
        case let .rootNotMapping(found):
            return Message(en: "the top of the file must be a mapping of keys (`sop:`, `id:` …), not \(found.en)",
                           id: "bagian teratas berkas harus berupa pemetaan kunci (`sop:`, `id:` …), bukan \(found.id)")
        case .complexKey:
            return Message(en: "a key must be a plain text, not a list or mapping",
                           id: "kunci harus berupa teks biasa, bukan daftar atau pemetaan")
        }
    }

    public var help: Message? {
        switch self {
        case .syntax(_, _, true):
            return Message(en: "replace the tab at the start of the line with spaces (two per level)",
                           id: "ganti tab di awal baris dengan spasi (dua per tingkat)")
        case let .syntax(problem, _, false):
            return Self.plainSyntax(problem).help
        case .duplicateKey:
            return Message(en: "keep one of the two entries; a later key would silently replace the earlier one",
                           id: "pertahankan salah satu; kunci kedua akan diam-diam menggantikan yang pertama")
        case let .unknownAlias(name):
            return Message(en: "define `&\(name)` before this line, or correct the alias name",
                           id: "definisikan `&\(name)` sebelum baris ini, atau perbaiki nama alias")
        case .aliasLimit:
            return Message(en: "write the repeated content out, or use fewer aliases",
                           id: "tulis ulang isi yang berulang, atau kurangi penggunaan alias")
        case .tooDeep:
            return Message(en: "an SOP needs only a few levels; check for runaway brackets",
                           id: "SOP hanya memerlukan beberapa tingkat; periksa tanda kurung yang tidak tertutup")
        case .tooLarge:
            return Message(en: "split the SOP into several SOPs linked with `call:`",
                           id: "pecah SOP menjadi beberapa SOP yang dihubungkan dengan `call:`")
        case .invalidUTF8:
            return Message(en: "save the file as UTF-8 in your editor", id: "simpan berkas sebagai UTF-8 di penyunting Anda")
        case .multipleDocuments:
            return Message(en: "put each SOP in its own file; remove the `---` line", id: "tempatkan setiap SOP dalam berkasnya sendiri; hapus baris `---`")
        case .emptyFile:
            return Message(en: "start from an example in `sops/` or `grammar/LANGUAGE.md`", id: "mulailah dari contoh di `sops/` atau `grammar/LANGUAGE.md`")
        case .rootNotMapping:
            return Message(en: "write the SOP as `key: value` lines starting with `sop: 1`", id: "tulis SOP sebagai baris `kunci: nilai` yang diawali `sop: 1`")
        case .complexKey:
            return Message(en: "write the key as plain text followed by `:`", id: "tulis kunci sebagai teks biasa diikuti `:`")
        }
    }

    /// Plain words for libyaml's problems (its own words stay in a note).
    static func plainSyntax(_ problem: String) -> (en: String, id: String, help: Message?) {
        switch problem {
        case "mapping values are not allowed in this context":
            return ("a `:` appears where no key is allowed",
                    "tanda `:` muncul di tempat yang tidak boleh ada kunci",
                    Message(en: "if the text contains `: `, put it in quotes; otherwise check the indentation of this line",
                            id: "jika teks memuat `: `, apit dengan tanda kutip; jika tidak, periksa indentasi baris ini"))
        case "did not find expected key":
            return ("a line is indented differently from the keys around it",
                    "indentasi sebuah baris berbeda dari kunci di sekitarnya",
                    Message(en: "align the line with the keys of the same mapping", id: "sejajarkan baris dengan kunci lain pada pemetaan yang sama"))
        case "could not find expected ':'":
            return ("a key is missing its `:`", "sebuah kunci tidak diikuti `:`",
                    Message(en: "write `key: value`; a text on several lines must be indented under its key",
                            id: "tulis `kunci: nilai`; teks yang memanjang beberapa baris harus menjorok di bawah kuncinya"))
        case "found unexpected end of stream":
            return ("the file ends inside a quoted text or a bracket", "berkas berakhir di dalam teks berkutip atau tanda kurung",
                    Message(en: "close the quote or bracket that was opened", id: "tutup tanda kutip atau kurung yang dibuka"))
        case "did not find expected node content":
            return ("a value is missing", "sebuah nilai tidak ada",
                    Message(en: "write a value after the `-` or `:`", id: "tulis nilai setelah `-` atau `:`"))
        case "did not find expected ',' or ']'":
            return ("a list in brackets `[...]` is not closed properly", "daftar dalam kurung `[...]` tidak ditutup dengan benar",
                    Message(en: "separate items with `,` and close with `]`; quote items that contain `:` or `#`",
                            id: "pisahkan item dengan `,` dan tutup dengan `]`; kutip item yang memuat `:` atau `#`"))
        case "did not find expected ',' or '}'":
            return ("a mapping in braces `{...}` is not closed properly", "pemetaan dalam kurung `{...}` tidak ditutup dengan benar",
                    Message(en: "separate entries with `,` and close with `}`", id: "pisahkan entri dengan `,` dan tutup dengan `}`"))
        case "block sequence entries are not allowed in this context":
            return ("a list item `-` appears where a value was expected on the same line",
                    "item daftar `-` muncul di tempat yang mengharapkan nilai pada baris yang sama",
                    Message(en: "start the list on the next line, indented under its key", id: "mulai daftar di baris berikutnya, menjorok di bawah kuncinya"))
        case "found character that cannot start any token":
            return ("a character here cannot start a value (such as `@` or `` ` ``)",
                    "karakter ini tidak dapat mengawali nilai (misalnya `@` atau `` ` ``)",
                    Message(en: "put the value in quotes", id: "apit nilai dengan tanda kutip"))
        default:
            return (problem, problem, nil)
        }
    }

    /// The diagnostic at a range.
    public func diagnostic(at range: SourceRange?, labels: [Label] = [], notes: [Message] = []) -> Diagnostic {
        Diagnostic(severity: .error, code: code, message: message, range: range, labels: labels, notes: notes, help: help)
    }
}
