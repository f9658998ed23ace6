import CFuzzDriver
import SOPLanguageServer

/// libFuzzer's entry point: every input goes through `FuzzEntry.run` (the reader, checks,
/// lowering and the language server's change handling).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzEntry.run(bytes)
    return 0
}
