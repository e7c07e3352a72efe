"""Self-test of the Odoo simulator, over real HTTP against a simulator subprocess.

Run from this directory:  python3 -m unittest test_simulator
The replay tests compare answers byte for byte with the real Odoo 18 and 19 captures vendored in
Tests/Fixtures.
"""
import gzip
import http.client
import json
import os
import socket
import subprocess
import sys
import time
import unittest
import xmlrpc.client

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import seed  # noqa: E402
import simulator  # noqa: E402
import wire  # noqa: E402

DB, UID, PASSWORD = "odoo_demo", 2, "admin"


WIRE_DIR = os.path.join(HERE, "..", "Tests", "Fixtures", "odoo18-wire")


class Simulator:
    """A simulator subprocess for one test class."""

    def __init__(self, *args):
        self.process = subprocess.Popen([sys.executable, os.path.join(HERE, "simulator.py"), "--port", "0", *args],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("READY port="):
            self.process.kill()
            raise RuntimeError(f"simulator did not start: {line!r} {self.process.stderr.read()}")
        self.port = int(line.strip().split("=")[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.object = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=False)
        self.common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common")

    def stop(self):
        self.object("close")()
        self.common("close")()
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process.stdout.close()
        self.process.stderr.close()

    def call(self, model, method, *args, **kwargs):
        return self.object.execute_kw(DB, UID, PASSWORD, model, method, list(args), kwargs)

    def control(self, path, payload=None, method="POST"):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        body = json.dumps(payload).encode() if payload is not None else None
        connection.request(method, f"/__control__/{path}", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        data = json.loads(response.read())
        connection.close()
        if response.status != 200:
            raise AssertionError(f"control {path} answered {response.status}: {data}")
        return data

    def raw(self, path, body: bytes, headers=None, method="POST"):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body, headers or {"Content-Type": "text/xml"})
            response = connection.getresponse()
            return response, response.read()
        finally:
            connection.close()


class SimulatorTestCase(unittest.TestCase):
    ARGS: tuple = ("--companies", "3", "--expenses", "600", "--moves", "120", "--partners", "40",
                   "--employees", "12")

    @classmethod
    def setUpClass(cls):
        cls.sim = Simulator(*cls.ARGS)

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()

    def assertFault(self, code, call, *args, **kwargs):
        with self.assertRaises(xmlrpc.client.Fault) as context:
            call(*args, **kwargs)
        self.assertEqual(context.exception.faultCode, code, context.exception.faultString[-300:])
        return context.exception.faultString


class WireFidelityTests(SimulatorTestCase):
    """Requests captured on a real Odoo 18 get the same bytes back."""

    PROTOCOL_CAPTURES = ("version", "authenticate_ok", "authenticate_bad_password", "authenticate_bad_db",
                         "execute_kw_bad_password", "fault_unknown_model", "fault_unknown_field", "fault_bad_domain",
                         "search_read_empty", "fields_get_hr_expense", "fields_get_hr_expense_sheet",
                         "fields_get_account_move", "fields_get_account_move_line", "fields_get_res_partner",
                         "fields_get_res_company", "fields_get_res_currency", "fields_get_hr_employee",
                         "fields_get_account_account")

    def setUp(self):
        self.wire_dir = WIRE_DIR
        with open(os.path.join(self.wire_dir, "index.json")) as handle:
            self.endpoints = {entry["name"]: entry["endpoint"] for entry in json.load(handle)}

    def replay(self, name):
        with open(os.path.join(self.wire_dir, f"{name}.request.xml"), "rb") as handle:
            response, body = self.sim.raw(self.endpoints[name], handle.read())
        self.assertEqual(response.status, 200)
        self.assertEqual(response.getheader("Content-Type"), "text/xml; charset=utf-8")
        return body

    def expected(self, name):
        with open(os.path.join(self.wire_dir, f"{name}.response.xml"), "rb") as handle:
            return handle.read()

    def test_protocol_answers_are_byte_identical(self):
        for name in self.PROTOCOL_CAPTURES:
            with self.subTest(capture=name):
                self.assertEqual(self.replay(name), self.expected(name))

    def test_vendored_captures_are_exact_copies(self):
        directory = os.path.join(HERE, "captures", "odoo18")
        for file_name in sorted(os.listdir(directory)):
            with gzip.open(os.path.join(directory, file_name), "rb") as vendored:
                with open(os.path.join(self.wire_dir, file_name[:-3]), "rb") as original:
                    self.assertEqual(vendored.read(), original.read(), file_name)
        odoo19 = os.path.join(self.wire_dir, "..", "odoo19-wire")
        for vendored_name, original_name in (("version", "01_xmlrpc_common_version"),
                                             ("fields_get_hr_expense", "11_xmlrpc_hr_expense_fields_get")):
            with gzip.open(os.path.join(HERE, "captures", "odoo19", f"{vendored_name}.response.xml.gz"), "rb") as vendored:
                with open(os.path.join(odoo19, f"{original_name}.response.xml"), "rb") as original:
                    self.assertEqual(vendored.read(), original.read(), vendored_name)

    def test_account_tax_metadata_is_the_capture_plus_the_philippine_atc(self):
        ours = xmlrpc.client.loads(self.replay("fields_get_account_tax"))[0][0]
        theirs = xmlrpc.client.loads(self.expected("fields_get_account_tax"))[0][0]
        self.assertEqual(set(ours) - set(theirs), {"l10n_ph_atc"})
        self.assertEqual({k: ours[k] for k in theirs}, theirs)

    def test_data_answers_have_the_captured_shape(self):
        def kind(value):
            if isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str):
                return "many2one"
            return type(value).__name__
        for name in ("search_read_hr_expense_page1", "search_read_account_move", "search_read_account_move_line",
                     "search_read_res_partner_archived", "read_group_hr_expense"):
            with self.subTest(capture=name):
                ours = xmlrpc.client.loads(self.replay(name))[0][0]
                theirs = xmlrpc.client.loads(self.expected(name))[0][0]
                self.assertTrue(ours)
                self.assertEqual(list(ours[0]), list(theirs[0]))
                for key in theirs[0]:
                    captured = {kind(r[key]) for r in theirs if r[key] is not False}
                    produced = {kind(r[key]) for r in ours if r[key] is not False}
                    if captured and produced:
                        self.assertEqual(captured, produced, key)


class ProtocolTests(SimulatorTestCase):
    def test_version_and_authenticate(self):
        self.assertEqual(self.sim.common.version()["server_serie"], "18.0")
        self.assertEqual(self.sim.common.authenticate(DB, "admin", PASSWORD, {}), UID)
        self.assertIs(self.sim.common.authenticate(DB, "admin", "wrong", {}), False)
        self.assertIs(self.sim.common.authenticate(DB, "nobody", PASSWORD, {}), False)
        text = self.assertFault(1, self.sim.common.authenticate, "other_db", "admin", PASSWORD, {})
        self.assertIn('database "other_db" does not exist', text)

    def test_credentials_are_checked_on_every_call(self):
        text = self.assertFault(3, self.sim.object.execute_kw, DB, UID, "wrong", "hr.expense", "search_count", [[]])
        self.assertEqual(text, "Access Denied")
        self.assertFault(3, self.sim.object.execute_kw, DB, False, PASSWORD, "hr.expense", "search_count", [[]])
        self.assertFault(1, self.sim.object.execute_kw, "other_db", UID, PASSWORD, "hr.expense", "search_count", [[]])

    def test_unknown_model_method_and_private_method(self):
        self.assertEqual(self.assertFault(2, self.sim.call, "x.no.such", "search", []),
                         "Object x.no.such doesn't exist")
        text = self.assertFault(1, self.sim.call, "hr.expense", "no_such_method")
        self.assertTrue(text.endswith("AttributeError: The method 'hr.expense.no_such_method' does not exist\n"))
        self.assertIn("Private methods", self.assertFault(4, self.sim.call, "hr.expense", "_compute_state"))

    def test_bad_arguments_fail_like_python(self):
        text = self.assertFault(1, self.sim.call, "hr.expense", "search_read", [], bogus=1)
        self.assertTrue(text.endswith("TypeError: BaseModel._read_format() got an unexpected keyword argument "
                                      "'bogus'\n"), text[-200:])
        text = self.assertFault(1, self.sim.call, "hr.expense", "search_read", [], fields=["no_such_field"])
        self.assertIn("ValueError: Invalid field 'no_such_field' on model 'hr.expense'", text)
        text = self.assertFault(1, self.sim.call, "hr.expense", "search_read", [], order="id; drop table")
        self.assertIn('Invalid "order" specified', text)

    def test_empty_values_and_types(self):
        record = self.sim.call("hr.expense", "search_read", [["description", "=", False]],
                               fields=["description", "sheet_id", "total_amount", "tax_ids", "date", "write_date",
                                       "activity_state", "nb_attachment"], limit=1)[0]
        self.assertIs(record["description"], False)
        self.assertIsInstance(record["total_amount"], float)
        self.assertIsInstance(record["tax_ids"], list)
        self.assertRegex(record["date"], r"^\d{4}-\d{2}-\d{2}$")
        self.assertRegex(record["write_date"], r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
        self.assertIs(record["activity_state"], False)
        self.assertEqual(record["nb_attachment"], 0)
        self.assertEqual(list(record), ["id", "description", "sheet_id", "total_amount", "tax_ids", "date",
                                        "write_date", "activity_state", "nb_attachment"])

    def test_integers_beyond_32_bits_arrive_as_double(self):
        response, body = self.sim.raw("/xmlrpc/2/object", xmlrpc.client.dumps(
            (DB, UID, PASSWORD, "res.partner", "search_read", [[["partner_gid", ">", 2**31 - 1]]],
             {"fields": ["partner_gid"], "context": {"active_test": False}}), "execute_kw").encode())
        self.assertIn(b"<name>partner_gid</name>\n<value><double>", body)
        self.assertNotIn(b"<name>partner_gid</name>\n<value><int>", body)
        rows = xmlrpc.client.loads(body)[0][0]
        self.assertTrue(rows)
        self.assertTrue(all(isinstance(r["partner_gid"], float) and r["partner_gid"] > 2**31 for r in rows))
        small = self.sim.call("res.partner", "search_read", [["partner_gid", "<", 100]], fields=["partner_gid"],
                              limit=1)
        self.assertIsInstance(small[0]["partner_gid"], int)

    def test_many2one_is_id_and_display_name(self):
        line = self.sim.call("account.move.line", "search_read", [["display_type", "=", "product"]],
                             fields=["move_id", "account_id"], limit=1, order="id")[0]
        move = self.sim.call("account.move", "read", [line["move_id"][0]], ["display_name"])[0]
        self.assertEqual(line["move_id"][1], move["display_name"])
        self.assertRegex(line["account_id"][1], r"^\d{6} ")
        raw = self.sim.call("account.move.line", "read", [line["id"]], ["move_id"], load=False)[0]
        self.assertEqual(raw["move_id"], line["move_id"][0])


class HttpTests(SimulatorTestCase):
    def test_web_login_health_and_unknown_routes(self):
        response, body = self.sim.raw("/web/login", None, {}, method="GET")
        self.assertEqual(response.status, 200)
        self.assertIn(b"oe_login_form", body)
        self.assertEqual(self.sim.raw("/nowhere", None, {}, method="GET")[0].status, 404)
        self.assertEqual(self.sim.raw("/xmlrpc/2/object", None, {}, method="GET")[0].status, 405)

    def test_gzip_when_accepted(self):
        body = xmlrpc.client.dumps((DB, UID, PASSWORD, "hr.expense", "search_read", [[]], {"limit": 50}),
                                   "execute_kw").encode()
        response, data = self.sim.raw("/xmlrpc/2/object", body, {"Accept-Encoding": "gzip"})
        self.assertEqual(response.getheader("Content-Encoding"), "gzip")
        self.assertEqual(len(xmlrpc.client.loads(gzip.decompress(data))[0][0]), 50)
        response, data = self.sim.raw("/xmlrpc/2/object", body, {})
        self.assertIsNone(response.getheader("Content-Encoding"))

    def test_keep_alive_serves_many_requests_on_one_connection(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.sim.port, timeout=10)
        body = xmlrpc.client.dumps((), "version").encode()
        started = time.monotonic()
        for _ in range(50):
            connection.request("POST", "/xmlrpc/2/common", body)
            response = connection.getresponse()
            self.assertEqual(response.status, 200)
            response.read()
        # small answers must not wait for delayed ACKs (Nagle): 50 calls take milliseconds, not 2 s
        self.assertLess(time.monotonic() - started, 1.0)
        self.assertIsNotNone(connection.sock)
        connection.close()

    def test_legacy_endpoint_execute_and_expect_continue(self):
        body = xmlrpc.client.dumps((DB, UID, "wrong", "hr.expense", "search_count", [[]]), "execute_kw").encode()
        _, data = self.sim.raw("/xmlrpc/object", body)
        with self.assertRaises(xmlrpc.client.Fault) as context:
            xmlrpc.client.loads(data)
        self.assertEqual(context.exception.faultCode, "AccessDenied")
        self.assertEqual(self.sim.object.execute(DB, UID, PASSWORD, "res.currency", "search_count", []), 2)
        body = xmlrpc.client.dumps((), "version").encode()
        with socket.create_connection(("127.0.0.1", self.sim.port), timeout=10) as raw:
            raw.sendall(b"POST /xmlrpc/2/common HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\n"
                        b"Expect: 100-continue\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n")
            self.assertTrue(raw.recv(100).startswith(b"HTTP/1.1 100 Continue"))
            raw.sendall(body)
            answer = b""
            while b"</methodResponse>" not in answer:
                answer += raw.recv(65536)
        self.assertIn(b"HTTP/1.1 200 OK", answer)

    def test_malformed_xml_is_an_application_fault(self):
        response, body = self.sim.raw("/xmlrpc/2/object", b"<methodCall><oops")
        self.assertEqual(response.status, 200)
        with self.assertRaises(xmlrpc.client.Fault) as context:
            xmlrpc.client.loads(body)
        self.assertEqual(context.exception.faultCode, 1)


class DomainTests(SimulatorTestCase):
    def ids(self, model, domain, **kwargs):
        kwargs.setdefault("context", {"active_test": False})
        return set(self.sim.call(model, "search", domain, **kwargs))

    def all_rows(self, model, fields):
        return self.sim.call(model, "search_read", [], fields=fields, context={"active_test": False})

    def test_comparison_operators_match_a_reference_evaluation(self):
        rows = self.all_rows("hr.expense", ["total_amount", "state", "date", "company_id", "sheet_id", "name"])
        cases = [
            (["total_amount", ">", 1000], lambda r: r["total_amount"] > 1000),
            (["total_amount", ">=", 1000], lambda r: r["total_amount"] >= 1000),
            (["total_amount", "<", 500], lambda r: r["total_amount"] < 500),
            (["total_amount", "<=", 500], lambda r: r["total_amount"] <= 500),
            (["state", "=", "done"], lambda r: r["state"] == "done"),
            (["state", "!=", "done"], lambda r: r["state"] != "done"),
            (["state", "in", ["draft", "refused"]], lambda r: r["state"] in ("draft", "refused")),
            (["state", "not in", ["draft", "refused"]], lambda r: r["state"] not in ("draft", "refused")),
            (["date", ">=", "2025-06-01"], lambda r: r["date"] >= "2025-06-01"),
            (["company_id", "=", 2], lambda r: r["company_id"][0] == 2),
            (["company_id", "in", [1, 3]], lambda r: r["company_id"][0] in (1, 3)),
            (["sheet_id", "=", False], lambda r: r["sheet_id"] is False),
            (["sheet_id", "!=", False], lambda r: r["sheet_id"] is not False),
            (["name", "ilike", "HOTEL"], lambda r: "hotel" in r["name"].lower()),
            (["name", "like", "Hotel"], lambda r: "Hotel" in r["name"]),
            (["name", "not ilike", "hotel"], lambda r: "hotel" not in r["name"].lower()),
            (["name", "=like", "Hotel%"], lambda r: r["name"].startswith("Hotel")),
            (["name", "=ilike", "hotel c_bu"], lambda r: r["name"].lower() == "hotel cebu"),
            (["company_id", "ilike", "cebu"], lambda r: "cebu" in r["company_id"][1].lower()),
        ]
        for leaf, reference in cases:
            with self.subTest(leaf=leaf):
                expected = {r["id"] for r in rows if reference(r)}
                self.assertEqual(self.ids("hr.expense", [leaf]), expected)
                self.assertTrue(0 < len(expected) < len(rows) or leaf[0] == "name", leaf)

    def test_prefix_operators_and_implicit_and(self):
        rows = self.all_rows("hr.expense", ["state", "company_id", "total_amount"])

        def expect(predicate):
            return {r["id"] for r in rows if predicate(r)}
        self.assertEqual(self.ids("hr.expense", ["|", ["state", "=", "draft"], ["company_id", "=", 1]]),
                         expect(lambda r: r["state"] == "draft" or r["company_id"][0] == 1))
        self.assertEqual(self.ids("hr.expense", [["state", "=", "draft"], ["company_id", "=", 1]]),
                         expect(lambda r: r["state"] == "draft" and r["company_id"][0] == 1))
        self.assertEqual(self.ids("hr.expense", ["!", ["state", "=", "draft"]]), expect(lambda r: r["state"] != "draft"))
        self.assertEqual(
            self.ids("hr.expense", ["&", "|", ["state", "=", "draft"], ["state", "=", "done"], "!",
                                    ["total_amount", ">", 1000]]),
            expect(lambda r: r["state"] in ("draft", "done") and not r["total_amount"] > 1000))

    def test_null_semantics_follow_postgresql(self):
        rows = self.all_rows("res.partner", ["vat", "company_id"])
        no_vat = {r["id"] for r in rows if r["vat"] is False}
        self.assertEqual(self.ids("res.partner", [["vat", "=", False]]), no_vat)
        # != and not ilike include NULL rows; like never matches NULL
        self.assertTrue(no_vat <= self.ids("res.partner", [["vat", "!=", "123-456-789-000"]]))
        self.assertTrue(no_vat <= self.ids("res.partner", [["vat", "not ilike", "-000"]]))
        self.assertFalse(no_vat & self.ids("res.partner", [["vat", "ilike", ""]]))
        shared = {r["id"] for r in rows if r["company_id"] is False}
        self.assertEqual(self.ids("res.partner", [["company_id", "in", [False]]]), shared)
        self.assertTrue(shared <= self.ids("res.partner", [["company_id", "not in", [1]]]))
        self.assertFalse(shared & self.ids("res.partner", [["company_id", "not in", [1, False]]]))

    def test_many2many_and_child_of(self):
        taxed = self.ids("hr.expense", [["tax_ids", "!=", False]])
        untaxed = self.ids("hr.expense", [["tax_ids", "=", False]])
        self.assertTrue(taxed and untaxed and not taxed & untaxed)
        tax = self.sim.call("hr.expense", "read", [min(taxed)], ["tax_ids"])[0]["tax_ids"][0]
        self.assertEqual(self.ids("hr.expense", [["tax_ids", "in", [tax]]]),
                         self.ids("hr.expense", [["tax_ids", "=", tax]]))
        children = self.ids("res.company", [["id", "child_of", 1]])
        self.assertIn(1, children)
        self.assertIn(3, children)  # company 3's parent is company 1 in the seeded data
        self.assertEqual(self.ids("res.company", [["id", "parent_of", 3]]), {1, 3})

    def test_dotted_paths_and_name_search(self):
        partners = self.sim.call("res.partner", "search_read", [["is_company", "=", True]], fields=["name"],
                                 context={"active_test": False})
        vendor = next(p for p in partners if self.ids("hr.expense", [["vendor_id", "=", p["id"]]]))
        self.assertEqual(self.ids("hr.expense", [["vendor_id.name", "=", vendor["name"]]]),
                         self.ids("hr.expense", [["vendor_id", "in", [p["id"] for p in partners
                                                                      if p["name"] == vendor["name"]]]]))
        found = self.sim.call("res.currency", "name_search", "PH")
        self.assertEqual(found, [[2, "PHP"]])

    def test_domain_errors_like_odoo(self):
        text = self.assertFault(1, self.sim.call, "hr.expense", "search", [["nope", "=", 1]])
        self.assertTrue(text.endswith("ValueError: Invalid field hr.expense.nope in leaf ('nope', '=', 1)\n"))
        text = self.assertFault(1, self.sim.call, "hr.expense", "search", [["id", "~~", 1]])
        self.assertTrue(text.endswith("ValueError: Invalid leaf ('id', '~~', 1)\n"))
        text = self.assertFault(1, self.sim.call, "hr.expense", "search", ["|", ["id", "=", 1]])
        self.assertIn("is syntactically not correct", text)
        text = self.assertFault(1, self.sim.call, "hr.expense", "search", [["write_date", ">", "yesterday"]])
        self.assertIn('invalid input syntax for type timestamp: "yesterday"', text)

    def test_order_offset_limit(self):
        rows = self.all_rows("hr.expense", ["total_amount", "date"])
        by_amount = [r["id"] for r in sorted(rows, key=lambda r: (-r["total_amount"], r["id"]))]
        self.assertEqual(self.sim.call("hr.expense", "search", [], order="total_amount desc, id", offset=5, limit=7),
                         by_amount[5:12])
        default = self.sim.call("hr.expense", "search", [], limit=20)
        expected = [r["id"] for r in sorted(rows, key=lambda r: (r["date"], r["id"]), reverse=True)][:20]
        self.assertEqual(default, expected)  # hr.expense._order = 'date desc, id desc'
        partners = self.sim.call("res.partner", "search_read", [], fields=["complete_name"], order="complete_name",
                                 limit=10)
        names = [p["complete_name"] for p in partners]
        self.assertEqual(names, sorted(names))
        self.assertEqual(self.sim.call("hr.expense", "search_count", [["state", "=", "done"]]),
                         len(self.ids("hr.expense", [["state", "=", "done"]])))


class CompanyAndActiveTests(SimulatorTestCase):
    def test_active_test_hides_archived_records(self):
        visible = set(self.sim.call("res.partner", "search", []))
        everything = set(self.sim.call("res.partner", "search", [], context={"active_test": False}))
        archived = set(self.sim.call("res.partner", "search", [["active", "=", False]]))
        self.assertTrue(archived)
        self.assertEqual(everything - visible, archived)
        self.assertIn(2, archived)  # OdooBot, as in a real database
        self.assertEqual(self.sim.call("res.currency", "search_read", [], fields=["name"]),
                         [{"id": 2, "name": "PHP"}, {"id": 1, "name": "USD"}])

    def test_allowed_company_ids_restricts_company_records(self):
        rows = self.sim.call("hr.expense", "search_read", [], fields=["company_id"],
                             context={"allowed_company_ids": [2]})
        self.assertTrue(rows)
        self.assertEqual({r["company_id"][0] for r in rows}, {2})
        partners = self.sim.call("res.partner", "search_read", [], fields=["company_id"],
                                 context={"allowed_company_ids": [2], "active_test": False})
        self.assertEqual({p["company_id"][0] if p["company_id"] else False for p in partners}, {2, False})
        everything = self.sim.call("hr.expense", "search_count", [])
        self.assertEqual(sum(self.sim.call("hr.expense", "search_count", [], context={"allowed_company_ids": [c]})
                             for c in (1, 2, 3)), everything)

    def test_foreign_company_records_are_refused_and_bad_companies_rejected(self):
        other = self.sim.call("hr.expense", "search", [["company_id", "=", 1]], limit=1)
        text = self.assertFault(4, self.sim.call, "hr.expense", "read", other, ["name"],
                                context={"allowed_company_ids": [2]})
        self.assertIn("doesn't have 'read' access", text)
        self.assertEqual(self.assertFault(4, self.sim.call, "hr.expense", "search", [],
                                          context={"allowed_company_ids": [99]}),
                         "Access to unauthorized or invalid companies.")
        self.assertEqual(self.sim.call("hr.expense", "read", [999999], ["name"]), [])


class ReadGroupTests(SimulatorTestCase):
    def test_sum_per_company_matches_the_totals_helper_to_the_cent(self):
        groups = self.sim.call("hr.expense", "read_group", [], ["total_amount:sum"], ["company_id"], lazy=False)
        totals = self.sim.control("totals", {"model": "hr.expense", "field": "total_amount"})
        self.assertEqual(len(groups), 3)
        for group in groups:
            company = str(group["company_id"][0])
            self.assertEqual(round(group["total_amount"] * 100), totals["groups"][company]["cents"])
            self.assertEqual(group["__count"], totals["groups"][company]["count"])
            self.assertEqual(group["__domain"], [["company_id", "=", group["company_id"][0]]])
        self.assertEqual(list(groups[0]), ["company_id", "__count", "total_amount", "__domain"])

    def test_month_groups_lazy_and_domain(self):
        groups = self.sim.call("hr.expense", "read_group", [["state", "=", "done"]], ["total_amount"],
                               ["date:month", "company_id"])
        self.assertTrue(groups)
        first = groups[0]
        self.assertRegex(first["date:month"], r"^[A-Z][a-z]+ \d{4}$")
        self.assertIn("date_count", first)
        self.assertEqual(first["__context"], {"group_by": ["company_id"]})
        start, end = first["__range"]["date:month"]["from"], first["__range"]["date:month"]["to"]
        self.assertEqual(first["__domain"], ["&", ["state", "=", "done"], "&", ["date", ">=", start],
                                             ["date", "<", end]])
        count = self.sim.call("hr.expense", "search_count", first["__domain"])
        self.assertEqual(count, first["date_count"])
        labels = [g["date:month"] for g in groups]
        self.assertEqual(len(labels), len(set(labels)))
        quarters = self.sim.call("hr.expense", "read_group", [], ["__count"], ["date:quarter"], lazy=False)
        self.assertEqual(sum(g["__count"] for g in quarters), self.sim.call("hr.expense", "search_count", []))
        self.assertRegex(quarters[0]["date:quarter"], r"^Q[1-4] \d{4}$")


class WriteDateTests(SimulatorTestCase):
    """write_date semantics of a real Odoo: one microsecond timestamp per transaction, sent as seconds."""

    ARGS = ("--companies", "2", "--expenses", "300", "--moves", "20", "--employees", "6", "--partners", "10")

    def setUp(self):
        self.sim.control("reset", {})

    def create_burst(self, count, at, company_id=1):
        return self.sim.control("create", {"model": "hr.expense", "count": count, "company_id": company_id,
                                           "at": at})["ids"]

    def test_one_transaction_shares_one_timestamp_and_the_wire_drops_the_fraction(self):
        self.sim.control("clock", {"set": "2026-03-01 10:00:40.250000"})
        ids = self.sim.call("hr.expense", "create", [{"name": "A", "employee_id": 1, "total_amount_currency": 1.0},
                                                     {"name": "B", "employee_id": 1, "total_amount_currency": 2.0}])
        stored = self.sim.control("read", {"model": "hr.expense", "ids": ids})["records"]
        self.assertEqual({r["write_date"] for r in stored}, {"2026-03-01 10:00:40.250000"})
        wire_rows = self.sim.call("hr.expense", "read", ids, ["write_date", "create_date"])
        self.assertEqual({r["write_date"] for r in wire_rows}, {"2026-03-01 10:00:40"})
        self.sim.control("clock", {"advance_seconds": 0.5})
        self.sim.call("hr.expense", "write", ids[:1], {"description": "edited"})
        stored = self.sim.control("read", {"model": "hr.expense", "ids": ids})["records"]
        self.assertEqual(stored[0]["write_date"], "2026-03-01 10:00:40.750000")
        self.assertEqual(stored[0]["create_date"], "2026-03-01 10:00:40.250000")

    def test_domain_compares_the_stored_microseconds(self):
        fractional = self.create_burst(3, "2026-04-01 08:00:40.500000")
        whole = self.create_burst(2, "2026-04-01 08:00:40.000000")
        second = "2026-04-01 08:00:40"
        self.assertEqual(set(self.sim.call("hr.expense", "search", [["write_date", "=", second]])), set(whole))
        later = set(self.sim.call("hr.expense", "search", [["write_date", ">", second]]))
        self.assertTrue(set(fractional) <= later)
        self.assertFalse(set(whole) & later)
        self.assertEqual(set(self.sim.call("hr.expense", "search", [["write_date", ">=", second],
                                                                  ["write_date", "<", "2026-04-01 08:00:41"]])),
                         set(fractional) | set(whole))

    def test_textbook_keyset_paging_loops_on_a_crowded_second(self):
        self.create_burst(5000, "2026-05-01 12:00:40.123456")
        domain_from = []
        order, limit = "write_date asc, id asc", 1000
        pages = []
        for _ in range(4):
            rows = self.sim.call("hr.expense", "search_read", domain_from, fields=["write_date"], order=order,
                                 limit=limit, context={"active_test": False})
            pages.append([r["id"] for r in rows])
            last = rows[-1]
            domain_from = ["|", ["write_date", ">", last["write_date"]], "&",
                           ["write_date", "=", last["write_date"]], ["id", ">", last["id"]]]
        # once inside the crowded second, every "next page" starts that second over again
        crowded = [p for p in pages if p and p == pages[-1]]
        self.assertGreaterEqual(len(crowded), 2)

    def test_second_bucket_paging_delivers_every_record_exactly_once(self):
        burst = set(self.create_burst(5000, "2026-05-01 12:00:40.123456", company_id=1))
        self.create_burst(7, "2026-05-01 12:00:40.900000", company_id=1)
        self.create_burst(3, "2026-05-01 12:00:41.000000", company_id=1)
        context = {"active_test": False, "allowed_company_ids": [1]}
        expected = set(self.sim.call("hr.expense", "search", [], context=context))
        delivered, queries = second_bucket_sync(self.sim, "hr.expense", 1000, context)
        self.assertEqual(len(delivered), len(set(delivered)), "a record was delivered twice")
        self.assertEqual(set(delivered), expected)
        self.assertTrue(burst <= set(delivered))
        self.assertLess(queries, 30)

    def test_burst_flag_puts_that_many_expenses_in_one_second(self):
        sim = Simulator("--companies", "1", "--expenses", "6000", "--moves", "0", "--employees", "3",
                        "--partners", "5", "--burst", "5000")
        try:
            rows = sim.call("hr.expense", "search_read", [], fields=["write_date"], context={"active_test": False})
            per_second = {}
            for row in rows:
                per_second[row["write_date"]] = per_second.get(row["write_date"], 0) + 1
            self.assertGreaterEqual(max(per_second.values()), 5000)
            delivered, _ = second_bucket_sync(sim, "hr.expense", 997, {"active_test": False})
            self.assertEqual(sorted(delivered), sorted(r["id"] for r in rows))
        finally:
            sim.stop()

    def test_a_long_transaction_commits_rows_older_than_a_checkpoint(self):
        self.sim.control("clock", {"set": "2026-06-01 09:00:00.000000"})
        transaction = self.sim.control("transactions/begin", {})
        pending = self.sim.control(f"transactions/{transaction['transaction']}/create",
                                   {"model": "hr.expense", "count": 3, "company_id": 1})["ids"]
        self.sim.control("clock", {"set": "2026-06-01 09:00:05.000000"})
        quick = self.sim.call("hr.expense", "create", {"name": "quick", "employee_id": 1})
        newest = self.sim.call("hr.expense", "search_read", [], fields=["write_date"], order="write_date desc, id desc",
                               limit=1)[0]
        self.assertEqual(newest["id"], quick)
        self.assertFalse(set(pending) & set(self.sim.call("hr.expense", "search", [])))
        self.assertLess(max(pending), quick)  # ids come from the sequence at INSERT time
        self.sim.control(f"transactions/{transaction['transaction']}/commit", {})
        after_checkpoint = set(self.sim.call("hr.expense", "search", [["write_date", ">", newest["write_date"]]]))
        self.assertFalse(set(pending) & after_checkpoint, "late rows are older than the checkpoint")
        lookback = set(self.sim.call("hr.expense", "search", [["write_date", ">=", "2026-06-01 08:55:00"]]))
        self.assertTrue(set(pending) <= lookback)

    def test_manual_clock_step_spaces_transactions(self):
        self.sim.control("clock", {"set": "2026-07-01 00:00:00", "step_us": 1500})
        first = self.sim.call("hr.expense", "create", {"name": "one", "employee_id": 1})
        self.sim.call("hr.expense", "search", [], limit=1)
        second = self.sim.call("hr.expense", "create", {"name": "two", "employee_id": 1})
        stored = self.sim.control("read", {"model": "hr.expense", "ids": [first, second]})["records"]
        self.assertEqual([r["write_date"] for r in stored],
                         ["2026-07-01 00:00:00.000000", "2026-07-01 00:00:00.001500"])


def second_bucket_sync(sim, model, page, context):
    """The paging of ARCHITECTURE.md section 4, as the engine must implement it."""
    delivered, queries = [], 0
    second, last_id = None, 0
    while True:
        if second is not None:
            while True:
                upper = _next_second(second)
                rows = sim.call(model, "search_read", [["write_date", ">=", second], ["write_date", "<", upper],
                                                       ["id", ">", last_id]],
                                fields=["write_date"], order="id asc", limit=page, context=context)
                queries += 1
                delivered.extend(r["id"] for r in rows)
                if rows:
                    last_id = rows[-1]["id"]
                if len(rows) < page:
                    break
        domain = [["write_date", ">=", _next_second(second)]] if second is not None else []
        rows = sim.call(model, "search_read", domain, fields=["write_date"], order="write_date asc, id asc",
                        limit=page, context=context)
        queries += 1
        if not rows:
            return delivered, queries
        last_second = rows[-1]["write_date"]
        delivered.extend(r["id"] for r in rows if r["write_date"] < last_second)
        second, last_id = last_second, 0


def _next_second(second: str) -> str:
    import datetime
    return (datetime.datetime.strptime(second, "%Y-%m-%d %H:%M:%S") + datetime.timedelta(seconds=1)).strftime(
        "%Y-%m-%d %H:%M:%S")


class WriteTests(SimulatorTestCase):
    def setUp(self):
        self.sim.control("reset", {})

    def test_create_write_unlink_round_trip(self):
        expense = self.sim.call("hr.expense", "create", {"name": "Taxi", "employee_id": 1,
                                                          "total_amount_currency": 250.5, "tax_ids": [[6, 0, [2]]]})
        record = self.sim.call("hr.expense", "read", [expense], ["name", "state", "company_id", "tax_ids"])[0]
        self.assertEqual((record["name"], record["state"], record["company_id"][0], record["tax_ids"]),
                         ("Taxi", "draft", 1, [2]))
        self.assertIs(self.sim.call("hr.expense", "write", [expense], {"name": "Grab", "tax_ids": [[5]]}), True)
        self.assertEqual(self.sim.call("hr.expense", "read", [expense], ["name", "tax_ids"])[0],
                         {"id": expense, "name": "Grab", "tax_ids": []})
        self.assertIs(self.sim.call("hr.expense", "unlink", [expense]), True)
        self.assertEqual(self.sim.call("hr.expense", "search", [["id", "=", expense]]), [])
        self.assertIn("does not exist", self.assertFault(2, self.sim.call, "hr.expense", "write", [expense],
                                                          {"name": "x"}))

    def test_validation_like_odoo(self):
        text = self.assertFault(2, self.sim.call, "hr.expense", "create", {"name": "no employee"})
        self.assertIn("mandatory field is not set", text)
        text = self.assertFault(1, self.sim.call, "hr.expense", "write", [1], {"nope": 1})
        self.assertIn("Invalid field 'nope' on model 'hr.expense'", text)
        text = self.assertFault(1, self.sim.call, "hr.expense", "write", [1], {"state": "nonsense"})
        self.assertIn("Wrong value for hr.expense.state", text)

    def test_deleting_a_move_deletes_its_lines_and_updates_their_parent_state(self):
        move = self.sim.call("account.move", "search", [["state", "=", "posted"]], limit=1)[0]
        lines = self.sim.call("account.move.line", "search", [["move_id", "=", move]])
        self.sim.control("clock", {"set": "2026-08-01 00:00:00.5"})
        self.sim.call("account.move", "write", [move], {"state": "cancel"})
        rows = self.sim.call("account.move.line", "read", lines, ["parent_state", "write_date"])
        self.assertEqual({(r["parent_state"], r["write_date"]) for r in rows}, {("cancel", "2026-08-01 00:00:00")})
        self.sim.call("account.move", "unlink", [move])
        self.assertEqual(self.sim.call("account.move.line", "search", [["id", "in", lines]]), [])

    def test_references_on_delete_and_derived_names(self):
        employee = self.sim.call("hr.expense", "read", [1], ["employee_id"])[0]["employee_id"][0]
        text = self.assertFault(2, self.sim.call, "hr.employee", "unlink", [employee])
        self.assertIn("another model requires the record being deleted", text)
        self.assertTrue(self.sim.call("hr.employee", "search", [["id", "=", employee]],
                                      context={"active_test": False}))
        company_partner = self.sim.call("res.partner", "create", {"name": "Acme PH", "is_company": True})
        contact = self.sim.call("res.partner", "create", {"name": "Ana Cruz", "parent_id": company_partner})
        self.assertEqual(self.sim.call("res.partner", "read", [contact], ["display_name"])[0]["display_name"],
                         "Acme PH, Ana Cruz")
        expense = self.sim.call("hr.expense", "create", {"name": "Printer", "employee_id": employee,
                                                          "vendor_id": company_partner})
        before = self.sim.control("read", {"model": "hr.expense", "ids": [expense]})["records"][0]
        self.sim.call("res.partner", "unlink", [company_partner])
        after = self.sim.control("read", {"model": "hr.expense", "ids": [expense],
                                          "fields": ["vendor_id", "write_date"]})["records"][0]
        self.assertEqual((after["vendor_id"], after["write_date"]), (None, before["write_date"]))
        self.assertEqual(self.sim.call("res.partner", "read", [contact], ["parent_id"])[0]["parent_id"], False)
        move = self.sim.call("account.move", "search", [["state", "=", "posted"]], limit=1)[0]
        line = self.sim.call("account.move.line", "create", {"move_id": move, "account_id": 1, "debit": 5.0})
        created = self.sim.call("account.move.line", "read", [line], ["parent_state", "balance", "move_name"])[0]
        self.assertEqual((created["parent_state"], created["balance"]), ("posted", 5.0))
        self.assertTrue(created["move_name"])

    def test_lines_balance_per_move(self):
        lines = self.sim.call("account.move.line", "search_read", [], fields=["move_id", "debit", "credit", "balance"])
        per_move = {}
        for line in lines:
            self.assertEqual(round((line["debit"] - line["credit"]) * 100), round(line["balance"] * 100))
            per_move[line["move_id"][0]] = per_move.get(line["move_id"][0], 0) + round(line["balance"] * 100)
        self.assertTrue(per_move)
        self.assertEqual(set(per_move.values()), {0})


class FaultTests(SimulatorTestCase):
    def setUp(self):
        self.sim.control("faults/clear", {})

    def post(self, body=None, headers=None):
        body = body or xmlrpc.client.dumps((DB, UID, PASSWORD, "hr.expense", "search_count", [[]]),
                                           "execute_kw").encode()
        return self.sim.raw("/xmlrpc/2/object", body, headers)

    def test_http_status_pages_then_recovery(self):
        self.sim.control("faults", {"rules": [{"kind": "status", "status": 502},
                                              {"kind": "status", "status": 429, "retry_after": 7}]})
        response, body = self.post()
        self.assertEqual(response.status, 502)
        self.assertIn(b"502 Bad Gateway", body)
        self.assertEqual(response.getheader("Content-Type"), "text/html")
        response, body = self.post()
        self.assertEqual((response.status, response.getheader("Retry-After")), (429, "7"))
        response, body = self.post()
        self.assertEqual(response.status, 200)
        self.assertIsInstance(xmlrpc.client.loads(body)[0][0], int)

    def test_rules_match_method_and_model_and_can_skip(self):
        self.sim.control("faults", {"kind": "status", "status": 503, "method": "search_read", "model": "res.partner",
                                    "skip": 1, "count": 2})
        self.assertEqual(self.sim.call("hr.expense", "search_count", []) > 0, True)
        self.sim.call("res.partner", "search_read", [], limit=1)
        for _ in range(2):
            with self.assertRaises(xmlrpc.client.ProtocolError) as context:
                self.sim.call("res.partner", "search_read", [], limit=1)
            self.assertEqual(context.exception.errcode, 503)
        self.assertTrue(self.sim.call("res.partner", "search_read", [], limit=1))
        self.assertEqual(self.sim.control("faults", method="GET")["rules"], [])

    def test_drop_truncate_html_delay_and_fault(self):
        self.sim.control("faults", {"kind": "drop"})
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError)):
            self.post()
        self.sim.control("faults", {"kind": "truncate", "fraction": 0.5})
        with self.assertRaises(http.client.IncompleteRead):
            self.post()
        self.sim.control("faults", {"kind": "html"})
        response, body = self.post()
        self.assertEqual((response.status, response.getheader("Content-Type")), (200, "text/html; charset=utf-8"))
        self.assertIn(b"<html", body)
        self.sim.control("faults", {"kind": "delay", "seconds": 0.6})
        started = time.monotonic()
        response, _ = self.post()
        self.assertEqual(response.status, 200)
        self.assertGreaterEqual(time.monotonic() - started, 0.6)
        self.sim.control("faults", {"kind": "fault", "code": 4, "message": "Simulated access error"})
        self.assertEqual(self.assertFault(4, self.sim.call, "hr.expense", "search_count", []),
                         "Simulated access error")

    def test_reset_connection(self):
        self.sim.control("faults", {"kind": "reset"})
        with self.assertRaises((ConnectionError, http.client.RemoteDisconnected, socket.error)):
            self.post()

    def test_stats_count_requests(self):
        self.sim.control("stats/reset", {})
        self.sim.call("hr.expense", "search_count", [])
        self.sim.call("hr.expense", "search_count", [])
        self.sim.common.version()
        stats = self.sim.control("stats", method="GET")
        self.assertEqual(stats["requests"], 3)
        self.assertEqual(stats["by_call"]["object execute_kw hr.expense search_count"], 2)

    def test_bad_rules_are_rejected(self):
        response, body = self.sim.raw("/__control__/faults", json.dumps({"kind": "explode"}).encode())
        self.assertEqual(response.status, 400)
        self.assertIn("unknown fault kind", json.loads(body)["error"])
        before = self.sim.control("config", method="GET")["counts"]
        response, body = self.sim.raw("/__control__/reset", json.dumps({"employees": 1}).encode())
        self.assertEqual(response.status, 400)
        self.assertIn("--employees >= --companies", json.loads(body)["error"])
        self.assertEqual(self.sim.control("config", method="GET")["counts"], before)


class Odoo19Tests(SimulatorTestCase):
    ARGS = ("--odoo-version", "19", "--companies", "2", "--expenses", "300", "--moves", "20", "--employees", "6")

    def test_expense_sheet_is_gone_and_expenses_link_moves(self):
        self.assertEqual(self.sim.common.version()["server_version"], "19.0")
        self.assertEqual(self.assertFault(2, self.sim.call, "hr.expense.sheet", "search_count", []),
                         "Object hr.expense.sheet doesn't exist")
        fields = self.sim.call("hr.expense", "fields_get", [], attributes=["type"])
        self.assertNotIn("sheet_id", fields)
        self.assertEqual(fields["account_move_id"], {"type": "many2one"})
        posted = self.sim.call("hr.expense", "search_read", [["state", "in", ["posted", "paid"]]],
                               fields=["account_move_id", "approval_state", "total_amount"], limit=5)
        self.assertTrue(posted)
        for expense in posted:
            self.assertEqual(expense["approval_state"], "approved")
            move = self.sim.call("account.move", "read", [expense["account_move_id"][0]], ["amount_total"])[0]
            self.assertAlmostEqual(move["amount_total"], expense["total_amount"], places=2)


class Odoo19WireTests(SimulatorTestCase):
    ARGS = ("--odoo-version", "19", "--database", "odoo19_demo", "--expenses", "50", "--moves", "10")

    def test_captured_odoo19_answers_are_byte_identical(self):
        directory = os.path.join(WIRE_DIR, "..", "odoo19-wire")
        for name, endpoint in (("01_xmlrpc_common_version", "common"), ("04_xmlrpc_common_authenticate_badpw", "common"),
                               ("09_xmlrpc_hr_expense_sheet_missing", "object")):
            with self.subTest(capture=name):
                with open(os.path.join(directory, f"{name}.request.xml"), "rb") as handle:
                    _, body = self.sim.raw(f"/xmlrpc/2/{endpoint}", handle.read())
                with open(os.path.join(directory, f"{name}.response.xml"), "rb") as handle:
                    self.assertEqual(body, handle.read())
        for name in ("05_xmlrpc_hr_expense_search_read", "08_xmlrpc_account_move_line_search_read"):
            with self.subTest(capture=name):
                with open(os.path.join(directory, f"{name}.request.xml"), "rb") as handle:
                    _, body = self.sim.raw("/xmlrpc/2/object", handle.read())
                with open(os.path.join(directory, f"{name}.response.xml"), "rb") as handle:
                    theirs = xmlrpc.client.loads(handle.read())[0][0]
                ours = xmlrpc.client.loads(body)[0][0]
                self.assertEqual([list(r) for r in ours], [list(r) for r in theirs])


class SeedTests(unittest.TestCase):
    def build(self, **sizes):
        args, config = simulator.parse_args([f"--{k.replace('_', '-')}={v}" for k, v in sizes.items()])
        return simulator.State(args, config)

    def test_same_seed_same_data(self):
        first, second = self.build(seed=7, expenses=500), self.build(seed=7, expenses=500)
        for name, table in first.store.tables.items():
            self.assertEqual(table.rows, second.store.tables[name].rows, name)
        other = self.build(seed=8, expenses=500)
        self.assertNotEqual(first.store.tables["hr.expense"].rows, other.store.tables["hr.expense"].rows)

    def test_two_hundred_thousand_expenses_seed_quickly(self):
        started = time.monotonic()
        state = self.build(companies=4, expenses=200_000, moves=2000, employees=80)
        elapsed = time.monotonic() - started
        self.assertEqual(len(state.store.tables["hr.expense"].rows), 200_000)
        self.assertLess(elapsed, 45, f"seeding took {elapsed:.1f}s")

    def test_fast_marshalling_matches_odoo_marshaller_byte_for_byte(self):
        state = self.build(expenses=400, moves=60)
        for model in state.store.tables:
            for method, args, kwargs in (("search_read", [[]], {"context": {"active_test": False}}),
                                         ("fields_get", [], {})):
                result = state.service.call_kw(2, model, method, args, kwargs, 0)
                self.assertEqual(wire.dumps((result,)), wire.reference_dumps((result,)), f"{model}.{method}")
        tricky = ["a & b < c > d", "control\x01\x1fchars", "tab\tnew\nline\r", "Dela Peña", "", 2**31 - 1, -2**31,
                  1e-7, {"k&y": [True, False, 0.1]}]
        self.assertEqual(wire.dumps((tricky,)), wire.reference_dumps((tricky,)))
        with self.assertRaises(OverflowError):
            wire.dumps((2**31,))

    def test_vendored_metadata_covers_every_served_model(self):
        state = self.build(expenses=10)
        for name, table in state.store.tables.items():
            self.assertIn("write_date", table.fields, name)
            self.assertEqual(table.fields["id"]["type"], "integer")
        self.assertEqual(wire.capture_value(18, "version")["server_version"], "18.0-20250506")
        self.assertEqual(seed.SeedConfig().companies, 3)


if __name__ == "__main__":
    unittest.main()
