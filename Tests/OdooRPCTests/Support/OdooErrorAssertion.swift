import OdooRPC
import XCTest

extension XCTestCase {
    /// The OdooError `expression` throws; fails the test when it returns or throws anything else.
    func odooError<T>(_ expression: @autoclosure () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> OdooError? {
        do {
            let value = try expression()
            XCTFail("expected an OdooError, got \(value)", file: file, line: line)
        } catch let error as OdooError {
            return error
        } catch {
            XCTFail("expected an OdooError, got \(type(of: error)): \(error)", file: file, line: line)
        }
        return nil
    }
}
