import Foundation
import InstanceConfig
import OdooRPC

/// Odoo's checks: the login page answers, XML-RPC `version` answers, and the configured user logs in.
/// Blocking: run it off the concurrency pool.
struct HealthOdooProbe {
    let environment: ResolvedEnvironment
    let timeouts: HealthTimeouts

    private var keyPath: String { "environments.\(environment.name).odoo" }

    func run() -> [HealthCheck] {
        let odoo = environment.odoo
        let client = OdooClient(
            settings: OdooConnectionSettings(
                url: odoo.url.absoluteString, database: odoo.database, login: odoo.login.value ?? "",
                password: odoo.password.value?.reveal() ?? "", connectTimeout: timeouts.connectSeconds,
                requestTimeout: timeouts.answerSeconds), retryPolicy: .none)
        let version = versionCheck(client)
        return [webLogin(), version, loginCheck(client, xmlrpcAnswered: version.status == .pass)]
    }

    private func webLogin() -> HealthCheck {
        HealthPageCheck(
            name: "odoo.web_login", path: "/web/login", base: environment.odoo.url, service: "Odoo",
            expectedURL: "the Odoo server's base URL", keyPath: keyPath
        ).run(timeouts)
    }

    private func versionCheck(_ client: OdooClient) -> HealthCheck {
        let name = "odoo.version"
        do {
            let version = try client.version()
            var detail = "Odoo \(version.serverVersion) answers XML-RPC at \(client.settings.redactedServerURL)"
            if let configured = environment.odoo.version, let major = version.major,
                Int(configured.prefix { $0.isNumber }) != major
            {
                detail += " (the matrix says \(configured); pipelines follow fields_get, not this)"
            }
            return .pass(name, detail)
        } catch {
            return .fail(
                name, String(describing: error),
                hint: "check that \(keyPath).url is an Odoo server and that a proxy lets /xmlrpc/2/ through")
        }
    }

    private func loginCheck(_ client: OdooClient, xmlrpcAnswered: Bool) -> HealthCheck {
        let name = "odoo.login"
        let odoo = environment.odoo
        let missing = [
            MissingSetting(odoo.login, meaning: "the Odoo user's login"),
            MissingSetting(odoo.password, meaning: "the Odoo user's password or API key"),
        ].compactMap { $0 }
        if let failed = MissingSetting.combined(missing, checkName: name) { return failed }
        guard xmlrpcAnswered else { return .skipped(name, because: "Odoo's XML-RPC did not answer (see odoo.version)") }
        do {
            let uid = try client.authenticate()
            return .pass(name, "logged in as \(client.settings.login) on database \(odoo.database) (uid \(uid))")
        } catch let error as OdooError {
            return .fail(name, error.description, hint: loginHint(error.kind))
        } catch {
            return .fail(name, String(describing: error), hint: "check the Odoo server's log")
        }
    }

    private func loginHint(_ kind: OdooError.Kind) -> String {
        let login = environment.odoo.login.variable ?? "\(keyPath).login_env"
        let password = environment.odoo.password.variable ?? "\(keyPath).password_env"
        switch kind {
        case .loginFailed, .badCredentials:
            return "set \(login) and \(password) to an active user's login and its password or API key"
        case .unknownDatabase:
            return "set \(keyPath).database to a database this server has"
        default:
            return "check the Odoo server's log"
        }
    }
}
