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
        let lowered = word.lowercased()
        let x = Array(lowered.unicodeScalars)
        guard x.count <= maxLength else { return nil }
        let limit = max(1, x.count / 3)
        var best: (String, Int)?
        for candidate in candidates {
            let bound = min(limit, (best?.1 ?? Int.max) - 1)
            if bound < 0 { break }
            // The length alone rules most candidates out, before any copy is made.
            var length = 0
            for _ in candidate.unicodeScalars {
                length += 1
                if length > x.count + bound { break }
            }
            if abs(length - x.count) > bound { continue }
            let d = distance(x, Array(candidate.lowercased().unicodeScalars), atMost: bound)
            if d <= bound { best = (candidate, d) }
        }
        return best?.0
    }
}
