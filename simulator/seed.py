"""Deterministic seeded data: a small Philippine group of companies with expenses and invoices.

Same seed and sizes, same rows, ids and timestamps. Timestamps follow how a real database fills:
rows are created in transactions of very different sizes (mostly single rows, sometimes
thousands at once), every row of a transaction shares its timestamp, later transactions rewrite
some rows (an expense report's approval rewrites all its expenses, a payment rewrites an invoice
and its lines), and `burst` draft expenses arrive in one import transaction at mid-timeline,
so that thousands of rows share one write_date second.
"""
import bisect
import random
from dataclasses import dataclass

import timeutil
from timeutil import DAY, SECOND

USD, PHP, EUR = 1, 2, 3
PH, US = 176, 233
RATE_USD_PHP = 58.25

COMPANY_NAMES = ("Makati Holdings Inc.", "Cebu Logistics Corp.", "Davao Agri Ventures", "Iloilo Shared Services",
                 "Baguio Creative Studio", "Pampanga Foods Inc.", "Laguna Tech Park Corp.", "Bicol Energy Co.")
CITIES = ("Makati City", "Taguig", "Pasig", "Quezon City", "Cebu City", "Davao City", "Iloilo City", "Baguio",
          "Cagayan de Oro", "Bacolod")
FIRST_NAMES = ("Juan", "Maria", "Jose", "Ana", "Mark", "Kristine", "John Paul", "Angelica", "Rafael", "Camille",
               "Miguel", "Patricia", "Carlo", "Bea", "Paolo", "Liza", "Ramon", "Grace", "Andrés", "Joy")
SURNAMES = ("Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Garcia", "Mendoza", "Torres", "Tomas", "Dela Peña",
            "Castillo", "Flores", "Villanueva", "Ramos", "Castro", "Rivera", "Aquino", "Navarro", "Salazar", "Mercado")
PARTNER_PATTERNS = ("{s} Trading", "{c} Hardware Supply", "{s} & Sons", "Santo Niño {k}", "Pacific {k} Corp.",
                    "{s} Printing Services", "{c} Office Depot", "{s} Consulting Group", "Manila {k} Inc.")
PARTNER_KINDS = ("Logistics", "Foods", "Paper", "Media", "Builders", "Telecom", "Travel", "Security")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

# product id -> (display name, account code, amount range in PHP cents, descriptions)
EXPENSE_PRODUCTS = {
    49: ("[EXP_GEN] Expenses", "604000", (10_000, 500_000), ("Miscellaneous purchase", "Courier fee", "Parking")),
    50: ("[FOOD] Meals", "602000", (15_000, 350_000), ("Lunch with client", "Team dinner", "Coffee meeting")),
    51: ("[TRANS] Transportation", "601000", (10_000, 800_000), ("Grab to client site", "Taxi Makati-BGC",
                                                               "Flight MNL-CEB", "Bus to Batangas")),
    52: ("[HOTEL] Accommodation", "601000", (250_000, 1_500_000), ("Hotel Cebu", "Hotel Davao", "Inn Baguio")),
    53: ("[COMM] Communication", "603000", (30_000, 200_000), ("Mobile load", "Internet subscription")),
    54: ("[MIL] Mileage", "601000", (0, 0), ("Mileage to client", "Mileage to warehouse")),
    55: ("[SUPP] Office Supplies", "604000", (10_000, 500_000), ("Printer ink", "Bond paper", "Notebooks")),
}
INVOICE_PRODUCTS = {60: "[SRV-CON] Consulting", 61: "[SRV-MKT] Marketing Services", 62: "[GDS-LAP] Laptop",
                    63: "[GDS-PAP] Printing Paper"}
INVOICE_DESCRIPTIONS = {60: "Advisory services, monthly retainer", 61: "Social media campaign management",
                        62: "14-inch business laptop", 63: "A4 80gsm, 10 reams"}
ACCOUNTS = (("101000", "Cash on Hand", "asset_cash", False), ("101401", "Bank", "asset_cash", False),
            ("121000", "Account Receivable", "asset_receivable", True),
            ("131000", "Input VAT", "asset_current", False),
            ("141000", "Creditable Withholding Tax", "asset_current", False),
            ("211000", "Account Payable", "liability_payable", True),
            ("213000", "Output VAT", "liability_current", False),
            ("214000", "Withholding Tax Payable", "liability_current", False),
            ("215000", "Employee Reimbursements", "liability_current", True),
            ("311000", "Capital Stock", "equity", False), ("401000", "Sales Revenue", "income", False),
            ("402000", "Service Revenue", "income", False), ("501000", "Cost of Sales", "expense_direct_cost", False),
            ("601000", "Travel and Transportation", "expense", False),
            ("602000", "Meals and Entertainment", "expense", False), ("603000", "Communication", "expense", False),
            ("604000", "Office Supplies", "expense", False), ("605000", "Professional Fees", "expense", False),
            ("606000", "Rent", "expense", False))
# name, type, amount, tax group, ATC, active
TAXES = (("12% VAT (Sales)", "sale", 12.0, 1, False, True), ("12% VAT (Purchases)", "purchase", 12.0, 1, False, True),
         ("VAT Exempt (Sales)", "sale", 0.0, 2, False, True), ("Zero-Rated (Sales)", "sale", 0.0, 2, False, True),
         ("1% EWT - Goods (WC158)", "purchase", -1.0, 3, "WC158", True),
         ("2% EWT - Services (WC160)", "purchase", -2.0, 3, "WC160", True),
         ("10% EWT - Professional Fees (WC010)", "purchase", -10.0, 3, "WC010", True),
         ("5% EWT - Rentals (WC100)", "purchase", -5.0, 3, "WC100", True),
         ("12% VAT (Purchases, old)", "purchase", 12.0, 1, False, False))
JOURNALS = (("INV", "Customer Invoices"), ("BILL", "Vendor Bills"), ("MISC", "Miscellaneous Operations"),
            ("BNK1", "Bank"), ("EXP", "Expenses"))
DEPARTMENTS = ("Administration", "Finance", "Sales", "Operations", "IT")
ANALYTIC = ("Marketing", "Operations", "Project Cebu", "Project Davao")
PNG_1X1 = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


@dataclass
class SeedConfig:
    seed: int = 42
    companies: int = 3
    partners: int = 60
    employees: int = 30
    expenses: int = 2000
    moves: int = 600
    burst: int = 0
    epoch: int = timeutil.parse_datetime("2025-01-01 00:00:00")
    span_days: int = 365

    def validate(self):
        """Raises ValueError with the flag to fix, before any data is touched."""
        for name in ("partners", "employees", "expenses", "moves", "burst"):
            if getattr(self, name) < 0:
                raise ValueError(f"--{name} cannot be negative")
        if self.companies < 1:
            raise ValueError("--companies must be at least 1")
        if self.employees < self.companies:
            raise ValueError("every company needs an employee: pass --employees >= --companies")
        if self.burst > self.expenses:
            raise ValueError(f"--burst {self.burst} cannot exceed --expenses ({self.expenses})")
        if self.span_days < 1:
            raise ValueError("--span-days must be at least 1")


def _tin(rng) -> str:
    return f"{rng.randrange(100, 999)}-{rng.randrange(100, 999)}-{rng.randrange(100, 999)}-000"


class Timeline:
    """Transactions of realistic sizes spread over [start, end): each record gets its transaction's time."""

    def __init__(self, rng):
        self.rng = rng

    def _size(self) -> int:
        draw = self.rng.random()
        if draw < 0.70:
            return 1
        if draw < 0.92:
            return self.rng.randint(2, 20)
        if draw < 0.99:
            return self.rng.randint(21, 200)
        return self.rng.randint(201, 1500)

    def stamps(self, count: int, start: int, end: int) -> list[int]:
        sizes = []
        remaining = count
        while remaining > 0:
            size = min(self._size(), remaining)
            sizes.append(size)
            remaining -= size
        moments = sorted(self.rng.randrange(start, end) for _ in sizes)
        stamps = []
        for moment, size in zip(moments, sizes):
            stamps.extend([moment] * size)
        return stamps


class Generator:
    def __init__(self, store, config: SeedConfig):
        self.store = store
        self.config = config
        self.rng = random.Random(config.seed)
        self.timeline = Timeline(self.rng)
        self.start = config.epoch
        self.end = config.epoch + config.span_days * DAY
        self.version = store.odoo_version
        self.records: dict[str, list[tuple[int, dict]]] = {name: [] for name in store.tables}
        self.companies = list(range(1, config.companies + 1))
        self.company_currency: dict[int, int] = {}
        self.accounts: dict[tuple[int, str], int] = {}
        self.taxes: dict[tuple[int, str], int] = {}
        self.tax_groups: dict[int, int] = {}
        self.tax_names: dict[int, str] = {}
        self.partner_names: dict[int, str] = {}
        self.journals: dict[tuple[int, str], int] = {}
        self.departments: dict[int, list[int]] = {}
        self.analytic: dict[int, list[dict]] = {}
        self.customers: dict[int, list[int]] = {}
        self.vendors: dict[int, list[int]] = {}
        self.employees: dict[int, list[tuple[int, str, int]]] = {}
        self.sequences: dict[tuple[int, str], int] = {}

    def run(self):
        self._catalogs()
        self._currencies()
        self._companies_and_partners()
        self._chart()
        self._employees()
        self._expenses()
        self._moves(self.config.moves)
        for name, records in self.records.items():
            if records:
                self.store.tables[name].bulk_insert(records)

    # -- reference data ------------------------------------------------------------------------
    def _catalogs(self):
        catalog = self.store.catalog
        catalog["res.users"] = {1: "OdooBot", 2: "Mitchell Admin", 6: "Marc Demo"}
        catalog["res.country"] = {PH: "Philippines", US: "United States"}
        catalog["product.product"] = {pid: spec[0] for pid, spec in EXPENSE_PRODUCTS.items()} | INVOICE_PRODUCTS
        catalog["uom.uom"] = {1: "Units"}
        catalog["account.tax.group"] = {1: "VAT 12%", 2: "VAT 0%", 3: "EWT"}
        catalog["account.journal"], catalog["hr.department"], catalog["account.analytic.account"] = {}, {}, {}
        for company in self.companies:
            for code, name in JOURNALS:
                jid = len(catalog["account.journal"]) + 1
                catalog["account.journal"][jid] = name
                self.journals[(company, code)] = jid
            self.departments[company] = []
            for name in DEPARTMENTS:
                did = len(catalog["hr.department"]) + 1
                catalog["hr.department"][did] = name
                self.departments[company].append(did)
            ids = []
            for name in ANALYTIC:
                aid = len(catalog["account.analytic.account"]) + 1
                catalog["account.analytic.account"][aid] = name
                ids.append(aid)
            self.analytic[company] = [{str(a): 100.0} for a in ids] + [{str(ids[0]): 60.0, str(ids[1]): 40.0}]

    def _add(self, model: str, rid: int, stamp: int, values: dict, written: int | None = None, uid: int = 2):
        values.update({"create_date": stamp, "write_date": written if written is not None else stamp,
                       "create_uid": uid, "write_uid": uid})
        self.records[model].append((rid, values))
        return values

    def _currencies(self):
        rows = ((USD, "USD", "$", "United States dollar", True, "before", "Dollars", "Cents", 840),
                (PHP, "PHP", "\u20b1", "Philippine peso", True, "before", "Pesos", "Centavos", 608),
                (EUR, "EUR", "\u20ac", "Euro", False, "after", "Euros", "Cents", 978))
        for rid, name, symbol, full, active, position, unit, subunit, iso in rows:
            self._add("res.currency", rid, self.start, {
                "name": name, "symbol": symbol, "full_name": full, "active": active, "decimal_places": 2,
                "rounding": 0.01, "position": position, "currency_unit_label": unit,
                "currency_subunit_label": subunit, "iso_numeric": iso}, uid=1)

    def _companies_and_partners(self):
        """Partner 1 is the first company's, 2 is OdooBot (archived), 3 the admin user's, as in Odoo."""
        rng, install = self.rng, self.start
        self._partner(2, install, {"name": "OdooBot", "active": False, "email": "odoobot@example.com"})
        self._partner(3, install, {"name": "Mitchell Admin", "email": "admin@yourcompany.example.com",
                                   "country_id": PH, "city": "Makati City"})
        company_partner = {}
        for company in self.companies:
            pid = 1 if company == 1 else company + 2
            name = COMPANY_NAMES[(company - 1) % len(COMPANY_NAMES)]
            if company > len(COMPANY_NAMES):
                name = f"{name} ({company})"
            company_partner[company] = pid
            self._partner(pid, install, {"name": name, "is_company": True, "vat": _tin(rng), "country_id": PH,
                                         "city": CITIES[(company - 1) % len(CITIES)], "image_128": PNG_1X1,
                                         "email": f"info@company{company}.example.ph", "street": "Ayala Avenue",
                                         "zip": "1226"})
            currency = USD if company % 4 == 0 else PHP
            self.company_currency[company] = currency
            self._add("res.company", company, install, {
                "name": name, "currency_id": currency, "partner_id": pid, "active": True, "sequence": company,
                "parent_id": 1 if company > 1 and company % 3 == 0 else None,
                "email": f"info@company{company}.example.ph", "phone": f"+63 2 8{rng.randrange(1000000, 9999999)}",
                "account_fiscal_country_id": PH, "partner_gid": 0}, uid=1)
        next_partner = max(company_partner.values()) + 1 if len(self.companies) > 1 else 4
        stamps = self.timeline.stamps(self.config.partners, self.start, self.start + (self.end - self.start) // 10)
        parents = []
        for index in range(self.config.partners):
            pid = next_partner + index
            company = self.companies[index % len(self.companies)]
            shared = rng.random() < 0.5
            surname, city = rng.choice(SURNAMES), rng.choice(CITIES)
            if parents and rng.random() < 0.3:
                parent_id, parent_name, parent_company = rng.choice(parents)
                person = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
                self._partner(pid, stamps[index], {
                    "name": person, "complete_name": f"{parent_name}, {person}", "parent_id": parent_id,
                    "commercial_partner_id": parent_id, "company_id": parent_company, "city": city,
                    "email": f"contact{pid}@partner{parent_id}.example.ph",
                    "active": rng.random() > 0.05, "country_id": PH})
                continue
            name = rng.choice(PARTNER_PATTERNS).format(s=surname, c=city, k=rng.choice(PARTNER_KINDS))
            draw = rng.random()
            vat = _tin(rng) if draw < 0.6 else (f"{rng.randrange(10**11, 10**12)}" if draw < 0.7 else None)
            draw = rng.random()
            gid = (2**31 + rng.randrange(1, 10**9)) if draw < 0.05 else (rng.randrange(1, 10**6) if draw < 0.25 else 0)
            customer = rng.random() < 0.6
            values = {"name": name, "is_company": True, "vat": vat, "country_id": PH, "city": city,
                      "company_id": None if shared else company, "active": rng.random() > 0.05,
                      "email": f"billing{pid}@{surname.lower().replace(' ', '')}.example.ph",
                      "phone": f"+63 9{rng.randrange(100000000, 999999999)}", "partner_gid": gid,
                      "customer_rank": 1 if customer else 0, "supplier_rank": 0 if customer else 1,
                      "ref": f"P{pid:05d}" if rng.random() < 0.5 else None}
            self._partner(pid, stamps[index], values)
            parents.append((pid, name, values["company_id"]))
            for target in (self.companies if shared else [company]):
                (self.customers if customer else self.vendors).setdefault(target, []).append(pid)
        for company in self.companies:
            self.customers.setdefault(company, [company_partner[company]])
            self.vendors.setdefault(company, [company_partner[company]])

    def _partner(self, pid, stamp, values):
        values.setdefault("complete_name", values["name"])
        values.setdefault("commercial_partner_id", pid)
        values.setdefault("active", True)
        values.setdefault("type", "contact")
        values.setdefault("lang", "en_US")
        values.setdefault("customer_rank", 0)
        values.setdefault("supplier_rank", 0)
        values.setdefault("partner_gid", 0)
        values.setdefault("is_company", False)
        values.setdefault("employee", False)
        self.partner_names[pid] = values["complete_name"]
        self._add("res.partner", pid, stamp, values)

    def _chart(self):
        install = self.start
        account_id = tax_id = 0
        for company in self.companies:
            for code, name, kind, reconcile in ACCOUNTS:
                account_id += 1
                self.accounts[(company, code)] = account_id
                self._add("account.account", account_id, install, {
                    "name": name, "code_store": code, "account_type": kind, "company_ids": (company,),
                    "reconcile": reconcile, "deprecated": False, "non_trade": code == "215000"}, uid=1)
            for sequence, (name, kind, amount, group, atc, active) in enumerate(TAXES, start=1):
                tax_id += 1
                self.taxes[(company, name)] = tax_id
                self.tax_groups[tax_id] = group
                self.tax_names[tax_id] = name
                self._add("account.tax", tax_id, install, {
                    "name": name, "type_tax_use": kind, "amount_type": "percent", "amount": amount,
                    "active": active, "company_id": company, "sequence": sequence,
                    "description": name.split(" (")[0], "invoice_label": name.split(" (")[0],
                    "tax_group_id": group, "country_id": PH, "include_base_amount": False,
                    "price_include_override": "tax_included" if kind == "purchase" and amount > 0 else None,
                    "tax_exigibility": "on_invoice", "l10n_ph_atc": atc or None}, uid=1)

    def _employees(self):
        rng = self.rng
        stamps = self.timeline.stamps(self.config.employees, self.start, self.start + (self.end - self.start) // 10)
        for index in range(self.config.employees):
            eid = index + 1
            company = self.companies[index % len(self.companies)]
            name = "Mitchell Admin" if eid == 1 else f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
            company_staff = self.employees.setdefault(company, [])
            department = rng.choice(self.departments[company])
            manager = company_staff[0][0] if company_staff else None
            email_name = name.lower().replace(" ", ".").replace("é", "e").replace("ñ", "n")
            self._add("hr.employee", eid, stamps[index], {
                "name": name, "company_id": company, "department_id": department,
                "job_title": rng.choice(("Accountant", "Sales Executive", "Operations Lead", "IT Specialist",
                                         "Admin Officer")),
                "work_email": f"{email_name}@company{company}.example.ph",
                "work_phone": f"+63 2 8{rng.randrange(1000000, 9999999)}",
                "mobile_phone": f"+63 9{rng.randrange(100000000, 999999999)}",
                "active": eid == 1 or rng.random() > 0.05, "parent_id": manager, "coach_id": manager,
                "user_id": 2 if eid == 1 else None, "employee_type": "employee",
                "gender": rng.choice(("male", "female")), "marital": rng.choice(("single", "married")),
                "expense_manager_id": 6, "identification_id": _tin(rng), "color": 0})
            company_staff.append((eid, name.split()[0], department))

    # -- expenses ------------------------------------------------------------------------------
    def _expense_amounts(self, product, currency, company_currency):
        rng = self.rng
        quantity = 1.0
        if product == 54:
            quantity = float(rng.randint(10, 250))
            unit_cents = 1_200
            total_cents = int(quantity) * unit_cents
        else:
            low, high = EXPENSE_PRODUCTS[product][2]
            total_cents = rng.randint(low, high)
            if rng.random() < 0.1:
                quantity = float(rng.randint(2, 5))
        if currency == USD:
            total_cents = max(100, round(total_cents / RATE_USD_PHP))
        rate = 1.0 if currency == company_currency else (RATE_USD_PHP if currency == USD else 1 / RATE_USD_PHP)
        return quantity, total_cents, rate

    def _expenses(self):
        rng, version = self.rng, self.version
        count, burst = self.config.expenses, self.config.burst
        stamps = self.timeline.stamps(count - burst, self.start, self.end)
        moment = self.start + (self.end - self.start) // 2 + 250_000
        first_burst = bisect.bisect_right(stamps, moment)
        stamps[first_burst:first_burst] = [moment] * burst
        imported = range(first_burst, first_burst + burst)
        states_18 = (("draft", 0.20), ("reported", 0.30), ("submitted", 0.45), ("approved", 0.60),
                     ("done", 0.95), ("refused", 1.0))
        states_19 = (("draft", 0.20), ("submitted", 0.35), ("approved", 0.50), ("posted", 0.65),
                     ("in_payment", 0.75), ("paid", 0.95), ("refused", 1.0))
        states = states_18 if version < 19 else states_19
        products = list(EXPENSE_PRODUCTS)
        expenses = []
        for index in range(count):
            eid = index + 1
            company = self.companies[index % len(self.companies)]
            company_currency = self.company_currency[company]
            employee, _, department = rng.choice(self.employees[company])
            product = rng.choice(products)
            foreign = rng.random() < 0.1
            currency = (USD if company_currency == PHP else PHP) if foreign else company_currency
            quantity, total_cents, rate = self._expense_amounts(product, currency, company_currency)
            taxed = rng.random() < 0.7
            untaxed_cents = round(total_cents * 100 / 112) if taxed else total_cents
            tax_cents = total_cents - untaxed_cents
            company_total = round(total_cents * rate) if rate != 1.0 else total_cents
            company_tax = round(tax_cents * rate) if rate != 1.0 else tax_cents
            draw = rng.random()
            state = "draft" if index in imported else next(name for name, threshold in states if draw < threshold)
            created = stamps[index]
            expense_date = timeutil.date_of(created - rng.randrange(0, 20) * DAY)
            analytic_draw = rng.random()
            values = {
                "name": rng.choice(EXPENSE_PRODUCTS[product][3]), "employee_id": employee, "product_id": product,
                "product_uom_id": 1, "quantity": quantity, "price_unit": round(company_total / 100 / quantity, 2),
                "total_amount_currency": total_cents / 100, "total_amount": company_total / 100,
                "untaxed_amount_currency": untaxed_cents / 100, "tax_amount_currency": tax_cents / 100,
                "tax_amount": company_tax / 100, "currency_id": currency, "date": expense_date, "state": state,
                "payment_mode": "own_account" if rng.random() < 0.85 else "company_account",
                "company_id": company,
                "analytic_distribution": (self.analytic[company][rng.randrange(4)] if analytic_draw < 0.6 else
                                          self.analytic[company][4] if analytic_draw < 0.7 else None),
                "description": (f"Client meeting re: {rng.choice(('Q1', 'Q2', 'Q3', 'Q4'))} campaign"
                                if rng.random() < 0.2 else None),
                "account_id": self.accounts[(company, EXPENSE_PRODUCTS[product][1])],
                "tax_ids": (self.taxes[(company, "12% VAT (Purchases)")],) if taxed else (),
                "vendor_id": rng.choice(self.vendors[company]) if rng.random() < 0.3 else None,
            }
            if version >= 19:
                values["untaxed_amount"] = (company_total - company_tax) / 100
                values["department_id"] = department
                values["former_sheet_id"] = 0
            expenses.append(self._add("hr.expense", eid, created, values))
        if version < 19:
            self._expense_sheets()
        else:
            self._expense_moves_19()
        self._later_rewrites([v for i, v in enumerate(expenses) if i not in imported], 0.05)

    def _expense_sheets(self):
        """Odoo 18: every non-draft expense sits in a report; the report's last action rewrites them."""
        rng = self.rng
        sheet_state = {"reported": "draft", "submitted": "submit", "approved": "approve", "done": "done",
                       "refused": "cancel"}
        open_sheets: dict[tuple, list] = {}
        sheets = []
        for rid, values in self.records["hr.expense"]:
            state = values["state"]
            if state == "draft":
                continue
            key = (values["employee_id"], state)
            members = open_sheets.get(key)
            if members is None or len(members) >= members[0]:
                members = [rng.randint(1, 6)]
                open_sheets[key] = members
                sheets.append(members)
            members.append((rid, values))
        for sid, members in enumerate(sheets, start=1):
            lines = members[1:]
            first = lines[0][1]
            company = first["company_id"]
            state = sheet_state[first["state"]]
            if state == "approve" and rng.random() < 0.4:
                state = "post"
            created = self._later(max(v["create_date"] for _, v in lines), rng.randrange(SECOND, DAY))
            written = self._later(created, rng.randrange(SECOND, 3 * DAY) if state != "draft" else 0)
            total = round(sum(v["total_amount"] for _, v in lines), 2)
            tax = round(sum(v["tax_amount"] for _, v in lines), 2)
            accounting_date = timeutil.date_of(written) if state in ("post", "done") else None
            department = next(d for e, _, d in self.employees[company] if e == first["employee_id"])
            first_name = next(n for e, n, _ in self.employees[company] if e == first["employee_id"])
            month = timeutil.from_micros(created)
            self._add("hr.expense.sheet", sid, created, {
                "name": f"{first_name} - {MONTHS[month.month - 1]} {month.year} expenses", "employee_id":
                first["employee_id"], "company_id": company, "state": state,
                "approval_state": {"submit": "submit", "approve": "approve", "post": "approve", "done": "approve",
                                   "cancel": "cancel"}.get(state),
                "approval_date": written if state in ("approve", "post", "done") else None,
                "payment_state": "paid" if state == "done" else "not_paid", "total_amount": total,
                "untaxed_amount": round(total - tax, 2), "total_tax_amount": tax,
                "amount_residual": total if state == "post" else 0.0,
                "currency_id": self.company_currency[company], "accounting_date": accounting_date,
                "journal_id": self.journals[(company, "EXP")], "user_id": 6, "department_id": department},
                written=written)
            for _, values in lines:
                values["sheet_id"] = sid
                values["write_date"] = max(values["write_date"], written)
                if accounting_date:
                    values["accounting_date"] = accounting_date

    def _expense_moves_19(self):
        """Odoo 19: a posted expense has its own journal entry, written in the same transaction."""
        rng = self.rng
        for _, values in list(self.records["hr.expense"]):
            state = values["state"]
            if state in ("approved", "posted", "in_payment", "paid"):
                values["approval_state"] = "approved"
                values["manager_id"] = 6
                values["approval_date"] = values["create_date"] + rng.randrange(SECOND, DAY)
            elif state in ("submitted", "refused"):
                values["approval_state"] = state
                values["manager_id"] = 6
            if state not in ("posted", "in_payment", "paid"):
                continue
            posted = self._later(values["approval_date"], rng.randrange(SECOND, 2 * DAY))
            company = values["company_id"]
            total = round(values["total_amount"] * 100)
            tax = round(values["tax_amount"] * 100)
            lines = [(self.accounts[(company, "601000")], total - tax, None, "product"),
                     (self.accounts[(company, "215000")], -total, None, "payment_term")]
            if tax:
                lines.insert(1, (self.accounts[(company, "131000")], tax,
                                 self.taxes[(company, "12% VAT (Purchases)")], "tax"))
            payment_state = {"posted": "not_paid", "in_payment": "in_payment", "paid": "paid"}[state]
            move_id = self._move(company, "entry", posted, lines, None, "posted", payment_state,
                                 label=values["name"], journal="EXP")
            values["account_move_id"] = move_id
            values["write_date"] = posted

    def _later(self, moment: int, gap: int) -> int:
        """A follow-up transaction `gap` after `moment`; one that would fall after the timeline
        happens at the timeline's end instead of piling up on its last second."""
        return moment + gap if moment + gap < self.end else max(moment, self.end - self.rng.randrange(1, DAY))

    def _later_rewrites(self, rows, share):
        """Some rows are edited again later, each edit a transaction of its own."""
        rng = self.rng
        for values in rows:
            if rng.random() < share and values["write_date"] < self.end - SECOND:
                values["write_date"] = rng.randrange(values["write_date"], self.end)

    # -- accounting ----------------------------------------------------------------------------
    def _moves(self, count):
        rng = self.rng
        stamps = self.timeline.stamps(count, self.start, self.end)
        for index in range(count):
            company = self.companies[index % len(self.companies)]
            draw = rng.random()
            move_type = ("out_invoice" if draw < 0.40 else "in_invoice" if draw < 0.70 else "out_refund"
                         if draw < 0.75 else "in_refund" if draw < 0.80 else "entry")
            draw = rng.random()
            state = "posted" if draw < 0.85 else "draft" if draw < 0.95 else "cancel"
            created = stamps[index]
            if move_type == "entry":
                lines = self._entry_lines(company)
                partner = None
            else:
                lines = self._invoice_lines(company, move_type)
                customer = move_type.startswith("out")
                partner = rng.choice(self.customers[company] if customer else self.vendors[company])
            payment_state = "not_paid"
            if state == "posted" and move_type != "entry":
                draw = rng.random()
                payment_state = ("paid" if draw < 0.40 else "not_paid" if draw < 0.75 else "partial"
                                 if draw < 0.85 else "in_payment" if draw < 0.95 else "reversed")
            self._move(company, move_type, created, lines, partner, state, payment_state)

    def _invoice_lines(self, company, move_type):
        """(account, balance cents, tax, display type) for an invoice, balanced on its counterpart."""
        rng = self.rng
        sale = move_type.startswith("out")
        sign = (-1 if sale else 1) * (-1 if move_type.endswith("refund") else 1)
        lines, base_total = [], 0
        for _ in range(rng.randint(1, 3)):
            base = rng.randint(100_000, 20_000_000)
            base_total += base
            account = self.accounts[(company, "402000" if sale else rng.choice(("601000", "604000", "605000")))]
            lines.append((account, sign * base, None, "product"))
        vat_name = "12% VAT (Sales)" if sale else "12% VAT (Purchases)"
        vat = round(base_total * 12 / 100)
        lines.append((self.accounts[(company, "213000" if sale else "131000")], sign * vat,
                      self.taxes[(company, vat_name)], "tax"))
        withholding = 0
        if not sale and rng.random() < 0.5:
            name, rate = rng.choice((("1% EWT - Goods (WC158)", 1), ("2% EWT - Services (WC160)", 2),
                                     ("10% EWT - Professional Fees (WC010)", 10), ("5% EWT - Rentals (WC100)", 5)))
            withholding = round(base_total * rate / 100)
            lines.append((self.accounts[(company, "214000")], -sign * withholding, self.taxes[(company, name)], "tax"))
        counterpart = self.accounts[(company, "121000" if sale else "211000")]
        lines.append((counterpart, -sign * (base_total + vat - withholding), None, "payment_term"))
        return lines

    def _entry_lines(self, company):
        rng = self.rng
        codes = ("101401", "601000", "602000", "606000", "311000", "141000")
        amounts = [rng.randint(10_000, 5_000_000) for _ in range(rng.randint(1, 3))]
        lines = [(self.accounts[(company, rng.choice(codes))], amount, None, "product") for amount in amounts]
        lines.append((self.accounts[(company, "101000")], -sum(amounts), None, "product"))
        return lines

    def _move(self, company, move_type, created, lines, partner, state, payment_state, label=None, journal=None):
        """One journal entry and its lines. `lines` are (account, document cents, tax, display type),
        balanced in the document currency; company amounts are converted line by line and the
        rounding difference lands on the last (counterpart) line so debits equal credits to the cent."""
        rng = self.rng
        move_id = len(self.records["account.move"]) + 1
        company_currency = self.company_currency[company]
        invoice = move_type != "entry"
        foreign = invoice and rng.random() < 0.1
        currency = (USD if company_currency == PHP else PHP) if foreign else company_currency
        to_company = 1.0 if not foreign else (RATE_USD_PHP if currency == USD else 1 / RATE_USD_PHP)
        move_date = timeutil.date_of(created - rng.randrange(0, 10) * DAY)
        prefix_code = journal or {"out_invoice": "INV", "out_refund": "RINV", "in_invoice": "BILL",
                                  "in_refund": "RBILL", "entry": "MISC"}[move_type]
        journal_code = journal or {"INV": "INV", "RINV": "INV", "BILL": "BILL", "RBILL": "BILL",
                                   "MISC": "MISC"}[prefix_code]
        # Odoo 18 numbers customer invoices per year, vendor bills and entries per month; a move
        # that was never posted has no name at all (False on the wire)
        monthly = prefix_code in ("BILL", "RBILL", "MISC", "EXP")
        name, prefix, number = None, None, 0
        if state != "draft":
            prefix = f"{prefix_code}/{move_date[:4]}/" + (f"{move_date[5:7]}/" if monthly else "")
            number = self.sequences[(company, prefix)] = self.sequences.get((company, prefix), 0) + 1
            name = f"{prefix}{number:04d}" if monthly else f"{prefix}{number:05d}"

        documents = [cents for _, cents, _, _ in lines]
        balances = [round(cents * to_company) for cents in documents]
        balances[-1] -= sum(balances)
        if invoice:
            total = abs(documents[-1])
            base = sum(abs(d) for (_, d, _, kind) in lines if kind == "product")
            company_total = abs(balances[-1])
            company_base = sum(abs(b) for b, (_, _, _, kind) in zip(balances, lines) if kind == "product")
        else:
            total = base = sum(d for d in documents if d > 0)
            company_total = company_base = sum(b for b in balances if b > 0)
        tax_total, company_tax = total - base, company_total - company_base
        direction = {"out_invoice": 1, "in_refund": 1, "out_refund": -1, "in_invoice": -1, "entry": 1}[move_type]
        if not invoice or state != "posted":
            residual = 0
        else:
            residual = {"paid": 0, "in_payment": 0, "reversed": 0, "partial": total // 3,
                        "not_paid": total}[payment_state]
        company_residual = round(residual * company_total / total) if total else 0
        due = None
        if invoice:
            due_days = rng.choice((0, 15, 30, 45, 60))
            due = timeutil.date_of(timeutil.parse_datetime(move_date) + due_days * DAY)
        written = created
        if invoice and payment_state in ("paid", "in_payment", "partial", "reversed"):
            written = self._later(created, rng.randrange(DAY, 60 * DAY))
        ref = f"REF-{rng.randrange(10000, 99999)}" if move_type.startswith("in") and rng.random() < 0.6 else None
        values = {
            "name": name, "move_type": move_type, "state": state, "partner_id": partner,
            "commercial_partner_id": partner, "invoice_date": move_date if invoice else None,
            "invoice_date_due": due, "date": move_date, "amount_untaxed": base / 100,
            "amount_tax": tax_total / 100, "amount_total": total / 100, "amount_residual": residual / 100,
            "amount_untaxed_signed": direction * company_base / 100,
            "amount_tax_signed": direction * company_tax / 100,
            "amount_total_signed": direction * company_total / 100,
            "amount_residual_signed": direction * company_residual / 100,
            "amount_untaxed_in_currency_signed": direction * base / 100,
            "amount_total_in_currency_signed": direction * total / 100,
            "currency_id": currency, "payment_state": payment_state,
            "journal_id": self.journals[(company, journal_code)], "company_id": company, "ref": ref,
            "invoice_origin": f"SO{rng.randrange(1000, 9999)}" if move_type == "out_invoice" and rng.random() < 0.3 else None,
            "payment_reference": name if move_type == "out_invoice" and state == "posted" else None,
            "invoice_user_id": 2 if invoice else None,
            "invoice_partner_display_name": self.partner_names.get(partner) if partner else None,
            "posted_before": state != "draft", "sequence_prefix": prefix, "sequence_number": number,
            "auto_post": "no", "checked": state == "posted", "invoice_currency_rate": round(1 / to_company, 6),
        }
        if self.version < 19:
            values["expense_sheet_id"] = None
        self._add("account.move", move_id, created, values, written=written)

        line_id = len(self.records["account.move.line"])
        analytic = self.analytic[company]
        for sequence, ((account, doc, tax, kind), balance) in enumerate(zip(lines, balances), start=10):
            line_id += 1
            counterpart = kind == "payment_term"
            line_residual = (company_residual if balance > 0 else -company_residual) if counterpart else 0
            line_residual_currency = (residual if doc > 0 else -residual) if counterpart else 0
            line = {
                "move_id": move_id, "move_name": name, "account_id": account,
                "name": label if kind == "product" else (self.tax_names[tax] if kind == "tax" else None),
                "debit": balance / 100 if balance > 0 else 0.0, "credit": -balance / 100 if balance < 0 else 0.0,
                "balance": balance / 100, "amount_currency": doc / 100, "currency_id": currency,
                "company_currency_id": company_currency, "partner_id": partner, "date": move_date,
                "parent_state": state, "journal_id": values["journal_id"], "company_id": company, "tax_ids": (),
                "tax_line_id": tax if kind == "tax" else None,
                "tax_group_id": self.tax_groups[tax] if kind == "tax" else None,
                "tax_base_amount": company_base / 100 if kind == "tax" else 0.0, "analytic_distribution": None,
                "display_type": kind, "product_id": None, "quantity": 1.0 if kind == "product" else 0.0,
                "price_unit": abs(doc) / 100 if kind == "product" else 0.0,
                "price_subtotal": abs(doc) / 100 if kind == "product" else 0.0,
                "price_total": abs(doc) / 100 if kind == "product" else 0.0,
                "date_maturity": due if counterpart else None,
                "reconciled": counterpart and invoice and state == "posted" and residual == 0,
                "amount_residual": line_residual / 100, "amount_residual_currency": line_residual_currency / 100,
                "matching_number": (f"P{move_id}" if counterpart and payment_state == "paid" else
                                    f"A{move_id}" if counterpart and payment_state == "partial" else None),
                "sequence": sequence, "invoice_date": values["invoice_date"], "ref": ref, "tax_tag_invert": False,
            }
            if kind == "product" and invoice:
                vat_name = "12% VAT (Sales)" if move_type.startswith("out") else "12% VAT (Purchases)"
                line["tax_ids"] = (self.taxes[(company, vat_name)],)
                line["product_id"] = rng.choice(list(INVOICE_PRODUCTS))
                product_name = INVOICE_PRODUCTS[line["product_id"]]
                line["name"] = f"{product_name}\n{INVOICE_DESCRIPTIONS[line['product_id']]}"
                line["price_total"] = round(abs(doc) * 1.12) / 100
                if rng.random() < 0.6:
                    line["analytic_distribution"] = analytic[rng.randrange(len(analytic))]
            if self.version >= 19:
                line["expense_id"] = None
            self._add("account.move.line", line_id, created, line, written=written)
        return move_id


def populate(store, config: SeedConfig):
    """Fills every table of `store` from `config`, replacing what was there."""
    config.validate()
    for table in store.tables.values():
        table.rows.clear()
        table.mark_bulk_change()
    store.catalog.clear()
    Generator(store, config).run()
    for table in store.tables.values():
        table.next_id = max(table.rows, default=0) + 1
