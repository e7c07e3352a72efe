import Foundation
import XCTest

/// Every kind of error message, exactly as printed (golden files), with its exit status.
final class CLIErrorMessageTests: XCTestCase {
    func testUnknownEnvironmentListsTheKnownOnesAndSuggests() throws {
        let result = try CLIWorkspace().run(["sync", "--env", "prod"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("known: local, staging, production"))
        XCTAssertTrue(result.stderr.contains("did you mean 'production'?"))
        try Golden.assertMatches(result.transcript, "error-unknown-environment.txt")
    }

    func testMissingVariablesAreAllNamedAtOnce() throws {
        let result = try CLIWorkspace().run(["sync", "--env", "staging"])
        XCTAssertEqual(result.status, 64)
        for variable in ["ODOO_STAGING_LOGIN", "ODOO_STAGING_PASSWORD", "SUPABASE_STAGING_DB_URL"] {
            XCTAssertTrue(result.stderr.contains("the environment variable \(variable) is not set"), variable)
        }
        try Golden.assertMatches(result.transcript, "error-missing-variables.txt")
    }

    func testUnknownYAMLKeyIsLocatedAndGetsASuggestion() throws {
        let workspace = try CLIWorkspace()
        try workspace.writeMatrix(
            try workspace.matrix().replacingOccurrences(
                of: "      password_env: ODOO_STAGING_PASSWORD", with: "      pasword_env: ODOO_STAGING_PASSWORD"))
        let result = try workspace.run(["sync", "--env", "staging"], environment: StagingSecrets.variables)
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(
            result.stderr.contains(
                "environments.staging.odoo.pasword_env: unknown key; did you mean 'password_env'?"))
        try Golden.assertMatches(result.transcript, "error-unknown-yaml-key.txt")
    }

    func testEveryKindOfConfigurationProblemInOneReport() throws {
        let workspace = try CLIWorkspace()
        var matrix = try workspace.matrix()
        matrix = matrix.replacingOccurrences(of: "      database: odoo_staging", with: "      databse: odoo_staging")
        matrix = matrix.replacingOccurrences(of: "  batch_size: 5000", with: "  batch_size: lots")
        matrix = matrix.replacingOccurrences(of: "      - invoices\n", with: "      - invoice\n")
        try workspace.writeMatrix(matrix)
        let result = try workspace.run(["sync", "--env", "staging"], environment: ["ODOO_STAGING_LOGIN": "etl"])
        XCTAssertEqual(result.status, 64)
        for fragment in [
            "environments.staging.odoo.databse: unknown key; did you mean 'database'? (it is required)",
            "etl.batch_size: expected a whole number from 1 to 100000, found 'lots'",
            "etl.pipelines.enabled[6]: no pipeline named 'invoice'; did you mean 'invoices'?",
            "the environment variable ODOO_STAGING_PASSWORD is not set",
            "the environment variable SUPABASE_STAGING_DB_URL is not set",
        ] {
            XCTAssertTrue(result.stderr.contains(fragment), "missing: \(fragment)\n\(result.stderr)")
        }
        try Golden.assertMatches(result.transcript, "error-everything-at-once.txt")
    }

    func testImpossibleDate() throws {
        let result = try CLIWorkspace().run(["backfill", "--env", "staging", "--company", "3", "--since", "2024-02-30"])
        XCTAssertEqual(result.status, 64)
        try Golden.assertMatches(result.transcript, "error-bad-date.txt")
    }

    func testDatesNotInTheRightFormAndAnEmptyRangeAreReportedTogether() throws {
        let result = try CLIWorkspace().run([
            "backfill", "--env", "staging", "--company", "Acme PH", "--since", "31/01/2024", "--until", "2024-13-01",
        ])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("--since '31/01/2024' is not a date; write it as YYYY-MM-DD"))
        XCTAssertTrue(result.stderr.contains("--until '2024-13-01' is not a date: there is no month 13"))
        let reversed = try CLIWorkspace().run([
            "backfill", "--env", "staging", "--company", "3", "--since", "2024-06-01", "--until", "2024-05-31",
        ])
        XCTAssertEqual(reversed.status, 64)
        try Golden.assertMatches(reversed.transcript, "error-date-range.txt")
    }

    func testJobsOutOfRange() throws {
        let result = try CLIWorkspace().run(["sync", "--env", "staging", "--jobs", "0"])
        XCTAssertEqual(result.status, 64)
        try Golden.assertMatches(result.transcript, "error-jobs-out-of-range.txt")
        let tooMany = try CLIWorkspace().run(["sync", "--env", "staging", "--jobs", "33"])
        XCTAssertEqual(tooMany.status, 64)
        XCTAssertTrue(tooMany.stderr.contains("--jobs 33 is out of range; use 1 to 32"))
    }

    func testJobsNotANumberIsAUsageError() throws {
        let result = try CLIWorkspace().run(["sync", "--env", "staging", "--jobs", "many"])
        XCTAssertEqual(result.status, 64)
        try Golden.assertMatches(result.transcript, "error-jobs-not-a-number.txt")
    }

    func testBadCompanySelectors() throws {
        let result = try CLIWorkspace().run(["sync", "--env", "staging", "--company", "0", "--company", " "])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("--company '0' is not a company id; ids start at 1"))
        XCTAssertTrue(result.stderr.contains("--company needs a company id or its exact name"))
    }

    func testUnknownCommandGetsASuggestion() throws {
        let workspace = try CLIWorkspace()
        let result = try workspace.run(["synk", "--env", "staging"])
        XCTAssertEqual(result.status, 64)
        try Golden.assertMatches(result.transcript, "error-unknown-command.txt")
        let helpTopic = try workspace.run(["help", "synk"])
        XCTAssertEqual(helpTopic.status, 64)
        XCTAssertEqual(helpTopic.stderr, result.stderr)
    }

    func testNoCommandIsAUsageError() throws {
        let result = try CLIWorkspace().run([])
        XCTAssertEqual(result.status, 64)
        try Golden.assertMatches(result.transcript, "error-no-command.txt")
    }

    func testMissingRequiredOptionShowsUsage() throws {
        let result = try CLIWorkspace().run(["sync"])
        XCTAssertEqual(result.status, 64)
        try Golden.assertMatches(result.transcript, "error-missing-env-option.txt")
    }

    func testUnknownPipelineOption() throws {
        let result = try CLIWorkspace().run(["sync", "--env", "staging", "--pipeline", "expense"])
        XCTAssertEqual(result.status, 64)
        try Golden.assertMatches(result.transcript, "error-unknown-pipeline.txt")
    }

    func testJSONLogFormatRendersTheErrorAsOneJSONLine() throws {
        let result = try CLIWorkspace().run(["--log-format", "json", "sync", "--env", "staging"])
        XCTAssertEqual(result.status, 64)
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(object["level"] as? String, "error")
        XCTAssertEqual(object["msg"] as? String, "config/instance-matrix.yaml: 3 configuration problems for environment 'staging'")
        let timestamp = try XCTUnwrap(object["ts"] as? String)
        XCTAssertNotNil(timestamp.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#, options: .regularExpression))
        let fields = try XCTUnwrap(object["fields"] as? [String: Any])
        XCTAssertEqual(fields["exit_status"] as? Int, 64)
        XCTAssertEqual((fields["details"] as? [String])?.count, 3)
        XCTAssertTrue((fields["hint"] as? String)?.hasPrefix("export ODOO_STAGING_LOGIN") ?? false)
        let stable = result.transcript.replacingOccurrences(
            of: #""ts":"[^"]+""#, with: #""ts":"<timestamp>""#, options: .regularExpression)
        try Golden.assertMatches(stable, "error-missing-variables.json.txt")
    }

    func testJSONLogFormatAlsoCoversCommandLinesThatDoNotParse() throws {
        let result = try CLIWorkspace().run(["sync", "--log-format=json", "--jobs", "many"])
        XCTAssertEqual(result.status, 64)
        let object = try JSONSerialization.jsonObject(with: Data(result.stderr.utf8)) as? [String: Any]
        XCTAssertEqual(object?["level"] as? String, "error")
    }
}
