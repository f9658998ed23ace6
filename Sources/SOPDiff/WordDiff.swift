/// Word-level differences between two texts, by the longest common subsequence of their
/// words (whitespace separates words and is not compared: a rewrapped text is equal).
public enum WordDiff {
    /// A run of words kept, deleted or inserted.
    public struct Segment: Codable, Sendable, Hashable {
        public enum Op: String, Codable, Sendable { case same, removed, added }
        public var op: Op
        public var text: String
        public init(op: Op, text: String) {
            self.op = op
            self.text = text
        }
    }

    /// The words of a text.
    public static func words(_ text: String) -> [Substring] {
        text.split(whereSeparator: { $0.isWhitespace })
    }

    /// The text with its whitespace normalised (runs of whitespace become one space).
    public static func normalised(_ text: String) -> String {
        words(text).joined(separator: " ")
    }

    /// The lengths table of the LCS of `a` and `b`, compared by `equal`.
    static func lcsTable<T>(_ a: [T], _ b: [T], _ equal: (T, T) -> Bool) -> [[Int]] {
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        if a.isEmpty || b.isEmpty { return table }
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = equal(a[i], b[j]) ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        return table
    }

    /// The segments turning `old` into `new`; consecutive words of one kind are one segment,
    /// deletions before insertions.
    public static func diff(_ old: String, _ new: String) -> [Segment] {
        let a = words(old), b = words(new)
        // Very long texts: compare as a whole (the table grows with the product of lengths).
        if a.count * b.count > 250_000 {
            if a == b { return [Segment(op: .same, text: a.joined(separator: " "))] }
            return [Segment(op: .removed, text: a.joined(separator: " ")), Segment(op: .added, text: b.joined(separator: " "))]
        }
        let table = lcsTable(a, b, ==)
        var ops: [(Segment.Op, Substring)] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                ops.append((.same, a[i])); i += 1; j += 1
            } else if j >= b.count || (i < a.count && table[i + 1][j] >= table[i][j + 1]) {
                ops.append((.removed, a[i])); i += 1
            } else {
                ops.append((.added, b[j])); j += 1
            }
        }
        // Group: runs of same; between them, all removed words then all added words.
        var out: [Segment] = []
        var removed: [Substring] = [], added: [Substring] = [], same: [Substring] = []
        func flushChange() {
            if !removed.isEmpty { out.append(Segment(op: .removed, text: removed.joined(separator: " "))) }
            if !added.isEmpty { out.append(Segment(op: .added, text: added.joined(separator: " "))) }
            removed = []; added = []
        }
        func flushSame() {
            if !same.isEmpty { out.append(Segment(op: .same, text: same.joined(separator: " "))) }
            same = []
        }
        for (op, word) in ops {
            switch op {
            case .same: flushChange(); same.append(word)
            case .removed: flushSame(); removed.append(word)
            case .added: flushSame(); added.append(word)
            }
        }
        flushSame(); flushChange()
        return out
    }

    /// How alike two texts are, 0 to 1: twice the common words (case-insensitive, in order)
    /// over all words.
    public static func similarity(_ old: String, _ new: String) -> Double {
        let a = words(old.lowercased()), b = words(new.lowercased())
        if a.isEmpty && b.isEmpty { return 1 }
        if a.isEmpty || b.isEmpty { return 0 }
        if a.count * b.count > 250_000 { return a == b ? 1 : 0 }
        let common = lcsTable(a, b, ==)[0][0]
        return 2 * Double(common) / Double(a.count + b.count)
    }
}
