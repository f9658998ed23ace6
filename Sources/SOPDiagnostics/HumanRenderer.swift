/// Renders diagnostics for a terminal, in the shape of rustc / swiftc:
///
///     sops/a.yaml:12:12: error[E0301]: step 3 names the actor `admn`, which is not declared
///        |
///     12 |     actor: admn
///        |            ^~~~ not declared under `actors:`
///        = help: declare it under `actors:`, or use a declared one
///
/// Colour only when asked (the caller decides from `--color` and `NO_COLOR`).
public struct HumanRenderer {
    public var language: Language
    public var useColor: Bool
    /// Finds the text of a file to quote its lines; nil leaves the excerpt out.
    public var source: (String) -> SourceFile?
    /// The widest quoted line, in characters: a longer line is cut around the caret, with
    /// `…` where text is left out (a 100,000-character line is never printed whole).
    public var lineWidth: Int

    public init(language: Language, useColor: Bool, lineWidth: Int = 100, source: @escaping (String) -> SourceFile?) {
        self.language = language
        self.useColor = useColor
        self.lineWidth = max(20, lineWidth)
        self.source = source
    }

    /// A headline of at most `width` characters: a longer one (it quotes a long value) keeps
    /// its start and end around an ellipsis.
    static func cut(_ text: String, to width: Int) -> String {
        guard text.unicodeScalars.count > width else { return text }
        let scalars = Array(text.unicodeScalars)
        let head = width * 2 / 3, tail = width - head - 1
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[..<head])
        out.append("…")
        out.append(contentsOf: scalars[(scalars.count - tail)...])
        return String(out)
    }

    /// The window of a line shown around a caret: the text, and the column (1-based, in the
    /// shown text) where the original `column` lands.
    static func window(of line: String, column: Int, width caretWidth: Int, maxWidth: Int) -> (text: String, column: Int, width: Int) {
        let scalars = Array(line.unicodeScalars)
        guard scalars.count > maxWidth else { return (line, column, caretWidth) }
        // Keep a third of the width before the caret, the rest after it.
        var start = max(0, column - 1 - maxWidth / 3)
        start = min(start, max(0, scalars.count - (maxWidth - 2)))
        let end = min(scalars.count, start + maxWidth - 2)
        var text = String.UnicodeScalarView()
        if start > 0 { text.append("…") }
        text.append(contentsOf: scalars[start..<end])
        if end < scalars.count { text.append("…") }
        let shownColumn = column - start + (start > 0 ? 1 : 0)
        let room = end - (column - 1)
        return (String(text), shownColumn, max(1, min(caretWidth, room)))
    }

    private func paint(_ text: String, _ code: String) -> String {
        useColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    private func severityWord(_ severity: Severity) -> String {
        switch (severity, language) {
        case (.error, .en): return paint("error", "1;31")
        case (.warning, .en): return paint("warning", "1;33")
        case (.note, .en): return paint("note", "1;36")
        case (.error, .id): return paint("galat", "1;31")
        case (.warning, .id): return paint("peringatan", "1;33")
        case (.note, .id): return paint("catatan", "1;36")
        }
    }

    /// The whole report of one diagnostic, ending with a newline.
    public func render(_ d: Diagnostic) -> String {
        var out = ""
        if let r = d.range {
            out += paint("\(r.file):\(r.start.line):\(r.start.column):", "1") + " "
        }
        out += "\(severityWord(d.severity))[\(d.code)]: " + paint(Self.cut(d.message.text(language), to: 2 * lineWidth), "1") + "\n"
        // The gutter is as wide as the widest line number quoted, so `|`, `-->` and `=` align.
        let lines = ([d.range] + d.labels.map(\.range)).compactMap { $0?.start.line }
        let pad = String(repeating: " ", count: String(lines.max() ?? 0).count)
        if let r = d.range {
            out += excerpt(r, label: nil, severity: d.severity, pad: pad)
        }
        for label in d.labels {
            out += paint("\(pad)--> \(label.range.file):\(label.range.start.line):\(label.range.start.column)", "34") + "\n"
            out += excerpt(label.range, label: label.message.text(language), severity: .note, pad: pad)
        }
        for note in d.notes {
            out += "\(pad) = " + paint(language == .id ? "catatan" : "note", "1") + ": " + note.text(language) + "\n"
        }
        if let help = d.help {
            out += "\(pad) = " + paint(language == .id ? "bantuan" : "help", "1") + ": " + help.text(language) + "\n"
        }
        for fix in d.fixIts {
            out += "\(pad) = " + paint(language == .id ? "perbaikan" : "fix", "1") + ": " + fix.message.text(language) + "\n"
        }
        return out
    }

    /// The quoted line with a gutter and `^~~~` under the span (first line of a multi-line span).
    func excerpt(_ r: SourceRange, label: String?, severity: Severity, pad: String) -> String {
        guard let file = source(r.file), let text = file.line(r.start.line) else { return "" }
        let number = String(r.start.line)
        let numberPad = String(repeating: " ", count: max(0, pad.count - number.count))
        let whole = text.replacingTabs()
        let wholeColumn = max(1, r.start.column)
        let wholeLength = whole.unicodeScalars.count
        var wholeWidth = r.end.line == r.start.line ? r.end.column - r.start.column : wholeLength - wholeColumn + 1
        wholeWidth = max(1, min(wholeWidth, max(1, wholeLength - wholeColumn + 1)))
        let (shown, startColumn, width) = Self.window(of: whole, column: wholeColumn, width: wholeWidth, maxWidth: lineWidth)
        let marker = "^" + String(repeating: "~", count: width - 1)
        let colour = severity == .error ? "1;31" : severity == .warning ? "1;33" : "1;36"
        var out = "\(pad) " + paint("|", "34") + "\n"
        out += numberPad + paint(number, "34") + " " + paint("|", "34") + " " + shown + "\n"
        out += "\(pad) " + paint("|", "34") + " " + String(repeating: " ", count: startColumn - 1)
            + paint(marker + (label.map { " " + $0 } ?? ""), colour) + "\n"
        return out
    }
}

extension String {
    /// Tabs shown as one space each, so the caret column stays right.
    func replacingTabs() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\t" ? " " : $0 }))
    }
}
