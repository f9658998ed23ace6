/// Near-miss suggestions ("did you mean `x`?") for keys, actors, step ids and documents.
public enum NearMiss {
    /// The edit distance between two strings, compared by Unicode scalars: insertions,
    /// deletions, substitutions and swaps of two neighbours (`nmae` → `name`) cost 1 each
    /// (the optimal string alignment distance).
    public static func distance(_ a: String, _ b: String) -> Int {
        distance(Array(a.unicodeScalars), Array(b.unicodeScalars), atMost: Int.max - 1)
    }

    /// The edit distance of `x` and `y`, or any number above `bound` as soon as the
    /// distance is known to exceed it (a row whose every cell is above the bound).
    static func distance(_ x: [Unicode.Scalar], _ y: [Unicode.Scalar], atMost bound: Int) -> Int {
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        if abs(x.count - y.count) > bound { return bound + 1 }
        var beforePrevious = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
                rowMinimum = min(rowMinimum, current[j])
            }
            // A swap reaches back two rows: the bound holds only when two rows are above it.
            if rowMinimum > bound, i > 1, previous.min()! > bound { return bound + 1 }
            swap(&beforePrevious, &previous)
            swap(&previous, &current)
        }
        return previous[y.count]
    }

    /// The longest name a "did you mean" is searched for: a typo suggestion for a text of
    /// thousands of characters helps nobody, and costs the square of its length per candidate.
    public static let maxLength = 128

    /// The closest candidate within a distance that grows with the word's length
    /// (at most a third of it, at least 1), or nil. Ties go to the first candidate in order.
    /// Candidates that cannot beat the best so far are dropped early (length difference,
    /// rows above the bound): a catalogue of a thousand ids is searched in a moment. Words
    /// and candidates longer than `maxLength` scalars are not compared.
    public static func best(for word: String, among candidates: [String]) -> String? {
        var prepared = Candidates(candidates, work: .max)
        return prepared.best(for: word)
    }

    /// Names searched many times (a rule's suggestions for every finding of a large file):
    /// each lower-cased and split into scalars once, not once per search; and a budget of
    /// work shared by the searches (cells of the distance table), so that the suggestions of
    /// a file of ten thousand steps cost about what a few searches cost, whatever the file:
    /// once it is spent, no more suggestions are made (the same ones for the same input).
    public struct Candidates: Sendable {
        public let names: [String]
        let scalars: [[Unicode.Scalar]?]
        /// Cells of the distance table the remaining searches may still fill.
        public private(set) var workLeft: Int

        public init(_ names: [String], work: Int = 20_000_000) {
            self.names = names
            // A name too long to be within any bound of a word of `maxLength` is never compared.
            scalars = names.map { n in n.unicodeScalars.count > 2 * NearMiss.maxLength ? nil : Array(n.lowercased().unicodeScalars) }
            workLeft = work
        }

        /// `NearMiss.best(for:among:)` over these names; `excluding` (the word's own spelling,
        /// as a candidate) is never suggested. Nil once the budget is spent.
        public mutating func best(for word: String, excluding: String? = nil) -> String? {
            let x = Array(word.lowercased().unicodeScalars)
            guard x.count <= NearMiss.maxLength else { return nil }
            let limit = max(1, x.count / 3)
            var best: (Int, Int)?
            for (i, scalars) in scalars.enumerated() {
                guard let y = scalars else { continue }
                let bound = min(limit, (best?.1 ?? Int.max) - 1)
                if bound < 0 { break }
                // The length alone rules most candidates out.
                if abs(y.count - x.count) > bound { continue }
                if let excluding, names[i] == excluding { continue }
                // Within a bound of 0 only the same name counts: compared, not tabled.
                workLeft -= bound == 0 ? y.count : x.count * y.count
                if workLeft < 0 { return nil }
                let d = bound == 0 ? (x == y ? 0 : 1) : NearMiss.distance(x, y, atMost: bound)
                if d <= bound { best = (i, d) }
            }
            return best.map { names[$0.0] }
        }
    }
}
