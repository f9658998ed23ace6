// swift-tools-version:6.0
import PackageDescription

/// The libFuzzer target of `make fuzz`, a package of its own so that the main package never
/// builds it: it is linked with `-sanitize=fuzzer,address` (libFuzzer brings `main`).
let package = Package(
    name: "SOPFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "sop", path: "..")],
    targets: [
        .executableTarget(
            name: "SOPFuzz",
            dependencies: [.product(name: "SOPLanguageServer", package: "sop")]
        ),
    ]
)
