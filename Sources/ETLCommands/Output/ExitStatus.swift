/// The process exit codes `odoo-etl` promises to cron, systemd and scripts (see config/README.md).
public enum ExitStatus: Int32, Sendable, CaseIterable, CustomStringConvertible {
    /// Everything requested ran and succeeded.
    case success = 0
    /// At least one unit or check failed; the others still ran.
    case failure = 1
    /// The command line or the configuration is wrong; nothing ran (sysexits EX_USAGE).
    case usage = 64
    /// Every requested unit was busy because another run holds its lock (sysexits EX_TEMPFAIL).
    case busy = 75

    public var description: String {
        switch self {
        case .success: return "0 (success)"
        case .failure: return "1 (a unit or check failed)"
        case .usage: return "64 (usage or configuration error)"
        case .busy: return "75 (every requested unit was busy)"
        }
    }
}
