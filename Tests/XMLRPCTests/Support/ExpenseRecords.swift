import Foundation
import XMLRPC

/// Deterministic hr.expense-like records shaped as Odoo 18's `search_read` sends them (many2one
/// pairs, `False` for empty values, an analytic_distribution struct, text with entities and
/// non-ASCII), and the `<methodResponse>` that carries them.
enum ExpenseRecords {
    static func record(_ index: Int) -> XMLRPCValue {
        let employee = Int64(index % 37 + 1)
        let company = Int64(index % 3 + 1)
        let price = Double(index % 9_973) * 1.25 + 0.99
        let tax = (price * 0.12 * 100).rounded() / 100
        let currency: XMLRPCValue = index % 4 == 0 ? [2, "PHP"] : [1, "USD"]
        let second = index / 7
        let stamp = String(
            format: "2026-11-%02d %02d:%02d:%02d", second / 86_400 % 28 + 1, second / 3600 % 24, second / 60 % 60, second % 60)
        let analytic: XMLRPCValue = index % 5 == 0 ? ["3": 60.0, "7": 40.0] : ["3": 100.0]
        let description: XMLRPCValue =
            index % 3 == 0
            ? .string("Client dinner & taxi <airport> for order #\(index)\nCafé Ñandú, 東京 🚕 — approved by \"Mitchell\"")
            : false
        let sheet: XMLRPCValue = index % 2 == 0 ? [.int(Int64(index / 10 + 1)), .string("Expense report \(index / 10 + 1)")] : false
        return [
            "id": .int(Int64(index + 1)),
            "name": .string(names[index % names.count]),
            "employee_id": [.int(employee), .string("Employee \(employee) García")],
            "product_id": [49, "[EXP_GEN] Expenses"],
            "quantity": 1.0,
            "price_unit": .double(price),
            "total_amount_currency": .double(price),
            "total_amount": .double(price),
            "untaxed_amount_currency": .double(price - tax),
            "tax_amount": .double(tax),
            "currency_id": currency,
            "company_currency_id": [1, "USD"],
            "date": "2026-04-03",
            "state": .string(states[index % states.count]),
            "sheet_id": sheet,
            "payment_mode": index % 2 == 0 ? "own_account" : "company_account",
            "company_id": [.int(company), .string("Company \(company) Inc.")],
            "analytic_distribution": analytic,
            "description": description,
            "create_date": .string(stamp),
            "write_date": .string(stamp),
            "accounting_date": false,
        ]
    }

    static func records(count: Int) -> [XMLRPCValue] {
        (0..<count).map(record)
    }

    /// A search_read response of at least `minimumBytes` bytes, and the records it holds.
    static func response(minimumBytes: Int) -> (body: Data, records: [XMLRPCValue]) {
        let wrapperBytes = XMLRPCEncoder.methodResponse(.value([])).count
        var total = wrapperBytes
        var records: [XMLRPCValue] = []
        while total < minimumBytes {
            let next = record(records.count)
            total += XMLRPCEncoder.methodResponse(.value([next])).count - wrapperBytes
            records.append(next)
        }
        return (XMLRPCEncoder.methodResponse(.value(.array(records))), records)
    }

    private static let names = ["Screen", "Laptop", "Travel by car", "Hotel & breakfast", "Taxi <airport>", "Café ñandú 🥐"]
    private static let states = ["draft", "reported", "approved", "done", "refused"]
}
