import Foundation
import HTTP
import InstanceConfig
import Postgres

/// How long a health probe may take: the environment's connect timeout, and an answer within
/// `answerLimitSeconds` (a service that needs longer to say it is alive is not healthy).
struct HealthTimeouts: Sendable {
    static let answerLimitSeconds = 30.0

    let connectSeconds: Double
    let answerSeconds: Double

    init(_ etl: ETLSettings) {
        connectSeconds = etl.timeouts.connectSeconds
        answerSeconds = min(etl.timeouts.requestSeconds, Self.answerLimitSeconds)
    }

    var httpConfiguration: HTTPClient.Configuration {
        HTTPClient.Configuration(connectTimeout: connectSeconds, totalTimeout: answerSeconds, userAgent: "odoo-etl health (libcurl)")
    }

    var postgresOptions: PostgresConnection.Options {
        PostgresConnection.Options(
            connectTimeoutSeconds: max(1, Int(connectSeconds.rounded(.up))),
            applicationName: "odoo-etl health", statementTimeoutMilliseconds: Int(answerSeconds * 1000))
    }
}
