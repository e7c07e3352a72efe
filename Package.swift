// swift-tools-version:6.0
// Layering is strictly downward: each target may import only the targets listed as its dependencies.
import PackageDescription

let package = Package(
    name: "odoo-etl",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "odoo-etl", targets: ["odoo-etl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // System library: libpq-fe.h from Debian's libpq-dev. Only `Postgres` imports it.
        .systemLibrary(name: "CLibpq", path: "Sources/CLibpq"),
        // Typed shims for libcurl's variadic setopt/getinfo (libcurl4-openssl-dev). Only `HTTP` imports it.
        .target(name: "CCurl", path: "Sources/CCurl", linkerSettings: [.linkedLibrary("curl")]),
        // libpq wrapper: connections, bind-parameter queries, transactions, COPY in/out, advisory locks, PostgresError.
        .target(name: "Postgres", dependencies: ["CLibpq"]),
        // XML-RPC value model, request encoder and streaming response decoder; pure, no I/O.
        .target(name: "XMLRPC"),
        // libcurl transport: POST with keep-alive, gzip, timeouts, TLS verification, redacted URLs.
        .target(name: "HTTP", dependencies: ["CCurl"]),
        // Odoo's values as the engine sees them (records, dates, many2one…): pure types, no I/O.
        .target(name: "OdooModel"),
        // Odoo client (XML-RPC), Odoo value semantics, second-bucket incremental reader.
        .target(name: "Odoo", dependencies: ["OdooModel", "XMLRPC", "HTTP", "Postgres"], exclude: ["README-sql-source.md"]),
        // Pipeline YAML files into validated plans; pure transformers from Odoo records to warehouse rows.
        .target(name: "Pipelines", dependencies: ["OdooModel", .product(name: "Yams", package: "Yams")]),
        // Migrations, the idempotent staging-COPY-merge loader, sync state, run log, locks, delete reconciliation.
        .target(name: "Warehouse", dependencies: ["Postgres", "Pipelines", "OdooModel"], exclude: ["README.md"]),
        // The engine: plans units (pipeline x company), extracts with bounded buffering, retries, loads.
        .target(name: "Sync", dependencies: ["Odoo", "Pipelines", "Warehouse"], exclude: ["README.md"]),
        // Child processes, free ports, throwaway PostgreSQL, the simulator process: for the demo and the tests.
        .target(name: "LocalServers", dependencies: ["Postgres"], exclude: ["README.md"]),
        // Command-line commands, instance-matrix configuration, error -> message + exit code.
        .target(name: "ETLCommands", dependencies: [
            "Sync", "Warehouse", "Pipelines", "Odoo", "OdooModel", "XMLRPC", "Postgres", "HTTP", "LocalServers",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Yams", package: "Yams"),
        ]),
        // Thin executable.
        .executableTarget(name: "odoo-etl", dependencies: ["ETLCommands"]),

        // Test support: a real PostgreSQL per test run, the Odoo simulator process, fixture paths.
        .target(name: "TestSupport", dependencies: ["Postgres", "LocalServers"], path: "Tests/TestSupport"),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "XMLRPCTests", dependencies: ["XMLRPC", "TestSupport"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "TestSupport"]),
        .testTarget(name: "OdooTests", dependencies: ["Odoo", "TestSupport"]),
        .testTarget(name: "PipelinesTests", dependencies: ["Pipelines", "Postgres", "TestSupport"]),
        .testTarget(name: "WarehouseTests", dependencies: ["Warehouse", "Postgres", "Pipelines", "TestSupport"]),
        .testTarget(name: "SyncTests", dependencies: ["Sync", "TestSupport"]),
        .testTarget(name: "LocalServersTests", dependencies: ["LocalServers", "Postgres", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["Postgres", "LocalServers", "TestSupport"], exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v5]
)
