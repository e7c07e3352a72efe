// swift-tools-version:6.0
// Layering is strictly downward: each target may import only the targets listed as its dependencies.
import PackageDescription

let package = Package(
    name: "odoo-etl",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "odoo-etl", targets: ["odoo-etl"])
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
        // The shared vocabulary, defined once: Odoo values, domains, JSON values, checkpoint, unit, row model, retry policy.
        .target(name: "ETLModel", exclude: ["README.md"]),
        // Odoo's API: client, fault mapping, record decoding, the second-bucket incremental reader.
        .target(name: "OdooRPC", dependencies: ["ETLModel", "XMLRPC", "HTTP"]),
        // The read-only SQL source over Odoo's own database, with the API reader's records and checkpoints.
        .target(name: "OdooSQL", dependencies: ["ETLModel", "Postgres"], exclude: ["README.md"]),
        // Pipeline YAML files into validated plans; pure transformers from Odoo records to warehouse rows.
        .target(name: "Pipelines", dependencies: ["ETLModel", .product(name: "Yams", package: "Yams")]),
        // Migrations, the idempotent staging-COPY-merge loader, sync state, run log, locks, delete reconciliation.
        .target(name: "Warehouse", dependencies: ["Postgres", "ETLModel"], exclude: ["README.md"]),
        // The engine: plans units (pipeline x company), extracts with bounded buffering, retries, loads.
        .target(name: "Sync", dependencies: ["OdooRPC", "OdooSQL", "Pipelines", "Warehouse"], exclude: ["README.md"]),
        // instance-matrix.yaml (the operators' format) into resolved environments; secrets and the one redactor.
        .target(
            name: "InstanceConfig", dependencies: ["ETLModel", .product(name: "Yams", package: "Yams")],
            exclude: ["README.md"]),
        // Child processes, free ports, throwaway PostgreSQL, the simulator process: for the demo and the tests.
        .target(name: "LocalServers", dependencies: ["Postgres"], exclude: ["README.md"]),
        // Command-line commands, error -> message + exit code, progress.
        .target(
            name: "ETLCommands",
            dependencies: [
                "Sync", "Warehouse", "Pipelines", "OdooRPC", "ETLModel", "XMLRPC", "Postgres", "HTTP",
                "InstanceConfig", "LocalServers",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]),
        // Thin executable.
        .executableTarget(name: "odoo-etl", dependencies: ["ETLCommands"]),

        // Test support: a real PostgreSQL per test run, the Odoo simulator process, fixture paths.
        .target(name: "TestSupport", dependencies: ["Postgres", "LocalServers", "OdooRPC", "XMLRPC"], path: "Tests/TestSupport"),
        .testTarget(name: "ETLModelTests", dependencies: ["ETLModel"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "XMLRPCTests", dependencies: ["XMLRPC", "TestSupport"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "TestSupport"]),
        .testTarget(name: "OdooRPCTests", dependencies: ["OdooRPC", "TestSupport"]),
        .testTarget(name: "OdooSQLTests", dependencies: ["OdooSQL", "OdooRPC", "TestSupport"]),
        .testTarget(name: "PipelinesTests", dependencies: ["Pipelines", "Postgres", "TestSupport"]),
        .testTarget(name: "WarehouseTests", dependencies: ["Warehouse", "Postgres", "Pipelines", "TestSupport"]),
        .testTarget(name: "SyncTests", dependencies: ["Sync", "TestSupport"]),
        .testTarget(name: "InstanceConfigTests", dependencies: ["InstanceConfig", "Postgres"]),
        .testTarget(name: "LocalServersTests", dependencies: ["LocalServers", "Postgres", "TestSupport"]),
        .testTarget(name: "ETLCommandsTests", dependencies: ["ETLCommands", "ETLModel", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["Postgres", "LocalServers", "TestSupport"], exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
