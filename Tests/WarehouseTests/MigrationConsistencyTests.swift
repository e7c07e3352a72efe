import Foundation
import Pipelines
import TestSupport
import XCTest

/// Every table a pipeline fills is created by a migration in warehouse/ with exactly the columns,
/// types and key the loader will use, plus the loader's own columns and row-level security.
final class MigrationConsistencyTests: XCTestCase {
    private struct CreatedTable {
        var columns: [(name: String, definition: String)] = []
        var primaryKey: [String] = []
        let file: String
    }

    private func migrations() throws -> [(name: String, text: String)] {
        let directory = TestPaths.migrations
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".sql") && $0 >= "0010" }.sorted()
        return try names.map { ($0, try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)) }
    }

    /// The `CREATE TABLE schema.name ( ... );` blocks, one column or constraint per line, with the
    /// types later migrations set (`ALTER TABLE schema.name` then `ALTER COLUMN c TYPE t` lines).
    private func createdTables() throws -> [String: CreatedTable] {
        var tables: [String: CreatedTable] = [:]
        for (file, text) in try migrations() {
            var current: (name: String, table: CreatedTable)?
            var altered: String?
            for line in text.components(separatedBy: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("ALTER TABLE ") {
                    altered = String(trimmed.dropFirst("ALTER TABLE ".count))
                } else if let table = altered, trimmed.hasPrefix("ALTER COLUMN "), let typeRange = trimmed.range(of: " TYPE ") {
                    let column = trimmed[trimmed.index(trimmed.startIndex, offsetBy: "ALTER COLUMN ".count)..<typeRange.lowerBound]
                    let type = trimmed[typeRange.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: ",;"))
                    let index = tables[table]?.columns.firstIndex { $0.name == column }
                    XCTAssertNotNil(index, "\(file) alters \(table).\(column), which no earlier migration creates")
                    if let index, let old = tables[table]?.columns[index].definition {
                        // The type changes; constraints after it (NOT NULL) stay.
                        let rest = old.firstIndex(of: " ").map { String(old[$0...]) } ?? ""
                        tables[table]?.columns[index].definition = type + rest
                    }
                    if trimmed.hasSuffix(";") { altered = nil }
                } else if trimmed.hasPrefix("CREATE TABLE "), trimmed.hasSuffix("(") {
                    let name = trimmed.dropFirst("CREATE TABLE ".count).dropLast().trimmingCharacters(in: .whitespaces)
                    current = (name, CreatedTable(file: file))
                } else if trimmed == ");", let finished = current {
                    XCTAssertNil(tables[finished.name], "\(finished.name) is created twice")
                    tables[finished.name] = finished.table
                    current = nil
                } else if current != nil {
                    let item = trimmed.hasSuffix(",") ? String(trimmed.dropLast()) : trimmed
                    if item.hasPrefix("PRIMARY KEY (") {
                        current?.table.primaryKey = item.dropFirst("PRIMARY KEY (".count).dropLast()
                            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    } else if let space = item.firstIndex(of: " ") {
                        current?.table.columns.append((String(item[..<space]), String(item[item.index(after: space)...])))
                    }
                }
            }
        }
        return tables
    }

    func testEveryPipelineTableIsCreatedWithItsColumnsKeyAndSecurity() throws {
        let tables = try createdTables()
        let allSQL = try migrations().map(\.text).joined(separator: "\n")
        var owned: Set<String> = []
        for pipeline in try PipelineCatalog.load(directory: TestPaths.pipelines).pipelines {
            for schema in pipeline.tables {
                owned.insert(schema.name)
                guard let created = tables[schema.name] else {
                    XCTFail("no migration creates \(schema.name) (pipeline \(pipeline.name))")
                    continue
                }
                let expected =
                    schema.columns.map { "\($0.name) \($0.type.sql)" }
                    + ["synced_at timestamptz", "deleted_at timestamptz"]
                let actual = created.columns.map { column -> String in
                    let type = column.definition.components(separatedBy: " ").first ?? ""
                    return "\(column.name) \(type)"
                }
                XCTAssertEqual(actual, expected, "\(schema.name) in \(created.file)")
                XCTAssertEqual(created.primaryKey, schema.key, "\(schema.name) key")
                let version = created.columns.first { $0.name == schema.versionColumn }?.definition ?? ""
                XCTAssertTrue(version.hasSuffix("NOT NULL"), "\(schema.name).\(schema.versionColumn) must be NOT NULL")
                if schema.companyColumn != nil {
                    XCTAssertTrue(
                        allSQL.contains("SELECT warehouse.secure_tenant_table('\(schema.name)');"),
                        "\(schema.name) has no row-level security")
                }
            }
        }
        XCTAssertEqual(Set(tables.keys).subtracting(owned), [], "tables no pipeline fills")
    }
}
