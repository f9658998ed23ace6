import SOPDiagnostics
import XCTest

/// "Did you mean": the pruned search gives what a full search gives.
final class NearMissTests: XCTestCase {
    /// The full search the pruning must agree with: every distance computed in full.
    func reference(_ word: String, _ candidates: [String]) -> String? {
        let lowered = word.lowercased()
        let limit = max(1, lowered.count / 3)
        var best: (String, Int)?
        for c in candidates {
            let d = NearMiss.distance(lowered, c.lowercased())
            if d <= limit, d < (best?.1 ?? Int.max) { best = (c, d) }
        }
        return best?.0
    }

    func testDistance() {
        XCTAssertEqual(NearMiss.distance("kitten", "sitting"), 3)
        // Two neighbours swapped cost one edit (`nmae` for `name`), so they get their fix.
        XCTAssertEqual(NearMiss.distance("nmae", "name"), 1)
        XCTAssertEqual(NearMiss.distance("stpes", "steps"), 1)
        XCTAssertEqual(NearMiss.best(for: "stpes", among: ["sop", "steps", "sla"]), "steps")
        XCTAssertEqual(NearMiss.distance("", "abc"), 3)
        XCTAssertEqual(NearMiss.distance("pétugas", "petugas"), 1)
    }

    func testPrunedSearchAgreesWithTheFullSearch() {
        var rng = SplitMix64(seed: 7)
        let alphabet = Array("abcde-/É")
        func word(_ n: Int) -> String { String((0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }) }
        for _ in 0..<400 {
            let candidates = (0..<Int(rng.next() % 12)).map { _ in word(Int(rng.next() % 9)) }
            let target = candidates.isEmpty || rng.next() % 3 == 0 ? word(Int(rng.next() % 9)) : candidates[Int(rng.next() % UInt64(candidates.count))]
            // Misspell the target a little.
            var typo = Array(target)
            if !typo.isEmpty, rng.next() % 2 == 0 { typo.remove(at: Int(rng.next() % UInt64(typo.count))) }
            let w = String(typo)
            XCTAssertEqual(NearMiss.best(for: w, among: candidates), reference(w, candidates), "\(w) among \(candidates)")
        }
    }

    /// Found by the generated SOPs: a file with thousands of unknown documents of very long
    /// names spent minutes in "did you mean" (the square of the length per candidate). Names
    /// longer than `maxLength` are not compared; shorter ones still are.
    func testVeryLongNamesAreNotCompared() {
        let long = String(repeating: "Sangatpanjang ", count: 400)
        XCTAssertNil(NearMiss.best(for: long + "x", among: [long]))
        XCTAssertNil(NearMiss.best(for: "Surat", among: [long]), "a candidate far longer is ruled out by its length")
        XCTAssertEqual(NearMiss.best(for: "Surat terdisporsi", among: [long, "Surat terdisposisi"]), "Surat terdisposisi")
    }

    func testTiesGoToTheFirstCandidate() {
        XCTAssertEqual(NearMiss.best(for: "kadis", among: ["kadiz", "kadit"]), "kadiz")
        XCTAssertEqual(NearMiss.best(for: "kadis", among: ["zzzzzzz", "kadis", "kadiz"]), "kadis")
        XCTAssertNil(NearMiss.best(for: "kadis", among: ["sekretariat"]))
    }

    /// Prepared candidates (searched many times by one rule) give what a single search gives,
    /// never the word itself, and stop suggesting once their budget of work is spent.
    func testPreparedCandidatesAndTheirBudget() {
        let names = (1...500).map { "Dokumen \($0) surat" }
        var prepared = NearMiss.Candidates(names)
        for word in ["Dokumen 12 surta", "dokumen 499 surat", "Dokumen 3 surat", "laporan"] {
            XCTAssertEqual(prepared.best(for: word, excluding: word), NearMiss.best(for: word, among: names.filter { $0 != word }), word)
        }
        XCTAssertNotEqual(prepared.best(for: "Dokumen 3 surat", excluding: "Dokumen 3 surat"), "Dokumen 3 surat")
        var small = NearMiss.Candidates(names, work: 15 * 15 * 3)
        XCTAssertEqual(small.best(for: "Dokumen 1 surta"), "Dokumen 1 surat", "three comparisons are within the budget")
        XCTAssertNil(small.best(for: "Dokumen 9 surta"), "the budget ran out within the search")
        XCTAssertNil(small.best(for: "Dokumen 2 surat"), "and stays spent")
        var enough = NearMiss.Candidates(names, work: 100_000_000)
        XCTAssertEqual(enough.best(for: "Dokumen 1 surta"), "Dokumen 1 surat")
    }
}
