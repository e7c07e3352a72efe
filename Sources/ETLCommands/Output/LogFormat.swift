import ArgumentParser

/// How log lines and errors are written to stderr: `text` for people, `json` (one object a line) for
/// cron, systemd's journal and log shippers.
public enum LogFormat: String, Sendable, CaseIterable, ExpressibleByArgument {
    case text
    case json
}

/// Severity of a log line, lowest first.
public enum LogLevel: String, Sendable, Comparable, CaseIterable {
    case debug, info, notice, warning, error

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
