#!/usr/bin/env python3
"""An Odoo 18 (or 19) XML-RPC server for tests and demos: Python 3.11 standard library only.

    python3 simulator.py --port 0 --companies 3 --expenses 5000 --seed 42

prints `READY port=<port>` on stdout once it listens, then serves until SIGTERM, SIGINT, or its
parent process exits. See README.md for the control API and what is (and is not) faithful.
"""
import argparse
import logging
import os
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import faults  # noqa: E402
import model_specs  # noqa: E402
import seed  # noqa: E402
import server  # noqa: E402
import service  # noqa: E402
import store as store_module  # noqa: E402
import timeutil  # noqa: E402
import wire  # noqa: E402

_metadata_cache: dict = {}


def load_fields(spec, odoo_version: int) -> dict:
    """Field metadata from the captured fields_get of a real Odoo, plus what l10n_ph adds."""
    capture_version = 19 if odoo_version >= 19 and spec.name == "hr.expense" else 18
    key = (capture_version, spec.capture)
    if key not in _metadata_cache:
        _metadata_cache[key] = wire.capture_value(capture_version, spec.capture)
    fields = {name: dict(attrs) for name, attrs in _metadata_cache[key].items()}
    if odoo_version >= 19:
        fields = {name: attrs for name, attrs in fields.items() if attrs.get("relation") != "hr.expense.sheet"}
    for name, attrs in spec.extra_fields.items():
        fields.setdefault(name, dict(attrs))
    return fields


def build_store(odoo_version: int, clock) -> store_module.Store:
    store = store_module.Store(clock, odoo_version)
    for spec in model_specs.build_specs(odoo_version).values():
        store.add_table(spec, load_fields(spec, odoo_version))
    return store


class State:
    """Everything the server and the control API share."""

    def __init__(self, args, seed_config: seed.SeedConfig):
        self.odoo_version = args.odoo_version
        self.verbose = args.verbose
        self.gzip_min_bytes = args.gzip_min_bytes
        self.credentials = service.Credentials(args.database, args.login, args.password, args.uid, args.api_key)
        self.clock = timeutil.Clock()
        self.faults = faults.FaultPlan()
        self.stats = server.Stats()
        self.store = build_store(self.odoo_version, self.clock)
        self.service = service.OdooService(self)
        self.seed_config = seed_config
        seed.populate(self.store, seed_config)

    def reseed(self, seed_config: seed.SeedConfig):
        with self.store.lock:
            seed.populate(self.store, seed_config)
            self.seed_config = seed_config
        self.faults.clear()
        self.stats.reset()
        self.faults.injected = 0
        self.clock.set_real()


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Odoo XML-RPC simulator for odoo-etl tests.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    parser.add_argument("--odoo-version", type=int, choices=(18, 19), default=18)
    parser.add_argument("--database", default="odoo_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--api-key", default=None, help="also accepted wherever the password is")
    parser.add_argument("--uid", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--companies", type=int, default=3)
    parser.add_argument("--partners", type=int, default=60, help="partners besides the companies' own")
    parser.add_argument("--employees", type=int, default=30)
    parser.add_argument("--expenses", type=int, default=2000)
    parser.add_argument("--moves", type=int, default=600, help="invoices, bills, refunds and entries")
    parser.add_argument("--burst", type=int, default=0,
                        help="draft expenses imported in one transaction at mid-timeline (they share one second)")
    parser.add_argument("--epoch", default="2025-01-01 00:00:00", help="start of the seeded timeline (UTC)")
    parser.add_argument("--span-days", type=int, default=365, help="length of the seeded timeline")
    parser.add_argument("--gzip-min-bytes", type=int, default=1024,
                        help="gzip answers at least this large when the client accepts gzip; -1 never")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    parser.add_argument("--detached", action="store_true",
                        help="keep running when the parent process exits (default: exit with it)")
    args = parser.parse_args(argv)
    epoch = timeutil.parse_datetime(args.epoch)
    if epoch is None:
        parser.error(f"--epoch {args.epoch!r} is not a timestamp (YYYY-MM-DD HH:MM:SS)")
    config = seed.SeedConfig(seed=args.seed, companies=args.companies, partners=args.partners,
                             employees=args.employees, expenses=args.expenses, moves=args.moves, burst=args.burst,
                             epoch=epoch, span_days=args.span_days)
    return args, config


def _exit_with_parent(on_exit):
    """Stops when the process that started us goes away (the test runner crashed or was killed).

    Polls for re-parenting rather than using Linux's PR_SET_PDEATHSIG, which fires when the
    spawning *thread* exits: a Swift test may start the simulator from a short-lived thread.
    """
    parent = os.getppid()

    def watch():
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                on_exit()
                return
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main(argv=None) -> int:
    args, config = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="odoo-simulator: %(message)s")
    try:
        state = State(args, config)
    except ValueError as error:
        print(f"odoo-simulator: {error}", file=sys.stderr)
        return 2
    try:
        httpd = server.SimulatorServer((args.host, args.port), state)
    except OSError as error:
        print(f"odoo-simulator: cannot listen on {args.host}:{args.port}: {error.strerror or error}", file=sys.stderr)
        return 2

    def stop(*_):
        threading.Thread(target=httpd.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if not args.detached:
        _exit_with_parent(stop)
    print(f"READY port={httpd.server_address[1]}", flush=True)
    try:
        httpd.serve_forever(poll_interval=0.2)
    finally:
        httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
