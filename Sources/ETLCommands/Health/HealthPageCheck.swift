import Foundation
import HTTP

/// A service's page that must answer 200 (Odoo's login page, Superset's `/health`): the same
/// GET, the same redaction and the same advice for every service.
struct HealthPageCheck {
    let name: String
    /// Appended to the configured base URL, whether or not that ends with a slash.
    let path: String
    let base: URL
    /// As a person names it: `Odoo`, `Superset`.
    let service: String
    /// What `url` must be, for the hint: "the Odoo server's base URL".
    let expectedURL: String
    /// The environment's block of this service, e.g. `environments.staging.odoo`.
    let keyPath: String

    func run(_ timeouts: HealthTimeouts) -> HealthCheck {
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        let url = text + path
        let shown = redactedURL(url)
        do {
            let response = try HTTPClient(configuration: timeouts.httpConfiguration).get(url: url)
            guard response.status == 200 else {
                return .fail(
                    name, "GET \(shown) answered \(response.status), not 200",
                    hint: "check that \(keyPath).url is \(expectedURL)")
            }
            return .pass(name, "GET \(shown) answered 200")
        } catch {
            return .fail(
                name, String(describing: error),
                hint: "check that \(service) is running and that \(keyPath).url is its base URL")
        }
    }
}
