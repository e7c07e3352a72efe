/// An XML-RPC `<struct>`: members in wire order, looked up by name.
///
/// Order is kept because it is what the server sent and what a re-encoding must reproduce; equality
/// is therefore order-sensitive. A name that occurs twice keeps both members; lookups return the
/// first.
public struct XMLRPCStruct: Hashable, Sendable, RandomAccessCollection {
    public struct Member: Hashable, Sendable {
        public var name: String
        public var value: XMLRPCValue

        public init(name: String, value: XMLRPCValue) {
            self.name = name
            self.value = value
        }
    }

    public private(set) var members: [Member]

    public init(members: [Member] = []) {
        self.members = members
    }

    public init(_ pairs: [(String, XMLRPCValue)]) {
        self.members = pairs.map { Member(name: $0.0, value: $0.1) }
    }

    public var startIndex: Int { members.startIndex }
    public var endIndex: Int { members.endIndex }
    public subscript(position: Int) -> Member { members[position] }

    /// The first member named `name`, or nil. A linear scan: records hold tens of members, and
    /// callers that need many lookups on a large struct should build a dictionary once.
    public subscript(name: String) -> XMLRPCValue? {
        for member in members where member.name == name {
            return member.value
        }
        return nil
    }

    public var names: [String] { members.map(\.name) }

    /// Sets the first member named `name`, or appends a new member at the end.
    public mutating func set(_ name: String, to value: XMLRPCValue) {
        if let index = members.firstIndex(where: { $0.name == name }) {
            members[index].value = value
        } else {
            members.append(Member(name: name, value: value))
        }
    }

    public mutating func append(name: String, value: XMLRPCValue) {
        members.append(Member(name: name, value: value))
    }
}
