import ETLModel
import Foundation
import InstanceConfig

/// Checks option values ArgumentParser cannot (dates, ranges, company selectors), collecting every
/// problem of one command line so the user fixes them in one go.
struct OptionValidation {
    let command: String
    private(set) var problems: [String] = []

    init(command: String) {
        self.command = command
    }

    static let jobsRange = ETLSettings.jobsRange

    mutating func date(_ text: String?, option: String) -> OdooDate? {
        guard let text else { return nil }
        switch OdooDate.validating(text) {
        case .success(let date):
            return date
        case .failure(.notInForm):
            problems.append("\(option) '\(text)' is not a date; write it as YYYY-MM-DD, e.g. 2024-01-31")
        case .failure(.noSuchMonth(let month)):
            problems.append("\(option) '\(text)' is not a date: there is no month \(month)")
        case .failure(.noSuchDay(let year, let month, let days)):
            problems.append(
                "\(option) '\(text)' is not a date: \(OdooDate(year: year, month: month, day: 1).description.prefix(7)) "
                    + "has \(days) days")
        }
        return nil
    }

    mutating func dateRange(since: OdooDate?, until: OdooDate?) {
        if let since, let until, since > until {
            problems.append("--since \(since) is after --until \(until); the range would be empty (both days are included)")
        }
    }

    /// `option` only means something together with `other`.
    mutating func requires(_ option: String, given: Bool, _ other: String, present: Bool) {
        if given && !present { problems.append("\(option) only applies with \(other); add \(other) or drop \(option)") }
    }

    mutating func jobs(_ value: Int?) -> Int? {
        guard let value else { return nil }
        guard Self.jobsRange.contains(value) else {
            problems.append(
                "--jobs \(value) is out of range; use \(Self.jobsRange.lowerBound) to \(Self.jobsRange.upperBound) "
                    + "(each job holds its own Odoo and PostgreSQL connections)")
            return nil
        }
        return value
    }

    mutating func company(_ text: String) -> CompanySelection? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let id = Int(trimmed), id >= 1 else {
                problems.append("--company '\(text)' is not a company id; ids start at 1")
                return nil
            }
            return .id(id)
        }
        guard !trimmed.isEmpty else {
            problems.append("--company needs a company id or its exact name, got an empty value")
            return nil
        }
        return .name(trimmed)
    }

    mutating func companies(_ texts: [String]) -> [CompanySelection] {
        texts.compactMap { company($0) }.uniqued()
    }

    /// Throws every collected problem as one usage error.
    func finish() throws {
        guard problems.isEmpty else { throw CLIError.invalidOptions(command: command, problems: problems) }
    }
}
