import ETLModel
import Foundation
import HTTP
import XMLRPC

/// A client of one Odoo server over XML-RPC (`/xmlrpc/2/common` and `/xmlrpc/2/object`).
///
/// **Blocking, one connection, not thread-safe.** Each call blocks the calling thread for the
/// whole exchange (up to `settings.requestTimeout` per attempt, plus retry backoff) over one
/// keep-alive HTTP connection. Use an instance from one thread at a time and give each worker
/// its own. Never call it on the Swift concurrency pool: the engine runs it on a unit's
/// dedicated extraction thread (see `Sync/UnitRunner`).
///
/// Every call carries the uid and the password (or API key), so nothing expires and nothing
/// needs re-authenticating; the first model call authenticates once if `authenticate()` was not
/// called. Read calls are retried on transient failures according to `retryPolicy`; calls that
/// may write are sent once.
public final class OdooClient {
    public let settings: OdooConnectionSettings
    public let retryPolicy: RetryPolicy
    /// The uid `authenticate()` obtained; nil before.
    public private(set) var uid: Int64?
    /// HTTP requests sent so far, retries included.
    public private(set) var requestCount = 0

    private let http: HTTPClient
    private var fieldCache: [String: [String: OdooField]] = [:]

    /// The `execute_kw` methods that only read, and may therefore be sent again after a
    /// transient failure.
    public static let readMethods: Set<String> = [
        "search_read", "search", "search_count", "read", "fields_get", "read_group", "name_search",
        "web_search_read", "web_read_group", "formatted_read_group", "check_access_rights", "has_access",
        "default_get", "name_get",
    ]

    public init(settings: OdooConnectionSettings, retryPolicy: RetryPolicy = .standard) {
        self.settings = settings
        self.retryPolicy = retryPolicy
        self.http = HTTPClient(configuration: settings.httpConfiguration)
    }

    // MARK: - common

    /// The server's version (no login needed).
    public func version() throws -> OdooServerVersion {
        let answer = try call(.common, "version", params: [], model: nil, idempotent: true)
        return try interpret(model: nil, method: "version") { try OdooServerVersion(answer) }
    }

    /// Logs in and returns the uid. A wrong login, password or API key makes Odoo answer `False`,
    /// which throws `OdooError.Kind.loginFailed`; an unknown database throws `.unknownDatabase`.
    @discardableResult
    public func authenticate() throws -> Int64 {
        let params: [XMLRPCValue] = [
            .string(settings.database), .string(settings.login), .string(settings.password), .struct(XMLRPCStruct()),
        ]
        let answer = try call(.common, "authenticate", params: params, model: nil, idempotent: true)
        switch answer {
        case .int(let value) where value > 0:
            uid = value
            return value
        case .bool(false):
            throw error(.loginFailed(login: settings.login, database: settings.database), model: nil, method: "authenticate")
        default:
            throw error(.unexpectedResult("authenticate answered \(answer.typeName), not a uid"), model: nil, method: "authenticate")
        }
    }

    // MARK: - object

    /// `execute_kw(db, uid, password, model, method, args, kwargs)`: any model method. `idempotent`
    /// decides whether transient failures are retried; nil means "if `method` is in `readMethods`".
    public func executeKw(
        model: String, method: String, args: [XMLRPCValue] = [], kwargs: XMLRPCStruct = XMLRPCStruct(),
        idempotent: Bool? = nil
    ) throws -> XMLRPCValue {
        let uid = try self.uid ?? authenticate()
        let params: [XMLRPCValue] = [
            .string(settings.database), .int(uid), .string(settings.password), .string(model), .string(method),
            .array(args), .struct(kwargs),
        ]
        return try call(
            .object, "execute_kw", params: params, model: model, odooMethod: method,
            idempotent: idempotent ?? OdooClient.readMethods.contains(method))
    }

    /// The model's fields with their type, label, relation and whether they are stored. Cached
    /// for the client's lifetime (one run), since records are typed with it.
    public func fieldsGet(model: String) throws -> [String: OdooField] {
        if let cached = fieldCache[model] { return cached }
        let attributes: XMLRPCValue = ["type", "string", "relation", "store", "company_dependent", "digits"]
        let answer = try executeKw(model: model, method: "fields_get", kwargs: XMLRPCStruct([("attributes", attributes)]))
        let fields = try interpret(model: model, method: "fields_get") { try OdooField.fields(fromFieldsGet: answer) }
        fieldCache[model] = fields
        return fields
    }

    public func searchCount(model: String, domain: OdooDomain = .all, context: OdooContext? = nil) throws -> Int {
        let answer = try executeKw(model: model, method: "search_count", args: [domain.xmlrpcValue], kwargs: kwargs(context: context))
        guard let count = OdooRecordDecoder.integer(answer) else {
            throw error(.unexpectedResult("search_count answered \(answer.typeName), not a number"), model: model, method: "search_count")
        }
        return Int(count)
    }

    /// The ids matching `domain`. For all ids of a large model use `allIds`, which pages by id.
    public func search(
        model: String, domain: OdooDomain = .all, order: String? = nil, offset: Int = 0, limit: Int? = nil,
        context: OdooContext? = nil
    ) throws -> [Int64] {
        let answer = try executeKw(
            model: model, method: "search", args: [domain.xmlrpcValue],
            kwargs: kwargs(order: order, offset: offset, limit: limit, context: context))
        guard case .array(let elements) = answer else {
            throw error(.unexpectedResult("search answered \(answer.typeName), not a list of ids"), model: model, method: "search")
        }
        return try elements.map { element in
            guard let id = OdooRecordDecoder.integer(element) else {
                throw error(.unexpectedResult("search answered a \(element.typeName) among the ids"), model: model, method: "search")
            }
            return id
        }
    }

    /// Every id matching `domain`, ascending, fetched in pages of `pageSize` by `id > last`
    /// (never by offset, which skips or repeats ids when records are created or deleted between
    /// pages). For delete reconciliation: pass `OdooContext.extraction(companyID:)` so archived
    /// records count as present.
    public func allIds(model: String, domain: OdooDomain = .all, context: OdooContext? = nil, pageSize: Int = 50_000) throws -> [Int64] {
        let size = max(1, pageSize)
        var result: [Int64] = []
        var last: Int64 = 0
        while true {
            let page = try search(
                model: model, domain: domain && .leaf("id", .greater, .int(last)), order: "id asc",
                limit: size, context: context)
            result += page
            guard page.count == size, let next = page.last else { return result }
            last = next
        }
    }

    /// The records `ids`, typed with the model's `fields_get`.
    public func read(model: String, ids: [Int64], fields: [String], context: OdooContext? = nil) throws -> [OdooRecord] {
        let schema = try fieldsGet(model: model)
        let answer = try executeKw(
            model: model, method: "read", args: [.array(ids.map { .int($0) })],
            kwargs: kwargs(fields: fields, context: context))
        return try interpret(model: model, method: "read") { try OdooRecordDecoder(fields: schema).records(from: answer) }
    }

    /// `search_read`, typed with the model's `fields_get`. Prefer `IncrementalReader` for
    /// extraction: paging by offset skips and repeats records that change between pages.
    public func searchRead(
        model: String, domain: OdooDomain = .all, fields: [String], order: String? = nil, offset: Int = 0,
        limit: Int? = nil, context: OdooContext? = nil
    ) throws -> [OdooRecord] {
        let schema = try fieldsGet(model: model)
        let answer = try executeKw(
            model: model, method: "search_read", args: [domain.xmlrpcValue],
            kwargs: kwargs(fields: fields, order: order, offset: offset, limit: limit, context: context))
        return try interpret(model: model, method: "search_read") { try OdooRecordDecoder(fields: schema).records(from: answer) }
    }

    /// `read_group`: aggregates of `fields` (e.g. `total_amount:sum`) per value of `groupBy`
    /// (e.g. `company_id`), with group values typed by `fields_get`. `lazy: false` groups by
    /// every `groupBy` field at once, which is what reconciliation wants.
    public func readGroup(
        model: String, domain: OdooDomain = .all, fields: [String], groupBy: [String], lazy: Bool = false,
        context: OdooContext? = nil
    ) throws -> [OdooGroup] {
        let schema = try fieldsGet(model: model)
        var extra = XMLRPCStruct([("lazy", .bool(lazy))])
        if let context { extra.append(name: "context", value: context.xmlrpcValue) }
        let args: [XMLRPCValue] = [domain.xmlrpcValue, .array(fields.map { .string($0) }), .array(groupBy.map { .string($0) })]
        let answer = try executeKw(model: model, method: "read_group", args: args, kwargs: extra)
        return try interpret(model: model, method: "read_group") { try OdooGroup.groups(from: answer, fields: schema) }
    }

    // MARK: - Transport

    /// Keyword arguments in the order Odoo's own examples (and the captures) send them.
    private func kwargs(
        fields: [String]? = nil, order: String? = nil, offset: Int = 0, limit: Int? = nil,
        context: OdooContext?
    ) -> XMLRPCStruct {
        var members = XMLRPCStruct()
        if let fields { members.append(name: "fields", value: .array(fields.map { .string($0) })) }
        if let order { members.append(name: "order", value: .string(order)) }
        if offset > 0 { members.append(name: "offset", value: .int(Int64(offset))) }
        if let limit { members.append(name: "limit", value: .int(Int64(limit))) }
        if let context { members.append(name: "context", value: context.xmlrpcValue) }
        return members
    }

    /// Sends one call, retrying transient failures of idempotent calls. An HTML page served with
    /// status 200 is retried at most once, whatever the policy allows: a proxy's passing error
    /// page deserves a second chance, a URL that leads to a web site instead of Odoo does not
    /// deserve four.
    private func call(
        _ service: OdooService, _ name: String, params: [XMLRPCValue], model: String?,
        odooMethod: String? = nil, idempotent: Bool
    ) throws -> XMLRPCValue {
        let body = XMLRPCEncoder.methodCall(name: name, params: params)
        let method = odooMethod ?? name
        var attempt = 1
        var htmlRetries = 0
        do {
            return try retryPolicy.run(
                attempt: &attempt,
                isTransient: { error in
                    guard idempotent, let failure = error as? OdooError, failure.isRetryable else { return false }
                    return !(failure.isHTMLPage && htmlRetries >= 1)
                },
                beforeRetry: { error, _ in
                    if (error as? OdooError)?.isHTMLPage == true { htmlRetries += 1 }
                }
            ) {
                try send(body, to: service, model: model, method: method)
            }
        } catch let failure as OdooError {
            throw failure.with(attempts: attempt)
        }
    }

    private func send(_ body: Data, to service: OdooService, model: String?, method: String) throws -> XMLRPCValue {
        requestCount += 1
        let response: HTTPResponse
        do {
            response = try http.post(url: settings.endpoint(service), body: body, headers: [("Content-Type", "text/xml")])
        } catch let failure as HTTPError {
            throw error(.http(failure), model: model, method: method)
        }
        let decoded: XMLRPCResponse
        do {
            decoded = try XMLRPCDecoder.decodeResponse(response.body)
        } catch let failure as XMLRPCDecodingError {
            throw error(.unreadableResponse(failure), model: model, method: method)
        }
        switch decoded {
        case .value(let value):
            return value
        case .fault(let fault):
            // A server may quote the call back, password included (a traceback that prints the
            // arguments); the password must not travel on in an error message or the run log.
            let quoted = XMLRPCFault(code: fault.code, string: settings.withoutPassword(fault.string))
            throw error(
                OdooError.kind(of: quoted, model: model, login: settings.login, database: settings.database),
                model: model, method: method)
        }
    }

    func error(_ kind: OdooError.Kind, model: String?, method: String) -> OdooError {
        OdooError(kind: kind, model: model, method: method, serverURL: settings.redactedServerURL, database: settings.database)
    }

    /// Runs a decoding step and turns its problem into an `OdooError` naming the call.
    private func interpret<T>(model: String?, method: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let problem as OdooDecodingError {
            throw error(.unexpectedResult(problem.detail), model: model, method: method)
        }
    }
}
