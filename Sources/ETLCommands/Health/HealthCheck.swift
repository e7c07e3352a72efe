import Foundation
import InstanceConfig

/// The outcome of one `health` check: what was looked at, what came back, and what to do about it.
struct HealthCheck: Sendable, Equatable {
    enum Status: String, Sendable {
        case pass
        case fail
        /// Not run, for the reason `detail` gives ("because …").
        case skipped
    }

    let name: String
    let status: Status
    /// One line. Already free of secrets: `HealthReport` redacts again before printing anyway.
    let detail: String
    /// What to do next; nil when there is nothing to do.
    let hint: String?

    static func pass(_ name: String, _ detail: String) -> HealthCheck {
        HealthCheck(name: name, status: .pass, detail: detail, hint: nil)
    }

    static func fail(_ name: String, _ detail: String, hint: String) -> HealthCheck {
        HealthCheck(name: name, status: .fail, detail: oneLine(detail), hint: hint)
    }

    static func skipped(_ name: String, because reason: String, hint: String? = nil) -> HealthCheck {
        HealthCheck(name: name, status: .skipped, detail: "because " + reason, hint: hint)
    }

    /// Driver messages (libpq above all) span several lines; a check reports on one.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
    }
}

/// Prints the checks of one environment as aligned text or as one JSON document, both on stdout.
struct HealthReport {
    let environment: String
    let checks: [HealthCheck]

    var anyFailed: Bool { checks.contains { $0.status == .fail } }

    var text: String {
        let redactor = Redactor.shared
        let nameWidth = checks.map(\.name.count).max() ?? 0
        let indent = String(repeating: " ", count: 9 + nameWidth + 2)
        var lines = ["health of environment '\(environment)'"]
        for check in checks {
            let label = check.status == .fail ? "FAIL" : check.status.rawValue
            let padding = String(repeating: " ", count: nameWidth - check.name.count)
            lines.append(
                label.padding(toLength: 9, withPad: " ", startingAt: 0) + check.name + padding + "  "
                    + redactor.redact(check.detail))
            if let hint = check.hint { lines.append(indent + "what to do: " + redactor.redact(hint)) }
        }
        let count = { (status: HealthCheck.Status) in self.checks.filter { $0.status == status }.count }
        lines.append("health: \(count(.pass)) passed, \(count(.fail)) failed, \(count(.skipped)) skipped")
        return lines.joined(separator: "\n")
    }

    var json: String {
        let redactor = Redactor.shared
        let items = checks.map { check in
            JSONText.object([
                ("name", JSONText.string(check.name)),
                ("status", JSONText.string(check.status.rawValue)),
                ("detail", JSONText.string(redactor.redact(check.detail))),
                ("hint", check.hint.map { JSONText.string(redactor.redact($0)) } ?? "null"),
            ])
        }
        return JSONText.object([("environment", JSONText.string(environment)), ("checks", "[" + items.joined(separator: ",") + "]")])
    }
}
