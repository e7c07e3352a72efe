import Foundation
import HTTP
import XMLRPC

/// Why an Odoo call failed, with the call it was (model, method), the server (redacted) and the
/// database. Its description says what happened and what to do; it never holds a password.
public struct OdooError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// `authenticate` answered `False`: unknown login, wrong password or API key, or an inactive user.
        case loginFailed(login: String, database: String)
        /// The database named in the settings does not exist on the server.
        case unknownDatabase(String)
        /// Fault 3 (`Access Denied`): the password or API key was rejected on a model call.
        case badCredentials(login: String, database: String)
        /// Fault 2 `Object x doesn't exist`: the model is not installed on this database.
        case missingModel(String)
        /// Fault 2 of another kind: Odoo's UserError or ValidationError, whose message is for people.
        case userError(String)
        /// Fault 4: an access rule or group refuses the user this model or these records.
        case accessRule(String)
        /// Fault 1 (or any other code): a Python exception; `lastLine` is the traceback's last line.
        case serverError(code: Int, lastLine: String)
        /// The HTTP exchange failed (status, timeout, broken connection ...).
        case http(HTTPError)
        /// The body was not a readable XML-RPC response (empty, cut short, an HTML page ...).
        case unreadableResponse(XMLRPCDecodingError)
        /// A well-formed answer whose shape is not what the method returns.
        case unexpectedResult(String)
    }

    public let kind: Kind
    /// The model of an `execute_kw` call; nil for the `common` service (version, authenticate).
    public let model: String?
    /// The Odoo method: `search_read`, `fields_get`, `authenticate` ...
    public let method: String
    /// The server's base URL, credentials masked.
    public let serverURL: String
    public let database: String
    /// How many times the call was sent before this error was final.
    public let attempts: Int

    public init(kind: Kind, model: String?, method: String, serverURL: String, database: String, attempts: Int = 1) {
        self.kind = kind
        self.model = model
        self.method = method
        self.serverURL = serverURL
        self.database = database
        self.attempts = attempts
    }

    func with(attempts: Int) -> OdooError {
        OdooError(kind: kind, model: model, method: method, serverURL: serverURL, database: database, attempts: attempts)
    }

    /// Whether sending the same read call again later may succeed.
    ///
    /// Transient: the retryable HTTP failures (429, 502, 503, 504, timeouts, resets, refused
    /// connections, empty replies, partial bodies), a body that is empty or cut short, an HTML page
    /// served with status 200 (a proxy's maintenance or error page; the client retries it only
    /// once, since a URL that points at a web site rather than Odoo would answer the same forever),
    /// and a server error caused by a PostgreSQL serialization failure or deadlock.
    public var isRetryable: Bool {
        switch kind {
        case .http(let error):
            return error.isRetryable
        case .unreadableResponse(let error):
            switch error.reason {
            case .emptyBody, .truncated: return true
            case .malformedXML, .notXMLRPC, .invalidValue: return isHTMLPage
            }
        case .serverError(_, let lastLine):
            return OdooError.transientServerMarkers.contains { lastLine.contains($0) }
        case .loginFailed, .unknownDatabase, .badCredentials, .missingModel, .userError, .accessRule, .unexpectedResult:
            return false
        }
    }

    /// True when the body was an HTML page rather than XML-RPC.
    public var isHTMLPage: Bool {
        guard case .unreadableResponse(let error) = kind else { return false }
        let preview = error.bodyPreview.lowercased()
        return preview.contains("<html") || preview.contains("<!doctype html")
    }

    static let transientServerMarkers = [
        "SerializationFailure", "could not serialize access", "DeadlockDetected", "deadlock detected",
    ]

    /// `hr.expense.search_read`, or `common.authenticate` for calls without a model.
    public var call: String {
        model.map { "\($0).\(method)" } ?? "common.\(method)"
    }

    public var description: String {
        // HTTP and decoding errors already end with their own advice.
        let problem = self.problem
        var text = "Odoo \(call) on \(serverURL) (database \(database)): \(problem)"
        if !problem.hasSuffix(".") { text += "." }
        if !advice.isEmpty { text += " " + advice }
        if attempts > 1 {
            text += " Gave up after \(attempts) attempts."
        }
        return text
    }

    private var problem: String {
        switch kind {
        case .loginFailed(let login, let database):
            return "login failed for user \(login) on database \(database) (authenticate answered False)"
        case .unknownDatabase(let name):
            return "the database \(name) does not exist on this server"
        case .badCredentials(let login, let database):
            return "Access Denied: the server rejected the password or API key of user \(login) on database \(database)"
        case .missingModel(let name):
            return "the model \(name) does not exist on this database"
        case .userError(let message):
            return "Odoo refused the call: \(message)"
        case .accessRule(let message):
            return "an access rule refuses this call: \(message)"
        case .serverError(let code, let lastLine):
            return "server error (fault \(code)): \(lastLine)"
        case .http(let error):
            return error.description
        case .unreadableResponse(let error):
            return error.description
        case .unexpectedResult(let detail):
            return "unexpected answer: \(detail)"
        }
    }

    private var advice: String {
        switch kind {
        case .loginFailed:
            return "Check ODOO login and ODOO password / API key, and that the user is active on that database."
        case .unknownDatabase:
            return "Check the ODOO database name; the server's database selector lists the names it has."
        case .badCredentials:
            return "Check ODOO password / API key: it may have been changed, revoked or expired."
        case .missingModel:
            return "Install the Odoo module that provides it, or fix the pipeline's model name (Odoo 19 removed hr.expense.sheet)."
        case .userError:
            return "Fix what the message names (a field, a value or the user's settings)."
        case .accessRule:
            return "Give the user read access to this model and to the companies it syncs, or sync with another user."
        case .serverError:
            return isRetryable
                ? "A concurrent transaction got in the way; retry later."
                : "Check the pipeline's domain, fields and order for this model; the full traceback is in the Odoo server log."
        case .http, .unreadableResponse:
            return ""
        case .unexpectedResult:
            return "Check that the server is Odoo and that the model and method are right."
        }
    }
}

extension OdooError {
    /// Maps an XML-RPC fault to its kind. Odoo sends every fault with HTTP 200 and codes
    /// 1 (an exception, with its traceback), 2 (UserError, including `Object x doesn't exist`),
    /// 3 (`Access Denied`: credentials) and 4 (AccessError: rules and groups).
    static func kind(of fault: XMLRPCFault, model: String?, login: String, database: String) -> Kind {
        let text = fault.string.trimmingCharacters(in: .whitespacesAndNewlines)
        let lastLine = OdooError.lastLine(of: text)
        if fault.code == 4 {
            return .accessRule(OdooError.oneLine(text))
        }
        if fault.code == 3 || text == "Access Denied" || lastLine.hasSuffix("AccessDenied: Access Denied") {
            return .badCredentials(login: login, database: database)
        }
        if let missing = OdooError.capture(#"database "([^"]+)" does not exist"#, in: lastLine) {
            return .unknownDatabase(missing)
        }
        if fault.code == 2 {
            if text.contains("doesn't exist") {
                return .missingModel(OdooError.capture(#"Object (\S+) doesn't exist"#, in: text) ?? model ?? "?")
            }
            return .userError(OdooError.oneLine(text))
        }
        return .serverError(code: fault.code, lastLine: lastLine)
    }

    /// The last non-empty line, trimmed and kept to a readable length: for a Python traceback, the
    /// exception itself.
    static func lastLine(of text: String) -> String {
        let line =
            text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .last(where: { !$0.isEmpty }) ?? ""
        return line.count > 500 ? String(line.prefix(500)) + "…" : line
    }

    /// A message written for people (UserError, AccessError) on one line, kept to a readable length.
    static func oneLine(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return line.count > 500 ? String(line.prefix(500)) + "…" : line
    }

    private static func capture(_ pattern: String, in text: String) -> String? {
        guard let expression = try? NSRegularExpression(pattern: pattern),
            let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            match.numberOfRanges > 1, let range = Range(match.range(at: 1), in: text)
        else { return nil }
        return String(text[range])
    }
}
