extension OdooDate {
    /// Why a text a person typed is not a day, for the option's error message.
    public enum ValidationFailure: Error, Equatable, Sendable {
        case notInForm
        case noSuchMonth(Int)
        case noSuchDay(year: Int, month: Int, days: Int)
    }

    /// Parses `YYYY-MM-DD` as a person writes it on the command line: unlike `init?(_:)`, which
    /// reads what Odoo sends, every day must exist in the proleptic Gregorian calendar.
    public static func validating(_ text: String) -> Result<OdooDate, ValidationFailure> {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), year >= 1
        else {
            return .failure(.notInForm)
        }
        guard (1...12).contains(month) else { return .failure(.noSuchMonth(month)) }
        let days = daysIn(month: month, year: year)
        guard (1...days).contains(day) else { return .failure(.noSuchDay(year: year, month: month, days: days)) }
        return .success(OdooDate(year: year, month: month, day: day))
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
