import XCTest

final class OdooTestsPlaceholder: XCTestCase {}
