import Foundation
import TestSupport
import XMLRPC

#if canImport(Glibc)
    import Glibc
#endif

/// A real HTTP/1.1 server on 127.0.0.1 that answers each request with the next reply of a
/// script: recorded Odoo captures, generated XML-RPC answers, or transport failures (status
/// codes, HTML pages, dropped connections, cut bodies, slow answers). It records every request
/// body, so tests can compare what the client sent with what Python's client sent in the captures.
///
/// It is a stand-in for the server, not for the client: the client under test does real HTTP.
final class ReplayServer: @unchecked Sendable {
    enum Reply {
        /// 200 with this XML-RPC body.
        case xml(Data)
        /// This status with a small HTML body, as nginx answers a 502.
        case status(Int)
        /// 200 with an HTML page instead of XML (a proxy's maintenance page).
        case htmlPage
        /// Close the connection after reading the request, without answering.
        case drop
        /// Announce the whole body's length but send only `keep` bytes, then close.
        case partial(Data, keep: Int)
        /// 200 without a length, `keep` bytes of the body, then close: the body just ends early.
        case cut(Data, keep: Int)
        /// Wait, then send the reply.
        indirect case delayed(TimeInterval, Reply)
    }

    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }

    private let listener: Int32
    private let lock = NSLock()
    private var script: [Reply] = []
    private var received: [Data] = []
    private var stopped = false

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw ReplayServerFailure("socket: errno \(errno)") }
        var reuse: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else {
            close(listener)
            throw ReplayServerFailure("bind/listen: errno \(errno)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: actual.sin_port))
        self.listener = listener
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "ReplayServer accept"
        thread.start()
    }

    deinit {
        stop()
    }

    func stop() {
        lock.lock()
        let wasStopped = stopped
        stopped = true
        lock.unlock()
        guard !wasStopped else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// Appends replies to the script.
    func enqueue(_ replies: Reply...) {
        lock.lock()
        script += replies
        lock.unlock()
    }

    /// Appends the recorded response of an Odoo 18 capture, e.g. `"authenticate_ok"`.
    func enqueueCapture(_ names: String...) throws {
        for name in names {
            enqueue(.xml(try TestPaths.odoo18Capture("\(name).response.xml")))
        }
    }

    /// Appends an XML-RPC answer holding `value`.
    func enqueueValue(_ value: XMLRPCValue) {
        enqueue(.xml(XMLRPCEncoder.methodResponse(.value(value))))
    }

    /// The bodies received so far, in order.
    var requests: [Data] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// The received requests, decoded.
    func calls() throws -> [XMLRPCMethodCall] {
        try requests.map { try XMLRPCDecoder.decodeMethodCall($0) }
    }

    /// Replies not used yet.
    var remainingReplies: Int {
        lock.lock()
        defer { lock.unlock() }
        return script.count
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                lock.lock()
                let done = stopped
                lock.unlock()
                if done { return }
                continue
            }
            let thread = Thread { [self] in serve(connection) }
            thread.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var buffer = Data()
        while let body = readRequest(connection, buffer: &buffer) {
            lock.lock()
            received.append(body)
            let reply = script.isEmpty ? nil : script.removeFirst()
            lock.unlock()
            guard let reply, respond(reply, on: connection) else { return }
        }
    }

    /// Sends `reply`; false when the connection must be closed afterwards.
    private func respond(_ reply: Reply, on connection: Int32) -> Bool {
        switch reply {
        case .xml(let body):
            return write(connection, head(200, contentType: "text/xml; charset=utf-8", length: body.count) + body)
        case .status(let code):
            let body = Data(
                "<html>\r\n<head><title>\(code) Bad Gateway</title></head>\r\n<body>\r\n<center><h1>\(code)</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
                    .utf8)
            return write(connection, head(code, contentType: "text/html", length: body.count) + body)
        case .htmlPage:
            let body = Data(
                "<!DOCTYPE html>\n<html><head><title>Maintenance</title></head><body><h1>We'll be back soon</h1></body></html>\n".utf8)
            return write(connection, head(200, contentType: "text/html", length: body.count) + body)
        case .drop:
            return false
        case .partial(let body, let keep):
            _ = write(connection, head(200, contentType: "text/xml", length: body.count) + body.prefix(keep))
            return false
        case .cut(let body, let keep):
            let head = Data("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nConnection: close\r\n\r\n".utf8)
            _ = write(connection, head + body.prefix(keep))
            return false
        case .delayed(let seconds, let inner):
            Thread.sleep(forTimeInterval: seconds)
            return respond(inner, on: connection)
        }
    }

    private func head(_ status: Int, contentType: String, length: Int) -> Data {
        Data("HTTP/1.1 \(status) Status\r\nContent-Type: \(contentType)\r\nContent-Length: \(length)\r\n\r\n".utf8)
    }

    private func write(_ connection: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let sent = send(connection, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if sent <= 0 { return false }
                offset += sent
            }
            return true
        }
    }

    /// Reads one request and returns its body; nil when the client closed the connection.
    private func readRequest(_ connection: Int32, buffer: inout Data) -> Data? {
        let separator = Data("\r\n\r\n".utf8)
        while buffer.range(of: separator) == nil {
            guard receive(connection, into: &buffer) else { return nil }
        }
        let headEnd = buffer.range(of: separator)!
        let headText = String(decoding: buffer[buffer.startIndex..<headEnd.lowerBound], as: UTF8.self).lowercased()
        var length = 0
        for line in headText.split(separator: "\r\n") where line.hasPrefix("content-length:") {
            length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        if headText.contains("expect: 100-continue") {
            _ = write(connection, Data("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
        while buffer.count - (headEnd.upperBound - buffer.startIndex) < length {
            guard receive(connection, into: &buffer) else { return nil }
        }
        let bodyStart = headEnd.upperBound
        let body = Data(buffer[bodyStart..<(bodyStart + length)])
        buffer = Data(buffer[(bodyStart + length)...])
        return body
    }

    private func receive(_ connection: Int32, into buffer: inout Data) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = recv(connection, &chunk, chunk.count, 0)
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }
}

struct ReplayServerFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
