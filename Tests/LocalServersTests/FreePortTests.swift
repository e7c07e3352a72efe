import Foundation
import LocalServers
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

final class FreePortTests: XCTestCase {
    func testAPickedPortCanBeBoundOnLoopback() throws {
        let port = try FreePort.pick()
        XCTAssertGreaterThan(port, 0)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(bound, 0, "port \(port): \(String(cString: strerror(errno)))")
    }
}
