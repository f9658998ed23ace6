import Foundation
import SOPDiagnostics

/// The three outputs of `sop diff`: text for a terminal (coloured when asked), Markdown (a
/// *Riwayat Perubahan* change note) and JSON. In Indonesian or English; SOP texts as written.
public struct DiffRenderer: Sendable {
    public var language: Language
    public var color: Bool

    public init(language: Language, color: Bool = false) {
        self.language = language
        self.color = color
    }

    func t(_ en: String, _ id: String) -> String { language == .id ? id : en }

    // MARK: Words for fields and values

    func fieldName(_ field: String) -> String {
        switch field {
        case "id": return t("Catalogue id", "Id katalog")
        case "name": return t("Name", "Nama SOP")
        case "draft": return t("Draft", "Draf")
        case "number": return t("SOP number", "Nomor SOP")
        case "government": return t("Government", "Pemerintah daerah")
        case "agency": return t("Agency", "Perangkat daerah")
        case "division": return t("Division", "Bidang")
        case "unit": return t("Unit", "Seksi/Unit")
        case "activity": return t("Activity", "Kegiatan")
        case "subActivity": return t("Sub-activity", "Sub kegiatan")
        case "dates.created": return t("Date made", "Tanggal pembuatan")
        case "dates.revised": return t("Date revised", "Tanggal revisi")
        case "dates.effective": return t("Date effective", "Tanggal efektif")
        case "approvedBy.title": return t("Approved by (title)", "Disahkan oleh (jabatan)")
        case "approvedBy.name": return t("Approved by (name)", "Disahkan oleh (nama)")
        case "approvedBy.nip": return t("Approver's NIP", "NIP pengesah")
        case "purpose": return t("Purpose", "Tujuan")
        case "legalBasis": return t("Legal basis", "Dasar hukum")
        case "qualifications": return t("Qualifications", "Kualifikasi pelaksana")
        case "equipment": return t("Equipment", "Peralatan/perlengkapan")
        case "warnings": return t("Warnings", "Peringatan")
        case "records": return t("Records", "Pencatatan dan pendataan")
        case "related": return t("Related SOPs", "Keterkaitan")
        case "inputs": return t("Inputs (from outside the SOP)", "Masukan (dari luar SOP)")
        case "outputs": return t("Outputs", "Keluaran")
        case "actor": return t("actor", "pelaksana")
        case "kind": return t("kind", "jenis")
        case "question": return t("question", "pertanyaan")
        case "when": return t("condition", "syarat")
        case "call": return t("calls", "memanggil SOP")
        case "via": return t("via", "melalui")
        case "note": return t("note", "keterangan")
        default: return field
        }
    }

    func value(_ field: String, _ v: String?) -> String {
        guard let v else { return t("(none)", "(tidak ada)") }
        if field == "draft" { return v == "true" ? t("yes", "ya") : t("no", "tidak") }
        return v
    }

    /// 0.7321 → "0,73" (id) or "0.73" (en); whole numbers without decimals; below 1, two
    /// significant digits (30 minutes are 0,015 working days).
    func number(_ x: Double) -> String {
        var s: String
        if x > 0, x < 1 {
            let digits = max(2, 1 - Int(floor(log10(x))))
            s = String(format: "%.\(digits)f", x)
        } else {
            let r = (x * 100).rounded() / 100
            s = r == r.rounded() ? String(Int(r)) : String(format: "%.2f", r)
        }
        if s.contains(".") { while s.hasSuffix("0") { s.removeLast() }; if s.hasSuffix(".") { s.removeLast() } }
        return language == .id ? s.replacingOccurrences(of: ".", with: ",") : s
    }

    /// A message whose `code` spans stay code spans, the rest escaped.
    func mdMessage(_ s: String) -> String {
        let parts = s.split(separator: "`", omittingEmptySubsequences: false)
        guard parts.count % 2 == 1 else { return md(s) }
        return parts.enumerated().map { i, p in i % 2 == 0 ? md(String(p)) : "`" + p + "`" }.joined()
    }

    /// "3–5 hari kerja", "0,73 hari kerja (24,5 jam)", "tanpa waktu".
    func days(_ lo: Double, _ hi: Double, open: Bool, elapsed: Bool = false) -> String {
        var s: String
        if hi <= 0 {
            s = t("no stated time", "tanpa waktu tertulis")
        } else {
            s = (abs(lo - hi) < 1e-9 ? number(hi) : number(lo) + "–" + number(hi))
                + (abs(hi - 1) < 1e-9 && abs(lo - hi) < 1e-9 ? t(" working day", " hari kerja") : t(" working days", " hari kerja"))
            if elapsed, hi < 1 {
                let hours = hi * 33.6
                s += " (" + (hours >= 1 ? number(hours) + t(" hours", " jam") : number(hours * 60) + t(" minutes", " menit")) + ")"
            }
        }
        if open { s += t(", plus recurring steps", ", ditambah langkah berulang") }
        return s
    }

    func time(_ v: TimeValue?) -> String {
        guard let v else { return t("no stated time", "tanpa waktu tertulis") }
        let meaning = days(v.minDays, v.maxDays, open: v.openEnded)
        // "60 hari kerja" needs no translation into working days.
        let written = v.text.lowercased().replacingOccurrences(of: "-", with: "–").replacingOccurrences(of: " – ", with: "–")
        if language == .id, written == meaning.lowercased() { return v.text }
        return "\(v.text) = " + meaning
    }

    func endpoint(_ e: Endpoint?) -> String {
        guard let e else { return t("nowhere", "tidak ke mana pun") }
        switch e.kind {
        case .step: return t("step ", "langkah ") + e.label + (e.unmatched == true ? t(" (not in the other revision)", " (tidak ada di revisi lain)") : "")
        case .end: return t("the end ", "akhir ") + "«\(e.label)»"
        case .parallel: return t("in parallel: steps ", "paralel: langkah ") + e.label
        }
    }

    func exitName(_ c: ExitChange) -> String {
        switch c.kind {
        case "branch": return t("branch", "cabang") + " «\(c.label ?? "")»"
        case "parallel": return t("parallel branch", "cabang paralel")
        default: return t("next", "berikutnya")
        }
    }

    func stepName(_ c: StepChange) -> String {
        switch c.kind {
        case .added: return t("Step ", "Langkah ") + (c.newNumber ?? "?")
        case .removed: return t("Step ", "Langkah ") + (c.oldNumber ?? "?")
        case .changed:
            if c.oldNumber == c.newNumber { return t("Step ", "Langkah ") + (c.newNumber ?? "?") }
            return t("Step ", "Langkah ") + (c.oldNumber ?? "?") + " → " + (c.newNumber ?? "?")
        }
    }

    func flowText(_ f: FlowEffect) -> String {
        let steps = f.steps.joined(separator: ", ")
        switch f.kind {
        case .unreachable: return t("no case reaches step(s) \(steps) any more", "langkah \(steps) tidak lagi dapat dicapai")
        case .reachable: return t("step(s) \(steps) can be reached again", "langkah \(steps) kini dapat dicapai")
        case .newLoop: return t("a new loop through step(s) \(steps)", "perulangan baru melalui langkah \(steps)")
        case .loopRemoved: return t("the loop through step(s) \(steps) of the old revision is gone", "perulangan melalui langkah \(steps) (revisi lama) tidak ada lagi")
        }
    }

    func longest(_ l: Timing.Longest?) -> String {
        guard let l else { return t("no path", "tidak ada jalur") }
        var s = days(l.minDays, l.maxDays, open: l.openEnded, elapsed: true)
        if !l.steps.isEmpty { s += t(", steps ", ", langkah ") + Self.runs(l.steps) }
        if !l.untimedSteps.isEmpty {
            s += t("; without a stated time: step(s) ", "; tanpa waktu tertulis: langkah ") + l.untimedSteps.joined(separator: ", ")
        }
        return s
    }

    /// Step numbers in path order, runs of consecutive numbers shortened: "1–8 → 3 → 9".
    static func runs(_ steps: [String]) -> String {
        var parts: [String] = []
        var i = 0
        while i < steps.count {
            var j = i
            while j + 1 < steps.count, let a = Int(steps[j]), let b = Int(steps[j + 1]), b == a + 1 { j += 1 }
            parts.append(j - i >= 2 ? "\(steps[i])–\(steps[j])" : (i...j).map { steps[$0] }.joined(separator: " → "))
            i = j + 1
        }
        return parts.joined(separator: " → ")
    }

    func sla(_ v: TimeValue?) -> String {
        guard let v else { return t("not declared", "tidak ditetapkan") }
        return time(v)
    }

    func summary(_ d: SOPDiff) -> String {
        let added = d.steps.filter { $0.kind == .added }.count, removed = d.steps.filter { $0.kind == .removed }.count
        let changed = d.steps.filter { $0.kind == .changed }.count
        var parts: [String] = []
        let identity = d.identity.count + d.lists.reduce(0) { $0 + $1.added.count + $1.removed.count + $1.reworded.count }
        if identity > 0 { parts.append(t("\(identity) identity change(s)", "\(identity) perubahan identitas")) }
        if !d.actors.isEmpty { parts.append(t("\(d.actors.count) actor change(s)", "\(d.actors.count) perubahan pelaksana")) }
        if added > 0 { parts.append(t("\(added) step(s) added", "\(added) langkah ditambahkan")) }
        if removed > 0 { parts.append(t("\(removed) step(s) removed", "\(removed) langkah dihapus")) }
        if changed > 0 { parts.append(t("\(changed) step(s) changed", "\(changed) langkah diubah")) }
        if !d.flow.isEmpty { parts.append(t("\(d.flow.count) flow effect(s)", "\(d.flow.count) dampak alur")) }
        if d.timing.changed { parts.append(t("timing changed", "waktu berubah")) }
        let diags = d.diagnostics.introduced.count + d.diagnostics.resolved.count
        if diags > 0 { parts.append(t("\(diags) diagnostic change(s)", "\(diags) perubahan diagnostik")) }
        return parts.isEmpty ? noChange : parts.joined(separator: ", ")
    }

    public var noChange: String { t("no semantic change", "tidak ada perubahan makna") }

    func diagnosticText(_ i: DiagnosticChanges.Item, side: String) -> String {
        "\(i.code) \(language == .id ? i.messageID : i.messageEN)" + (i.line.map { t(" (line \($0) of the \(side) file)", " (baris \($0) berkas \(side))") } ?? "")
    }

    // MARK: Text

    /// What a terminal or a Markdown page must not receive raw from an SOP's text: control
    /// characters become their Control Pictures (U+0001 → ␁), C1 controls and the
    /// bidirectional overrides a visible `<U+202E>`. Colour codes of our own (`ESC [ n m`,
    /// only with `color`) are kept; any other escape becomes ␛.
    public func visible(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var i = 0
        func hex(_ v: UInt32) -> String { "<U+" + String(v, radix: 16, uppercase: true).leftPadded(4) + ">" }
        while i < scalars.count {
            let c = scalars[i], v = c.value
            if v == 0x1B, color, i + 1 < scalars.count, scalars[i + 1] == "[" {
                var j = i + 2
                while j < scalars.count, ("0"..."9").contains(scalars[j]) { j += 1 }
                if j < scalars.count, scalars[j] == "m", j > i + 2 {
                    out.append(contentsOf: scalars[i...j]); i = j + 1; continue
                }
            }
            if v == 0x0A {
                out.append(c)
            } else if v < 0x20 {
                out.append(Unicode.Scalar(0x2400 + v)!)
            } else if v == 0x7F {
                out.append(Unicode.Scalar(0x2421)!)
            } else if (0x80...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
                        || v == 0x200E || v == 0x200F || v == 0x061C {
                out.append(contentsOf: hex(v).unicodeScalars)
            } else {
                out.append(c)
            }
            i += 1
        }
        return String(out)
    }

    enum Tone { case added, removed, changed, heading, dim }

    func paint(_ s: String, _ tone: Tone) -> String {
        guard color else { return s }
        let code: String
        switch tone {
        case .added: code = "32"
        case .removed: code = "31"
        case .changed: code = "33"
        case .heading: code = "1"
        case .dim: code = "2"
        }
        return "\u{1B}[\(code)m\(s)\u{1B}[0m"
    }

    /// A word diff: `[-old-]{+new+}` without colour (as `git diff --word-diff`), red and
    /// green with it.
    func words(_ segments: [WordDiff.Segment]) -> String {
        segments.map { s in
            switch s.op {
            case .same: return s.text
            case .removed: return color ? paint(s.text, .removed) : "[-\(s.text)-]"
            case .added: return color ? paint(s.text, .added) : "{+\(s.text)+}"
            }
        }.joined(separator: " ")
    }

    /// The text report of one SOP's revision.
    public func text(_ d: SOPDiff) -> String {
        var out: [String] = []
        out.append(paint(t("Changes to ", "Perubahan SOP ") + "«\(d.name)»", .heading))
        out.append("  \(t("old", "lama")): \(d.oldPath) (\(d.oldID))")
        out.append("  \(t("new", "baru")): \(d.newPath) (\(d.newID))")
        guard d.hasChanges else {
            out.append(""); out.append(noChange)
            return visible(out.joined(separator: "\n") + "\n")
        }
        func section(_ title: String, _ lines: [String]) {
            guard !lines.isEmpty else { return }
            out.append(""); out.append(paint(title, .heading)); out += lines
        }
        func change(_ c: FieldChange) -> String {
            if c.old == nil { return paint("  + ", .added) + "\(fieldName(c.field)): \(value(c.field, c.new))" }
            if c.new == nil { return paint("  - ", .removed) + "\(fieldName(c.field)): \(value(c.field, c.old))" }
            if let w = c.words { return paint("  ~ ", .changed) + "\(fieldName(c.field)): " + words(w) }
            return paint("  ~ ", .changed) + "\(fieldName(c.field)): \(value(c.field, c.old)) → \(value(c.field, c.new))"
        }
        section(t("Identity", "Identitas"), d.identity.map(change))
        for l in d.lists {
            var lines: [String] = []
            lines += l.reworded.map { paint("  ~ ", .changed) + words($0.words ?? []) }
            lines += l.removed.map { paint("  - ", .removed) + $0 }
            lines += l.added.map { paint("  + ", .added) + $0 }
            section(fieldName(l.field), lines)
        }
        section(t("Actors", "Pelaksana"), d.actors.map(actorLine))
        section(t("Steps", "Langkah"), d.steps.flatMap(stepLines))
        section(t("Flow", "Alur"), d.flow.map { paint("  ! ", .changed) + flowText($0) })
        section(t("Time", "Waktu"), [
            "  \(t("Longest path", "Jalur terpanjang"))"
                + (Timing.Longest.sameLength(d.timing.oldLongest, d.timing.newLongest) ? t(" (same length)", " (sama panjang)") : "") + ":",
            "      \(t("before", "sebelum")): \(longest(d.timing.oldLongest))",
            "      \(t("after", "sesudah")): \(longest(d.timing.newLongest))",
            "  SLA: " + (TimeValue.sameMeaning(d.timing.oldSLA, d.timing.newSLA)
                ? sla(d.timing.newSLA) + t(" (unchanged)", " (tidak berubah)") : "\(sla(d.timing.oldSLA)) → \(sla(d.timing.newSLA))"),
        ])
        section(t("Diagnostics", "Diagnostik"),
                d.diagnostics.introduced.map { paint("  + ", .added) + t("new: ", "baru: ") + diagnosticText($0, side: t("new", "baru")) }
                + d.diagnostics.resolved.map { paint("  - ", .removed) + t("resolved: ", "selesai: ") + diagnosticText($0, side: t("old", "lama")) })
        out.append("")
        out.append(t("In short: ", "Ringkasnya: ") + summary(d))
        return visible(out.joined(separator: "\n") + "\n")
    }

    func actorLine(_ a: ActorChange) -> String {
        switch a.kind {
        case .added: return paint("  + ", .added) + "\(a.newName ?? "") (`\(a.newKey ?? "")`)" + t(" added", " ditambahkan")
        case .removed: return paint("  - ", .removed) + "\(a.oldName ?? "") (`\(a.oldKey ?? "")`)" + t(" removed", " dihapus")
        case .changed:
            var parts: [String] = []
            if a.oldKey != a.newKey { parts.append(t("key", "kunci") + " `\(a.oldKey ?? "")` → `\(a.newKey ?? "")`") }
            if WordDiff.normalised(a.oldName ?? "") != WordDiff.normalised(a.newName ?? "") {
                parts.append(t("renamed", "berganti nama") + " «\(a.oldName ?? "")» → «\(a.newName ?? "")»")
            }
            if a.oldKind != a.newKind { parts.append(t("kind", "jenis") + " \(a.oldKind ?? "") → \(a.newKind ?? "")") }
            return paint("  ~ ", .changed) + "`\(a.newKey ?? "")`: " + parts.joined(separator: "; ")
        }
    }

    func stepDetails(_ c: StepChange) -> [String] {
        var lines: [String] = []
        if c.moved {
            func after(_ n: String?) -> String { n.map { t("after step ", "setelah langkah ") + $0 } ?? t("first", "pertama") }
            lines.append(t("moved: ", "dipindah: ") + after(c.afterOld) + " → " + after(c.afterNew))
        }
        if let a = c.actor { lines.append("\(fieldName("actor")): \(a.old ?? "-") → \(a.new ?? "-")") }
        if let tm = c.time { lines.append(t("time", "waktu") + ": \(time(tm.old)) → \(time(tm.new))") }
        if c.kind != .changed {
            if let a = c.actorName { lines.append("\(fieldName("actor")): \(a)") }
            if let v = c.timeValue { lines.append(t("time", "waktu") + ": " + time(v)) }
        }
        let requiresRemoved = c.kind == .removed ? t("required", "persyaratan") : t("no longer required", "persyaratan dihapus")
        let producesRemoved = c.kind == .removed ? t("produced", "keluaran") : t("no longer produced", "keluaran dihapus")
        let requiresAdded = c.kind == .added ? t("requires", "persyaratan") : t("now required", "persyaratan baru")
        let producesAdded = c.kind == .added ? t("produces", "keluaran") : t("now produced", "keluaran baru")
        if !c.requiresRemoved.isEmpty { lines.append("\(requiresRemoved): " + c.requiresRemoved.joined(separator: "; ")) }
        if !c.requiresAdded.isEmpty { lines.append("\(requiresAdded): " + c.requiresAdded.joined(separator: "; ")) }
        if !c.producesRemoved.isEmpty { lines.append("\(producesRemoved): " + c.producesRemoved.joined(separator: "; ")) }
        if !c.producesAdded.isEmpty { lines.append("\(producesAdded): " + c.producesAdded.joined(separator: "; ")) }
        for e in c.exits {
            lines.append("\(exitName(e)): \(endpoint(e.old)) → \(endpoint(e.new))")
        }
        for tm in c.timers {
            func timer(_ v: TimerValue?) -> String {
                guard let v else { return t("none", "tidak ada") }
                return "\(time(v.after)), \(t("then", "lalu")) \(endpoint(v.target))"
                    + (v.since == "last-response" ? t(" (from the last response)", " (sejak tanggapan terakhir)") : "")
            }
            lines.append(t("timer", "batas waktu") + ": \(timer(tm.old)) → \(timer(tm.new))")
        }
        for f in c.fields {
            if let w = f.words { lines.append("\(fieldName(f.field)): " + words(w)) } else {
                lines.append("\(fieldName(f.field)): \(value(f.field, f.old)) → \(value(f.field, f.new))")
            }
        }
        return lines
    }

    func stepLines(_ c: StepChange) -> [String] {
        let head: String
        switch c.kind {
        case .added: head = paint("  + ", .added) + stepName(c) + t(" (new): ", " (baru): ") + c.action
        case .removed: head = paint("  - ", .removed) + stepName(c) + t(" (removed): ", " (dihapus): ") + c.action
        case .changed: head = paint("  ~ ", .changed) + stepName(c) + ": " + (c.actionWords.map(words) ?? c.action)
        }
        return [head] + stepDetails(c).map { "      " + $0 }
    }

    /// The text report of several files (`sop diff --git`); unchanged files are left out.
    public func text(_ files: [FileDiff]) -> String {
        var out: [String] = []
        for f in files {
            switch f.status {
            case .unchanged: continue
            case .added: out.append(paint("+ ", .added) + t("new SOP ", "SOP baru ") + "«\(f.name)» (\(f.id)): \(f.newPath ?? "")\n")
            case .removed: out.append(paint("- ", .removed) + t("SOP removed ", "SOP dihapus ") + "«\(f.name)» (\(f.id)): \(f.oldPath ?? "")\n")
            case .changed: if let d = f.diff { out.append(text(d)) }
            }
        }
        return out.isEmpty ? noChange + "\n" : visible(out.joined(separator: "\n"))
    }

    // MARK: Markdown

    /// Escapes the characters CommonMark and GFM tables give a meaning inside a line.
    public static func markdownEscape(_ s: String) -> String {
        var out = ""
        for ch in s {
            if "\\`*_[]<>|~&#".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    func md(_ s: String) -> String { Self.markdownEscape(s) }

    func mdWords(_ segments: [WordDiff.Segment]) -> String {
        segments.map { s in
            switch s.op {
            case .same: return md(s.text)
            case .removed: return "~~\(md(s.text))~~"
            case .added: return "**\(md(s.text))**"
            }
        }.joined(separator: " ")
    }

    /// The change note of one SOP (level-2 heading, so several fit one page).
    public func markdown(_ d: SOPDiff) -> String {
        var out: [String] = []
        out.append("## \(t("Revision history", "Riwayat Perubahan")): \(md(d.name))")
        out.append("")
        out.append(t("From", "Dari") + " `\(d.oldID)` (`\(d.oldPath)`) " + t("to", "ke") + " `\(d.newID)` (`\(d.newPath)`).")
        guard d.hasChanges else {
            out.append(""); out.append(t("No semantic change.", "Tidak ada perubahan makna."))
            return plain.visible(out.joined(separator: "\n") + "\n")
        }
        out.append("")
        out.append("**\(t("In short", "Ringkasnya")):** \(md(summary(d))).")
        out.append("")
        out.append(t("Reading guide: ~~struck out~~ is the old text, **bold** the new.", "Cara membaca: teks ~~dicoret~~ adalah teks lama, teks **tebal** teks baru."))
        func section(_ title: String, _ lines: [String]) {
            guard !lines.isEmpty else { return }
            out.append(""); out.append("### \(title)"); out.append(""); out += lines
        }
        if !d.identity.isEmpty {
            var rows = ["| \(t("Field", "Unsur")) | \(t("Before", "Sebelum")) | \(t("After", "Sesudah")) |", "|---|---|---|"]
            for c in d.identity {
                rows.append("| \(md(fieldName(c.field))) | \(md(value(c.field, c.old))) | \(md(value(c.field, c.new))) |")
            }
            section(t("Identity", "Identitas"), rows)
        }
        for l in d.lists {
            var lines: [String] = []
            lines += l.reworded.map { "- \(t("Reworded", "Diubah")): " + mdWords($0.words ?? []) }
            lines += l.removed.map { "- \(t("Removed", "Dihapus")): ~~\(md($0))~~" }
            lines += l.added.map { "- \(t("Added", "Ditambahkan")): **\(md($0))**" }
            section(fieldName(l.field), lines)
        }
        section(t("Actors", "Pelaksana"), d.actors.map { a in
            switch a.kind {
            case .added: return "- \(t("Added", "Ditambahkan")): **\(md(a.newName ?? ""))** (`\(a.newKey ?? "")`)"
            case .removed: return "- \(t("Removed", "Dihapus")): ~~\(md(a.oldName ?? ""))~~ (`\(a.oldKey ?? "")`)"
            case .changed:
                var parts: [String] = []
                if a.oldKey != a.newKey { parts.append(t("key", "kunci") + " `\(a.oldKey ?? "")` → `\(a.newKey ?? "")`") }
                if WordDiff.normalised(a.oldName ?? "") != WordDiff.normalised(a.newName ?? "") {
                    parts.append(t("renamed", "berganti nama") + ": " + mdWords(WordDiff.diff(a.oldName ?? "", a.newName ?? "")))
                }
                if a.oldKind != a.newKind { parts.append(t("kind", "jenis") + " \(a.oldKind ?? "") → \(a.newKind ?? "")") }
                return "- `\(a.newKey ?? "")`: " + parts.joined(separator: "; ")
            }
        })
        section(t("Steps", "Langkah"), d.steps.flatMap { c -> [String] in
            let head: String
            switch c.kind {
            case .added: head = "- **\(stepName(c))** \(t("(new)", "(baru)")): \(md(c.action))"
            case .removed: head = "- **\(stepName(c))** \(t("(removed)", "(dihapus)")): ~~\(md(c.action))~~"
            case .changed: head = "- **\(stepName(c))**: " + (c.actionWords.map(mdWords) ?? md(c.action))
            }
            return [head] + plain.stepDetails(c).map { "  - " + md($0) }
        })
        section(t("Flow", "Alur"), d.flow.map { "- " + md(flowText($0)) })
        section(t("Time", "Waktu"), [
            "| | \(t("Before", "Sebelum")) | \(t("After", "Sesudah")) |", "|---|---|---|",
            "| \(t("Longest path", "Jalur terpanjang")) | \(md(longest(d.timing.oldLongest))) | \(md(longest(d.timing.newLongest))) |",
            "| SLA | \(md(sla(d.timing.oldSLA))) | \(md(sla(d.timing.newSLA))) |",
        ])
        section(t("Diagnostics", "Diagnostik"),
                d.diagnostics.introduced.map { "- \(t("New", "Baru")): " + mdMessage(diagnosticText($0, side: t("new", "baru"))) }
                + d.diagnostics.resolved.map { "- \(t("Resolved", "Selesai")): " + mdMessage(diagnosticText($0, side: t("old", "lama"))) })
        return plain.visible(out.joined(separator: "\n") + "\n")
    }

    /// This renderer without colour (Markdown never carries terminal codes).
    var plain: DiffRenderer { DiffRenderer(language: language, color: false) }

    public func markdown(_ files: [FileDiff]) -> String {
        var out: [String] = []
        for f in files {
            switch f.status {
            case .unchanged: continue
            case .added: out.append("## \(t("New SOP", "SOP baru")): \(md(f.name))\n\n`\(f.id)` (`\(f.newPath ?? "")`)\n")
            case .removed: out.append("## \(t("SOP removed", "SOP dihapus")): \(md(f.name))\n\n`\(f.id)` (`\(f.oldPath ?? "")`)\n")
            case .changed: if let d = f.diff { out.append(markdown(d)) }
            }
        }
        return out.isEmpty ? t("No semantic change.", "Tidak ada perubahan makna.") + "\n" : plain.visible(out.joined(separator: "\n"))
    }

    // MARK: JSON

    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// `{"changed": Bool, "diff": …}` for one SOP.
    public static func json(_ d: SOPDiff) -> String {
        struct Doc: Encodable { var changed: Bool; var diff: SOPDiff }
        return encode(Doc(changed: d.hasChanges, diff: d))
    }

    /// `{"changed": Bool, "files": […]}` for several.
    public static func json(_ files: [FileDiff], revision: String?) -> String {
        struct Doc: Encodable { var changed: Bool; var revision: String?; var files: [FileDiff] }
        return encode(Doc(changed: files.contains { $0.status != .unchanged }, revision: revision, files: files))
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
