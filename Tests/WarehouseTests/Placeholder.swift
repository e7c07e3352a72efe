import XCTest

final class WarehouseTestsPlaceholder: XCTestCase {}
