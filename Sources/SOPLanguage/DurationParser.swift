import SOPIR
import Foundation

/// Parses the *Waktu* column in every way the seeds write it (grammar: `grammar/duration.ebnf`).
///
/// Case, spacing and a trailing full stop do not matter. The parser never throws: an
/// unreadable text returns `.failure` with the position of the first token it could not use.
public enum DurationParser {
    /// Why a text is not a duration; `offset` counts Unicode scalars into the trimmed text.
    public struct Failure: Error, Equatable, Sendable {
        public var offset: Int
        public var found: String
    }

    /// Parses a duration such as `1-3 hari`, `Maks. 3 Hari`, `PT5M` or `Setiap hari kerja`.
    public static func parse(_ text: String) -> Result<Duration, Failure> {
        let trimmed = Self.trim(text)
        var tokens = tokenize(trimmed)
        while tokens.last?.text == "." { tokens.removeLast() }
        // "perbulan", "perhari", "pertahun": "per" fused with its period, as often printed.
        if let k = tokens.firstIndex(where: { $0.kind == .word && $0.text.count > 3 && $0.text.hasPrefix("per") && fusedPeriods.contains(String($0.text.dropFirst(3))) }) {
            let t = tokens[k]
            tokens.replaceSubrange(k...k, with: [Token(kind: .word, text: "per", offset: t.offset),
                                                 Token(kind: .word, text: String(t.text.dropFirst(3)), offset: t.offset + 3)])
        }
        var p = Parser(tokens: tokens, source: trimmed)
        switch p.duration() {
        case let .success(value): return .success(Duration(text: trimmed, value: value, since: p.since, condition: p.condition, hours: p.hours))
        case let .failure(f): return .failure(f)
        }
    }

    static let fusedPeriods: Set<String> = ["hari", "minggu", "pekan", "bulan", "tahun", "triwulan", "semester", "caturwulan"]

    /// The text without leading and trailing spaces, tabs and line breaks.
    static func trim(_ text: String) -> String {
        let scalars = text.unicodeScalars
        func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        if first == scalars.startIndex, last == scalars.index(before: scalars.endIndex) { return text }
        return String(scalars[first...last])
    }

    struct Token: Equatable {
        enum Kind { case number, word, symbol }
        var kind: Kind
        var text: String
        var value: Double = 0
        var offset: Int
    }

    /// Numbers (`3`, `1,5`, `2.5`), lower-cased words, and single symbols. `s.d.` and `s/d`
    /// ("sampai dengan") become the word `sd`.
    static func tokenize(_ s: String) -> [Token] {
        var s = s
        if let tokens = s.withUTF8({ asciiTokens($0) }) { return tokens }
        return unicodeTokens(s)
    }

    /// `tokenize` for an ASCII text, on its bytes (offsets in bytes are offsets in scalars);
    /// nil for any other text. Gives exactly the tokens of `unicodeTokens`.
    static func asciiTokens(_ bytes: UnsafeBufferPointer<UInt8>) -> [Token]? {
        let n = bytes.count
        for b in bytes where b >= 0x80 { return nil }
        @inline(__always) func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c + 0x20 : c }
        @inline(__always) func isLetter(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) }
        @inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        var tokens: [Token] = []
        tokens.reserveCapacity(8)
        var text: [UInt8] = []
        text.reserveCapacity(16)
        var i = 0
        while i < n {
            let c = lower(bytes[i])
            if c == 0x20 || c == 0x09 || c == 0x0A { i += 1; continue }
            // "s.d." / "s/d" / "s.d"
            if c == UInt8(ascii: "s"), i + 2 < n, bytes[i + 1] == UInt8(ascii: ".") || bytes[i + 1] == UInt8(ascii: "/"),
               lower(bytes[i + 2]) == UInt8(ascii: "d"), i + 3 >= n || !isLetter(bytes[i + 3]) {
                tokens.append(Token(kind: .word, text: "sd", offset: i))
                i += 3
                if i < n, bytes[i] == UInt8(ascii: ".") { i += 1 }
                continue
            }
            if isDigit(c) {
                let start = i
                text.removeAll(keepingCapacity: true)
                while i < n, isDigit(bytes[i]) || ((bytes[i] == UInt8(ascii: ",") || bytes[i] == UInt8(ascii: ".")) && i + 1 < n && isDigit(bytes[i + 1])) {
                    text.append(bytes[i] == UInt8(ascii: ",") ? UInt8(ascii: ".") : bytes[i])
                    i += 1
                }
                let string = String(decoding: text, as: UTF8.self)
                tokens.append(Token(kind: .number, text: string, value: number(text, string), offset: start))
                continue
            }
            if isLetter(c) {
                let start = i
                text.removeAll(keepingCapacity: true)
                while i < n, isLetter(bytes[i]) || isDigit(bytes[i]) {
                    text.append(lower(bytes[i]))
                    i += 1
                }
                // "1x24": a word "x24" splits into "x" and the number.
                if text[0] == UInt8(ascii: "x"), text.count > 1, text.dropFirst().allSatisfy(isDigit) {
                    tokens.append(Token(kind: .word, text: "x", offset: start))
                    let digits = Array(text.dropFirst())
                    let string = String(decoding: digits, as: UTF8.self)
                    tokens.append(Token(kind: .number, text: string, value: number(digits, string), offset: start + 1))
                } else {
                    tokens.append(Token(kind: .word, text: String(decoding: text, as: UTF8.self), offset: start))
                }
                continue
            }
            tokens.append(Token(kind: .symbol, text: String(decoding: CollectionOfOne(c), as: UTF8.self), offset: i))
            i += 1
        }
        return tokens
    }

    /// The value of a number token: whole numbers of up to 15 digits exactly, others as `Double` reads them.
    static func number(_ digits: [UInt8], _ text: String) -> Double {
        guard digits.count <= 15, !digits.contains(UInt8(ascii: ".")) else { return Double(text) ?? 0 }
        var value = 0
        for d in digits { value = value * 10 + Int(d - 0x30) }
        return Double(value)
    }

    /// `tokenize` for any text, on its Unicode scalars.
    static func unicodeTokens(_ s: String) -> [Token] {
        let scalars = Array(s.lowercased().unicodeScalars)
        var tokens: [Token] = []
        var i = 0
        func isLetter(_ c: Unicode.Scalar) -> Bool {
            c.value < 0x80 ? ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z")) : c.properties.isAlphabetic
        }
        func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
        while i < scalars.count {
            let c = scalars[i]
            if c == " " || c == "\t" || c == "\n" { i += 1; continue }
            // "s.d." / "s/d" / "s.d"
            if c == "s", i + 2 < scalars.count, scalars[i + 1] == "." || scalars[i + 1] == "/", scalars[i + 2] == "d",
               i + 3 >= scalars.count || !isLetter(scalars[i + 3]) {
                tokens.append(Token(kind: .word, text: "sd", offset: i))
                i += 3
                if i < scalars.count, scalars[i] == "." { i += 1 }
                continue
            }
            if isDigit(c) {
                let start = i
                var text = ""
                while i < scalars.count, isDigit(scalars[i]) || ((scalars[i] == "," || scalars[i] == ".") && i + 1 < scalars.count && isDigit(scalars[i + 1])) {
                    text.unicodeScalars.append(scalars[i] == "," ? "." : scalars[i])
                    i += 1
                }
                tokens.append(Token(kind: .number, text: text, value: Double(text) ?? 0, offset: start))
                continue
            }
            if isLetter(c) {
                let start = i
                var text = ""
                while i < scalars.count, isLetter(scalars[i]) || isDigit(scalars[i]) {
                    text.unicodeScalars.append(scalars[i])
                    i += 1
                }
                // "1x24": a word "x24" splits into "x" and the number.
                if text.hasPrefix("x"), text.count > 1, text.dropFirst().allSatisfy({ $0.isNumber }) {
                    tokens.append(Token(kind: .word, text: "x", offset: start))
                    let digits = String(text.dropFirst())
                    tokens.append(Token(kind: .number, text: digits, value: Double(digits) ?? 0, offset: start + 1))
                } else {
                    tokens.append(Token(kind: .word, text: text, offset: start))
                }
                continue
            }
            tokens.append(Token(kind: .symbol, text: String(c), offset: i))
            i += 1
        }
        return tokens
    }

    struct Parser {
        var tokens: [Token]
        var source: String
        var position = 0
        /// A trailing "sejak …" / "setelah …" clause of an amount.
        var since: String?
        /// The condition of an extension: "dengan menyampaikan pemberitahuan …".
        var condition: String?
        /// Leading service hours: "Pada hari dan jam kerja …".
        var hours: String?
        /// The number of periods of a recurrence ("setiap 3 bulan", "per triwulan").
        var interval: Int?

        var current: Token? { position < tokens.count ? tokens[position] : nil }

        func failure() -> Failure {
            guard let t = current else { return Failure(offset: source.unicodeScalars.count, found: "") }
            return Failure(offset: t.offset, found: t.text)
        }

        mutating func accept(_ words: String...) -> Bool {
            guard let t = current, t.kind != .number, words.contains(t.text) else { return false }
            position += 1
            return true
        }

        mutating func skipDots() {
            while current?.text == "." || current?.text == ":" { position += 1 }
        }

        mutating func duration() -> Result<Duration.Value, Failure> {
            guard !tokens.isEmpty else { return .failure(failure()) }
            if (tokens.count == 1 && ["na", "-", "—", "–"].contains(tokens[0].text))
                || (tokens.count == 3 && tokens[0].text == "n" && tokens[1].text == "/" && tokens[2].text == "a") {
                return .success(.notApplicable)
            }
            if tokens.count == 1, tokens[0].kind == .word, tokens[0].text.hasPrefix("p"), let iso = Self.iso8601(tokens[0].text) {
                return .success(.amount(span: iso, atMost: false, extension: nil))
            }
            // Classes begin with a class name ("Ringan (3) Hari Kerja; …"); a ";" after an
            // amount belongs to its anchor or condition ("10 hari kerja sejak …; …").
            if (tokens.first.map { Self.classNames.contains($0.text) } ?? false)
                || (tokens.contains(where: { $0.text == ";" }) && tokens.first?.kind == .word && recurrenceStart() == nil
                    && !Self.amountLeads.contains(tokens[0].text)) {
                return classes()
            }
            if let start = recurrenceStart() {
                position = start
                return recurrence()
            }
            // Service hours first: "Pada hari dan jam kerja", then an amount or the rest of the
            // schedule in words ("untuk pemohon … dan setiap saat untuk …").
            if let first = current, first.text == "pada", position + 1 < tokens.count, tokens[position + 1].text == "hari" {
                let start = position
                position += 2
                if accept("dan") { guard accept("jam") else { return .failure(failure()) } }
                guard accept("kerja") else { return .failure(failure()) }
                hours = tokens[(start + 1)..<position].map(\.text).joined(separator: " ")
                if current == nil { return .success(.serviceHours) }
                let amountStarts = current?.kind == .number || ["maks", "maksimal", "maksimum", "max", "paling", "selambat", "dalam"].contains(current?.text ?? "")
                if !amountStarts {
                    guard clause() != nil, current == nil else { return .failure(failure()) }
                    return .success(.serviceHours)
                }
            }
            // "Diajukan dalam waktu paling lambat 14 hari kerja …", "dalam jangka waktu 3 hari".
            _ = accept("diajukan")
            if accept("dalam") { _ = accept("jangka"); guard accept("waktu") else { return .failure(failure()) } }
            else if accept("jangka") { guard accept("waktu") else { return .failure(failure()) } }
            let atMost = maxPrefix()
            switch amount() {
            case let .failure(f): return .failure(f)
            case let .success(span):
                var ext: TimeSpan?
                // Clauses after the amount, each at most once, in any order: an extension (with
                // its condition), and the anchor the time counts from.
                while current != nil {
                    if current?.text == "," { position += 1; continue }
                    if ext == nil, accept("dapat", "can", "bisa") {
                        guard accept("diperpanjang", "be", "extended") else { return .failure(failure()) }
                        _ = accept("extended")
                        _ = accept("hingga", "sampai", "by", "selama", "paling")
                        _ = accept("lama")
                        switch amount() {
                        case let .success(e): ext = e
                        case let .failure(f): return .failure(f)
                        }
                        if accept("dengan", "with", "by") {
                            guard let words = clause(), condition == nil else { return .failure(failure()) }
                            condition = words
                        }
                        continue
                    }
                    if since == nil, accept("sejak", "setelah", "since", "after", "terhitung") {
                        _ = accept("sejak")
                        guard let words = clause() else { return .failure(failure()) }
                        since = words
                        continue
                    }
                    return .failure(failure())
                }
                return .success(.amount(span: span, atMost: atMost, extension: ext))
            }
        }

        /// The words of a free clause (an anchor, a condition), up to the end or to a
        /// following "dapat diperpanjang" / "sejak" clause; nil when there are none.
        mutating func clause() -> String? {
            var words: [String] = []
            while let t = current {
                if ["dapat", "bisa"].contains(t.text), position + 1 < tokens.count, tokens[position + 1].text == "diperpanjang" { break }
                if ["sejak", "terhitung"].contains(t.text), !words.isEmpty { break }
                if t.text != "," { words.append(t.text) }
                position += 1
            }
            return words.isEmpty ? nil : words.joined(separator: " ")
        }

        /// Where a recurrence's "setiap" / "per" stands when the text is one: "Setiap hari
        /// kerja", "Per Triwulan", "Dilakukan di setiap hari kerja", "Dilakukan satu kali
        /// perbulan" (a fused "perbulan" is split by `init`).
        func recurrenceStart() -> Int? {
            var k = position
            func word(_ i: Int) -> String? { i < tokens.count && tokens[i].kind == .word ? tokens[i].text : nil }
            if word(k) == "dilakukan" { k += 1; if word(k) == "di" { k += 1 } }
            if word(k) == "satu" || word(k) == "sekali" || (k < tokens.count && tokens[k].kind == .number && tokens[k].value == 1 && word(k + 1) == "kali") {
                k += 1
                if word(k) == "kali" { k += 1 }
            }
            guard let w = word(k), ["setiap", "tiap", "every", "each", "per"].contains(w) else { return nil }
            return k
        }

        /// Words an amount may begin with (see `duration()`).
        static let amountLeads: Set<String> = ["maks", "maksimal", "maksimum", "max", "maximum", "paling", "selambat", "at", "diajukan",
                                               "dalam", "jangka", "pada"]

        static let classNames: Set<String> = ["ringan", "sedang", "berat", "light", "medium", "heavy", "mudah", "sulit"]

        mutating func maxPrefix() -> Bool {
            if accept("maks", "maksimal", "maksimum", "max", "maximum") { skipDots(); return true }
            if accept("paling") { _ = accept("lama", "lambat"); return true }
            if accept("selambat") { _ = accept("lambatnya"); return true }
            if accept("at") { _ = accept("most"); return true }
            if accept("≤") { return true }
            return false
        }

        /// number [("-" | "sd" | "sampai" | "to") number] [("x" | "×") number] unit
        mutating func amount() -> Result<TimeSpan, Failure> {
            guard let first = current, first.kind == .number else { return .failure(failure()) }
            position += 1
            skipSpelledNumber()
            var low = first.value, high = first.value
            if let t = current, ["-", "–", "—", "sd", "sampai", "hingga", "to"].contains(t.text) {
                position += 1
                _ = accept("dengan")
                guard let second = current, second.kind == .number else { return .failure(failure()) }
                position += 1
                skipSpelledNumber()
                high = second.value
                if high < low { return .failure(Failure(offset: second.offset, found: second.text)) }
            }
            if let t = current, t.text == "x" || t.text == "×" || t.text == "*" {
                position += 1
                guard let factor = current, factor.kind == .number else { return .failure(failure()) }
                position += 1
                low *= factor.value
                high *= factor.value
            }
            guard let unit = unit() else { return .failure(failure()) }
            return .success(TimeSpan(min: low, max: high, unit: unit))
        }

        /// Skips "(sepuluh)", "(empat belas)": a number written out in words after the digits.
        mutating func skipSpelledNumber() {
            guard current?.text == "(" else { return }
            var i = position + 1
            while i < tokens.count, tokens[i].kind == .word { i += 1 }
            if i > position + 1, i < tokens.count, tokens[i].text == ")" { position = i + 1 }
        }

        mutating func unit() -> TimeUnit? {
            guard let t = current, t.kind == .word else { return nil }
            position += 1
            switch t.text {
            case "detik", "second", "seconds", "sec", "secs", "dtk": return .second
            case "menit", "minute", "minutes", "min", "mins", "mnt": return .minute
            case "jam", "hour", "hours", "hr", "hrs": return .hour
            case "hari", "day", "days":
                if accept("kerja") { return .workingDay }
                return .day
            case "working", "business", "work":
                if accept("day", "days") { return .workingDay }
                position -= 1
                return nil
            case "hk": return .workingDay
            case "minggu", "pekan", "week", "weeks": return .week
            case "bulan", "month", "months": return .month
            case "tahun", "year", "years": return .year
            default:
                position -= 1
                return nil
            }
        }

        /// name ["(" number ")" | number] unit {";" …}
        mutating func classes() -> Result<Duration.Value, Failure> {
            var result: [DurationClass] = []
            while current != nil {
                guard let name = current, name.kind == .word, !["setiap"].contains(name.text) else { return .failure(failure()) }
                position += 1
                skipDots()
                let paren = current?.text == "("
                if paren { position += 1 }
                guard let n = current, n.kind == .number else { return .failure(failure()) }
                position += 1
                var high = n.value
                if let t = current, t.text == "-" || t.text == "sd" {
                    position += 1
                    guard let m = current, m.kind == .number else { return .failure(failure()) }
                    position += 1
                    high = m.value
                }
                if paren {
                    guard current?.text == ")" else { return .failure(failure()) }
                    position += 1
                }
                guard let unit = unit() else { return .failure(failure()) }
                if result.contains(where: { $0.name == name.text }) { return .failure(Failure(offset: name.offset, found: name.text)) }
                result.append(DurationClass(name: name.text, span: TimeSpan(min: n.value, max: high, unit: unit)))
                if current == nil { break }
                guard current?.text == ";" || current?.text == "," else { return .failure(failure()) }
                position += 1
            }
            guard result.count >= 2 else { return .failure(failure()) }
            return .success(.classes(classes: result))
        }

        /// ("setiap" | "per") [number] ["awal" | "akhir"] period ["sekali"] ["di" "hari" "kerja"] ["selama" amount] ["sejak" words…]
        mutating func recurrence() -> Result<Duration.Value, Failure> {
            position += 1
            var interval: Int?
            if let n = current, n.kind == .number {
                guard n.value >= 1, n.value == n.value.rounded(), n.value < 1000 else { return .failure(failure()) }
                interval = Int(n.value)
                position += 1
            }
            var anchor: String?
            if let t = current, ["awal", "akhir", "pertengahan", "start", "end"].contains(t.text) {
                anchor = t.text
                position += 1
                _ = accept("of")
            }
            guard let t = current else { return .failure(failure()) }
            position += 1
            var every: RecurrencePeriod
            switch t.text {
            case "hari", "day":
                every = .day
                if accept("kerja") { every = .workingDay }
            case "working", "business":
                guard accept("day") else { return .failure(failure()) }
                every = .workingDay
            case "minggu", "pekan", "week": every = .week
            case "bulan", "month": every = .month
            case "tahun", "year": every = .year
            // A quarter, a third and a half of a year: months, several at a time.
            case "triwulan", "quarter", "caturwulan", "semester":
                guard interval == nil else { position -= 1; return .failure(failure()) }
                every = .month
                interval = t.text == "semester" ? 6 : t.text == "caturwulan" ? 4 : 3
            default:
                position -= 1
                return .failure(failure())
            }
            if interval == 1 { interval = nil }
            self.interval = interval
            _ = accept("sekali")
            var onWorkingDays = every == .workingDay
            if accept("di", "pada", "on") {
                guard accept("hari"), accept("kerja") else {
                    if accept("working", "business"), accept("days", "day") { onWorkingDays = true } else { return .failure(failure()) }
                    return finishRecurrence(every, anchor, true)
                }
                onWorkingDays = true
            }
            return finishRecurrence(every, anchor, onWorkingDays)
        }

        mutating func finishRecurrence(_ every: RecurrencePeriod, _ anchor: String?, _ onWorkingDays: Bool) -> Result<Duration.Value, Failure> {
            var lasting: TimeSpan?
            var since: String?
            if accept("selama", "for") {
                switch amount() {
                case let .success(span): lasting = span
                case let .failure(f): return .failure(f)
                }
            }
            if accept("sejak", "since", "after", "setelah") {
                let words = tokens[position...].map(\.text)
                guard !words.isEmpty else { return .failure(failure()) }
                since = words.joined(separator: " ")
                position = tokens.count
            }
            guard current == nil else { return .failure(failure()) }
            return .success(.recurring(recurrence: Recurrence(every: every, anchor: anchor, onWorkingDays: onWorkingDays, lasting: lasting,
                                                              since: since, interval: interval)))
        }

        /// ISO 8601 durations (`p3d`, `pt5m`, `pt1h30m`), lower-cased by the tokenizer, as one
        /// amount in the smallest unit written.
        static func iso8601(_ text: String) -> TimeSpan? {
            var rest = Substring(text.dropFirst())
            var inTime = false
            var parts: [(Double, TimeUnit)] = []
            while !rest.isEmpty {
                if rest.first == "t" { inTime = true; rest = rest.dropFirst(); continue }
                let digits = rest.prefix { $0.isNumber || $0 == "." }
                guard !digits.isEmpty, let value = Double(digits) else { return nil }
                rest = rest.dropFirst(digits.count)
                guard let designator = rest.first else { return nil }
                rest = rest.dropFirst()
                switch (designator, inTime) {
                case ("y", false): parts.append((value, .year))
                case ("m", false): parts.append((value, .month))
                case ("w", false): parts.append((value, .week))
                case ("d", false): parts.append((value, .day))
                case ("h", true): parts.append((value, .hour))
                case ("m", true): parts.append((value, .minute))
                case ("s", true): parts.append((value, .second))
                default: return nil
                }
            }
            guard let smallest = parts.map(\.1).min(by: { $0.estimatedHours < $1.estimatedHours }) else { return nil }
            if parts.count == 1 { return TimeSpan(parts[0].0, smallest) }
            // Months and years do not convert exactly; refuse mixing them with other units.
            if parts.contains(where: { ($0.1 == .month || $0.1 == .year) && $0.1 != smallest }) { return nil }
            let total = parts.reduce(0.0) { $0 + $1.0 * $1.1.estimatedHours / smallest.estimatedHours }
            return TimeSpan((total * 1000).rounded() / 1000, smallest)
        }
    }
}
