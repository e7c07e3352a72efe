import Foundation
import InstanceConfig

/// Why a check cannot get a setting it needs: `health` resolves the environment without requiring
/// any variable, so each unset one fails the checks that need it, by name.
struct MissingSetting: Sendable {
    let detail: String
    let hint: String

    /// Nil when `setting` holds a value. `meaning` says what the value is, for the hint
    /// ("the Odoo password or API key").
    init?<Value>(
        _ setting: VariableValue<Value>, meaning: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        switch setting {
        case .set:
            return nil
        case .missing(let variable, let keyPath):
            let state = environment[variable] == nil ? "is not set" : "is set but empty"
            detail = "the environment variable \(variable) \(state) (\(keyPath) names it)"
            hint = "set \(variable) to \(meaning) where odoo-etl runs (shell, cron line or systemd unit)"
        case .notConfigured(let keyPath):
            detail = "\(keyPath) is not in the instance matrix"
            hint = "add \(keyPath) naming the environment variable that holds \(meaning)"
        }
    }

    /// Several missing settings of one check, reported together.
    static func combined(_ settings: [MissingSetting], checkName: String) -> HealthCheck? {
        guard !settings.isEmpty else { return nil }
        return .fail(
            checkName, settings.map(\.detail).joined(separator: "; "),
            hint: settings.map(\.hint).joined(separator: "; "))
    }
}
