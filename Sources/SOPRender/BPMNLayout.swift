/// Our own diagram interchange (DI) for a `BPMNModel`: one pool, horizontal lanes in the
/// SOP's actor order (top to bottom), one column per flow node in row order (left to right,
/// as the form reads top to bottom), so no two shapes ever share a column and none overlap.
///
/// A lane is cut into bands, top to bottom: its tracks (long flows), its documents (data
/// object references above their task), its flow nodes, and its timer tracks (below the
/// boundary events). Flows are orthogonal: a flow to the next free column turns in the gap
/// between columns; a flow that would pass a shape runs along a track of its source lane;
/// a timeout leaves its boundary event downward to a timer track. Gaps hold only vertical
/// segments, tracks only horizontal ones, so no flow crosses a shape.
struct BPMNLayout {
    struct Rect: Equatable {
        var x: Int, y: Int, width: Int, height: Int
        var midX: Int { x + width / 2 }
        var midY: Int { y + height / 2 }
        var right: Int { x + width }
        var bottom: Int { y + height }
    }
    struct Point: Equatable { var x: Int, y: Int }

    static let taskSize = (width: 100, height: 80)
    static let gatewaySize = 50
    static let eventSize = 36
    static let dataSize = (width: 36, height: 50)
    static let poolLabel = 30
    static let laneLabel = 30

    var shapes: [String: Rect] = [:]
    var edges: [String: [Point]] = [:]
    var lanes: [Rect] = []
    var pool = Rect(x: 0, y: 0, width: 0, height: 0)

    /// Whether a sorted list holds a column strictly between `s` and `t` (binary search).
    static func hasColumn(_ columns: [Int], between s: Int, and t: Int) -> Bool {
        var lo = 0, hi = columns.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if columns[mid] <= s { lo = mid + 1 } else { hi = mid }
        }
        return lo < columns.count && columns[lo] < t
    }

    init(_ model: BPMNModel) {
        let n = model.nodes.count
        let laneCount = max(model.lanes.count, 1)
        var column: [String: Int] = [:]
        for (i, fn) in model.nodes.enumerated() { column[fn.id] = i }
        var laneOf: [String: Int] = [:]
        for fn in model.nodes { laneOf[fn.id] = fn.lane }
        var boundaryOf: [String: BPMNModel.Boundary] = [:]
        for b in model.boundaries { boundaryOf[b.id] = b; column[b.id] = column[b.attachedTo]; laneOf[b.id] = laneOf[b.attachedTo] }
        let docsOf = Dictionary(grouping: model.dataReferences, by: \.activity)

        // Widths of columns.
        func size(_ kind: BPMNModel.Kind) -> (Int, Int) {
            if kind.isActivity { return (Self.taskSize.width, Self.taskSize.height) }
            if kind.isGateway { return (Self.gatewaySize, Self.gatewaySize) }
            return (Self.eventSize, Self.eventSize)
        }
        let widths: [Int] = model.nodes.map { fn in
            let docs = docsOf[fn.id]?.count ?? 0
            let docsWidth = docs == 0 ? 0 : docs * Self.dataSize.width + (docs - 1) * 10
            return max(size(fn.kind).0, docsWidth)
        }

        var columnsOfLane: [Int: [Int]] = [:]   // sorted, since columns are visited in order
        for (i, fn) in model.nodes.enumerated() { columnsOfLane[fn.lane, default: []].append(i) }

        // Classify flows and count what each gap and lane carries.
        enum Route { case direct, track(Int), timer(Int) }
        var routes: [String: Route] = [:]
        var topTracks = Array(repeating: 0, count: laneCount)
        var bottomTracks = Array(repeating: 0, count: laneCount)
        var gapOut = Array(repeating: 0, count: n + 1)   // verticals leaving column i (right of it)
        var gapIn = Array(repeating: 0, count: n + 1)    // verticals entering column i (left of it)
        var outSlot: [String: Int] = [:], inSlot: [String: Int] = [:]
        for flow in model.flows {
            guard let s = column[flow.source], let t = column[flow.target] else { continue }
            let sl = laneOf[flow.source] ?? 0, tl = laneOf[flow.target] ?? 0
            if boundaryOf[flow.source] != nil {
                routes[flow.id] = .timer(bottomTracks[sl]); bottomTracks[sl] += 1
                inSlot[flow.id] = gapIn[t]; gapIn[t] += 1
                continue
            }
            let blocked = t <= s || Self.hasColumn(columnsOfLane[tl] ?? [], between: s, and: t)
            outSlot[flow.id] = gapOut[s]; gapOut[s] += 1
            if blocked {
                routes[flow.id] = .track(topTracks[sl]); topTracks[sl] += 1
                inSlot[flow.id] = gapIn[t]; gapIn[t] += 1
            } else {
                routes[flow.id] = .direct
            }
        }

        // Columns, left to right.
        var left: [Int] = []
        var x = Self.poolLabel + Self.laneLabel + 30
        for i in 0..<n {
            if i > 0 { x += max(50, 24 + 8 * (gapOut[i - 1] + gapIn[i])) }
            left.append(x)
            x += widths[i]
        }
        let contentRight = x + 40

        // Lanes, top to bottom.
        var laneTop: [Int] = [], nodeMid: [Int] = [], nodeBandBottom: [Int] = []
        var hasDocs = Array(repeating: false, count: laneCount)
        var hasBoundary = Array(repeating: false, count: laneCount)
        for fn in model.nodes where docsOf[fn.id] != nil { hasDocs[fn.lane] = true }
        for b in model.boundaries { hasBoundary[laneOf[b.attachedTo] ?? 0] = true }
        var y = 0
        for l in 0..<laneCount {
            laneTop.append(y)
            let top = 12 + 10 * topTracks[l]
            let docs = hasDocs[l] ? 70 : 0
            nodeMid.append(y + top + docs + 50)
            nodeBandBottom.append(y + top + docs + 100)
            let bottom = (hasBoundary[l] ? 18 : 0) + 10 * bottomTracks[l] + 12
            y += top + docs + 100 + bottom
            lanes.append(Rect(x: Self.poolLabel, y: laneTop[l], width: contentRight - Self.poolLabel, height: y - laneTop[l]))
        }
        pool = Rect(x: 0, y: 0, width: contentRight, height: y)

        // Shapes.
        for (i, fn) in model.nodes.enumerated() {
            let (w, h) = size(fn.kind)
            let cx = left[i] + widths[i] / 2
            let cy = nodeMid[fn.lane]
            shapes[fn.id] = Rect(x: cx - w / 2, y: cy - h / 2, width: w, height: h)
            if let docs = docsOf[fn.id] {
                let total = docs.count * Self.dataSize.width + (docs.count - 1) * 10
                for (k, d) in docs.enumerated() {
                    shapes[d.id] = Rect(x: cx - total / 2 + k * (Self.dataSize.width + 10),
                                        y: cy - h / 2 - 10 - Self.dataSize.height - 10,
                                        width: Self.dataSize.width, height: Self.dataSize.height)
                }
            }
        }
        let boundariesOf = Dictionary(grouping: model.boundaries, by: \.attachedTo)
        for (host, list) in boundariesOf {
            let r = shapes[host]!
            for (k, b) in list.enumerated() {
                let cx = list.count == 1 ? r.midX : r.x + Self.eventSize / 2 + k * (Self.eventSize + 6)
                shapes[b.id] = Rect(x: cx - Self.eventSize / 2, y: r.bottom - Self.eventSize / 2,
                                    width: Self.eventSize, height: Self.eventSize)
            }
        }

        // Flows.
        func rightPort(_ id: String) -> Point {
            let r = shapes[id]!
            return Point(x: r.right, y: r.midY)
        }
        func leftPort(_ id: String) -> Point {
            let r = shapes[id]!
            return Point(x: r.x, y: r.midY)
        }
        for flow in model.flows {
            guard let s = column[flow.source], let t = column[flow.target], let route = routes[flow.id] else { continue }
            let target = leftPort(flow.target)
            let sl = laneOf[flow.source] ?? 0
            let inX = left[t] - 12 - 8 * (inSlot[flow.id] ?? 0)
            var points: [Point]
            switch route {
            case .direct:
                let start = rightPort(flow.source)
                if start.y == target.y {
                    points = [start, target]
                } else {
                    let gx = left[s] + widths[s] + 12 + 8 * (outSlot[flow.id] ?? 0)
                    points = [start, Point(x: gx, y: start.y), Point(x: gx, y: target.y), target]
                }
            case let .track(k):
                let start = rightPort(flow.source)
                let gx = left[s] + widths[s] + 12 + 8 * (outSlot[flow.id] ?? 0)
                let ty = laneTop[sl] + 10 + 10 * k
                points = [start, Point(x: gx, y: start.y), Point(x: gx, y: ty), Point(x: inX, y: ty),
                          Point(x: inX, y: target.y), target]
            case let .timer(k):
                let r = shapes[flow.source]!
                let start = Point(x: r.midX, y: r.bottom)
                let ty = nodeBandBottom[sl] + 18 + 10 + 10 * k
                points = [start, Point(x: start.x, y: ty), Point(x: inX, y: ty), Point(x: inX, y: target.y), target]
            }
            edges[flow.id] = points
        }
        // Data associations: from a document down to its task's top, or up from it.
        for d in model.dataReferences {
            let doc = shapes[d.id]!, task = shapes[d.activity]!
            let x = min(max(doc.midX, task.x + 10), task.right - 10)
            var points = [Point(x: doc.midX, y: doc.bottom)]
            if x != doc.midX {
                points.append(Point(x: doc.midX, y: task.y - 5))
                points.append(Point(x: x, y: task.y - 5))
            }
            points.append(Point(x: x, y: task.y))
            edges[d.id + "_association"] = d.isInput ? points : points.reversed()
        }
    }
}
