import XCTest

final class PipelinesTestsPlaceholder: XCTestCase {}
