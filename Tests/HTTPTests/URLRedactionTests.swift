import HTTP
import XCTest

final class URLRedactionTests: XCTestCase {
    func testTheUserinfoPasswordIsMasked() {
        XCTAssertEqual(
            redactedURL("https://odoo:s3cret@erp.example.com/xmlrpc/2/object"),
            "https://odoo:***@erp.example.com/xmlrpc/2/object")
        XCTAssertEqual(redactedURL("https://odoo:s3cret@erp.example.com:8069"), "https://odoo:***@erp.example.com:8069")
    }

    func testAUserWithoutPasswordIsKept() {
        XCTAssertEqual(redactedURL("https://odoo@erp.example.com/x"), "https://odoo@erp.example.com/x")
    }

    func testURLsWithoutSecretsAreUnchanged() {
        for url in [
            "https://erp.example.com/xmlrpc/2/common", "http://[::1]:8069/x?db=prod", "http://127.0.0.1:80/",
            "https://erp.example.com/x?email=someone@example.com&keyword=a", "",
        ] {
            XCTAssertEqual(redactedURL(url), url)
        }
    }

    func testSensitiveQueryParametersAreMasked() {
        XCTAssertEqual(
            redactedURL("https://h/x?db=prod&password=a&key=b&token=c&api_key=d&Password=e&other=f"),
            "https://h/x?db=prod&password=***&key=***&token=***&api_key=***&Password=***&other=f")
    }

    func testPercentEncodedParameterNamesAreRecognised() {
        XCTAssertEqual(redactedURL("https://h/x?pass%77ord=a"), "https://h/x?pass%77ord=***")
    }

    func testFragmentTokensAreMasked() {
        XCTAssertEqual(redactedURL("https://h/cb#access_token=abc&state=1"), "https://h/cb#access_token=***&state=1")
    }

    func testBothUserinfoAndQueryAreMasked() {
        XCTAssertEqual(redactedURL("http://u:p@h:1/x?token=t#frag"), "http://u:***@h:1/x?token=***#frag")
    }

    func testAURLWithoutSchemeIsMaskedToo() {
        XCTAssertEqual(redactedURL("odoo:s3cret@erp.example.com:8069/x"), "odoo:***@erp.example.com:8069/x")
    }

    func testUnencodedDelimitersInAPasswordDoNotLeakIt() {
        for (url, secretParts) in [
            ("https://u:p#ss?w@h/x", ["p#ss", "ss?w"]),
            ("https://u:pa/ss@h/x", ["pa/ss", "ss@"]),
            ("https://u:a:b@h/x", ["a:b"]),
        ] {
            let redacted = redactedURL(url)
            XCTAssertTrue(redacted.hasPrefix("https://u:***@"), redacted)
            for part in secretParts {
                XCTAssertFalse(redacted.contains(part), "\(part) leaked in \(redacted)")
            }
        }
    }
}
