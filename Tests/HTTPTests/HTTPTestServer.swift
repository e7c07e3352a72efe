import Foundation
import TestSupport
import XCTest

/// The loopback server of Tests/Support/http_test_server.py, run as a child process.
final class HTTPTestServer {
    let httpPort: Int
    /// 0 when openssl could not make a certificate.
    let tlsPort: Int
    /// Accepts no connection: connecting hangs.
    let blackholePort: Int
    /// Nothing listens here: connecting is refused.
    let closedPort: Int
    /// The self-signed certificate the TLS port presents (also its own CA).
    let certificatePath: String?

    private let process: Process
    private let input: Pipe

    static let script = TestPaths.repositoryRoot.appendingPathComponent("Tests/Support/http_test_server.py")

    init() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", Self.script.path]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        self.process = process
        self.input = input

        let ready = Self.readLine(output.fileHandleForReading)
        var ports: [String: String] = [:]
        for field in ready.split(separator: " ").dropFirst() {
            let pair = field.split(separator: "=", maxSplits: 1)
            ports[String(pair[0])] = pair.count > 1 ? String(pair[1]) : ""
        }
        guard ready.hasPrefix("READY"), let http = ports["http"].flatMap({ Int($0) }) else {
            process.terminate()
            process.waitUntilExit()
            throw ServerStartFailure(output: ready)
        }
        httpPort = http
        tlsPort = ports["tls"].flatMap { Int($0) } ?? 0
        blackholePort = ports["blackhole"].flatMap { Int($0) } ?? 0
        closedPort = ports["closed"].flatMap { Int($0) } ?? 0
        certificatePath = ports["cert"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func url(_ path: String) -> String {
        "http://127.0.0.1:\(httpPort)\(path)"
    }

    func tlsURL(_ path: String) -> String {
        "https://127.0.0.1:\(tlsPort)\(path)"
    }

    func stop() {
        guard process.isRunning else { return }
        // Closing its standard input ends the server; SIGTERM makes sure.
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }

    private static func readLine(_ handle: FileHandle) -> String {
        var bytes = Data()
        while !bytes.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            bytes.append(chunk)
        }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    struct ServerStartFailure: Error, CustomStringConvertible {
        let output: String
        var description: String { "http_test_server.py did not start; it printed: \(output)" }
    }
}

/// Byte i of the server's /large and /chunked bodies.
func patternByte(at index: Int) -> UInt8 {
    UInt8(index % 251)
}

/// Checks the pattern at spread-out positions (comparing all 30 MB byte by byte is slow in debug builds).
func assertPatternBody(_ body: Data, count: Int, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(body.count, count, file: file, line: line)
    guard body.count == count else { return }
    let start = body.startIndex
    for offset in Array(stride(from: 0, to: count, by: 4099)) + [count - 1] where body[start + offset] != patternByte(at: offset) {
        XCTFail("body byte \(offset) is \(body[start + offset]), expected \(patternByte(at: offset))", file: file, line: line)
        return
    }
}

func jsonObject(_ data: Data) throws -> [String: Any] {
    try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
}
