import SOPDiagnostics

/// A command the runtime refuses. Nothing changes when one is thrown: the engine computes
/// events first and the store appends them only when every rule holds.
public struct RuntimeError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case wrongActor = "R001"
        case missingDocuments = "R002"
        case unknownBranch = "R003"
        case caseClosed = "R004"
        case notOpen = "R005"
        case conflict = "R006"
        case unknownStep = "R007"
        case unknownActor = "R008"
        case unknownDocument = "R009"
        case classRequired = "R010"
        case clockWentBack = "R011"
        case calendarRange = "R012"
        case waitingForChild = "R013"
        case needsBranch = "R014"
        case unknownCase = "R015"
        case unknownSOP = "R016"
        case storage = "R017"
        /// The store's database cannot be reached (PostgreSQL down or restarting): nothing
        /// was recorded; the same command may be sent again once it is back (HTTP 503).
        case unavailable = "R018"
    }

    public var code: Code
    public var message: Message
    public var help: Message?

    public init(_ code: Code, _ message: Message, help: Message? = nil) {
        self.code = code
        self.message = message
        self.help = help
    }

    public var description: String { "error[\(code.rawValue)]: \(message.en)" }

    /// `error[R001]: message` plus its help line, in one language.
    public func render(_ language: Language) -> String {
        var text = "error[\(code.rawValue)]: \(message.text(language))"
        if let help { text += "\n  = \(language == .id ? "bantuan" : "help"): \(help.text(language))" }
        return text
    }

    static func calendar(_ error: CalendarError) -> RuntimeError {
        switch error {
        case let .outsideTable(year):
            return RuntimeError(.calendarRange,
                Message(en: "the working-day calendar covers \(Holiday.firstYear) to \(Holiday.lastYear), not \(year)",
                        id: "kalender hari kerja hanya mencakup \(Holiday.firstYear) sampai \(Holiday.lastYear), bukan \(year)"),
                help: Message(en: "regenerate Sources/SOPCalendar/HolidayData.swift with generate_holidays.py for later years",
                              id: "buat ulang HolidayData.swift dengan generate_holidays.py untuk tahun berikutnya"))
        }
    }
}
