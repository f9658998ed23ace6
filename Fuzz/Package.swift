// swift-tools-version:6.0
import PackageDescription

/// The libFuzzer target of `make fuzz`, a package of its own so that the main package never
/// builds it: it is linked with `-sanitize=fuzzer,address` (libFuzzer's driver runs it).
let package = Package(
    name: "SOPFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "sop", path: "..")],
    targets: [
        // libFuzzer's driver behind SwiftPM's name for an executable's entry point.
        .target(name: "CFuzzDriver"),
        .executableTarget(
            name: "SOPFuzz",
            dependencies: ["CFuzzDriver", .product(name: "SOPLanguageServer", package: "sop")]
        ),
    ]
)
