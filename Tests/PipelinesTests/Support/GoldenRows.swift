import ETLModel
import Foundation
import Pipelines
import XCTest

/// Renders transformer output as text, one typed cell per line, and compares it with the committed
/// golden file. `PIPELINES_UPDATE_GOLDEN=1` rewrites the files (then review the diff).
enum GoldenRows {
    static func render(_ cell: Cell) -> String {
        switch cell {
        case .null: return "NULL"
        case .int(let number): return "int \(number)"
        case .text(let text): return "text \(text.debugDescription)"
        case .bool(let flag): return "bool \(flag)"
        case .numeric(let text): return "numeric \(text)"
        case .date(let date): return "date \(date)"
        case .timestamp(let instant): return "timestamp \(instant)"
        case .json(let text): return "json \(text)"
        case .intArray(let ids): return "ids [\(ids.map(String.init).joined(separator: ","))]"
        }
    }

    static func render(_ batches: [RowBatch]) -> String {
        var lines: [String] = []
        for batch in batches {
            let table = batch.table
            lines.append("")
            lines.append(
                "== \(table.name): \(batch.rows.count) rows (key \(table.key.joined(separator: ", ")); "
                    + "tenant \(table.companyColumn ?? "none"); version \(table.versionColumn))")
            let width = table.columns.map(\.name.count).max() ?? 0
            for (index, row) in batch.rows.enumerated() {
                lines.append("-- row \(index + 1)")
                for (column, cell) in zip(table.columns, row) {
                    let padded = column.name.padding(toLength: width, withPad: " ", startingAt: 0)
                    lines.append("  \(padded)  \(column.type.sql.padding(toLength: 13, withPad: " ", startingAt: 0)) \(render(cell))")
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    static func assertMatches(_ text: String, golden name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = Fixtures.goldenDirectory.appendingPathComponent(name + ".txt")
        let content = text.hasSuffix("\n") ? text : text + "\n"
        if ProcessInfo.processInfo.environment["PIPELINES_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try content.write(to: url, atomically: true, encoding: .utf8)
            XCTFail(
                "golden file \(name).txt rewritten; review the diff and run again without PIPELINES_UPDATE_GOLDEN",
                file: file, line: line)
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path), let expected = String(data: data, encoding: .utf8) else {
            XCTFail("golden file \(url.path) is missing; run once with PIPELINES_UPDATE_GOLDEN=1", file: file, line: line)
            return
        }
        if expected != content {
            let expectedLines = expected.components(separatedBy: "\n")
            let actualLines = content.components(separatedBy: "\n")
            let first = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }
            let detail =
                first.map { "line \($0.offset + 1):\n  expected: \($0.element.0)\n  actual:   \($0.element.1)" }
                ?? "line counts differ (\(expectedLines.count) expected, \(actualLines.count) actual)"
            XCTFail("rows differ from golden \(name).txt at \(detail)", file: file, line: line)
        }
    }
}
