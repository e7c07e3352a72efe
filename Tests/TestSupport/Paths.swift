import Foundation
import LocalServers

/// Where the repository, its bundled test assets and the wire captures live.
public enum TestPaths {
    /// The repository root, found from this file's location (Tests/TestSupport/Paths.swift).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Real Odoo answers captured on the wire, vendored so that no test reads outside the checkout.
    public static let fixtures = repositoryRoot.appendingPathComponent("Tests/Fixtures")

    public static let odoo18Wire = fixtures.appendingPathComponent("odoo18-wire")
    public static let odoo19Wire = fixtures.appendingPathComponent("odoo19-wire")
    public static let odoo18Schema = fixtures.appendingPathComponent("odoo18-schema")

    /// The shipped pipeline files and warehouse migrations.
    public static let pipelines = repositoryRoot.appendingPathComponent("pipelines")
    public static let migrations = repositoryRoot.appendingPathComponent("warehouse")

    /// The Odoo simulator script (Python standard library only), where the demo finds it too.
    public static let simulator = SimulatorProcess.script(repositoryRoot: repositoryRoot)

    /// Reads one capture of the Odoo 18 wire fixtures, e.g. `capture("version.response.xml")`.
    public static func odoo18Capture(_ name: String) throws -> Data {
        try Data(contentsOf: odoo18Wire.appendingPathComponent(name))
    }

    public static func odoo19Capture(_ name: String) throws -> Data {
        try Data(contentsOf: odoo19Wire.appendingPathComponent(name))
    }
}
