import Foundation
import TestSupport
import XCTest

/// Loading and resolving the instance matrix, seen through `odoo-etl config`, which resolves an
/// environment exactly as `sync` does and prints the result.
final class CLIConfigurationTests: XCTestCase {
    func testStagingResolvesWithSecretsMasked() throws {
        let result = try CLIWorkspace().run(["config", "--env", "staging"], environment: StagingSecrets.variables)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        try Golden.assertMatches(result.transcript, "config-staging.txt")
    }

    func testNoSecretAppearsInAnyOutput() throws {
        let workspace = try CLIWorkspace()
        let runs = [
            try workspace.run(["config", "--env", "staging"], environment: StagingSecrets.variables),
            try workspace.run(["--log-format", "json", "config", "--env", "staging"], environment: StagingSecrets.variables),
            try workspace.run(["sync", "--env", "staging", "--jobs", "0"], environment: StagingSecrets.variables),
            try workspace.run(["sync", "--env", "nowhere"], environment: StagingSecrets.variables),
        ]
        for result in runs {
            for secret in [StagingSecrets.password, StagingSecrets.databasePassword] {
                XCTAssertFalse(result.stdout.contains(secret) || result.stderr.contains(secret), result.transcript)
            }
        }
        XCTAssertTrue(runs[0].stdout.contains("•••  (from ODOO_STAGING_PASSWORD)"))
    }

    /// The SQL extractor cannot start without Odoo's database URL: refused before anything runs,
    /// whether `--source sql` asks for it or `etl.extractor: sql` makes it the default; and
    /// `config` refuses exactly when a plain `sync` would.
    func testTheSQLExtractorNeedsOdoosDatabaseURLBeforeAnythingRuns() throws {
        let workspace = try CLIWorkspace()
        let named = "environments.staging.odoo.db_url_env: the environment variable ODOO_STAGING_DB_URL is not set"
        for arguments in [
            ["sync", "--env", "staging", "--source", "sql"],
            ["backfill", "--env", "staging", "--company", "1", "--source", "sql"],
        ] {
            let result = try workspace.run(arguments, environment: StagingSecrets.variables)
            XCTAssertEqual(result.status, 64, result.transcript)
            XCTAssertTrue(result.stderr.contains(named), result.stderr)
        }
        XCTAssertEqual(
            try workspace.run(["config", "--env", "staging"], environment: StagingSecrets.variables).status, 0,
            "the XML-RPC extractor does not need it")

        let matrix = try workspace.matrix()
        let sharedSettings = try XCTUnwrap(matrix.range(of: "\netl:\n"))
        try workspace.writeMatrix(matrix.replacingCharacters(in: sharedSettings, with: "\netl:\n  extractor: sql\n"))
        for arguments in [["config", "--env", "staging"], ["sync", "--env", "staging"]] {
            let result = try workspace.run(arguments, environment: StagingSecrets.variables)
            XCTAssertEqual(result.status, 64, result.transcript)
            XCTAssertTrue(result.stderr.contains(named), result.stderr)
        }
        // --source xmlrpc overrides etl.extractor: the configuration resolves and the run goes on to
        // load the pipelines (this workspace's are placeholders, which the engine then refuses).
        let overridden = try workspace.run(["sync", "--env", "staging", "--source", "xmlrpc"], environment: StagingSecrets.variables)
        XCTAssertTrue(overridden.stderr.contains("problem(s) in the pipeline files"), overridden.transcript)
        XCTAssertFalse(overridden.stderr.contains("ODOO_STAGING_DB_URL"), overridden.stderr)
    }

    func testAnEnvironmentsOwnEtlBlockOverridesTheSharedOne() throws {
        let workspace = try CLIWorkspace()
        let production = try workspace.run(
            ["config", "--env", "production"],
            environment: [
                "ODOO_PRODUCTION_LOGIN": "etl", "ODOO_PRODUCTION_PASSWORD": "key-1", "SUPABASE_PRODUCTION_DB_URL": "postgresql://h/db",
            ])
        XCTAssertEqual(production.status, 0, production.stderr)
        XCTAssertEqual(try setting("etl.jobs", in: production.stdout), "4")
        XCTAssertEqual(try setting("etl.batch_size", in: production.stdout), "5000")
        let staging = try workspace.run(["config", "--env", "staging"], environment: StagingSecrets.variables)
        XCTAssertEqual(try setting("etl.jobs", in: staging.stdout), "2")
    }

    func testTheReadmeSandboxExampleIsOneBlockAndNothingElse() throws {
        let readme = try String(contentsOf: TestPaths.repositoryRoot.appendingPathComponent("config/README.md"), encoding: .utf8)
        let start = try XCTUnwrap(readme.range(of: "  sandbox:\n"), "config/README.md lost its sandbox example")
        let end = try XCTUnwrap(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        let block = String(readme[start.lowerBound..<end.lowerBound])
        let workspace = try CLIWorkspace()
        let matrix = try workspace.matrix()
        let sharedSettings = try XCTUnwrap(matrix.range(of: "\netl:\n"))
        try workspace.writeMatrix(
            String(matrix[..<sharedSettings.lowerBound]) + "\n" + block
                + String(matrix[sharedSettings.lowerBound...]))
        let result = try workspace.run(
            ["config", "--env", "sandbox"],
            environment: [
                "ODOO_SANDBOX_LOGIN": "etl", "ODOO_SANDBOX_PASSWORD": "key-2", "SUPABASE_SANDBOX_DB_URL": "postgresql://h/sandbox",
            ])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try setting("odoo.database", in: result.stdout), "odoo_sandbox")
        XCTAssertEqual(try setting("superset", in: result.stdout), "not configured")
        XCTAssertEqual(try setting("etl.jobs", in: result.stdout), "1")
    }

    func testOptionalVariablesDoNotStopARun() throws {
        let result = try CLIWorkspace().run(["config", "--env", "staging"], environment: StagingSecrets.variables)
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(try setting("odoo.db_url", in: result.stdout), "missing: ODOO_STAGING_DB_URL is not set")
        XCTAssertEqual(
            try setting("superset.metadata_db_url", in: result.stdout),
            "missing: SUPERSET_STAGING_METADATA_DB_URL is not set")
    }

    func testEachCommandAsksOnlyForTheVariablesItNeeds() throws {
        let workspace = try CLIWorkspace()
        let odoo = ["ODOO_STAGING_LOGIN", "ODOO_STAGING_PASSWORD"]
        let warehouse = ["SUPABASE_STAGING_DB_URL"]
        for (command, expected) in [
            ("sync", odoo + warehouse), ("backfill", odoo + warehouse), ("verify", odoo + warehouse),
            ("check", odoo), ("migrate", warehouse), ("status", warehouse),
        ] {
            let extra = command == "backfill" ? ["--company", "1"] : []
            let result = try workspace.run([command, "--env", "staging"] + extra)
            XCTAssertEqual(result.status, 64, command)
            for variable in odoo + warehouse {
                XCTAssertEqual(
                    result.stderr.contains("variable \(variable) is not set"), expected.contains(variable),
                    "\(command) and \(variable):\n\(result.stderr)")
            }
        }
    }

    func testAnEmptyVariableCountsAsMissing() throws {
        var variables = StagingSecrets.variables
        variables["ODOO_STAGING_PASSWORD"] = ""
        let result = try CLIWorkspace().run(["config", "--env", "staging"], environment: variables)
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(
            result.stderr.contains(
                "error: environments.staging.odoo.password_env: the environment variable ODOO_STAGING_PASSWORD is set but empty"))
    }

    func testSupabaseTransactionPoolerIsRejectedBeforeAnythingRuns() throws {
        var variables = StagingSecrets.variables
        variables["SUPABASE_STAGING_DB_URL"] =
            "postgresql://postgres.abcd:\(StagingSecrets.databasePassword)@aws-0-ap-southeast-1.pooler.supabase.com:6543/postgres"
        let result = try CLIWorkspace().run(["sync", "--env", "staging"], environment: variables)
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("SUPABASE_STAGING_DB_URL points at Supabase's transaction pooler (port 6543)"))
        XCTAssertFalse(result.stderr.contains(StagingSecrets.databasePassword))
    }

    func testAKeyMeantToNameAVariableNeverEchoesItsValue() throws {
        let workspace = try CLIWorkspace()
        let leaked = "Hunter2-pasted-by-mistake!"
        try workspace.writeMatrix(
            try workspace.matrix().replacingOccurrences(
                of: "password_env: ODOO_STAGING_PASSWORD", with: "password_env: \"\(leaked)\""))
        let result = try workspace.run(["config", "--env", "staging"], environment: StagingSecrets.variables)
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("environments.staging.odoo.password_env: must name an environment variable"))
        XCTAssertFalse(result.stderr.contains(leaked))
    }

    func testASecretWrittenStraightIntoTheFileIsRefused() throws {
        let workspace = try CLIWorkspace()
        try workspace.writeMatrix(
            try workspace.matrix().replacingOccurrences(
                of: "      password_env: ODOO_STAGING_PASSWORD", with: "      password: \"inline-Secret-99\""))
        let result = try workspace.run(["config", "--env", "staging"], environment: StagingSecrets.variables)
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(
            result.stderr.contains(
                "environments.staging.odoo.password: unknown key; did you mean 'password_env'? (it is required) "
                    + "Secrets never go in this file"))
        XCTAssertFalse(result.stderr.contains("inline-Secret-99"))
    }

    func testPasswordsInsideURLsAreMaskedInMessages() throws {
        let workspace = try CLIWorkspace()
        try workspace.writeMatrix(
            try workspace.matrix().replacingOccurrences(
                of: "url: https://odoo-staging.example.com", with: "url: ftp://admin:url-Secret-5150@odoo-staging.example.com"))
        let result = try workspace.run(["config", "--env", "staging"], environment: StagingSecrets.variables)
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(
            result.stderr.contains("expected an http:// or https:// URL, found 'ftp://admin:•••@odoo-staging.example.com'"),
            result.stderr)
        XCTAssertFalse(result.stderr.contains("url-Secret-5150"))
    }

    func testYAMLSyntaxErrorNamesTheLine() throws {
        let workspace = try CLIWorkspace()
        try workspace.writeMatrix("environments:\n  staging:\n    odoo: [unclosed\n")
        let result = try workspace.run(["config", "--env", "staging"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.hasPrefix("error: config/instance-matrix.yaml:4:1: YAML syntax error:"), result.stderr)
    }

    func testMissingConfigFile() throws {
        let result = try CLIWorkspace().run(["--config", "config/nope.yaml", "sync", "--env", "staging"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.hasPrefix("error: config/nope.yaml: no such file"))
        XCTAssertTrue(result.stderr.contains("hint: pass --config PATH"))
    }

    func testConfigOptionWorksBeforeAndAfterTheCommand() throws {
        let workspace = try CLIWorkspace()
        let other = try workspace.matrix().replacingOccurrences(of: "database: odoo_staging", with: "database: odoo_other")
        try other.write(to: workspace.directory.appendingPathComponent("other.yaml"), atomically: true, encoding: .utf8)
        for arguments in [
            ["--config", "other.yaml", "config", "--env", "staging"],
            ["config", "--env", "staging", "--config", "other.yaml"],
        ] {
            let result = try workspace.run(arguments, environment: StagingSecrets.variables)
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(try setting("odoo.database", in: result.stdout), "odoo_other")
            XCTAssertEqual(try setting("config", in: result.stdout), "other.yaml")
        }
    }

    func testEnabledPipelineWithoutItsFile() throws {
        let workspace = try CLIWorkspace(pipelines: CLIWorkspace.pipelineNames.filter { $0 != "taxes" })
        let result = try workspace.run(["config", "--env", "staging"], environment: StagingSecrets.variables)
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.hasPrefix("error: etl.pipelines.enabled[3]: no pipeline named 'taxes'"), result.stderr)
    }

    func testMissingPipelinesDirectoryPointsAtTheRightOption() throws {
        let result = try CLIWorkspace().run(["sync", "--env", "staging", "--pipelines", "expenses"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("error: the pipelines directory 'expenses' does not exist"))
        XCTAssertTrue(result.stderr.contains("--pipeline NAME selects one pipeline"))
    }

    /// The value of one `key  value` row of `odoo-etl config`.
    private func setting(_ key: String, in output: String) throws -> String {
        let row = try XCTUnwrap(output.split(separator: "\n").first { $0.hasPrefix(key + " ") }, "no row \(key) in:\n\(output)")
        return row.dropFirst(key.count).trimmingCharacters(in: .whitespaces)
    }
}
