import Foundation

/// A small, fast, seedable generator (SplitMix64), so a fuzz run can be repeated from its seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Turns valid pipeline files into broken ones: byte damage, line surgery, and the YAML syntax an
/// editor's mistake or a hostile file brings (anchors, aliases, tags, flow brackets, huge scalars,
/// deep nesting). Each call stacks one to four mutations.
struct YAMLMutator {
    enum Mutation: CaseIterable {
        case replaceByte, deleteBytes, deleteLines, duplicateLine, reindent, swapLines, swapKeyAndValue
        case insertSyntax, anchorAndAlias, mergeKey, longScalar, deepFlowNesting, deepBlockNesting
        case retypeValue, spliceOtherFile, documentMarkers
    }

    /// Fragments of YAML syntax dropped at random places.
    static let syntax = [
        "&a ", "*a", "&b ", "*b", "*undefined", "!!str ", "!!int ", "!!float ", "!!bool ", "!!null ", "!!binary ",
        "!!timestamp ", "!!map ", "!!seq ", "!!set ", "!!omap ", "!custom ", "!<tag:yaml.org,2002:str> ",
        "{", "}", "[", "]", "{}", "[]", ", ", "? ", ": ", "- ", "|", ">", "|-", ">+", "'", "\"", "\\", "#", "%",
        "@", "`", "<<: ", "~", "\t", "\r", "\u{FEFF}", "\u{0}", "\u{7}", "\u{85}", "\u{2028}", "é", "😀",
        "---", "...", "%YAML 1.1\n", "%TAG ! tag:x,2024:\n",
    ]

    /// Values that YAML types differently from the text around them.
    static let retypedValues = [
        "1", "-0.5", "1e309", ".nan", ".inf", "0x7FFFFFFFFFFFFFFFFF", "99999999999999999999999", "0o17", "true",
        "yes", "null", "~", "''", "\"\"", "[]", "{}", "[a, b]", "{type: text}", "{type: {type: text}}",
        "[[a, '=', 1]]", "2024-01-01", "2024-13-45T99:99:99", "!!binary aGk=", "!!binary ***", "!!int x",
        "!!float abc", "!!timestamp 2024-13-45", "!!bool maybe", "!!set {a, b}", "!!omap [a: 1]",
        "!!python/object:os.system", "|\n  block\n  text", ">-\n  folded", "\"\\u0000\"", "\"\\xFF\"",
        "&anchor value", "*anchor",
    ]

    let files: [String]

    func mutate(_ text: String, using random: inout SplitMix64) -> String {
        var result = text
        // Half the inputs carry a single mutation, so that many still get past the YAML syntax
        // into the pipeline checks.
        for _ in 0..<[1, 1, 1, 2, 2, 3, 4].randomElement(using: &random)! {
            let mutation = Mutation.allCases.randomElement(using: &random)!
            result = apply(mutation, to: result, using: &random)
        }
        return result
    }

    private func apply(_ mutation: Mutation, to text: String, using random: inout SplitMix64) -> String {
        var lines = text.components(separatedBy: "\n")
        let line = Int.random(in: 0..<lines.count, using: &random)
        switch mutation {
        case .replaceByte:
            var bytes = Array(text.utf8)
            guard !bytes.isEmpty else { return text }
            let index = Int.random(in: 0..<bytes.count, using: &random)
            if Bool.random(using: &random) {
                bytes[index] ^= UInt8(1) << UInt8.random(in: 0...7, using: &random)
            } else {
                bytes[index] = UInt8.random(in: 0...255, using: &random)
            }
            return String(decoding: bytes, as: UTF8.self)
        case .deleteBytes:
            var bytes = Array(text.utf8)
            guard !bytes.isEmpty else { return text }
            let start = Int.random(in: 0..<bytes.count, using: &random)
            bytes.removeSubrange(start..<min(bytes.count, start + Int.random(in: 1...40, using: &random)))
            return String(decoding: bytes, as: UTF8.self)
        case .deleteLines:
            lines.removeSubrange(line..<min(lines.count, line + Int.random(in: 1...3, using: &random)))
        case .duplicateLine:
            lines.insert(lines[line], at: Int.random(in: 0...lines.count, using: &random))
        case .reindent:
            lines[line] = reindented(lines[line], using: &random)
        case .swapLines:
            lines.swapAt(line, Int.random(in: 0..<lines.count, using: &random))
        case .swapKeyAndValue:
            guard let (indent, key, value) = keyValue(lines[line]), !value.isEmpty else { return text }
            lines[line] = "\(indent)\(value): \(key)"
        case .insertSyntax:
            lines[line] = inserting(Self.syntax.randomElement(using: &random)!, into: lines[line], using: &random)
        case .anchorAndAlias:
            let anchor = "x\(Int.random(in: 0...2, using: &random))"
            let target = Int.random(in: 0..<lines.count, using: &random)
            lines[line] = replacingValue(of: lines[line], with: "&\(anchor) " + (keyValue(lines[line])?.value ?? ""))
            lines[target] = replacingValue(of: lines[target], with: "*\(anchor)")
        case .mergeKey:
            let indent = String(lines[line].prefix { $0 == " " })
            lines.insert("\(indent)<<: *x\(Int.random(in: 0...2, using: &random))", at: line)
        case .longScalar:
            // Up to 64 KB, the libFuzzer input limit of the XML-RPC fuzzer.
            let long = String(repeating: "é1 a", count: Int.random(in: 250...13_000, using: &random))
            lines[line] =
                Bool.random(using: &random)
                ? replacingValue(of: lines[line], with: long)
                : inserting(long, into: lines[line], using: &random)
        case .deepFlowNesting:
            let depth = Int.random(in: 10...3_000, using: &random)
            let nested =
                Bool.random(using: &random)
                ? String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
                : String(repeating: "{a: ", count: depth) + "1" + String(repeating: "}", count: depth)
            lines[line] = replacingValue(of: lines[line], with: nested)
        case .deepBlockNesting:
            // One space more per level keeps the text quadratic but small: 300 levels are 45 KB.
            let depth = Int.random(in: 10...300, using: &random)
            let indent = String(lines[line].prefix { $0 == " " })
            let nested = (0..<depth).map { indent + String(repeating: " ", count: $0 + 1) + "k\($0):" }
            lines.insert(contentsOf: nested, at: min(lines.count, line + 1))
        case .retypeValue:
            lines[line] = replacingValue(of: lines[line], with: Self.retypedValues.randomElement(using: &random)!)
        case .spliceOtherFile:
            let other = files.randomElement(using: &random)!.components(separatedBy: "\n")
            let start = Int.random(in: 0..<other.count, using: &random)
            let piece = other[start..<min(other.count, start + Int.random(in: 1...12, using: &random))]
            lines.insert(contentsOf: piece, at: line)
        case .documentMarkers:
            let marker = ["---", "...", "--- !!map", "%YAML 1.2\n---", "--- |", "---\n---"].randomElement(using: &random)!
            lines.insert(marker, at: Bool.random(using: &random) ? 0 : line)
        }
        // Now and then the whole file gets Windows line endings.
        return lines.joined(separator: random.next() % 32 == 0 ? "\r\n" : "\n")
    }

    private func keyValue(_ line: String) -> (indent: String, key: String, value: String)? {
        guard let colon = line.range(of: ": ") ?? (line.hasSuffix(":") ? line.range(of: ":", options: .backwards) : nil) else {
            return nil
        }
        let indent = String(line.prefix { $0 == " " })
        let key = line[line.startIndex..<colon.lowerBound].dropFirst(indent.count)
        return (indent, String(key), String(line[colon.upperBound...]).trimmingCharacters(in: .whitespaces))
    }

    private func replacingValue(of line: String, with value: String) -> String {
        guard let (indent, key, _) = keyValue(line) else { return line + " " + value }
        return "\(indent)\(key): \(value)"
    }

    private func inserting(_ fragment: String, into line: String, using random: inout SplitMix64) -> String {
        var characters = Array(line)
        characters.insert(contentsOf: fragment, at: Int.random(in: 0...characters.count, using: &random))
        return String(characters)
    }

    private func reindented(_ line: String, using random: inout SplitMix64) -> String {
        let body = line.drop { $0 == " " }
        let indent = line.count - body.count
        switch random.next() % 4 {
        case 0: return String(repeating: " ", count: indent + Int.random(in: 1...4, using: &random)) + body
        case 1: return String(repeating: " ", count: max(0, indent - Int.random(in: 1...4, using: &random))) + body
        case 2: return "\t" + line
        default: return String(body)
        }
    }
}
