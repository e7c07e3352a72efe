import ETLModel
import Foundation

/// The pipeline names available in the pipelines directory: each `<name>.yaml` file. The engine
/// parses the files; this only knows what exists, so names can be checked before anything runs.
struct PipelineFileNames {
    let directory: String
    let names: [String]

    init(directory: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError.pipelinesDirectoryMissing(path: directory)
        }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let names = files.filter { $0.hasSuffix(".yaml") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) }.sorted()
        guard !names.isEmpty else { throw CLIError.noPipelines(path: directory) }
        self.directory = directory
        self.names = names
    }

    private var shownDirectory: String { directory.hasSuffix("/") ? directory : directory + "/" }

    /// The `--pipeline` names, each checked to exist, in the order given without repeats.
    func requested(_ requested: [String], command: String) throws -> [String] {
        let unknown = requested.uniqued().filter { !names.contains($0) }
        guard unknown.isEmpty else {
            throw CLIError.invalidOptions(
                command: command,
                problems: unknown.map {
                    "--pipeline '\($0)': there is no \($0).yaml in \(shownDirectory)\(NameSuggestion.didYouMean($0, among: names))"
                })
        }
        return requested.uniqued()
    }

    /// The pipelines a run covers: the requested ones, else the enabled ones (checked while
    /// resolving the environment), else every one in the directory.
    func selection(requested: [String], enabled: [String]?) -> [String] {
        requested.isEmpty ? (enabled ?? names) : requested
    }
}

extension Array where Element: Hashable {
    /// The elements in order, later duplicates dropped.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
