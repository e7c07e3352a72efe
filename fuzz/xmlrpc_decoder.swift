// libFuzzer entry for the XML-RPC response decoder. Built by fuzz/run.sh together with
// Sources/XMLRPC/*.swift into one module, so Package.swift stays free of sanitizer settings.
//
// The property: whatever the bytes, `decodeResponse` returns a value or a fault, or throws an
// `XMLRPCDecodingError` whose description can be rendered. Any other error, a trap, an
// out-of-bounds access (AddressSanitizer) or an input slower than -timeout is a finding.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXMLRPCResponse(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let body = Data(bytes: bytes, count: count)
    do {
        _ = try XMLRPCDecoder.decodeResponse(body)
    } catch let error as XMLRPCDecodingError {
        // The message is what an operator reads; building it must not trap on any body.
        precondition(!error.description.isEmpty, "an XMLRPCDecodingError rendered as an empty message")
    } catch {
        fatalError("decodeResponse threw \(type(of: error)), not XMLRPCDecodingError: \(error)")
    }
    return 0
}
