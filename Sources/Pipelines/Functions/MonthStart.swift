import ETLModel

// The first day of a date's month (`month_start`); a date, never a UTC datetime.
extension DerivedFunction {
    func monthStart(_ value: OdooValue) -> Cell {
        guard case .date(let date) = value else { return .null }
        return .date(OdooDate(year: date.year, month: date.month, day: 1))
    }
}
