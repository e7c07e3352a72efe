import ETLModel
import XCTest

@testable import Pipelines

/// The finance vocabulary a pipeline file can derive: approval level, stage, month, TIN, BIR type.
final class DerivedFunctionTests: XCTestCase {
    private func evaluate(_ function: DerivedFunction, _ arguments: OdooValue...) throws -> Cell {
        try function.evaluate(arguments)
    }

    func testApprovalLevelThresholdsAreInclusiveToTheCent() throws {
        let cases: [(OdooValue, String)] = [
            (.float(0), "within policy"), (.float(5000), "within policy"), (.float(5000.004), "within policy"),
            (.float(5000.005), "manager"), (.float(5000.01), "manager"), (.int(25_000), "manager"),
            (.float(25_000.01), "department head"), (.float(100_000), "department head"),
            (.float(100_000.01), "CFO"), (.float(2_500_000), "CFO"), (.float(-6000), "manager"),
        ]
        for (amount, level) in cases {
            XCTAssertEqual(try evaluate(.approvalLevel, amount), .text(level), "\(amount)")
        }
        XCTAssertEqual(try evaluate(.approvalLevel, .null), .null)
        XCTAssertEqual(try evaluate(.approvalLevel, .bool(false)), .null)
    }

    func testExpenseStageFromOdoo18And19States() throws {
        let odoo18 = [
            "draft": "draft", "reported": "draft", "submitted": "submitted", "approved": "approved",
            "done": "paid", "refused": "refused",
        ]
        let odoo19 = [
            "draft": "draft", "submitted": "submitted", "approved": "approved", "posted": "posted",
            "in_payment": "paid", "paid": "paid", "refused": "refused",
        ]
        let reports18 = [
            "draft": "draft", "submit": "submitted", "approve": "approved", "post": "posted",
            "done": "paid", "cancel": "refused",
        ]
        for (state, stage) in odoo18.merging(odoo19, uniquingKeysWith: { first, _ in first }) {
            XCTAssertEqual(try evaluate(.expenseStage, .string(state)), .text(stage), state)
        }
        for (state, stage) in reports18 {
            XCTAssertEqual(try evaluate(.expenseStage, .string(state)), .text(stage), state)
            // An Odoo 18 expense in "approved" whose report is posted or paid is further along.
            XCTAssertEqual(try evaluate(.expenseStage, .string("approved"), .string(state)), .text(stage), state)
        }
        XCTAssertEqual(try evaluate(.expenseStage, .string("refused"), .string("approve")), .text("refused"))
        XCTAssertEqual(try evaluate(.expenseStage, .string("reported"), .null), .text("draft"))
        XCTAssertEqual(try evaluate(.expenseStage, .string("teleported")), .null)
        XCTAssertEqual(try evaluate(.expenseStage, .null), .null)
    }

    func testMonthStart() throws {
        XCTAssertEqual(
            try evaluate(.monthStart, .date(OdooDate(year: 2026, month: 11, day: 24))),
            .date(OdooDate(year: 2026, month: 11, day: 1)))
        // 2024-02-29 23:59:59 UTC is 1 March in Manila: a datetime has no month without a time zone.
        XCTAssertFalse(DerivedFunction.monthStart.parameterTypes[0].contains(.datetime))
        XCTAssertEqual(try evaluate(.monthStart, .datetime(try XCTUnwrap(OdooDateTime("2024-02-29 23:59:59")))), .null)
        XCTAssertEqual(try evaluate(.monthStart, .bool(false)), .null)
    }

    func testPayeeTINIsNineDigitsAndBranchDefaultsTo000() throws {
        let cases: [(String, String, String)] = [
            ("PH 123-456-789-001", "123456789", "001"), ("123456789", "123456789", "000"),
            ("123-456-789-00000", "123456789", "000"), ("123 456 789 0042", "123456789", "004"),
            ("12345", "12345", "000"), ("１２３", "", ""),
        ]
        for (vat, tin, branch) in cases {
            XCTAssertEqual(try evaluate(.tinDigits, .string(vat)), tin.isEmpty ? .null : .text(tin), vat)
            XCTAssertEqual(try evaluate(.tinBranch, .string(vat)), branch.isEmpty ? .null : .text(branch), vat)
        }
        XCTAssertEqual(try evaluate(.tinDigits, .null), .null)
        XCTAssertEqual(try evaluate(.tinBranch, .bool(false)), .null)
    }

    func testBIRTransactionTypeFromTaxUseAndSign() throws {
        XCTAssertEqual(try evaluate(.birTransactionType, .string("sale"), .float(12)), .text("vat_output"))
        XCTAssertEqual(try evaluate(.birTransactionType, .string("purchase"), .float(12)), .text("vat_input"))
        XCTAssertEqual(try evaluate(.birTransactionType, .string("purchase"), .float(-2)), .text("withholding_tax"))
        XCTAssertEqual(try evaluate(.birTransactionType, .string("sale"), .float(-1)), .text("withholding_tax"))
        XCTAssertEqual(try evaluate(.birTransactionType, .string("none"), .float(0)), .null)
        XCTAssertEqual(try evaluate(.birTransactionType, .string("purchase"), .float(-0.0)), .text("vat_input"))
        XCTAssertEqual(try evaluate(.birTransactionType, .null, .null), .null)
    }

    func testExpenseJournalEntryFromEitherVersion() throws {
        XCTAssertEqual(try evaluate(.expenseJournalEntry, .many2one(id: 17, name: "EXP/2026/0001"), .null), .int(17))
        XCTAssertEqual(try evaluate(.expenseJournalEntry, .null, .ids([31])), .int(31))
        XCTAssertEqual(try evaluate(.expenseJournalEntry, .null, .ids([31, 32])), .null)
        XCTAssertEqual(try evaluate(.expenseJournalEntry, .bool(false), .ids([])), .null)
    }

    func testIsPosted() throws {
        XCTAssertEqual(try evaluate(.isPosted, .string("posted")), .bool(true))
        XCTAssertEqual(try evaluate(.isPosted, .string("draft")), .bool(false))
        XCTAssertEqual(try evaluate(.isPosted, .null), .null)
    }
}
