import Foundation

/// Feeds a `Data` to `XMLParser(stream:)` without copying it into a Core Foundation stream, and
/// records whether the parser has read to the end, which tells a document cut short from one that
/// is broken in the middle.
final class DataInputStream: InputStream {
    private let data: Data
    private var offset: Int
    private var status: Stream.Status = .notOpen

    /// True once a read has returned 0 because every byte was consumed.
    private(set) var reachedEnd = false

    init(_ data: Data) {
        self.data = data
        self.offset = data.startIndex
        super.init(data: Data())
    }

    override func open() {
        status = .open
    }

    override func close() {
        status = .closed
    }

    override var streamStatus: Stream.Status { status }

    override var streamError: Error? { nil }

    override var hasBytesAvailable: Bool { offset < data.endIndex }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength length: Int) -> Int {
        let count = min(length, data.endIndex - offset)
        guard count > 0 else {
            reachedEnd = true
            status = .atEnd
            return 0
        }
        data.copyBytes(to: buffer, from: offset..<(offset + count))
        offset += count
        return count
    }

    override func getBuffer(_ buffer: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, length len: UnsafeMutablePointer<Int>) -> Bool {
        false
    }
}
