import Foundation

extension HTTPClient {
    /// How an `HTTPClient` connects and what it accepts. Fixed for the client's lifetime.
    ///
    /// Proxies come from the environment as libcurl reads it: `http_proxy` (lower case only, since
    /// `HTTP_PROXY` can be injected by CGI), `https_proxy`/`HTTPS_PROXY`, `all_proxy`/`ALL_PROXY`
    /// and `no_proxy`/`NO_PROXY`. Nothing here overrides or disables that.
    public struct Configuration: Sendable {
        /// Seconds allowed to resolve the host and establish TCP + TLS.
        public var connectTimeout: TimeInterval
        /// Seconds allowed for a whole exchange, connection included; nil means no limit.
        public var totalTimeout: TimeInterval?
        /// Aborts a transfer slower than a floor for some seconds. Off by default: libcurl counts
        /// the wait for the first response byte too, and a server may legitimately think for
        /// minutes before it answers; `totalTimeout` bounds that instead.
        public var lowSpeedLimit: LowSpeedLimit?
        /// Verify the server's certificate chain and host name. Turn off only for a test server.
        public var verifyTLS: Bool
        /// A PEM file of CA certificates to trust instead of the system bundle.
        public var caFile: String?
        public var userAgent: String
        /// Send `Accept-Encoding: gzip`; libcurl then decompresses gzip bodies (via zlib) before
        /// they reach the caller.
        public var acceptGzip: Bool
        /// The largest (decompressed) response body accepted; larger ones fail with
        /// `HTTPError.responseTooLarge` without being buffered.
        public var maxResponseBytes: Int

        public init(
            connectTimeout: TimeInterval = 10,
            totalTimeout: TimeInterval? = 300,
            lowSpeedLimit: LowSpeedLimit? = nil,
            verifyTLS: Bool = true,
            caFile: String? = nil,
            userAgent: String = "swift-http (libcurl)",
            acceptGzip: Bool = true,
            maxResponseBytes: Int = 512 * 1024 * 1024
        ) {
            self.connectTimeout = connectTimeout
            self.totalTimeout = totalTimeout
            self.lowSpeedLimit = lowSpeedLimit
            self.verifyTLS = verifyTLS
            self.caFile = caFile
            self.userAgent = userAgent
            self.acceptGzip = acceptGzip
            self.maxResponseBytes = maxResponseBytes
        }
    }

    /// Fewer than `bytesPerSecond` for `seconds` in a row fails with `HTTPError.transferStalled`.
    public struct LowSpeedLimit: Sendable, Equatable {
        public var bytesPerSecond: Int
        public var seconds: Int

        public init(bytesPerSecond: Int, seconds: Int) {
            self.bytesPerSecond = bytesPerSecond
            self.seconds = seconds
        }
    }
}
