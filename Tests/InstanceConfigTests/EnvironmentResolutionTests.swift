import InstanceConfig
import XCTest

final class EnvironmentResolutionTests: XCTestCase {
    private let variables = [
        "ODOO_LOGIN": "etl@example.com",
        "ODOO_PASSWORD": "odoo-pass-4471",
        "WAREHOUSE_URL": "postgresql://etl:wh-pass-9902@db.example.com:5432/postgres",
    ]

    func testResolvesAnEnvironmentWithTheFileSettingsOverTheDefaults() throws {
        let file = try MatrixFile(MatrixFile.staging)
        defer { file.remove() }
        let environment = try InstanceMatrix.loadAndResolve(
            path: file.path, environment: "staging", env: variables, connectionPasswords: userinfoPassword)

        XCTAssertEqual(environment.name, "staging")
        XCTAssertEqual(environment.configPath, file.path)
        XCTAssertEqual(environment.odoo.url.absoluteString, "https://erp.example.com")
        XCTAssertEqual(environment.odoo.database, "erp")
        XCTAssertEqual(environment.odoo.login.value, "etl@example.com")
        XCTAssertEqual(environment.odoo.password.value?.reveal(), "odoo-pass-4471")
        XCTAssertEqual(environment.odoo.password.variable, "ODOO_PASSWORD")
        XCTAssertEqual(environment.warehouse.databaseURL.value?.reveal(), variables["WAREHOUSE_URL"])
        XCTAssertEqual(environment.odoo.sqlSourceURL, .notConfigured(keyPath: "environments.staging.odoo.db_url_env"))
        XCTAssertNil(environment.superset)
        XCTAssertEqual(environment.etl.jobs, 3)
        XCTAssertEqual(environment.etl.retries.maxBackoff, 45)
        XCTAssertEqual(environment.etl.batchSize, ETLSettings.defaults.batchSize)
        XCTAssertEqual(environment.etl.extractor, .xmlrpc)
    }

    func testAnUnsetVariableIsReportedByNameWithItsKey() throws {
        let file = try MatrixFile(MatrixFile.staging)
        defer { file.remove() }
        var env = variables
        env["ODOO_PASSWORD"] = nil
        env["WAREHOUSE_URL"] = ""

        XCTAssertThrowsError(
            try InstanceMatrix.loadAndResolve(
                path: file.path, environment: "staging", env: env, connectionPasswords: userinfoPassword)
        ) { error in
            guard let error = error as? ConfigurationError else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(error.missingVariables, ["ODOO_PASSWORD", "WAREHOUSE_URL"])
            XCTAssertEqual(
                error.problems.map(\.description),
                [
                    "environments.staging.odoo.password_env: the environment variable ODOO_PASSWORD is not set",
                    "environments.staging.supabase.db_url_env: the environment variable WAREHOUSE_URL is set but empty",
                ])
            XCTAssertTrue(error.hint.contains("export ODOO_PASSWORD and WAREHOUSE_URL"), error.hint)
        }
    }

    func testAVariableTheCommandDoesNotNeedResolvesAsMissingQuietly() throws {
        let file = try MatrixFile(MatrixFile.staging)
        defer { file.remove() }
        let environment = try InstanceMatrix.loadAndResolve(
            path: file.path, environment: "staging", env: [:], requiring: .none, connectionPasswords: userinfoPassword)

        XCTAssertEqual(
            environment.odoo.password,
            .missing(variable: "ODOO_PASSWORD", keyPath: "environments.staging.odoo.password_env"))
        XCTAssertThrowsError(try environment.odoo.password.require()) { error in
            XCTAssertEqual((error as? ConfigurationError)?.missingVariables, ["ODOO_PASSWORD"])
        }
    }

    func testAnUnknownEnvironmentSuggestsTheOneItAbbreviates() throws {
        let file = try MatrixFile(MatrixFile.staging)
        defer { file.remove() }

        XCTAssertThrowsError(
            try InstanceMatrix.loadAndResolve(
                path: file.path, environment: "stag", env: variables, connectionPasswords: userinfoPassword)
        ) { error in
            XCTAssertEqual(
                (error as? ConfigurationError)?.summary,
                "unknown environment 'stag' (known: staging); did you mean 'staging'?")
        }
    }

    func testEveryProblemInTheFileIsReportedAtItsLine() throws {
        let file = try MatrixFile(
            MatrixFile.staging
                .replacingOccurrences(of: "password_env", with: "pasword_env")
                .replacingOccurrences(of: "jobs: 3", with: "jobs: 99"))
        defer { file.remove() }

        XCTAssertThrowsError(try InstanceMatrix.load(path: file.path)) { error in
            XCTAssertEqual(
                (error as? ConfigurationError)?.problems.map(\.description),
                [
                    "\(file.path):7:7: environments.staging.odoo.pasword_env: unknown key; did you mean 'password_env'? "
                        + "(it is required)",
                    "\(file.path):11:9: etl.jobs: 99 is out of range; use 1 to 32",
                ])
        }
    }
}
