// swift-tools-version:6.0
import PackageDescription

/// Modules follow the data's way through the system:
/// `CYAML → SOPYAML (located tree) → SOPLanguage (AST, checks, lowering) → SOPIR`,
/// with `SOPDiagnostics` beside them, `SOPRender` (the drawings) reading `SOPIR` only, and a
/// thin `sop` executable on top of `SOPCommands`.
let package = Package(
    name: "sop",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sop", targets: ["sop"]),
        .library(name: "SOPIR", targets: ["SOPIR"]),
        .library(name: "SOPLanguage", targets: ["SOPLanguage"]),
        .library(name: "SOPRender", targets: ["SOPRender"]),
        // For the fuzzing package (Fuzz/), which links it with libFuzzer.
        .library(name: "SOPLanguageServer", targets: ["SOPLanguageServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // The IR depends on nothing of ours: renderers, the runtime and the simulator read it.
        .target(name: "SOPIR"),
        // The drawings read the IR only, never the YAML or the AST.
        .target(name: "SOPRender", dependencies: ["SOPIR"]),
        .target(name: "SOPDiagnostics"),
        // BPMN 2.0 in: a process model to SOP YAML (`sop import`); reads XML, writes YAML text.
        .target(name: "SOPBPMN", dependencies: ["SOPDiagnostics"]),
        // Cross-module optimisation: the language layer reads the tree through small generic
        // accessors (`withScalarBytes`) that must be specialised and inlined at its call sites.
        .target(name: "SOPYAML", dependencies: ["CYAML", "SOPDiagnostics"],
                swiftSettings: [.unsafeFlags(["-cross-module-optimization"])]),
        .target(name: "SOPLanguage", dependencies: ["SOPYAML", "SOPDiagnostics", "SOPIR"]),
        // The working-day calendar (national holidays, cuti bersama, every-day units): the
        // runtime's deadlines and the simulator's clock are the same arithmetic.
        .target(
            name: "SOPCalendar",
            dependencies: ["SOPIR"],
            exclude: ["generate_holidays.py"]
        ),
        // The runtime reads the IR only: engine, events, clocks (the calendar re-exported).
        .target(
            name: "SOPRuntime",
            dependencies: ["SOPIR", "SOPDiagnostics", "SOPCalendar", "SOPEventLog"]
        ),
        // The event-log formats (XES, CSV) for the runtime's export and the simulator's log.
        .target(name: "SOPEventLog", dependencies: ["SOPCalendar"]),
        // The durable event store on SQLite (GRDB), behind `SOPRuntime.CaseStore`.
        .target(
            name: "SOPStore",
            dependencies: ["SOPRuntime", "SOPIR", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The event store on PostgreSQL (postgres-nio), behind `SOPRuntime.CaseStore`, for
        // several `sop serve` nodes on one database; its own target so SQLite keeps its
        // dependencies.
        .target(
            name: "SOPPostgres",
            dependencies: ["SOPRuntime", "SOPIR", "SOPStore", "SOPDiagnostics",
                           .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        // The simulator (`sop simulate`) reads the IR and the working calendar only.
        .target(name: "SOPSimulation", dependencies: ["SOPIR", "SOPCalendar", "SOPDiagnostics", "SOPEventLog"]),
        // The simulation profile (YAML, located diagnostics) for the simulator.
        .target(name: "SOPSimulationProfile", dependencies: ["SOPSimulation", "SOPYAML", "SOPDiagnostics", "SOPIR", "SOPCalendar"]),
        // The path analysis (training paths, cover, durations, narrative) reads the IR only.
        .target(name: "SOPAnalysis", dependencies: ["SOPIR", "SOPDiagnostics"]),
        // For trainers: paths as runtime scenarios, and the printed manual (HTML, then PDF
        // through headless Chromium).
        .target(name: "SOPTraining", dependencies: ["SOPAnalysis", "SOPRender", "SOPRuntime", "SOPIR", "SOPDiagnostics"]),
        // What a revision changes (`sop diff`): two IRs and their diagnostics compared, reads
        // what the compiler gives (never YAML text) and the path analysis for durations.
        .target(name: "SOPDiff", dependencies: ["SOPIR", "SOPAnalysis", "SOPDiagnostics"]),
        // The application layer the CLI, the server and the language server share: finding,
        // loading and checking catalogue files, resolving `call` targets; for `sop diff`, a
        // git revision's files paired with the working tree's by `id`; the catalogue as a whole, cases acted on by a person (authorization by
        // role), a case as a page.
        .target(name: "SOPWorkspace", dependencies: ["SOPLanguage", "SOPDiagnostics", "SOPIR", "SOPDiff", "SOPRuntime", "SOPStore", "SOPPostgres"]),
        // The language server (`sop lsp`): JSON-RPC over stdio, documents, diagnostics,
        // completion, hover and navigation, answered from SOPWorkspace's outlines. The
        // runtime's working calendar gives a *hari kerja* hover its example deadline.
        .target(name: "SOPLanguageServer", dependencies: ["SOPWorkspace", "SOPLanguage", "SOPYAML", "SOPDiagnostics", "SOPIR", "SOPRuntime"]),
        // People on the store: users, roles, bcrypt password hashes, API tokens stored hashed
        // (`sop user`); the server authenticates with it, the CLI manages it.
        .target(
            name: "SOPIdentity",
            dependencies: [
                "SOPWorkspace", "SOPStore", "SOPIR", "SOPDiagnostics", "SOPPostgres",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        // `sop serve`: HTTP through Hummingbird 2 (REST API, OpenAPI document, server-rendered
        // pages through swift-mustache), reading cases through `SOPWorkspace` and the store.
        .target(
            name: "SOPServer",
            dependencies: [
                "SOPWorkspace", "SOPIdentity", "SOPRuntime", "SOPStore", "SOPIR", "SOPDiagnostics", "SOPRender",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SOPCommands",
            dependencies: [
                "SOPIdentity", "SOPServer",
                "SOPWorkspace", "SOPLanguage", "SOPYAML", "SOPDiagnostics", "SOPIR", "SOPRender", "CYAML", "SOPRuntime", "SOPStore", "SOPBPMN",
                "SOPAnalysis", "SOPTraining", "SOPDiff", "SOPLanguageServer", "SOPSimulation", "SOPSimulationProfile",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "sop", dependencies: ["SOPCommands"]),
        .testTarget(
            name: "SOPTests",
            dependencies: ["SOPCommands", "SOPWorkspace", "SOPLanguageServer", "SOPLanguage", "SOPYAML", "SOPDiagnostics", "SOPIR", "SOPRender", "SOPRuntime", "SOPStore", "SOPBPMN",
                           "SOPAnalysis", "SOPTraining", "SOPDiff", "SOPSimulation", "SOPSimulationProfile", "SOPCalendar",
                           .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Fixtures"]
        ),
        // One conformance suite for every store (memory, SQLite, PostgreSQL) and the
        // scale-out checks on PostgreSQL (`make store-tests` starts the server).
        .testTarget(
            name: "SOPStoreTests",
            dependencies: ["SOPRuntime", "SOPStore", "SOPPostgres", "SOPWorkspace", "SOPIdentity", "SOPLanguage",
                           "SOPDiagnostics", "SOPIR"]
        ),
        .testTarget(
            name: "SOPServerTests",
            dependencies: ["SOPServer", "SOPIdentity", "SOPWorkspace", "SOPStore", "SOPPostgres", "SOPRuntime", "SOPIR", "SOPRender", "SOPCalendar",
                           .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ]
)
