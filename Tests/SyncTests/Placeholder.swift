import XCTest

final class SyncTestsPlaceholder: XCTestCase {}
