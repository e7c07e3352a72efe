import InstanceConfig
import Postgres
import XCTest

final class SecretMaskingTests: XCTestCase {
    func testASecretNeverAppearsInItsDescriptions() {
        let secret = Secret("descr-secret-5813")
        let shown = [
            String(describing: secret), String(reflecting: secret), "\(secret)", "\([secret])",
            String(describing: Optional(secret)), String(describing: VariableValue.set(secret, variable: "X")),
        ]
        for text in shown {
            XCTAssertFalse(text.contains("descr-secret-5813"), text)
        }
        XCTAssertEqual(secret.description, "•••")
        XCTAssertTrue(Mirror(reflecting: secret).children.isEmpty)
        XCTAssertEqual(secret.reveal(), "descr-secret-5813")
    }

    func testTheRedactorMasksEveryRegisteredSecret() {
        _ = Secret("registered-4402")
        let redacted = Redactor.shared.redact("login failed with registered-4402 at 10:02")
        XCTAssertEqual(redacted, "login failed with ••• at 10:02")
    }

    func testAConnectionStringRegistersItsPasswordOnItsOwn() {
        _ = Secret.connectionString("postgresql://etl:conn-pw-7730@db.example.com/postgres", passwords: userinfoPassword)
        XCTAssertEqual(
            Redactor.shared.redact("invalid percent-encoded token: \"conn-pw-7730\""),
            "invalid percent-encoded token: \"•••\"")
    }

    func testResolvingAnEnvironmentRegistersTheWarehousePassword() throws {
        let file = try MatrixFile(MatrixFile.staging)
        defer { file.remove() }
        _ = try InstanceMatrix.loadAndResolve(
            path: file.path, environment: "staging",
            env: [
                "ODOO_LOGIN": "etl", "ODOO_PASSWORD": "odoo-pw-1187",
                "WAREHOUSE_URL": "postgresql://etl:wh-pw-6254@db.example.com/postgres",
            ], connectionPasswords: userinfoPassword)

        XCTAssertEqual(
            Redactor.shared.redact("password odoo-pw-1187 rejected; server said wh-pw-6254"),
            "password ••• rejected; server said •••")
    }

    func testCredentialPatternsAreMaskedWithoutBeingRegistered() {
        let redactor = Redactor()
        XCTAssertEqual(
            redactor.redact("postgres://etl:unregistered-pw@db:5432/x host=db password=hunter22"),
            "postgres://etl:•••@db:5432/x host=db password=•••")
    }

    func testValuesTooShortToProtectAnythingAreNotRegistered() {
        let redactor = Redactor()
        redactor.register("ab")
        XCTAssertEqual(redactor.redact("tab cab"), "tab cab")
    }

    /// InstanceConfig and Postgres cannot import each other; both masks must read the same to the user.
    func testTheSecretMaskIsThePostgresConnectionErrorMask() {
        XCTAssertEqual(Secret.redactedText, ConnectionStringSecrets.mask)
    }
}
