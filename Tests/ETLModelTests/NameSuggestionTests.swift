import ETLModel
import XCTest

/// The two shortcuts keep the behaviour each caller had before they shared one implementation.
final class NameSuggestionTests: XCTestCase {
    func testAbbreviationSuggestsTyposAndPrefixes() {
        let environments = ["local", "staging", "production"]
        XCTAssertEqual(NameSuggestion.closest(to: "stagin", among: environments, shortcut: .abbreviation), "staging")
        XCTAssertEqual(NameSuggestion.closest(to: "prod", among: environments, shortcut: .abbreviation), "production")
        XCTAssertEqual(NameSuggestion.closest(to: "PRODUCTOIN", among: environments, shortcut: .abbreviation), "production")
        XCTAssertNil(NameSuggestion.closest(to: "pr", among: environments, shortcut: .abbreviation))
        XCTAssertNil(NameSuggestion.closest(to: "", among: environments, shortcut: .abbreviation))
        // A suggestion must keep something of the word: "x" is two edits from "ab", but not a slip.
        XCTAssertNil(NameSuggestion.closest(to: "x", among: ["ab"], shortcut: .abbreviation))
        XCTAssertEqual(NameSuggestion.didYouMean("sycn", among: ["sync", "status"]), "; did you mean 'sync'?")
        XCTAssertEqual(NameSuggestion.didYouMean("deploy", among: ["sync", "status"]), "")
    }

    func testContainedNameSuggestsADecoratedNameFirst() {
        let keys = ["model", "fields", "target"]
        XCTAssertEqual(NameSuggestion.closest(to: "fields_list", among: keys, shortcut: .containedName), "fields")
        XCTAssertEqual(NameSuggestion.closest(to: "feilds", among: keys, shortcut: .containedName), "fields")
        XCTAssertEqual(NameSuggestion.closest(to: "x", among: ["ab"], shortcut: .containedName), "ab")
        XCTAssertNil(NameSuggestion.closest(to: "prod", among: ["production"], shortcut: .containedName))
    }

    func testTiesGoToTheFirstCandidate() {
        XCTAssertEqual(NameSuggestion.closest(to: "cat", among: ["cut", "cot"], shortcut: .abbreviation), "cut")
        XCTAssertEqual(NameSuggestion.closest(to: "cat", among: ["cot", "cut"], shortcut: .containedName), "cot")
    }

    func testALongPastedWordIsAnsweredQuickly() {
        let word = String(repeating: "a", count: 50_000)
        XCTAssertNil(NameSuggestion.closest(to: word, among: ["fields", "model"], shortcut: .abbreviation))
        XCTAssertNil(NameSuggestion.closest(to: word, among: ["fields", "model"], shortcut: .containedName))
    }
}
