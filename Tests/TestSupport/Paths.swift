import Foundation

/// Where the repository, its bundled test assets and the shared wire captures live.
public enum TestPaths {
    /// The repository root, found from this file's location (Tests/TestSupport/Paths.swift).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the checkout (CI lays a copy there); `ODOO_ETL_SHARED` overrides it.
    public static let shared: URL = {
        if let override = ProcessInfo.processInfo.environment["ODOO_ETL_SHARED"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    public static let odoo18Wire = shared.appendingPathComponent("fixtures/odoo18-wire")
    public static let odoo19Wire = shared.appendingPathComponent("fixtures/odoo19-wire")
    public static let odoo18Schema = shared.appendingPathComponent("fixtures/odoo18-schema")

    /// The Odoo simulator script (Python standard library only).
    public static let simulator = repositoryRoot.appendingPathComponent("simulator/simulator.py")

    /// Reads one capture of the Odoo 18 wire fixtures, e.g. `capture("version.response.xml")`.
    public static func odoo18Capture(_ name: String) throws -> Data {
        try Data(contentsOf: odoo18Wire.appendingPathComponent(name))
    }

    public static func odoo19Capture(_ name: String) throws -> Data {
        try Data(contentsOf: odoo19Wire.appendingPathComponent(name))
    }
}
