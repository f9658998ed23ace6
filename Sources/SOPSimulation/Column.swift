/// A growable column of plain values for the engine's hot state (cases, tokens, actors):
/// reads and writes go straight to memory, without the uniqueness check and reference
/// counting a Swift array pays on every write inside a mutating method (a sixth of the
/// discrete-event engine's time). Not copy-on-write: a column belongs to one `CaseRun`,
/// which frees it with `deallocate()` when its run ends.
struct Column<T: BitwiseCopyable> {
    private var base: UnsafeMutablePointer<T>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 16) {
        self.capacity = max(1, capacity)
        base = .allocate(capacity: self.capacity)
    }

    init(repeating v: T, count: Int) {
        self.init(capacity: count)
        base.initialize(repeating: v, count: count)
        self.count = count
    }

    @inline(__always) subscript(i: Int) -> T {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }

    @inline(__always) subscript(i: Int32) -> T {
        get { base[Int(i)] }
        nonmutating set { base[Int(i)] = newValue }
    }

    var isEmpty: Bool { count == 0 }

    @inline(__always) mutating func append(_ v: T) {
        if count == capacity { grow(count + 1) }
        (base + count).initialize(to: v)
        count += 1
    }

    mutating func append(repeating v: T, count n: Int) {
        guard n > 0 else { return }
        if count + n > capacity { grow(count + n) }
        (base + count).initialize(repeating: v, count: n)
        count += n
    }

    @inline(__always) mutating func popLast() -> T? {
        guard count > 0 else { return nil }
        count -= 1
        return base[count]
    }

    private mutating func grow(_ needed: Int) {
        let c = max(needed, capacity * 2)
        let b = UnsafeMutablePointer<T>.allocate(capacity: c)
        b.moveInitialize(from: base, count: count)
        base.deallocate()
        base = b
        capacity = c
    }

    func deallocate() { base.deallocate() }
}
