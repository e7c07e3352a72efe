import ETLModel
import Yams

/// The `etl:` section: how the engine runs, after defaults, the file's top-level `etl:` and the
/// environment's own `etl:` block have been layered (most specific wins).
public struct ETLSettings: Sendable, Equatable {
    /// Pipelines a plain `sync` runs, by file name without `.yaml`; nil means every pipeline in the
    /// pipelines directory.
    public var enabledPipelines: [String]?
    /// Records per Odoo `search_read` page and per load transaction, unless a pipeline sets its own.
    public var batchSize: Int
    /// How far before the checkpoint an incremental run starts reading, to catch late commits.
    public var lookbackSeconds: Int
    /// Units (pipeline × company) run in parallel, each with its own connections.
    public var jobs: Int
    public var retries: RetryPolicy
    public var timeouts: Timeouts
    /// Where records are read unless `--source` says otherwise.
    public var extractor: ExtractionSource

    public static let defaults = ETLSettings(
        enabledPipelines: nil, batchSize: 5000, lookbackSeconds: 300, jobs: 2,
        retries: RetryPolicy(maxAttempts: 5, initialBackoff: 1, maxBackoff: 30),
        timeouts: Timeouts(connectSeconds: 10, requestSeconds: 300, statementSeconds: 600))

    /// What `etl.jobs` (and `--jobs`, which overrides it) may be.
    public static let jobsRange = 1...32

    public init(
        enabledPipelines: [String]?, batchSize: Int, lookbackSeconds: Int, jobs: Int,
        retries: RetryPolicy, timeouts: Timeouts, extractor: ExtractionSource = .xmlrpc
    ) {
        self.enabledPipelines = enabledPipelines
        self.batchSize = batchSize
        self.lookbackSeconds = lookbackSeconds
        self.jobs = jobs
        self.retries = retries
        self.timeouts = timeouts
        self.extractor = extractor
    }
}

public struct Timeouts: Sendable, Equatable {
    /// TCP + TLS connect, to Odoo and to PostgreSQL.
    public var connectSeconds: Double
    /// One whole Odoo request, sending and receiving.
    public var requestSeconds: Double
    /// PostgreSQL `statement_timeout` for the loader's statements; 0 disables it.
    public var statementSeconds: Double

    public init(connectSeconds: Double, requestSeconds: Double, statementSeconds: Double) {
        self.connectSeconds = connectSeconds
        self.requestSeconds = requestSeconds
        self.statementSeconds = statementSeconds
    }
}

/// The keys one `etl:` block sets; unset ones fall through to the next layer.
struct ETLSettingsLayer {
    var enabledPipelines: [String]?
    var batchSize: Int?
    var lookbackSeconds: Int?
    var jobs: Int?
    var attempts: Int?
    var initialBackoffSeconds: Double?
    var maxBackoffSeconds: Double?
    var connectSeconds: Double?
    var requestSeconds: Double?
    var statementSeconds: Double?
    var extractor: ExtractionSource?

    static let keys = ["pipelines", "batch_size", "lookback_seconds", "jobs", "retries", "timeouts", "extractor"]

    /// Reads one `etl:` block, reporting every bad key through `reader`.
    static func read(_ node: Node?, at path: YAMLKeyPath, reader: YAMLReader) -> ETLSettingsLayer {
        var layer = ETLSettingsLayer()
        guard let node, let block = reader.mapping(node, at: path, keys: keys) else { return layer }
        if let pipelinesNode = block["pipelines"],
            let pipelines = reader.mapping(pipelinesNode, at: path.appending("pipelines"), keys: ["enabled"])
        {
            layer.enabledPipelines = reader.stringList(pipelines["enabled"], at: path.appending("pipelines").appending("enabled"))
        }
        layer.batchSize = reader.integer(block["batch_size"], at: path.appending("batch_size"), in: 1...100_000)
        layer.lookbackSeconds = reader.integer(block["lookback_seconds"], at: path.appending("lookback_seconds"), in: 0...86_400)
        layer.jobs = reader.integer(block["jobs"], at: path.appending("jobs"), in: ETLSettings.jobsRange)
        if let text = reader.string(block["extractor"], at: path.appending("extractor")) {
            layer.extractor = ExtractionSource(rawValue: text)
            if layer.extractor == nil {
                reader.report(
                    block["extractor"], path.appending("extractor"),
                    "'\(text)' is not an extractor; use \(ExtractionSource.allCases.map(\.rawValue).joined(separator: " or "))")
            }
        }
        if let retriesNode = block["retries"] {
            let retriesPath = path.appending("retries")
            if let retries = reader.mapping(
                retriesNode, at: retriesPath,
                keys: ["attempts", "initial_backoff_seconds", "max_backoff_seconds"])
            {
                layer.attempts = reader.integer(retries["attempts"], at: retriesPath.appending("attempts"), in: 1...20)
                layer.initialBackoffSeconds = reader.seconds(
                    retries["initial_backoff_seconds"],
                    at: retriesPath.appending("initial_backoff_seconds"), in: 0...600)
                layer.maxBackoffSeconds = reader.seconds(
                    retries["max_backoff_seconds"],
                    at: retriesPath.appending("max_backoff_seconds"), in: 0...3600)
            }
        }
        if let timeoutsNode = block["timeouts"] {
            let timeoutsPath = path.appending("timeouts")
            if let timeouts = reader.mapping(
                timeoutsNode, at: timeoutsPath,
                keys: ["connect_seconds", "request_seconds", "statement_seconds"])
            {
                layer.connectSeconds = reader.seconds(
                    timeouts["connect_seconds"], at: timeoutsPath.appending("connect_seconds"), in: 1...600)
                layer.requestSeconds = reader.seconds(
                    timeouts["request_seconds"], at: timeoutsPath.appending("request_seconds"), in: 1...86_400)
                layer.statementSeconds = reader.seconds(
                    timeouts["statement_seconds"], at: timeoutsPath.appending("statement_seconds"), in: 0...86_400)
            }
        }
        return layer
    }

    func applied(to base: ETLSettings) -> ETLSettings {
        var settings = base
        settings.enabledPipelines = enabledPipelines ?? base.enabledPipelines
        settings.batchSize = batchSize ?? base.batchSize
        settings.lookbackSeconds = lookbackSeconds ?? base.lookbackSeconds
        settings.jobs = jobs ?? base.jobs
        settings.retries.maxAttempts = attempts ?? base.retries.maxAttempts
        settings.retries.initialBackoff = initialBackoffSeconds ?? base.retries.initialBackoff
        settings.retries.maxBackoff = maxBackoffSeconds ?? base.retries.maxBackoff
        settings.timeouts.connectSeconds = connectSeconds ?? base.timeouts.connectSeconds
        settings.timeouts.requestSeconds = requestSeconds ?? base.timeouts.requestSeconds
        settings.timeouts.statementSeconds = statementSeconds ?? base.timeouts.statementSeconds
        settings.extractor = extractor ?? base.extractor
        return settings
    }
}
