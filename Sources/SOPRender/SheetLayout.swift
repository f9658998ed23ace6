import SOPIR

/// The geometry of the sheet's activity table: columns, row heights, pages, symbols, and the
/// route of every arrow. All sizes are CSS pixels of an SVG whose view box is `width` wide
/// (one A4-landscape page between its margins). Text is wrapped here, with `TextMetrics`,
/// so the SVG never depends on the browser's line breaking.
struct SheetLayout {
    static let width = 1040.0
    /// Height available for one page's table (fits A4 landscape under the page header).
    static let maxPageHeight = 660.0
    static let fontSize = 9.5
    static let lineHeight = 12.0
    static let padding = 5.0
    static let minRowHeight = 50.0
    static let terminatorRowHeight = 40.0
    static let bandHeight = 30.0
    static let trackSpacing = 12.0
    static let labelFontSize = 8.0

    struct Column {
        var x: Double
        var width: Double
    }

    /// A side connection of a symbol: where a jump leaves or enters it.
    struct Port {
        var link: Int
        var isRight: Bool
        /// True when the track runs upward from this port.
        var goesUp: Bool
        var track: Int
        var y: Double = 0
    }

    let drawing: Drawing
    let number: Column, activity: Column, requirements: Column, time: Column, output: Column, remarks: Column
    /// The *Pelaksana* area, gutters included.
    let lanesArea: Column
    let laneWidth: Double
    let leftGutter: Double, rightGutter: Double
    let headerHeight: Double, laneHeaderLines: [[String]]
    /// Per row: the wrapped lines of each text cell, and the row height.
    let cells: [[[String]]]
    let heights: [Double]
    /// Per page: its rows (indices into `drawing.rows`).
    let pages: [[Int]]
    /// Links drawn straight down to the next row; the others are jumps along a track.
    let isDirect: [Bool]
    /// Track of each jump (by link index), counted outward from the lanes.
    let tracks: [Int: Int]
    let ports: [Int: [Port]]

    init(_ drawing: Drawing) {
        self.drawing = drawing
        let links = drawing.links
        var direct = [Bool](repeating: false, count: links.count)
        var seenPairs = Set<Int>()
        for (i, link) in links.enumerated() where link.to == link.from + 1 && !seenPairs.contains(link.from) {
            direct[i] = true
            seenPairs.insert(link.from)
        }
        isDirect = direct

        // Tracks: jumps down on the right, back up on the left; shorter spans inside, so
        // nested jumps never cross.
        var tracks: [Int: Int] = [:]
        var trackCount = [0, 0]   // left, right
        for side in [false, true] {
            let jumps = links.indices.filter { !direct[$0] && ((links[$0].to > links[$0].from) == side) }
                .sorted { a, b in
                    let sa = abs(links[a].to - links[a].from), sb = abs(links[b].to - links[b].from)
                    return sa != sb ? sa < sb : a < b
                }
            var occupied: [[ClosedRange<Int>]] = []
            for j in jumps {
                let span = min(links[j].from, links[j].to)...max(links[j].from, links[j].to)
                var t = 0
                while t < occupied.count, occupied[t].contains(where: { $0.overlaps(span) }) { t += 1 }
                if t == occupied.count { occupied.append([]) }
                occupied[t].append(span)
                tracks[j] = t
            }
            trackCount[side ? 1 : 0] = occupied.count
        }
        self.tracks = tracks
        leftGutter = trackCount[0] == 0 ? 6 : 10 + Self.trackSpacing * Double(trackCount[0])
        rightGutter = trackCount[1] == 0 ? 6 : 10 + Self.trackSpacing * Double(trackCount[1])

        // Columns.
        let laneCount = max(1, drawing.lanes.count)
        laneWidth = laneCount <= 3 ? 104 : laneCount <= 5 ? 90 : max(64, 460 / Double(laneCount))
        let lanesWidth = laneWidth * Double(laneCount) + leftGutter + rightGutter
        let numberWidth = 30.0
        var quality = [118.0, 66, 118, 124]   // Kelengkapan, Waktu, Output, Keterangan
        var activityWidth = Self.width - numberWidth - lanesWidth - quality.reduce(0, +)
        if activityWidth < 190 {
            let room = Self.width - numberWidth - lanesWidth - 190
            let scale = max(0.6, room / quality.reduce(0, +))
            quality = quality.map { $0 * scale }
            activityWidth = Self.width - numberWidth - lanesWidth - quality.reduce(0, +)
        }
        var x = 0.0
        func column(_ w: Double) -> Column { defer { x += w }; return Column(x: x, width: w) }
        number = column(numberWidth)
        activity = column(activityWidth)
        lanesArea = column(lanesWidth)
        requirements = column(quality[0])
        time = column(quality[1])
        output = column(quality[2])
        remarks = column(quality[3])

        // Header: two rows; the second holds the actor names, wrapped.
        let inner = Self.laneInner(laneWidth)
        let names = drawing.lanes.map { TextWrap.lines($0.name, maxWidth: inner, fontSize: 8.5, bold: true) }
        laneHeaderLines = names
        let nameLines = Double(names.map(\.count).max() ?? 1)
        let header = 20 + max(22, nameLines * 10.5 + 8)
        headerHeight = header

        // Rows.
        var cells: [[[String]]] = []
        var heights: [Double] = []
        let act = activity.width, req = requirements.width, tim = time.width, out = output.width, rem = remarks.width
        func wrap(_ items: [String], _ width: Double) -> [String] {
            items.flatMap { TextWrap.lines($0, maxWidth: width - 2 * Self.padding, fontSize: Self.fontSize) }
        }
        for row in drawing.rows {
            let n = row.node
            var activityText = [n.label]
            if n.kind == .decision, let q = n.question, !n.label.contains(q) { activityText.append("Keputusan: \(q)") }
            if n.kind == .call, let callee = n.callee { activityText.append("→ SOP \(callee)") }
            let c: [[String]] = [
                n.isStep ? [n.number ?? ""] : [""],
                wrap(activityText, act),
                wrap(drawing.documentNames(n.requires), req),
                wrap(n.duration.map { [$0.text] } ?? [], tim),
                wrap(drawing.documentNames(n.produces), out),
                wrap(drawing.remarks(row), rem),
            ]
            cells.append(c)
            let lines = Double(c.map(\.count).max() ?? 1)
            let minimum = row.isStep ? Self.minRowHeight : Self.terminatorRowHeight
            heights.append(max(minimum, lines * Self.lineHeight + 2 * Self.padding + 2))
        }
        self.cells = cells
        self.heights = heights

        // Pages: as many rows as fit, leaving room for the connector bands; then the same
        // number of pages filled evenly, so that the last page is not a lonely row or two.
        func paginate(limit: Double) -> [[Int]] {
            var pages: [[Int]] = []
            var current: [Int] = []
            var used = 0.0
            for i in drawing.rows.indices {
                let top = pages.isEmpty ? 0 : Self.bandHeight
                let room = min(limit, Self.maxPageHeight - header - top - Self.bandHeight)
                if !current.isEmpty, used + heights[i] > room {
                    pages.append(current)
                    current = []
                    used = 0
                }
                current.append(i)
                used += heights[i]
            }
            if !current.isEmpty { pages.append(current) }
            return pages
        }
        var pages = paginate(limit: .infinity)
        if pages.count > 1 {
            let even = heights.reduce(0, +) / Double(pages.count) + (heights.max() ?? 0) / 2
            let balanced = paginate(limit: even)
            if balanced.count == pages.count { pages = balanced }
        }
        self.pages = pages

        // Ports on the symbols' sides, ordered so that tracks do not cross near the symbol:
        // ports whose track goes up first (inner tracks on top), then those going down
        // (outer tracks first).
        var ports: [Int: [Port]] = [:]
        for (i, link) in links.enumerated() where !direct[i] {
            let right = link.to > link.from
            let t = tracks[i] ?? 0
            ports[link.from, default: []].append(Port(link: i, isRight: right, goesUp: !right, track: t))
            ports[link.to, default: []].append(Port(link: i, isRight: right, goesUp: right, track: t))
        }
        for (row, list) in ports {
            for side in [false, true] {
                let mine = list.filter { $0.isRight == side }
                let ordered = mine.filter(\.goesUp).sorted { ($0.track, $0.link) < ($1.track, $1.link) }
                    + mine.filter { !$0.goesUp }.sorted { ($0.track, $0.link) > ($1.track, $1.link) }
                let symbolHeight = Self.symbolSize(drawing.rows[row].symbol, inner + 8).height
                let spacing = ordered.count > 1 ? min(12, (symbolHeight - 6) / Double(ordered.count - 1)) : 0
                for (k, var port) in ordered.enumerated() {
                    port.y = (Double(k) - Double(ordered.count - 1) / 2) * spacing
                    if let index = ports[row]!.firstIndex(where: { $0.link == port.link && $0.isRight == port.isRight && $0.goesUp == port.goesUp }) {
                        ports[row]![index] = port
                    }
                }
            }
        }
        self.ports = ports
    }

    static func laneInner(_ laneWidth: Double) -> Double { laneWidth - 8 }

    static func symbolSize(_ symbol: Drawing.Symbol, _ laneWidth: Double) -> (width: Double, height: Double) {
        switch symbol {
        case .terminator: return (min(laneWidth - 22, 66), 26)
        case .process: return (min(laneWidth - 22, 70), 30)
        case .decision: return (min(laneWidth - 18, 66), 38)
        }
    }

    // MARK: - Geometry

    func laneCenter(_ lane: Int) -> Double {
        lanesArea.x + leftGutter + laneWidth * (Double(lane) + 0.5)
    }

    func trackX(_ track: Int, right: Bool) -> Double {
        right ? lanesArea.x + lanesArea.width - rightGutter + 10 + Self.trackSpacing * Double(track) - 2
            : lanesArea.x + leftGutter - 10 - Self.trackSpacing * Double(track) + 2
    }

    /// The x of a symbol's side at vertical offset `dy` from its centre.
    func sideX(row: Int, dy: Double, right: Bool) -> Double {
        let r = drawing.rows[row]
        let (w, h) = Self.symbolSize(r.symbol, laneWidth)
        let cx = laneCenter(r.lane)
        var half: Double
        switch r.symbol {
        case .process: half = w / 2
        case .decision: half = w / 2 * (1 - min(abs(dy), h / 2) / (h / 2))
        case .terminator:
            let radius = h / 2
            let d = min(abs(dy), radius)
            half = w / 2 - radius + (radius * radius - d * d).squareRoot()
        }
        return right ? cx + half : cx - half
    }

    // MARK: - SVG

    /// The SVG of one page, one element per line.
    func svg(page: Int) -> [String] {
        let rows = pages[page]
        let hasTop = page > 0, hasBottom = page < pages.count - 1
        let top = headerHeight + (hasTop ? Self.bandHeight : 0)
        var y = top
        var rowTop: [Int: Double] = [:]
        for r in rows { rowTop[r] = y; y += heights[r] }
        let tableBottom = y
        let height = tableBottom + (hasBottom ? Self.bandHeight : 0) + 1
        let pageOf = Dictionary(pages.enumerated().flatMap { p, rs in rs.map { ($0, p) } }, uniquingKeysWith: { a, _ in a })
        var out: [String] = []
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(Self.width)) \(f(height))\" width=\"\(f(Self.width))\" height=\"\(f(height))\" font-family=\"Liberation Sans, Arial, Helvetica, sans-serif\" role=\"img\" aria-label=\"Tabel aktivitas, halaman \(page + 1)\">")

        // Grid: header.
        out.append("<rect x=\"0\" y=\"0\" width=\"\(f(Self.width))\" height=\"\(f(headerHeight))\" fill=\"#eeeeee\"/>")
        let h1 = 20.0
        func headerText(_ text: String, _ col: Column, _ y: Double) -> String {
            "<text x=\"\(f(col.x + col.width / 2))\" y=\"\(f(y))\" font-size=\"9\" font-weight=\"bold\" text-anchor=\"middle\">\(Escape.html(text))</text>"
        }
        out.append(headerText("No.", number, headerHeight / 2 + 3))
        out.append(headerText("Aktivitas", activity, headerHeight / 2 + 3))
        out.append(headerText("Pelaksana", lanesArea, h1 - 6))
        let quality = Column(x: requirements.x, width: requirements.width + time.width + output.width)
        out.append(headerText("Mutu Baku", quality, h1 - 6))
        out.append(headerText("Keterangan", remarks, headerHeight / 2 + 3))
        for (label, col) in [("Kelengkapan", requirements), ("Waktu", time), ("Output", output)] {
            out.append(headerText(label, col, h1 + (headerHeight - h1) / 2 + 3))
        }
        for (i, lines) in laneHeaderLines.enumerated() {
            let laneColumn = laneHeaderColumn(i)
            let startY = h1 + (headerHeight - h1 - Double(lines.count) * 10.5) / 2 + 8
            let spans = lines.enumerated().map { k, line in
                "<tspan x=\"\(f(laneColumn.x + laneColumn.width / 2))\" y=\"\(f(startY + Double(k) * 10.5))\">\(Escape.html(line))</tspan>"
            }.joined()
            let fill = drawing.lanes[i].isPlaceholder ? " fill=\"#8a4b00\"" : ""
            out.append("<text font-size=\"8.5\" font-weight=\"bold\" text-anchor=\"middle\"\(fill)>\(spans)</text>")
        }

        // Grid lines.
        var lines: [String] = []
        func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, width: Double = 0.8) {
            lines.append("<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"#222\" stroke-width=\"\(f(width))\"/>")
        }
        line(0, 0.5, Self.width, 0.5)
        line(lanesArea.x, h1, lanesArea.x + lanesArea.width, h1)
        line(quality.x, h1, quality.x + quality.width, h1)
        line(0, headerHeight, Self.width, headerHeight, width: 1.2)
        for r in rows { line(0, rowTop[r]! + heights[r], Self.width, rowTop[r]! + heights[r]) }
        if hasTop { line(0, top, Self.width, top) }
        let columnEdges = [0.5, activity.x, lanesArea.x, requirements.x, time.x, output.x, remarks.x, Self.width - 0.5]
        for x in columnEdges {
            let startY = (x == time.x || x == output.x) ? h1 : 0
            line(x, startY, x, tableBottom)
        }
        for k in 1..<max(1, drawing.lanes.count) {
            let x = lanesArea.x + leftGutter + laneWidth * Double(k)
            line(x, h1, x, tableBottom, width: 0.5)
        }
        out += lines

        // Text cells.
        for r in rows {
            let c = cells[r]
            let columns = [number, activity, requirements, time, output, remarks]
            for (k, col) in columns.enumerated() where !(c[k].count == 1 && c[k][0].isEmpty) {
                let anchor = k == 0 ? "middle" : "start"
                let x = k == 0 ? col.x + col.width / 2 : col.x + Self.padding
                let spans = c[k].enumerated().map { i, text in
                    "<tspan x=\"\(f(x))\" y=\"\(f(rowTop[r]! + Self.padding + 9 + Double(i) * Self.lineHeight))\">\(Escape.html(text))</tspan>"
                }.joined()
                let italic = !drawing.rows[r].isStep && k == 1 ? " font-style=\"italic\"" : ""
                out.append("<text font-size=\"\(f(Self.fontSize))\" text-anchor=\"\(anchor)\"\(italic)>\(spans)</text>")
            }
        }

        // Arrows, under the symbols.
        var connectorLetters: [Int: String] = [:]
        var next = 0
        for (i, link) in drawing.links.enumerated() where pageOf[link.from] != pageOf[link.to] {
            connectorLetters[i] = Self.letter(next)
            next += 1
        }
        for (i, link) in drawing.links.enumerated() {
            let fromHere = rowTop[link.from] != nil, toHere = rowTop[link.to] != nil
            guard fromHere || toHere else { continue }
            let dashed = link.isTimeout
            if isDirect[i] {
                out += directArrow(i, link, rowTop: rowTop, letter: connectorLetters[i], tableBottom: tableBottom, top: top, dashed: dashed)
            } else {
                out += jumpArrow(i, link, rowTop: rowTop, letter: connectorLetters[i], tableBottom: tableBottom, top: top, dashed: dashed)
            }
        }

        // Symbols.
        for r in rows {
            let row = drawing.rows[r]
            let (w, h) = Self.symbolSize(row.symbol, laneWidth)
            let cx = laneCenter(row.lane), cy = rowTop[r]! + heights[r] / 2
            let stroke = "fill=\"#fff\" stroke=\"#111\" stroke-width=\"1.3\""
            switch row.symbol {
            case .terminator:
                out.append("<rect x=\"\(f(cx - w / 2))\" y=\"\(f(cy - h / 2))\" width=\"\(f(w))\" height=\"\(f(h))\" rx=\"\(f(h / 2))\" \(stroke)/>")
            case .process:
                out.append("<rect x=\"\(f(cx - w / 2))\" y=\"\(f(cy - h / 2))\" width=\"\(f(w))\" height=\"\(f(h))\" \(stroke)/>")
            case .decision:
                out.append("<polygon points=\"\(f(cx)),\(f(cy - h / 2)) \(f(cx + w / 2)),\(f(cy)) \(f(cx)),\(f(cy + h / 2)) \(f(cx - w / 2)),\(f(cy))\" \(stroke)/>")
            }
            let label = row.node.isStep ? (row.node.number ?? "") : row.node.label
            out.append("<text x=\"\(f(cx))\" y=\"\(f(cy + 3.2))\" font-size=\"\(row.node.isStep ? "9" : "8.5")\" text-anchor=\"middle\">\(Escape.html(label))</text>")
        }
        out.append("</svg>")
        return out
    }

    /// The header cell of a lane: the first takes the left gutter, the last the right one.
    func laneHeaderColumn(_ lane: Int) -> Column {
        var x = lanesArea.x + leftGutter + laneWidth * Double(lane)
        var w = laneWidth
        if lane == 0 { x -= leftGutter; w += leftGutter }
        if lane == drawing.lanes.count - 1 { w += rightGutter }
        return Column(x: x, width: w)
    }

    static func letter(_ n: Int) -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return n < 26 ? String(letters[n]) : String(letters[n / 26 - 1]) + String(letters[n % 26])
    }

    private func directArrow(_ i: Int, _ link: Drawing.Link, rowTop: [Int: Double], letter: String?,
                             tableBottom: Double, top: Double, dashed: Bool) -> [String] {
        let a = drawing.rows[link.from], b = drawing.rows[link.to]
        let ha = Self.symbolSize(a.symbol, laneWidth).height, hb = Self.symbolSize(b.symbol, laneWidth).height
        let ax = laneCenter(a.lane), bx = laneCenter(b.lane)
        var out: [String] = []
        if let aTop = rowTop[link.from] {
            let bottom = aTop + heights[link.from] / 2 + ha / 2
            if let bTop = rowTop[link.to] {
                let target = bTop + heights[link.to] / 2 - hb / 2
                let turn = min(bottom + 7, aTop + heights[link.from] - 5)
                let points = ax == bx ? [(ax, bottom), (bx, target)] : [(ax, bottom), (ax, turn), (bx, turn), (bx, target)]
                out += path(points, dashed: dashed, arrow: true)
                if let label = link.label { out.append(edgeLabel(label, x: ax + (bx < ax ? 4 : -4), y: bottom + 9, anchor: bx < ax ? "start" : "end")) }
            } else {
                // Leaves the page: down to a connector in the bottom band.
                let band = tableBottom + 6
                out += path([(ax, bottom), (ax, band)], dashed: dashed, arrow: true)
                out += connector(letter ?? "?", x: ax, top: band)
                if let label = link.label { out.append(edgeLabel(label, x: ax + 4, y: bottom + 9, anchor: "start")) }
            }
        } else if let bTop = rowTop[link.to] {
            let band = top - Self.bandHeight + 6
            let target = bTop + heights[link.to] / 2 - hb / 2
            out += connector(letter ?? "?", x: bx, top: band)
            out += path([(bx, band + 14), (bx, target)], dashed: dashed, arrow: true)
        }
        return out
    }

    private func jumpArrow(_ i: Int, _ link: Drawing.Link, rowTop: [Int: Double], letter: String?,
                           tableBottom: Double, top: Double, dashed: Bool) -> [String] {
        let right = link.to > link.from
        let tx = trackX(tracks[i] ?? 0, right: right)
        let portFrom = ports[link.from]?.first { $0.link == i && $0.goesUp == !right }
        let portTo = ports[link.to]?.first { $0.link == i && $0.goesUp == right }
        var out: [String] = []
        func anchor(_ row: Int, _ port: Port?) -> (x: Double, y: Double)? {
            guard let t = rowTop[row] else { return nil }
            let dy = port?.y ?? 0
            return (sideX(row: row, dy: dy, right: right), t + heights[row] / 2 + dy)
        }
        let start = anchor(link.from, portFrom), end = anchor(link.to, portTo)
        // Off-page ends sit in the band the track runs into: down into the bottom band,
        // up into the top band; a connector is 14 high, its top at `band`.
        let bottomBand = tableBottom + 6
        let topBand = top - Self.bandHeight + 6
        switch (start, end) {
        case let (s?, e?):
            out += path([(s.x, s.y), (tx, s.y), (tx, e.y), (e.x, e.y)], dashed: dashed, arrow: true)
        case let (s?, nil):
            let band = right ? bottomBand : topBand + 14
            out += path([(s.x, s.y), (tx, s.y), (tx, band)], dashed: dashed, arrow: true)
            out += connector(letter ?? "?", x: tx, top: right ? bottomBand : topBand)
        case let (nil, e?):
            let band = right ? topBand + 14 : bottomBand
            out += connector(letter ?? "?", x: tx, top: right ? topBand : bottomBand)
            out += path([(tx, band), (tx, e.y), (e.x, e.y)], dashed: dashed, arrow: true)
        case (nil, nil):
            break
        }
        if let label = link.label, let s = start {
            // Beside the symbol's bounding box, above its own line: clear of a diamond's slope.
            let row = drawing.rows[link.from]
            let half = Self.symbolSize(row.symbol, laneWidth).width / 2
            let x = laneCenter(row.lane) + (right ? half + 4 : -half - 4)
            out.append(edgeLabel(label, x: x, y: s.y - 2.5, anchor: right ? "start" : "end"))
        }
        return out
    }

    /// A polyline with an arrowhead at its end.
    private func path(_ points: [(Double, Double)], dashed: Bool, arrow: Bool) -> [String] {
        guard points.count >= 2 else { return [] }
        let dash = dashed ? " stroke-dasharray=\"4 3\"" : ""
        let list = points.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ")
        var out = ["<polyline points=\"\(list)\" fill=\"none\" stroke=\"#111\" stroke-width=\"1\"\(dash)/>"]
        if arrow {
            let (x2, y2) = points[points.count - 1], (x1, y1) = points[points.count - 2]
            let dx = x2 - x1, dy = y2 - y1
            let length = max((dx * dx + dy * dy).squareRoot(), 0.001)
            let ux = dx / length, uy = dy / length
            let size = 6.0, half = 3.2
            let bx = x2 - ux * size, by = y2 - uy * size
            let p1 = (bx - uy * half, by + ux * half), p2 = (bx + uy * half, by - ux * half)
            out.append("<polygon points=\"\(f(x2)),\(f(y2)) \(f(p1.0)),\(f(p1.1)) \(f(p2.0)),\(f(p2.1))\" fill=\"#111\"/>")
        }
        return out
    }

    /// An off-page connector: a pentagon pointing down, 12 wide and 14 high, with its letter.
    private func connector(_ letter: String, x: Double, top y: Double) -> [String] {
        let w = 12.0, h = 14.0
        let points: [(Double, Double)] = [(x - w / 2, y), (x + w / 2, y), (x + w / 2, y + h - 5), (x, y + h), (x - w / 2, y + h - 5)]
        return [
            "<polygon points=\"\(points.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " "))\" fill=\"#fff\" stroke=\"#111\" stroke-width=\"1\"/>",
            "<text x=\"\(f(x))\" y=\"\(f(y + 8.5))\" font-size=\"8\" font-weight=\"bold\" text-anchor=\"middle\">\(Escape.html(letter))</text>",
        ]
    }

    private func edgeLabel(_ text: String, x: Double, y: Double, anchor: String) -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(f(Self.labelFontSize))\" text-anchor=\"\(anchor)\" fill=\"#333\" stroke=\"#fff\" stroke-width=\"2.5\" paint-order=\"stroke\">\(Escape.html(text))</text>"
    }
}

/// A number with at most one decimal, the same on every machine.
func f(_ x: Double) -> String {
    let r = (x * 10).rounded() / 10
    if r == r.rounded(), abs(r) < 1e15 { return String(Int(r)) }
    return String(r)
}
