import ETLModel
import Foundation
import XMLRPC

/// Turns `search_read`/`read` structs into `OdooRecord`s, undoing Odoo's wire conventions with
/// the field types from `fields_get`:
///
/// - `False` is `.null`, except in a boolean field;
/// - many2one `[id, display_name]` is `.many2one`; one2many / many2many id lists are `.ids`;
/// - date and datetime text is `.date` / `.datetime` (naive UTC);
/// - float and monetary are `.float`; an integer field sent as `<double>` (above 2^31-1) is `.int`;
/// - json and properties are `.json`, canonical text with sorted keys;
/// - binary is its base64 text; char, text, html, selection, reference are `.string`.
///
/// A value that does not fit its declared type, a field `fields_get` did not list, or a type this
/// engine does not know is kept as the closest value (`bestEffort`) rather than rejected.
public struct OdooRecordDecoder: Sendable {
    public let fields: [String: OdooField]

    public init(fields: [String: OdooField]) {
        self.fields = fields
    }

    /// Decodes the array a `search_read` or `read` answered.
    public func records(from value: XMLRPCValue) throws -> [OdooRecord] {
        guard case .array(let elements) = value else {
            throw OdooDecodingError("expected a list of records, got \(value.typeName)")
        }
        var records: [OdooRecord] = []
        records.reserveCapacity(elements.count)
        for element in elements {
            records.append(try record(from: element))
        }
        return records
    }

    public func record(from value: XMLRPCValue) throws -> OdooRecord {
        guard case .struct(let members) = value else {
            throw OdooDecodingError("expected a record struct, got \(value.typeName)")
        }
        guard let idValue = members["id"], let id = OdooRecordDecoder.integer(idValue) else {
            throw OdooDecodingError("a record has no integer id (members: \(members.names.prefix(8).joined(separator: ", ")))")
        }
        var decoded: [String: OdooValue] = [:]
        decoded.reserveCapacity(members.count)
        for member in members where member.name != "id" {
            decoded[member.name] = self.value(member.value, type: fields[member.name]?.type)
        }
        return OdooRecord(id: id, fields: decoded)
    }

    /// One field's value, typed by `type` (nil when the field or its type is unknown).
    public func value(_ raw: XMLRPCValue, type: OdooFieldType?) -> OdooValue {
        guard let type else { return OdooRecordDecoder.bestEffort(raw) }
        if case .bool(false) = raw, type != .boolean { return .null }
        if case .nil = raw { return .null }
        switch type {
        case .boolean:
            if case .bool(let flag) = raw { return .bool(flag) }
        case .integer, .many2oneReference:
            if let number = OdooRecordDecoder.integer(raw) { return .int(number) }
        case .float, .monetary:
            if case .double(let number) = raw { return .float(number) }
            if case .int(let number) = raw { return .float(Double(number)) }
        case .char, .text, .html, .selection, .reference:
            if case .string(let text) = raw { return .string(text) }
        case .binary:
            if case .string(let text) = raw { return .string(text) }
            if case .base64(let data) = raw { return .string(data.base64EncodedString()) }
        case .date:
            if case .string(let text) = raw, let date = OdooDate(text) { return .date(date) }
        case .datetime:
            if case .string(let text) = raw, let instant = OdooDateTime(text) { return .datetime(instant) }
        case .many2one:
            if let pair = OdooRecordDecoder.many2one(raw) { return pair }
            // Odoo sends a bare id when the name is not asked for (read with load=None).
            if let id = OdooRecordDecoder.integer(raw) { return .many2one(id: id, name: "") }
        case .one2many, .many2many:
            if let ids = OdooRecordDecoder.ids(raw) { return .ids(ids) }
        case .json, .properties, .propertiesDefinition:
            return .json(JSONValue(raw).canonicalText)
        }
        return OdooRecordDecoder.bestEffort(raw)
    }

    /// The closest value when no type says better: scalars as themselves, `[int, string]` as a
    /// many2one, a list of ints as ids, anything else structured as canonical JSON.
    public static func bestEffort(_ raw: XMLRPCValue) -> OdooValue {
        switch raw {
        case .nil: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .double(let number): return .float(number)
        case .string(let text): return .string(text)
        case .base64(let data): return .string(data.base64EncodedString())
        case .dateTime(let text):
            return OdooDateTime(compactISO8601: text).map(OdooValue.datetime) ?? .string(text)
        case .array:
            if let pair = many2one(raw) { return pair }
            if let list = ids(raw) { return .ids(list) }
            return .json(JSONValue(raw).canonicalText)
        case .struct:
            return .json(JSONValue(raw).canonicalText)
        }
    }

    /// An int, or a double holding a whole number within Int64 (how Odoo sends ints above 2^31-1).
    static func integer(_ raw: XMLRPCValue) -> Int64? {
        switch raw {
        case .int(let number):
            return number
        case .double(let number):
            guard number.rounded() == number, abs(number) < 9.2e18 else { return nil }
            return Int64(number)
        default:
            return nil
        }
    }

    private static func many2one(_ raw: XMLRPCValue) -> OdooValue? {
        guard case .array(let pair) = raw, pair.count == 2, let id = integer(pair[0]) else { return nil }
        switch pair[1] {
        case .string(let name): return .many2one(id: id, name: name)
        // A record the user may not read has no display name.
        case .bool(false): return .many2one(id: id, name: "")
        default: return nil
        }
    }

    private static func ids(_ raw: XMLRPCValue) -> [Int64]? {
        guard case .array(let elements) = raw else { return nil }
        var result: [Int64] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            guard let id = integer(element) else { return nil }
            result.append(id)
        }
        return result
    }

}

/// An answer whose shape is not what the method returns. The client reports it as
/// `OdooError.Kind.unexpectedResult`, naming the call.
public struct OdooDecodingError: Error, CustomStringConvertible {
    public let detail: String
    public init(_ detail: String) { self.detail = detail }
    public var description: String { detail }
}

extension OdooDateTime {
    /// XML-RPC's `dateTime.iso8601` form, `20261124T15:21:40` (also with dashes).
    init?(compactISO8601 text: String) {
        let digits = text.filter { $0 != "-" }
        guard digits.count >= 17 else { return nil }
        let chars = Array(digits)
        let expanded = String(chars[0..<4]) + "-" + String(chars[4..<6]) + "-" + String(chars[6..<8]) + " " + String(chars[9...])
        self.init(expanded)
    }
}
