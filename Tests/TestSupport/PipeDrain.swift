import Foundation

/// Reads a pipe to its end on a background queue. Read a child's stdout and stderr at once
/// (one through this), or a chatty child blocks forever on the pipe nobody is reading.
public final class PipeDrain: @unchecked Sendable {
    private let group = DispatchGroup()
    private var data = Data()

    public init(_ handle: FileHandle) {
        group.enter()
        DispatchQueue.global().async {
            self.data = handle.readDataToEndOfFile()
            self.group.leave()
        }
    }

    /// Everything the pipe carried, once its writer closed it.
    public func wait() -> Data {
        group.wait()
        return data
    }
}
