import ETLModel
import Foundation
import OdooRPC
import XMLRPC

/// What a finance team does in Odoo between two syncs, sent over XML-RPC as any Odoo client
/// would: approve expense reports, correct an amount, archive a supplier, file new expenses, and
/// delete drafts. Each call is one Odoo transaction stamped with a new `write_date`, except the
/// delete, which leaves nothing behind for `write_date` to show.
struct DemoChanges {
    struct Company {
        let id: Int64
        let name: String
        let currency: String
    }

    let client: OdooClient
    let companies: [Company]

    /// Reads the companies the changes are spread over.
    static func prepare(client: OdooClient) throws -> DemoChanges {
        let records = try client.searchRead(model: "res.company", fields: ["name", "currency_id"], order: "id asc")
        let companies = records.map { record in
            Company(id: record.id, name: record["name"].text ?? "company \(record.id)", currency: record["currency_id"].many2oneName ?? "")
        }
        guard companies.count >= 3 else { throw DemoError.nothingToChange("fewer than three companies") }
        return DemoChanges(client: client, companies: companies)
    }

    /// Makes every change and returns one sentence per change.
    func apply() throws -> [String] {
        [
            try approveReports(of: companies[0]),
            try correctAmount(of: companies[0]),
            try archiveSupplier(),
            try fileNewExpenses(for: companies[1]),
            try deleteDrafts(of: companies[2]),
        ]
    }

    private func approveReports(of company: Company) throws -> String {
        let reports = try client.search(
            model: "hr.expense.sheet",
            domain: .leaf("state", .equal, "submit") && .leaf("company_id", .equal, .int(company.id)),
            order: "id asc", limit: 8, context: context(company))
        guard !reports.isEmpty else { throw DemoError.nothingToChange("no submitted expense report in \(company.name)") }
        try write("hr.expense.sheet", reports, [("state", "approve")], company)
        // Odoo recomputes the expenses' state in the same step; the simulator stores it as written.
        let expenses = try client.searchRead(
            model: "hr.expense", domain: .leaf("sheet_id", .in, .ints(reports)),
            fields: ["total_amount"], context: context(company))
        try write("hr.expense", expenses.map(\.id), [("state", "approved")], company)
        let total = expenses.reduce(0.0) { $0 + ($1["total_amount"].number ?? 0) }
        return "approved \(reports.count) expense reports of \(company.name): \(expenses.count) expenses "
            + "(\(company.currency) \(DemoFormat.money(total))) go from submitted to approved"
    }

    private func correctAmount(of company: Company) throws -> String {
        let domain: OdooDomain = .leaf("state", .equal, "draft") && .leaf("company_id", .equal, .int(company.id))
        guard
            let expense = try client.searchRead(
                model: "hr.expense", domain: domain, fields: ["name", "total_amount", "currency_id"],
                order: "id asc", limit: 20, context: context(company)
            )
            .first(where: { $0["currency_id"].many2oneName == company.currency })
        else {
            throw DemoError.nothingToChange("no draft expense in \(company.currency) in \(company.name)")
        }
        let old = expense["total_amount"].number ?? 0
        let corrected = old + 100
        try write(
            "hr.expense", [expense.id],
            [
                ("quantity", .double(1)), ("price_unit", .double(corrected)),
                ("total_amount_currency", .double(corrected)), ("total_amount", .double(corrected)),
            ], company)
        return "corrected draft expense \(expense.id) '\(expense["name"].text ?? "")': "
            + "\(company.currency) \(DemoFormat.money(old)) -> \(DemoFormat.money(corrected))"
    }

    private func archiveSupplier() throws -> String {
        let domain: OdooDomain = .leaf("active", .equal, true) && .leaf("is_company", .equal, true) && .leaf("supplier_rank", .greater, 0)
        guard
            let partner = try client.searchRead(
                model: "res.partner", domain: domain, fields: ["name"], order: "id desc", limit: 1,
                context: OdooContext(activeTest: false, allowedCompanyIDs: companies.map(\.id))
            ).first
        else {
            throw DemoError.nothingToChange("no active supplier")
        }
        try write("res.partner", [partner.id], [("active", false)], nil)
        return "archived supplier '\(partner["name"].text ?? "")' (partner \(partner.id))"
    }

    private func fileNewExpenses(for company: Company) throws -> String {
        guard
            let template = try client.searchRead(
                model: "hr.expense", domain: .leaf("company_id", .equal, .int(company.id)),
                fields: ["employee_id", "product_id"], order: "id asc", limit: 1,
                context: context(company)
            ).first,
            let employee = template["employee_id"].many2oneID
        else {
            throw DemoError.nothingToChange("no expense to copy an employee from in \(company.name)")
        }
        let today = OdooDateTime(seconds: Int64(Date().timeIntervalSince1970)).date.description
        let amounts = (0..<25).map { 150.0 + Double($0) * 12.5 }
        let values: [XMLRPCValue] = amounts.map { amount in
            var fields: [(String, XMLRPCValue)] = [
                ("name", "Taxi to client site"), ("employee_id", .int(employee)), ("company_id", .int(company.id)),
                ("date", .string(today)), ("quantity", .double(1)), ("price_unit", .double(amount)),
                ("total_amount_currency", .double(amount)), ("total_amount", .double(amount)),
            ]
            if let product = template["product_id"].many2oneID { fields.append(("product_id", .int(product))) }
            return .struct(XMLRPCStruct(fields))
        }
        _ = try client.executeKw(model: "hr.expense", method: "create", args: [.array(values)], kwargs: kwargs(company))
        let total = amounts.reduce(0, +)
        return "filed \(amounts.count) new expenses in \(company.name) dated \(today) (\(company.currency) \(DemoFormat.money(total)))"
    }

    private func deleteDrafts(of company: Company) throws -> String {
        let drafts = try client.search(
            model: "hr.expense",
            domain: .leaf("state", .equal, "draft") && .leaf("company_id", .equal, .int(company.id)),
            order: "id asc", limit: 3, context: context(company))
        guard !drafts.isEmpty else { throw DemoError.nothingToChange("no draft expense in \(company.name)") }
        _ = try client.executeKw(
            model: "hr.expense", method: "unlink", args: [.array(drafts.map { .int($0) })],
            kwargs: kwargs(company))
        return "deleted \(drafts.count) draft expenses of \(company.name) (ids \(drafts.map(String.init).joined(separator: ", "))); "
            + "no write_date shows a delete"
    }

    // MARK: -

    private func write(_ model: String, _ ids: [Int64], _ values: [(String, XMLRPCValue)], _ company: Company?) throws {
        _ = try client.executeKw(
            model: model, method: "write", args: [.array(ids.map { .int($0) }), .struct(XMLRPCStruct(values))],
            kwargs: kwargs(company))
    }

    private func context(_ company: Company) -> OdooContext {
        OdooContext(activeTest: false, allowedCompanyIDs: [company.id])
    }

    private func kwargs(_ company: Company?) -> XMLRPCStruct {
        let context = company.map(context) ?? OdooContext(activeTest: false, allowedCompanyIDs: companies.map(\.id))
        return XMLRPCStruct([("context", context.xmlrpcValue)])
    }
}

extension OdooValue {
    fileprivate var text: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    fileprivate var number: Double? {
        switch self {
        case .float(let value): return value
        case .int(let value): return Double(value)
        default: return nil
        }
    }

    fileprivate var many2oneID: Int64? {
        if case .many2one(let id, _) = self { return id }
        return nil
    }

    fileprivate var many2oneName: String? {
        if case .many2one(_, let name) = self { return name }
        return nil
    }
}
