import ETLModel
import OdooRPC
import TestSupport
import XCTest
import XMLRPC

final class DomainTests: XCTestCase {
    func testTheKeysetCaptureDomainIsWhatTheBuilderWrites() throws {
        let captured = try XMLRPCDecoder.decodeMethodCall(Captures.request18("search_read_hr_expense_keyset"))
        let keyset: OdooDomain =
            .leaf("write_date", ">", "2026-11-24 15:21:40")
            || (.leaf("write_date", "=", "2026-11-24 15:21:40") && .leaf("id", ">", 3))
        XCTAssertEqual(captured.params[5], [keyset.xmlrpcValue])
        XCTAssertEqual(
            keyset.description,
            "['|', ('write_date', '>', '2026-11-24 15:21:40'), '&', ('write_date', '=', '2026-11-24 15:21:40'), ('id', '>', 3)]")
    }

    func testConjunctionsAreFlattenedIntoPrefixNotation() {
        let a = OdooDomain.leaf("a", "=", 1)
        let b = OdooDomain.leaf("b", "!=", false)
        let c = OdooDomain.leaf("c", "in", .ints([1, 2]))
        XCTAssertEqual((a && b && c).xmlrpcValue, ["&", "&", ["a", "=", 1], ["b", "!=", false], ["c", "in", [1, 2]]])
        XCTAssertEqual((a || (b && !c)).description, "['|', ('a', '=', 1), '&', ('b', '!=', False), '!', ('c', 'in', [1, 2])]")
        XCTAssertEqual(OdooDomain.or([a, b, c]).xmlrpcValue, ["|", "|", ["a", "=", 1], ["b", "!=", false], ["c", "in", [1, 2]]])
    }

    func testTheEmptyDomainFoldsAway() {
        let a = OdooDomain.leaf("a", "=", 1)
        XCTAssertEqual(OdooDomain.all.xmlrpcValue, [])
        XCTAssertEqual((OdooDomain.all && a).xmlrpcValue, [["a", "=", 1]])
        XCTAssertEqual((OdooDomain.all || a).xmlrpcValue, [])
        XCTAssertEqual((!OdooDomain.all).xmlrpcValue, [["id", "in", []]], "nothing matches")
        XCTAssertEqual((!(!a)).simplified, a)
        XCTAssertEqual(OdooDomain.and([]).xmlrpcValue, [])
    }

    func testValuesAreSentAsOdooExpectsThem() throws {
        let instant = try XCTUnwrap(OdooDateTime("2025-03-04 05:06:07"))
        let domain: OdooDomain = .and([
            .leaf("write_date", .greaterOrEqual, .datetime(instant)),
            .leaf("write_date", .less, .datetime(instant.adding(seconds: 1))),
            .leaf("stamp", "<", .datetime(OdooDateTime(microseconds: instant.microseconds + 250_000))),
            .leaf("date", "=", .date(OdooDate(year: 2025, month: 3, day: 4))),
            .leaf("amount", ">", 1.5),
            .leaf("state", .notIn, .strings(["draft", "refused"])),
            .leaf("name", .ilike, "o'neil"),
        ])
        XCTAssertEqual(
            domain.xmlrpcValue,
            [
                "&", "&", "&", "&", "&", "&",
                ["write_date", ">=", "2025-03-04 05:06:07"],
                ["write_date", "<", "2025-03-04 05:06:08"],
                ["stamp", "<", "2025-03-04 05:06:07.250000"],
                ["date", "=", "2025-03-04"],
                ["amount", ">", 1.5],
                ["state", "not in", ["draft", "refused"]],
                ["name", "ilike", "o'neil"],
            ])
        XCTAssertTrue(domain.description.hasSuffix("('name', 'ilike', 'o\\'neil')]"), domain.description)
    }

    func testExtractionContextIncludesArchivedRecordsAndTheCompany() {
        XCTAssertEqual(OdooContext.extraction(companyID: 3).xmlrpcValue, ["active_test": false, "allowed_company_ids": [3]])
        XCTAssertEqual(OdooContext.extraction().xmlrpcValue, ["active_test": false])
        XCTAssertEqual(OdooContext(language: "en_US").xmlrpcValue, ["lang": "en_US"])
    }

    func testCheckpointOrderAndLookback() throws {
        let second = try XCTUnwrap(OdooDateTime("2025-01-01 10:00:00.750000"))
        let checkpoint = Checkpoint(second: second, id: 42)
        XCTAssertEqual(checkpoint.second, OdooDateTime("2025-01-01 10:00:00"), "whole seconds only")
        XCTAssertEqual(checkpoint.lookingBack(seconds: 300), Checkpoint(second: try XCTUnwrap(OdooDateTime("2025-01-01 09:55:00")), id: 0))
        XCTAssertEqual(checkpoint.lookingBack(seconds: 0), checkpoint)
        XCTAssertLessThan(Checkpoint(second: second, id: 41), checkpoint)
        XCTAssertLessThan(checkpoint, Checkpoint(second: second.adding(seconds: 1), id: 0))
        XCTAssertEqual(Checkpoint.beginning.description, "(1970-01-01 00:00:00, id 0)")
    }
}
