import XCTest

final class XMLRPCTestsPlaceholder: XCTestCase {}
