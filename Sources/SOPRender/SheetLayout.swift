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
    /// The widest a gutter of tracks grows; beyond it the tracks draw closer together.
    static let maxGutterWidth = 110.0
    /// The narrowest *Aktivitas* column, and the narrowest lane: when the lanes do not fit
    /// beside them, the table grows wider than the page and the browser scales it to the page.
    static let minActivityWidth = 190.0
    static let minLaneWidth = 16.0
    /// Lanes narrower than this get their header written upwards (rotated), numbered.
    static let rotatedHeaderBelow = 56.0
    /// The length of a rotated lane header's lines; longer names are cut and given in full
    /// in the legend under the table.
    static let rotatedHeaderLength = 150.0
    static let headerFontSize = 8.5
    static let rotatedHeaderFontSize = 8.0
    static let rotatedHeaderLineHeight = 9.5
    static let legendFontSize = 8.0
    static let legendLineHeight = 10.0

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
    /// The width of the table: `width`, or more when many lanes need it.
    let tableWidth: Double
    let number: Column, activity: Column, requirements: Column, time: Column, output: Column, remarks: Column
    /// The *Pelaksana* area, gutters included.
    let lanesArea: Column
    let laneWidth: Double
    let leftGutter: Double, rightGutter: Double
    /// Distance between neighbouring tracks on each side (12, or less when a gutter is full).
    let leftTrackSpacing: Double, rightTrackSpacing: Double
    let headerHeight: Double, laneHeaderLines: [[String]]
    /// True when the lanes are too narrow for horizontal names: each header is numbered and
    /// written upwards, and names cut short there are given in full in `legendLines`.
    let rotatesLaneHeaders: Bool
    let legendLines: [String]
    let legendHeight: Double
    /// Per row: the footnotes of its inferred cells, numbered through the sheet (marked a, b,
    /// … z, aa, …: never mistaken for a step number), wrapped.
    let footnotes: [[(number: Int, lines: [String])]]
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
    /// The page of each row, the links each page draws, and the label of every link that
    /// crosses a page break (A … Z, AA … ZZ, AAA …: unique however many there are).
    let pageOfRow: [Int]
    let linksOfPage: [[Int]]
    let connectorLabels: [Int: String]

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
        func spacing(_ count: Int) -> Double {
            count == 0 ? Self.trackSpacing : min(Self.trackSpacing, (Self.maxGutterWidth - 10) / Double(count))
        }
        leftTrackSpacing = spacing(trackCount[0])
        rightTrackSpacing = spacing(trackCount[1])
        leftGutter = trackCount[0] == 0 ? 6 : 10 + leftTrackSpacing * Double(trackCount[0])
        rightGutter = trackCount[1] == 0 ? 6 : 10 + rightTrackSpacing * Double(trackCount[1])

        // Columns. Lanes take their preferred width while the activity column keeps its
        // minimum and the quality columns 60 % of theirs; past that they narrow, down to
        // `minLaneWidth`, and past that the table grows wider than the page.
        let laneCount = max(1, drawing.lanes.count)
        let numberWidth = 30.0
        var quality = [118.0, 66, 118, 124]   // Kelengkapan, Waktu, Output, Keterangan
        let qualityWidth = quality.reduce(0, +)
        let preferredLane = laneCount <= 3 ? 104 : laneCount <= 5 ? 90 : max(64, 460 / Double(laneCount))
        let roomForLanes = Self.width - numberWidth - Self.minActivityWidth - 0.6 * qualityWidth - leftGutter - rightGutter
        laneWidth = max(Self.minLaneWidth, min(preferredLane, roomForLanes / Double(laneCount)))
        let lanesWidth = laneWidth * Double(laneCount) + leftGutter + rightGutter
        let tableWidth = max(Self.width, numberWidth + Self.minActivityWidth + lanesWidth + 0.6 * qualityWidth)
        self.tableWidth = tableWidth
        var activityWidth = tableWidth - numberWidth - lanesWidth - qualityWidth
        if activityWidth < Self.minActivityWidth {
            let room = tableWidth - numberWidth - lanesWidth - Self.minActivityWidth
            let scale = max(0.6, room / qualityWidth)
            quality = quality.map { $0 * scale }
            activityWidth = tableWidth - numberWidth - lanesWidth - quality.reduce(0, +)
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

        // Header: two rows; the second holds the actor names, wrapped. In narrow lanes each
        // name is numbered and written upwards in as many lines as the lane holds; a name cut
        // short there is given in full in the legend under the table.
        let inner = Self.laneInner(laneWidth)
        let rotates = laneWidth < Self.rotatedHeaderBelow
        rotatesLaneHeaders = rotates
        var legend: [String] = []
        let header: Double
        if rotates {
            let maxLines = max(1, min(3, Int((laneWidth - 4) / Self.rotatedHeaderLineHeight)))
            var names: [[String]] = []
            for (i, lane) in drawing.lanes.enumerated() {
                let numbered = "\(i + 1). \(lane.name)"
                var lines = TextWrap.lines(numbered, maxWidth: Self.rotatedHeaderLength, fontSize: Self.rotatedHeaderFontSize, bold: true)
                if lines.count > maxLines {
                    let rest = lines[(maxLines - 1)...].joined(separator: " ")
                    lines = Array(lines.prefix(maxLines - 1))
                        + [TextWrap.truncated(rest, maxWidth: Self.rotatedHeaderLength, fontSize: Self.rotatedHeaderFontSize, bold: true)]
                    legend.append(numbered)
                }
                names.append(lines)
            }
            laneHeaderLines = names
            let longest = names.joined().map { TextMetrics.width($0, fontSize: Self.rotatedHeaderFontSize, bold: true) }.max() ?? 0
            header = 20 + max(22, longest + 12)
        } else {
            let names = drawing.lanes.map { TextWrap.lines($0.name, maxWidth: inner, fontSize: Self.headerFontSize, bold: true) }
            laneHeaderLines = names
            let nameLines = Double(names.map(\.count).max() ?? 1)
            header = 20 + max(22, nameLines * 10.5 + 8)
        }
        headerHeight = header
        let legendLines = legend.isEmpty ? [] : TextWrap.lines("Pelaksana (nama lengkap): " + legend.joined(separator: " · "),
                                                               maxWidth: tableWidth - 2 * Self.padding, fontSize: Self.legendFontSize)
        self.legendLines = legendLines
        let legendHeight = legendLines.isEmpty ? 0 : Double(legendLines.count) * Self.legendLineHeight + 8
        self.legendHeight = legendHeight

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

        // Footnotes of inferred cells, under the table of the page that shows their row.
        var footnotes: [[(number: Int, lines: [String])]] = []
        var counter = 0
        for row in drawing.rows {
            footnotes.append(row.inferences.map { inference in
                counter += 1
                let text = "\(Self.letter(counter - 1).lowercased())) \(Self.inferencePhrase(inference.field)): \(inference.reason)"
                return (counter, TextWrap.lines(text, maxWidth: tableWidth - 2 * Self.padding, fontSize: Self.legendFontSize))
            })
        }
        self.footnotes = footnotes
        let footnoteHeights = footnotes.map { notes in Double(notes.reduce(0) { $0 + $1.lines.count }) * Self.legendLineHeight }

        // Pages: as many rows as fit, leaving room for the connector bands; then the same
        // number of pages filled evenly, so that the last page is not a lonely row or two.
        func paginate(limit: Double) -> [[Int]] {
            var pages: [[Int]] = []
            var current: [Int] = []
            var used = 0.0
            for i in drawing.rows.indices {
                let top = pages.isEmpty ? 0 : Self.bandHeight
                let room = min(limit, Self.maxPageHeight - header - top - Self.bandHeight - legendHeight)
                if !current.isEmpty, used + heights[i] + footnoteHeights[i] > room - 8 {
                    pages.append(current)
                    current = []
                    used = 0
                }
                current.append(i)
                used += heights[i] + footnoteHeights[i]
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
        var pageOfRow = [Int](repeating: 0, count: drawing.rows.count)
        for (p, rows) in pages.enumerated() { for r in rows { pageOfRow[r] = p } }
        self.pageOfRow = pageOfRow
        var linksOfPage = [[Int]](repeating: [], count: pages.count)
        var labels: [Int: String] = [:]
        for (i, link) in links.enumerated() {
            let a = pageOfRow[link.from], b = pageOfRow[link.to]
            linksOfPage[a].append(i)
            if a != b {
                linksOfPage[b].append(i)
                labels[i] = Self.letter(labels.count)
            }
        }
        self.linksOfPage = linksOfPage
        connectorLabels = labels

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
                let symbolHeight = Self.symbolSize(drawing.rows[row], laneWidth).height
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

    /// What an inferred cell is, in the sheet's words.
    static func inferencePhrase(_ field: String) -> String {
        switch field {
        case "actor": return "pelaksana disimpulkan dari teks aktivitas"
        case "decision": return "keputusan disimpulkan dari teks aktivitas"
        case "when": return "syarat disimpulkan dari teks aktivitas"
        case "next": return "alur disimpulkan dari teks aktivitas"
        case "requires": return "kelengkapan disimpulkan"
        case "produces": return "output disimpulkan"
        case "duration": return "waktu disimpulkan"
        default: return "\(field) disimpulkan"
        }
    }

    /// A symbol's size in a lane. In narrow lanes a symbol keeps at least 24 wide (or the
    /// lane less 4), and a capsule is as wide as its word, over the lane lines if need be
    /// (nothing else stands in its row).
    static func symbolSize(_ row: Drawing.Row, _ laneWidth: Double) -> (width: Double, height: Double) {
        let narrow = min(laneWidth - 4, 24)
        switch row.symbol {
        case .terminator:
            let word = TextMetrics.width(row.node.label, fontSize: 8.5) + 10
            return (min(66, max(laneWidth - 22, narrow, word)), 26)
        case .process: return (min(max(laneWidth - 22, narrow), 70), 30)
        case .decision: return (min(max(laneWidth - 18, narrow), 66), 38)
        }
    }

    /// The font size of a symbol's label: 9 (8.5 in a capsule), smaller down to 5 when the
    /// step number is wider than the symbol.
    static func symbolFontSize(_ label: String, isStep: Bool, width: Double) -> Double {
        let size = isStep ? 9.0 : 8.5
        let needed = TextMetrics.width(label, fontSize: size)
        let room = width - 3
        return needed <= room ? size : max(5, (size * room / needed * 2).rounded(.down) / 2)
    }

    // MARK: - Geometry

    func laneCenter(_ lane: Int) -> Double {
        lanesArea.x + leftGutter + laneWidth * (Double(lane) + 0.5)
    }

    func trackX(_ track: Int, right: Bool) -> Double {
        right ? lanesArea.x + lanesArea.width - rightGutter + 10 + rightTrackSpacing * Double(track) - 2
            : lanesArea.x + leftGutter - 10 - leftTrackSpacing * Double(track) + 2
    }

    /// The x of a symbol's side at vertical offset `dy` from its centre.
    func sideX(row: Int, dy: Double, right: Bool) -> Double {
        let r = drawing.rows[row]
        let (w, h) = Self.symbolSize(r, laneWidth)
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
        let legendTop = tableBottom + (hasBottom ? Self.bandHeight : 0)
        let notes = rows.flatMap { footnotes[$0] }
        let notesTop = legendTop + legendHeight
        let notesHeight = notes.isEmpty ? 0 : Double(notes.reduce(0) { $0 + $1.lines.count }) * Self.legendLineHeight + 8
        let height = notesTop + notesHeight + 1
        let width = tableWidth
        var out: [String] = []
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" font-family=\"Liberation Sans, Arial, Helvetica, sans-serif\" role=\"img\" aria-label=\"Tabel aktivitas, halaman \(page + 1)\">")

        // Grid: header.
        out.append("<rect x=\"0\" y=\"0\" width=\"\(f(width))\" height=\"\(f(headerHeight))\" fill=\"#eeeeee\"/>")
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
        for (i, lines) in laneHeaderLines.enumerated() where rotatesLaneHeaders {
            // Written upwards from the header's foot: in the rotated frame x is minus the
            // page's y, and y is the page's x.
            let baseY = headerHeight - 6
            let spans = lines.enumerated().map { k, line in
                let x = laneCenter(i) + (Double(k) - Double(lines.count - 1) / 2) * Self.rotatedHeaderLineHeight + 2.8
                return "<tspan x=\"\(f(-baseY))\" y=\"\(f(x))\">\(Escape.html(line))</tspan>"
            }.joined()
            let fill = drawing.lanes[i].isPlaceholder ? " fill=\"#8a4b00\"" : ""
            out.append("<text transform=\"rotate(-90)\" font-size=\"\(f(Self.rotatedHeaderFontSize))\" font-weight=\"bold\" text-anchor=\"start\"\(fill)>\(spans)</text>")
        }
        for (i, lines) in laneHeaderLines.enumerated() where !rotatesLaneHeaders {
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
        line(0, 0.5, width, 0.5)
        line(lanesArea.x, h1, lanesArea.x + lanesArea.width, h1)
        line(quality.x, h1, quality.x + quality.width, h1)
        line(0, headerHeight, width, headerHeight, width: 1.2)
        for r in rows { line(0, rowTop[r]! + heights[r], width, rowTop[r]! + heights[r]) }
        if hasTop { line(0, top, width, top) }
        let columnEdges = [0.5, activity.x, lanesArea.x, requirements.x, time.x, output.x, remarks.x, width - 0.5]
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
                let field = k == 2 ? "requires" : k == 3 ? "duration" : k == 4 ? "produces" : ""
                let inferred = drawing.rows[r].inferences.contains { $0.field == field }
                let italic = (!drawing.rows[r].isStep && k == 1) || inferred ? " font-style=\"italic\"" : ""
                out.append("<text font-size=\"\(f(Self.fontSize))\" text-anchor=\"\(anchor)\"\(italic)>\(spans)</text>")
            }
        }

        // Arrows, under the symbols.
        let connectorLetters = connectorLabels
        for i in linksOfPage[page] {
            let link = drawing.links[i]
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
            let (w, h) = Self.symbolSize(row, laneWidth)
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
            // Any of several actors: the same symbol, dashed, in each other actor's lane.
            for other in row.otherLanes {
                let ox = laneCenter(other)
                let dashed = "fill=\"#fff\" stroke=\"#111\" stroke-width=\"1\" stroke-dasharray=\"3 2\""
                switch row.symbol {
                case .decision:
                    out.append("<polygon points=\"\(f(ox)),\(f(cy - h / 2)) \(f(ox + w / 2)),\(f(cy)) \(f(ox)),\(f(cy + h / 2)) \(f(ox - w / 2)),\(f(cy))\" \(dashed)/>")
                default:
                    out.append("<rect x=\"\(f(ox - w / 2))\" y=\"\(f(cy - h / 2))\" width=\"\(f(w))\" height=\"\(f(h))\" \(dashed)/>")
                }
            }
            let isNumbered = row.node.isStep || row.node.conditionOf != nil
            // A named end says "Selesai" in its capsule; its outcome stands in the Aktivitas cell.
            let label = row.node.conditionOf != nil ? Drawing.conditionMark(row.node)
                : row.node.isStep ? (row.node.number ?? "") : row.node.kind == .end ? "Selesai" : row.node.label
            let size = Self.symbolFontSize(label, isStep: isNumbered, width: w)
            // An inferred actor, decision or condition: the label in italic, with its footnote numbers.
            let marks = footnotes[r].map { Self.letter($0.number - 1).lowercased() }
            let italic = row.inferences.contains { ["actor", "decision", "when", "next"].contains($0.field) } ? " font-style=\"italic\"" : ""
            let sup = marks.isEmpty ? "" : "<tspan font-size=\"6\" dy=\"-3\">\(marks.joined(separator: ","))</tspan>"
            out.append("<text x=\"\(f(cx))\" y=\"\(f(cy + (size >= 8.5 ? 3.2 : size * 0.36)))\" font-size=\"\(f(size))\" text-anchor=\"middle\"\(italic)>\(Escape.html(label))\(sup)</text>")
            for other in row.otherLanes {
                out.append("<text x=\"\(f(laneCenter(other)))\" y=\"\(f(cy + (size >= 8.5 ? 3.2 : size * 0.36)))\" font-size=\"\(f(size))\" text-anchor=\"middle\" fill=\"#444\">\(Escape.html(label))</text>")
            }
        }
        if !legendLines.isEmpty {
            let spans = legendLines.enumerated().map { k, text in
                "<tspan x=\"\(f(Self.padding))\" y=\"\(f(legendTop + 12 + Double(k) * Self.legendLineHeight))\">\(Escape.html(text))</tspan>"
            }.joined()
            out.append("<text font-size=\"\(f(Self.legendFontSize))\" fill=\"#222\">\(spans)</text>")
        }
        if !notes.isEmpty {
            let spans = notes.flatMap(\.lines).enumerated().map { k, text in
                "<tspan x=\"\(f(Self.padding))\" y=\"\(f(notesTop + 12 + Double(k) * Self.legendLineHeight))\">\(Escape.html(text))</tspan>"
            }.joined()
            out.append("<text font-size=\"\(f(Self.legendFontSize))\" font-style=\"italic\" fill=\"#222\">\(spans)</text>")
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

    /// The label of the `n`th off-page connector (0-based): A … Z, AA … ZZ, AAA …, like
    /// spreadsheet columns, so that labels never run out and never repeat.
    static func letter(_ n: Int) -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var n = max(0, n) + 1
        var out: [Character] = []
        while n > 0 {
            n -= 1
            out.append(letters[n % 26])
            n /= 26
        }
        return String(out.reversed())
    }

    private func directArrow(_ i: Int, _ link: Drawing.Link, rowTop: [Int: Double], letter: String?,
                             tableBottom: Double, top: Double, dashed: Bool) -> [String] {
        let a = drawing.rows[link.from], b = drawing.rows[link.to]
        let ha = Self.symbolSize(a, laneWidth).height, hb = Self.symbolSize(b, laneWidth).height
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
            let half = Self.symbolSize(row, laneWidth).width / 2
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
