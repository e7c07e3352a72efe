import CCurl
import Foundation

// The one file that imports CCurl. Every call that returns a CURLcode goes through `check`,
// which turns a failure into an `HTTPError` carrying the redacted URL.

/// `curl_global_init` runs exactly once: Swift initialises a global lazily under `swift_once`.
private let globalInitResult: CURLcode = ccurl_global_init_default()

/// POSTFIELDS must never be NULL for a POST, or libcurl reads the body from stdin. The pointer is to
/// a static string's bytes that libcurl only reads, so sharing it across threads is safe.
nonisolated(unsafe) private let emptyBody = UnsafeMutableRawPointer(mutating: ("" as StaticString).utf8Start)

private let receiveHeaderLine: ccurl_data_callback = { buffer, size, count, context in
    let length = size * count
    guard let context else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
    sink.receiveHeaderLine(UnsafeRawBufferPointer(start: buffer, count: length))
    return length
}

private let receiveBodyChunk: ccurl_data_callback = { buffer, size, count, context in
    let length = size * count
    guard let context else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
    // Returning less than `length` makes libcurl abort with CURLE_WRITE_ERROR.
    return sink.receiveBody(UnsafeRawBufferPointer(start: buffer, count: length)) ? length : 0
}

/// One libcurl easy handle. libcurl keeps its connection cache per handle, so reusing this
/// object for consecutive requests reuses the open connection (keep-alive).
final class CurlEasyHandle {
    private let handle: UnsafeMutableRawPointer
    private let configuration: HTTPClient.Configuration
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// The URL of the request in progress, for error messages (redacted when an error is built).
    private var currentURL: String

    /// Creates and configures a handle; `url` is the first request's URL, named by any error.
    init(configuration: HTTPClient.Configuration, url: String) throws {
        try Self.check(globalInitResult, .setup("curl_global_init"), url: url)
        guard let handle = curl_easy_init() else {
            throw try Self.error(for: CURLE_FAILED_INIT, .setup("curl_easy_init"), url: url)
        }
        self.handle = handle
        self.configuration = configuration
        self.currentURL = url
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        try applyConfiguration()
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Runs one request, feeding `sink`; returns the final response's status code.
    /// Rethrows what the sink's consumer threw, unchanged.
    func perform(_ request: HTTPRequest, into sink: ResponseSink) throws -> Int {
        currentURL = request.url
        errorBuffer[0] = 0  // libcurl writes it only on failure; a stale message must not survive.
        try set(CURLOPT_URL, string: request.url)

        let headerList = try makeHeaderList(request.headers)
        defer { curl_slist_free_all(headerList) }
        try check(ccurl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER")

        let sinkAddress = Unmanaged.passUnretained(sink).toOpaque()
        try set(CURLOPT_HEADERDATA, pointer: sinkAddress)
        try set(CURLOPT_WRITEDATA, pointer: sinkAddress)

        let code: CURLcode = try withExtendedLifetime(sink) {
            switch request.method {
            case .get:
                try set(CURLOPT_HTTPGET, long: 1)
                return curl_easy_perform(handle)
            case .post:
                try set(CURLOPT_POST, long: 1)
                try check(
                    ccurl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)),
                    "CURLOPT_POSTFIELDSIZE_LARGE")
                // libcurl reads the body in place during perform; the pointer is valid only inside this closure.
                return try request.body.withUnsafeBytes { bytes in
                    try set(CURLOPT_POSTFIELDS, pointer: bytes.baseAddress.map(UnsafeMutableRawPointer.init(mutating:)) ?? emptyBody)
                    return curl_easy_perform(handle)
                }
            }
        }
        if let consumerError = sink.consumerError { throw consumerError }
        try Self.check(code, .transfer(sink, self), url: request.url)

        var status = 0
        try check(ccurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status), "CURLINFO_RESPONSE_CODE")
        return status
    }

    private func applyConfiguration() throws {
        // Signals are process-wide; libcurl must not use SIGALRM for DNS timeouts in a threaded program.
        try set(CURLOPT_NOSIGNAL, long: 1)
        try set(CURLOPT_CONNECTTIMEOUT_MS, long: milliseconds(configuration.connectTimeout))
        try set(CURLOPT_TIMEOUT_MS, long: configuration.totalTimeout.map(milliseconds) ?? 0)
        if let limit = configuration.lowSpeedLimit {
            try set(CURLOPT_LOW_SPEED_LIMIT, long: limit.bytesPerSecond)
            try set(CURLOPT_LOW_SPEED_TIME, long: limit.seconds)
        }
        try set(CURLOPT_SSL_VERIFYPEER, long: configuration.verifyTLS ? 1 : 0)
        try set(CURLOPT_SSL_VERIFYHOST, long: configuration.verifyTLS ? 2 : 0)
        if let caFile = configuration.caFile {
            try set(CURLOPT_CAINFO, string: caFile)
        }
        try set(CURLOPT_USERAGENT, string: configuration.userAgent)
        if configuration.acceptGzip {
            try set(CURLOPT_ACCEPT_ENCODING, string: "gzip")
        }
        // Refuses a body whose Content-Length is over the limit before reading it; chunked bodies
        // are counted by the sink instead.
        try check(
            ccurl_easy_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(configuration.maxResponseBytes)),
            "CURLOPT_MAXFILESIZE_LARGE")
        // No file://, ftp:// or other schemes, whatever URL a configuration file holds.
        try set(CURLOPT_PROTOCOLS_STR, string: "http,https")
        // A proxy's "200 Connection established" is not the server's answer.
        try set(CURLOPT_SUPPRESS_CONNECT_HEADERS, long: 1)
        // Long server-side computations leave an idle connection that NAT boxes would otherwise drop.
        try set(CURLOPT_TCP_KEEPALIVE, long: 1)
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        try check(ccurl_easy_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, receiveHeaderLine), "CURLOPT_HEADERFUNCTION")
        try check(ccurl_easy_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, receiveBodyChunk), "CURLOPT_WRITEFUNCTION")
        // CURLOPT_PROXY is deliberately never set: libcurl then takes proxies from the environment.
    }

    private func makeHeaderList(_ headers: [(String, String)]) throws -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        // Without this libcurl sends "Expect: 100-continue" for large bodies and waits up to a second.
        var lines = ["Expect:"]
        // Compared as bytes: "\r\n" is a single Character, so a Character test would miss it.
        let breaksLine: (UInt8) -> Bool = { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") || $0 == 0 }
        for (name, value) in headers {
            guard !name.isEmpty, !name.utf8.contains(where: breaksLine), !name.contains(":"),
                !value.utf8.contains(where: breaksLine)
            else {
                let printableName = String(decoding: name.utf8.filter { !breaksLine($0) }, as: UTF8.self)
                throw HTTPError.invalidHeader(url: redactedURL(currentURL), name: printableName)
            }
            // "Name:" would remove the header; "Name;" is libcurl's spelling of an empty value.
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        for line in lines {
            guard let extended = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                throw try Self.error(for: CURLE_OUT_OF_MEMORY, .setup("curl_slist_append"), url: currentURL)
            }
            list = extended
        }
        return list
    }

    // MARK: Typed option and info access, all through `check`

    private func set(_ option: CURLoption, long value: Int) throws {
        try check(ccurl_easy_setopt_long(handle, option, value), "option \(option.rawValue)")
    }

    private func set(_ option: CURLoption, string value: String) throws {
        try check(ccurl_easy_setopt_string(handle, option, value), "option \(option.rawValue)")
    }

    private func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) throws {
        try check(ccurl_easy_setopt_pointer(handle, option, value), "option \(option.rawValue)")
    }

    fileprivate func microsecondsUntilTransferStarted() throws -> curl_off_t {
        var microseconds: curl_off_t = 0
        try check(ccurl_easy_getinfo_off_t(handle, CURLINFO_PRETRANSFER_TIME_T, &microseconds), "CURLINFO_PRETRANSFER_TIME_T")
        return microseconds
    }

    fileprivate func elapsedSeconds() throws -> Double {
        var seconds = 0.0
        try check(ccurl_easy_getinfo_double(handle, CURLINFO_TOTAL_TIME, &seconds), "CURLINFO_TOTAL_TIME")
        return seconds
    }

    fileprivate var curlMessage: String {
        String(cString: errorBuffer)
    }

    fileprivate var settings: HTTPClient.Configuration { configuration }

    private func check(_ code: CURLcode, _ operation: String) throws {
        try Self.check(code, .setup(operation), url: currentURL)
    }

    // MARK: The checking helper

    fileprivate enum Step {
        /// Creating or configuring the handle, or reading transfer info.
        case setup(String)
        /// `curl_easy_perform` of a transfer that fed `ResponseSink`.
        case transfer(ResponseSink, CurlEasyHandle)
    }

    /// The single place where a CURLcode becomes an error.
    fileprivate static func check(_ code: CURLcode, _ step: Step, url: String) throws {
        guard code != CURLE_OK else { return }
        throw try error(for: code, step, url: url)
    }

    private static func error(for code: CURLcode, _ step: Step, url rawURL: String) throws -> HTTPError {
        let url = redactedURL(rawURL)
        switch step {
        case .setup(let operation):
            return .transport(url: url, curlCode: Int(code.rawValue), detail: "libcurl failed at \(operation): \(describe(code))")
        case .transfer(let sink, let easy):
            return try transferError(code, sink: sink, easy: easy, url: url)
        }
    }

    private static func transferError(_ code: CURLcode, sink: ResponseSink, easy: CurlEasyHandle, url: String) throws -> HTTPError {
        let detail = easy.curlMessage.isEmpty ? describe(code) : easy.curlMessage
        switch code {
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return .invalidURL(url: url, detail: detail)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .couldNotResolveHost(url: url, detail: detail)
        case CURLE_COULDNT_CONNECT:
            return .couldNotConnect(url: url, detail: detail)
        case CURLE_OPERATION_TIMEDOUT:
            return try timeoutError(easy, url: url)
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return .connectionReset(url: url, detail: detail)
        case CURLE_GOT_NOTHING:
            return .emptyReply(url: url)
        case CURLE_PARTIAL_FILE:
            return .partialBody(url: url, receivedBytes: sink.receivedBodyBytes, expectedBytes: sink.announcedContentLength)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_CLIENTCERT, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED:
            return .tlsFailure(url: url, detail: detail)
        case CURLE_FILESIZE_EXCEEDED:
            return .responseTooLarge(url: url, limitBytes: easy.settings.maxResponseBytes)
        case CURLE_WRITE_ERROR where sink.exceededLimit:
            return .responseTooLarge(url: url, limitBytes: easy.settings.maxResponseBytes)
        default:
            return .transport(url: url, curlCode: Int(code.rawValue), detail: detail)
        }
    }

    /// libcurl reports every timeout as CURLE_OPERATION_TIMEDOUT. The pre-transfer time is zero
    /// only if the connection (TCP + TLS, or reuse) never completed; after that, a transfer that
    /// ended before the total timeout was cut by the low-speed limit.
    private static func timeoutError(_ easy: CurlEasyHandle, url: String) throws -> HTTPError {
        let settings = easy.settings
        if try easy.microsecondsUntilTransferStarted() == 0 {
            let connectLimit = min(settings.connectTimeout, settings.totalTimeout ?? .infinity)
            return .connectTimeout(url: url, seconds: connectLimit)
        }
        let elapsed = try easy.elapsedSeconds()
        if let lowSpeed = settings.lowSpeedLimit, settings.totalTimeout.map({ elapsed < $0 - 0.05 }) ?? true {
            return .transferStalled(url: url, bytesPerSecond: lowSpeed.bytesPerSecond, seconds: lowSpeed.seconds)
        }
        return .totalTimeout(url: url, seconds: settings.totalTimeout ?? elapsed)
    }

    private static func describe(_ code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }
}

private func milliseconds(_ seconds: TimeInterval) -> Int {
    max(1, Int((seconds * 1000).rounded()))
}
