import XCTest

final class HTTPTestsPlaceholder: XCTestCase {}
