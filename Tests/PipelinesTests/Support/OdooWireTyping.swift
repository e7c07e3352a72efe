import ETLModel
import Foundation

/// Odoo's wire conventions undone for the tests, the way the Odoo client does it for the engine:
/// types come from `fields_get`, `False` of a non-boolean field is NULL, many2one pairs are split.
enum OdooWireTyping {
    struct Mismatch: Error, CustomStringConvertible {
        let description: String
    }

    /// A `fields_get` answer as the resolver's input.
    static func fields(_ answer: WireValue) throws -> [String: OdooField] {
        guard let members = answer.objectValue else { throw Mismatch(description: "fields_get answer is not a struct") }
        var fields: [String: OdooField] = [:]
        for (name, attributes) in members {
            let attributes = attributes.objectValue ?? [:]
            guard let type = attributes["type"]?.stringValue else {
                throw Mismatch(description: "field \(name) has no type")
            }
            var stored = true
            if case .bool(let flag) = attributes["store"] ?? .bool(true) { stored = flag }
            fields[name] = OdooField(
                name: name, typeName: type, label: attributes["string"]?.stringValue ?? "",
                relation: attributes["relation"]?.stringValue, stored: stored)
        }
        return fields
    }

    /// The records of a `search_read` / `read` answer.
    static func records(_ answer: WireValue, fields: [String: OdooField]) throws -> [OdooRecord] {
        guard let items = answer.arrayValue else { throw Mismatch(description: "answer is not a list of records") }
        return try items.map { item in
            guard let members = item.objectValue else { throw Mismatch(description: "record is not a struct") }
            return try record(members, fields: fields)
        }
    }

    static func record(_ members: [String: WireValue], fields: [String: OdooField]) throws -> OdooRecord {
        guard case .int(let id) = members["id"] ?? .none else { throw Mismatch(description: "record without id") }
        var values: [String: OdooValue] = [:]
        for (name, wire) in members where name != "id" {
            guard let field = fields[name], let type = field.type else {
                throw Mismatch(description: "record \(id): field \(name) is not in fields_get")
            }
            values[name] = try value(wire, type: type, context: "record \(id).\(name)")
        }
        return OdooRecord(id: id, fields: values)
    }

    static func value(_ wire: WireValue, type: OdooFieldType, context: String) throws -> OdooValue {
        if type == .boolean {
            guard case .bool(let flag) = wire else { throw Mismatch(description: "\(context): boolean expected") }
            return .bool(flag)
        }
        if wire == .bool(false) || wire == .none { return .null }
        switch (type, wire) {
        case (.many2one, .array(let pair)):
            guard pair.count == 2, case .int(let id) = pair[0], case .string(let name) = pair[1] else {
                throw Mismatch(description: "\(context): many2one is not [id, name]")
            }
            return .many2one(id: id, name: name)
        case (.one2many, .array(let items)), (.many2many, .array(let items)):
            return .ids(
                try items.map { item in
                    guard case .int(let id) = item else { throw Mismatch(description: "\(context): id list holds \(item)") }
                    return id
                })
        case (.integer, .int(let number)): return .int(number)
        case (.integer, .double(let number)):
            guard let whole = Int64(exactly: number) else { throw Mismatch(description: "\(context): \(number)") }
            return .int(whole)
        case (.float, .double(let number)), (.monetary, .double(let number)): return .float(number)
        case (.float, .int(let number)), (.monetary, .int(let number)): return .float(Double(number))
        case (.date, .string(let text)):
            guard let date = OdooDate(text) else { throw Mismatch(description: "\(context): bad date \(text)") }
            return .date(date)
        case (.datetime, .string(let text)):
            guard let instant = OdooDateTime(text) else { throw Mismatch(description: "\(context): bad datetime \(text)") }
            return .datetime(instant)
        case (.json, _), (.properties, _): return .json(canonicalJSON(wire))
        case (_, .string(let text)): return .string(text)
        default: throw Mismatch(description: "\(context): \(wire) is not a \(type.rawValue) value")
        }
    }

    /// Sorted keys, no whitespace, numbers in Swift's shortest form.
    static func canonicalJSON(_ wire: WireValue) -> String {
        switch wire {
        case .none: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return number.description
        case .string(let text):
            let data = try? JSONSerialization.data(withJSONObject: [text], options: [])
            let array = data.flatMap { String(data: $0, encoding: .utf8) } ?? "[\"\"]"
            return String(array.dropFirst().dropLast())
        case .array(let items): return "[" + items.map(canonicalJSON).joined(separator: ",") + "]"
        case .object(let members):
            return "{"
                + members.keys.sorted().map { canonicalJSON(.string($0)) + ":" + canonicalJSON(members[$0]!) }
                .joined(separator: ",") + "}"
        }
    }
}
