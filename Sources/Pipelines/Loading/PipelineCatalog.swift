import ETLModel
import Foundation

/// Every pipeline of a `pipelines/` directory, validated together and in dependency order
/// (companies, partners, employees and taxes before the facts that refer to them).
public struct PipelineCatalog: Sendable {
    /// Dependencies first; pipelines with no order between them by name.
    public let pipelines: [PipelineDefinition]

    public func pipeline(named name: String) -> PipelineDefinition? {
        pipelines.first { $0.name == name }
    }

    /// Loads every `*.yaml` file of `directory`. Throws `PipelineValidationError` listing every
    /// problem of every file at once.
    public static func load(directory: URL) throws -> PipelineCatalog {
        let directoryPath = directory.relativePath
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".yaml") }.sorted()
        } catch {
            throw PipelineValidationError(diagnostics: [
                PipelineDiagnostic(
                    file: directoryPath, line: nil, keyPath: "", problem: "the pipeline directory cannot be read",
                    fix: "check that \(directoryPath) exists and is readable")
            ])
        }
        var files: [(path: String, text: String)] = []
        var unreadable: [PipelineDiagnostic] = []
        for name in names {
            let path = directoryPath + "/" + name
            if let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path),
                let text = String(data: data, encoding: .utf8)
            {
                files.append((path, text))
            } else {
                unreadable.append(
                    PipelineDiagnostic(
                        file: path, line: nil, keyPath: "",
                        problem: "the file cannot be read as UTF-8 text",
                        fix: "check its permissions and encoding"))
            }
        }
        if files.isEmpty, unreadable.isEmpty {
            unreadable.append(
                PipelineDiagnostic(
                    file: directoryPath, line: nil, keyPath: "",
                    problem: "no pipeline files (*.yaml) found",
                    fix: "point the engine at the repository's pipelines/ directory"))
        }
        return try parse(files: files, earlierProblems: unreadable)
    }

    /// Validates pipeline files given as `(path, text)`; the file name without `.yaml` is the
    /// pipeline's name.
    public static func parse(files: [(path: String, text: String)]) throws -> PipelineCatalog {
        try parse(files: files, earlierProblems: [])
    }

    /// Validates one pipeline file on its own (its `depends_on` names are not checked).
    public static func parseFile(path: String, text: String) throws -> PipelineDefinition {
        var parser = PipelineFileParser(path: path, name: pipelineName(of: path))
        guard let definition = parser.parse(text) else {
            throw PipelineValidationError(diagnostics: parser.diagnostics)
        }
        return definition
    }

    private static func parse(
        files: [(path: String, text: String)],
        earlierProblems: [PipelineDiagnostic]
    ) throws -> PipelineCatalog {
        var diagnostics = earlierProblems
        var definitions: [PipelineDefinition] = []
        for file in files {
            var parser = PipelineFileParser(path: file.path, name: pipelineName(of: file.path))
            if let definition = parser.parse(file.text) { definitions.append(definition) }
            diagnostics += parser.diagnostics
        }
        diagnostics += crossFileProblems(definitions)
        guard diagnostics.isEmpty else { throw PipelineValidationError(diagnostics: diagnostics) }
        return PipelineCatalog(pipelines: dependencyOrder(definitions))
    }

    private static func pipelineName(of path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.hasSuffix(".yaml") ? String(file.dropLast(5)) : file
    }

    /// Unknown dependencies, dependency cycles, and tables claimed by two pipelines.
    private static func crossFileProblems(_ definitions: [PipelineDefinition]) -> [PipelineDiagnostic] {
        var problems: [PipelineDiagnostic] = []
        let names = definitions.map(\.name)
        var owner: [String: PipelineDefinition] = [:]
        for definition in definitions {
            for name in definition.dependsOn where !names.contains(name) {
                problems.append(
                    PipelineDiagnostic(
                        file: definition.sourcePath, line: nil, keyPath: "depends_on",
                        problem: "no pipeline is named '\(name)'", fix: NameSuggestion.fix(for: name, in: names.sorted())))
            }
            for table in definition.tables.map(\.name) {
                if let other = owner[table] {
                    problems.append(
                        PipelineDiagnostic(
                            file: definition.sourcePath, line: nil, keyPath: "targets[\"\(table)\"]",
                            problem: "\(table) is already filled by pipeline '\(other.name)' (\(other.sourcePath))",
                            fix: "let one pipeline own each table"))
                } else {
                    owner[table] = definition
                }
            }
        }
        for cycle in dependencyCycles(definitions) {
            let first = definitions.first { $0.name == cycle[0] }
            problems.append(
                PipelineDiagnostic(
                    file: first?.sourcePath ?? cycle[0], line: nil, keyPath: "depends_on",
                    problem: "dependency cycle " + (cycle + [cycle[0]]).joined(separator: " → "),
                    fix: "remove one of these depends_on entries"))
        }
        return problems
    }

    /// Cycles found by depth-first search, each reported once from its alphabetically first member.
    private static func dependencyCycles(_ definitions: [PipelineDefinition]) -> [[String]] {
        let edges = Dictionary(definitions.map { ($0.name, $0.dependsOn) }, uniquingKeysWith: { first, _ in first })
        var cycles: Set<[String]> = []
        func visit(_ name: String, path: [String]) {
            if let start = path.firstIndex(of: name) {
                let cycle = Array(path[start...])
                let pivot = cycle.indices.min { cycle[$0] < cycle[$1] } ?? 0
                cycles.insert(Array(cycle[pivot...] + cycle[..<pivot]))
                return
            }
            for next in edges[name] ?? [] where edges[next] != nil { visit(next, path: path + [name]) }
        }
        for name in edges.keys.sorted() { visit(name, path: []) }
        return cycles.sorted { $0.joined(separator: " ") < $1.joined(separator: " ") }
    }

    /// Kahn's algorithm, taking the alphabetically first ready pipeline each step so the order is stable.
    private static func dependencyOrder(_ definitions: [PipelineDefinition]) -> [PipelineDefinition] {
        var remaining = definitions.sorted { $0.name < $1.name }
        var done: Set<String> = []
        var ordered: [PipelineDefinition] = []
        while let index = remaining.firstIndex(where: { $0.dependsOn.allSatisfy(done.contains) }) {
            let next = remaining.remove(at: index)
            ordered.append(next)
            done.insert(next.name)
        }
        return ordered + remaining
    }
}
