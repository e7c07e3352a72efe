"""What the simulator knows about each model beyond its fields_get metadata.

Field names, types and attributes come from the captured `fields_get` of a real Odoo; a spec adds
what Odoo's Python code decides: the default `_order`, the record rule (multi-company), the
display name, the non-stored fields the simulator computes, one2many inverses, required fields and
create defaults. Every other non-stored field reads as its empty value.
"""
import textwrap
from dataclasses import dataclass, field
from typing import Callable

import timeutil


@dataclass
class Computed:
    getter: Callable  # (store, rid, row) -> internal value
    searchable: bool = True


@dataclass
class ModelSpec:
    name: str
    capture: str
    order: str
    columns: tuple
    display_name: Callable  # (store, rid, row) -> str
    company_rule: str | None = None  # 'company_id' or 'company_ids'
    parent_field: str | None = None
    computed: dict = field(default_factory=dict)
    one2many: dict = field(default_factory=dict)  # field -> (comodel, inverse field, row filter or None)
    required: tuple = ()
    defaults: Callable | None = None  # (store, context, company_id) -> dict of stored values
    extra_fields: dict = field(default_factory=dict)  # fields a real install adds (l10n_ph)



def _value(store, model, rid, name):
    table = store.tables[model]
    if rid is None or rid not in table.rows:
        return None
    return table.get(rid, name)



def _name_of(model, column="name"):
    return lambda store, rid, row: row[store.tables[model].col[column]] or ""


def _company_currency(model):
    def getter(store, rid, row):
        company = row[store.tables[model].col["company_id"]]
        return _value(store, "res.company", company, "currency_id")
    return Computed(getter)


def _partner_related(name):
    def getter(store, rid, row):
        partner = row[store.tables["res.company"].col["partner_id"]]
        return _value(store, "res.partner", partner, name)
    return Computed(getter)


def _account_display(store, rid, row):
    table = store.tables["account.account"]
    name = row[table.col["name"]] or ""
    if store.odoo_version >= 19:
        return name
    code = row[table.col["code_store"]]
    return f"{code} {name}" if code else name


_DRAFT_PREFIX = {"out_invoice": "Draft Invoice", "out_refund": "Draft Credit Note", "in_invoice": "Draft Bill",
                 "in_refund": "Draft Vendor Credit Note", "out_receipt": "Draft Sales Receipt",
                 "in_receipt": "Draft Purchase Receipt", "entry": "Draft Entry"}

_TYPE_NAME = {"entry": "Journal Entry", "out_invoice": "Invoice", "out_refund": "Credit Note",
              "in_invoice": "Vendor Bill", "in_refund": "Vendor Credit Note", "out_receipt": "Sales Receipt",
              "in_receipt": "Purchase Receipt"}


def _move_display(store, rid, row):
    """account.move._get_move_display_name(show_ref=True) of Odoo 18."""
    col = store.tables["account.move"].col
    name = ""
    if row[col["state"]] == "draft":
        name = _DRAFT_PREFIX.get(row[col["move_type"]], "Draft Entry") + " "
    if not row[col["name"]] or row[col["name"]] == "/":
        name += f"(* {rid})"
    else:
        name += row[col["name"]]
    if row[col["ref"]]:
        name += f" ({textwrap.shorten(row[col['ref']], width=50)})"
    return name


def _move_line_display(store, rid, row):
    col = store.tables["account.move.line"].col
    move = store.display_name("account.move", row[col["move_id"]]) if row[col["move_id"]] else ""
    label = row[col["name"]]
    return f"{move} {label}".strip() if label else move


def _move_related(name):
    def getter(store, rid, row):
        move = row[store.tables["account.move.line"].col["move_id"]]
        return _value(store, "account.move", move, name)
    return Computed(getter)


def _account_related(name):
    def getter(store, rid, row):
        account = row[store.tables["account.move.line"].col["account_id"]]
        return _value(store, "account.account", account, name)
    return Computed(getter)


def _expense_sheet_related(name):
    """Odoo 18's `related='sheet_id.<name>'` fields of an expense (approved_by, approved_on)."""
    def getter(store, rid, row):
        sheet = row[store.tables["hr.expense"].col["sheet_id"]]
        return _value(store, "hr.expense.sheet", sheet, name)
    return Computed(getter)


def _expense_is_multiple_currency(store, rid, row):
    col = store.tables["hr.expense"].col
    company_currency = _value(store, "res.company", row[col["company_id"]], "currency_id")
    return row[col["currency_id"]] != company_currency


def _expense_currency_rate(store, rid, row):
    col = store.tables["hr.expense"].col
    amount_currency = row[col["total_amount_currency"]]
    return round(row[col["total_amount"]] / amount_currency, 6) if amount_currency else 1.0



def _currency_of(store, company_id):
    return _value(store, "res.company", company_id, "currency_id")


def _expense_defaults(store, context, company_id):
    values = {"company_id": company_id, "state": "draft", "payment_mode": "own_account", "quantity": 1.0,
              "currency_id": _currency_of(store, company_id), "product_uom_id": 1,
              "date": timeutil.date_of(store.clock.now())}
    return values


def _move_defaults(store, context, company_id):
    return {"company_id": company_id, "state": "draft", "move_type": "entry",
            "payment_state": "not_paid", "currency_id": _currency_of(store, company_id),
            "date": timeutil.date_of(store.clock.now()), "auto_post": "no"}


def _move_line_defaults(store, context, company_id):
    return {"company_id": company_id, "parent_state": "draft", "display_type": "product",
            "company_currency_id": _currency_of(store, company_id),
            "currency_id": _currency_of(store, company_id)}


def _sheet_defaults(store, context, company_id):
    return {"company_id": company_id, "state": "draft", "payment_state": "not_paid",
            "currency_id": _currency_of(store, company_id)}



def _partner_defaults(store, context, company_id):
    # a partner created without company_id is shared between companies, as in Odoo
    return {"active": True, "type": "contact", "lang": "en_US"}


def _tax_defaults(store, context, company_id):
    return {"company_id": company_id, "active": True, "amount_type": "percent", "type_tax_use": "sale",
            "sequence": 1, "tax_exigibility": "on_invoice"}


def _account_defaults(store, context, company_id):
    return {"company_ids": (company_id,), "account_type": "asset_current"}



def _partner_complete_name(store, rid, row):
    col = store.tables["res.partner"].col
    return row[col["complete_name"]] or row[col["name"]] or ""


def build_specs(odoo_version: int) -> dict[str, ModelSpec]:
    specs = [
        ModelSpec(
            name="res.company", capture="fields_get_res_company", order="sequence, name",
            columns=("name", "currency_id", "partner_id", "active", "sequence", "parent_id", "email", "phone",
                     "account_fiscal_country_id", "partner_gid"),
            display_name=_name_of("res.company"), parent_field="parent_id",
            computed={"display_name": Computed(_name_of("res.company")),
                      "vat": _partner_related("vat"), "country_id": _partner_related("country_id"),
                      "city": _partner_related("city"), "street": _partner_related("street"),
                      "zip": _partner_related("zip"), "website": _partner_related("website"),
                      "country_code": Computed(lambda s, r, w: "PH")},
            one2many={"child_ids": ("res.company", "parent_id", None)},
            required=("name",), defaults=lambda s, c, k: {"active": True, "sequence": 10}),
        ModelSpec(
            name="res.partner", capture="fields_get_res_partner", order="complete_name ASC, id DESC",
            columns=("name", "complete_name", "company_id", "parent_id", "commercial_partner_id", "is_company",
                     "type", "active", "vat", "email", "phone", "mobile", "street", "city", "zip", "country_id",
                     "customer_rank", "supplier_rank", "ref", "lang", "image_128", "partner_gid", "employee",
                     "company_registry"),
            display_name=_partner_complete_name, company_rule="company_id", parent_field="parent_id",
            computed={"display_name": Computed(_partner_complete_name),
                      "company_type": Computed(lambda s, r, w: "company" if w[s.tables["res.partner"].col["is_company"]] else "person"),
                      "country_code": Computed(lambda s, r, w: "PH" if w[s.tables["res.partner"].col["country_id"]] == 176 else False)},
            one2many={"child_ids": ("res.partner", "parent_id", None)},
            defaults=_partner_defaults),
        ModelSpec(
            name="res.currency", capture="fields_get_res_currency", order="active desc, name",
            columns=("name", "symbol", "full_name", "active", "decimal_places", "rounding", "position",
                     "currency_unit_label", "currency_subunit_label", "iso_numeric"),
            display_name=_name_of("res.currency"),
            computed={"display_name": Computed(_name_of("res.currency"))},
            required=("name", "symbol"), defaults=lambda s, c, k: {"active": True, "rounding": 0.01,
                                                                   "decimal_places": 2, "position": "after"}),
        ModelSpec(
            name="hr.employee", capture="fields_get_hr_employee", order="name",
            columns=("name", "company_id", "department_id", "job_title", "work_email", "work_phone",
                     "mobile_phone", "active", "parent_id", "coach_id", "user_id", "employee_type", "gender",
                     "marital", "expense_manager_id", "identification_id", "color"),
            display_name=_name_of("hr.employee"), company_rule="company_id", parent_field="parent_id",
            computed={"display_name": Computed(_name_of("hr.employee"))},
            one2many={"child_ids": ("hr.employee", "parent_id", None)},
            required=("name",), defaults=lambda s, c, k: {"company_id": k, "active": True,
                                                          "employee_type": "employee"}),
        ModelSpec(
            name="account.account", capture="fields_get_account_account", order="code_store, id",
            columns=("name", "code_store", "account_type", "company_ids", "reconcile", "deprecated",
                     "currency_id", "non_trade"),
            display_name=_account_display, company_rule="company_ids",
            computed={"display_name": Computed(_account_display),
                      "code": Computed(lambda s, r, w: w[s.tables["account.account"].col["code_store"]])},
            required=("name", "account_type"), defaults=_account_defaults),
        ModelSpec(
            name="account.tax", capture="fields_get_account_tax", order="sequence,id",
            columns=("name", "type_tax_use", "amount_type", "amount", "active", "company_id", "sequence",
                     "description", "invoice_label", "tax_group_id", "country_id", "price_include_override",
                     "include_base_amount", "tax_exigibility", "l10n_ph_atc"),
            display_name=_name_of("account.tax"), company_rule="company_id",
            computed={"display_name": Computed(_name_of("account.tax"))},
            required=("name",), defaults=_tax_defaults,
            extra_fields={"l10n_ph_atc": {"readonly": False, "required": False, "store": True, "string": "ATC",
                                          "type": "char"}}),
        ModelSpec(
            name="account.move", capture="fields_get_account_move",
            order="date desc, name desc, invoice_date desc, id desc",
            columns=("name", "move_type", "state", "partner_id", "commercial_partner_id", "invoice_date",
                     "invoice_date_due", "date", "amount_untaxed", "amount_tax", "amount_total", "amount_residual",
                     "amount_untaxed_signed", "amount_tax_signed", "amount_total_signed", "amount_residual_signed",
                     "amount_untaxed_in_currency_signed", "amount_total_in_currency_signed", "currency_id",
                     "payment_state", "journal_id", "company_id", "ref", "invoice_origin", "payment_reference",
                     "invoice_user_id", "invoice_partner_display_name", "posted_before", "sequence_prefix",
                     "sequence_number", "auto_post", "checked", "invoice_currency_rate")
                    + (("expense_sheet_id",) if odoo_version < 19 else ()),
            display_name=_move_display, company_rule="company_id",
            computed={"display_name": Computed(_move_display),
                      "company_currency_id": _company_currency("account.move"),
                      "type_name": Computed(lambda s, r, w: _TYPE_NAME.get(w[s.tables["account.move"].col["move_type"]], ""), False)},
            one2many={"line_ids": ("account.move.line", "move_id", None),
                      "invoice_line_ids": ("account.move.line", "move_id", ("display_type", "product"))},
            required=("journal_id",), defaults=_move_defaults),
        ModelSpec(
            name="account.move.line", capture="fields_get_account_move_line", order="date desc, move_name desc, id",
            columns=("move_id", "move_name", "account_id", "name", "debit", "credit", "balance", "amount_currency",
                     "currency_id", "company_currency_id", "partner_id", "date", "parent_state", "journal_id",
                     "company_id", "tax_ids", "tax_line_id", "tax_group_id", "tax_base_amount",
                     "analytic_distribution", "display_type", "product_id", "quantity", "price_unit",
                     "price_subtotal", "price_total", "date_maturity", "reconciled", "amount_residual",
                     "amount_residual_currency", "matching_number", "sequence", "invoice_date", "ref",
                     "tax_tag_invert") + (("expense_id",) if odoo_version >= 19 else ()),
            display_name=_move_line_display, company_rule="company_id",
            computed={"display_name": Computed(_move_line_display),
                      "move_type": _move_related("move_type"),
                      "account_code": _account_related("code_store"),
                      "account_name": _account_related("name"),
                      "account_type": _account_related("account_type")},
            required=("move_id", "account_id"), defaults=_move_line_defaults),
    ]
    if odoo_version < 19:
        specs.append(ModelSpec(
            name="hr.expense", capture="fields_get_hr_expense", order="date desc, id desc",
            columns=("name", "employee_id", "product_id", "product_uom_id", "quantity", "price_unit",
                     "total_amount_currency", "total_amount", "untaxed_amount_currency", "tax_amount",
                     "tax_amount_currency", "currency_id", "date", "state", "sheet_id", "payment_mode",
                     "company_id", "analytic_distribution", "description", "accounting_date", "account_id",
                     "tax_ids", "vendor_id"),
            display_name=_name_of("hr.expense"), company_rule="company_id",
            computed={"display_name": Computed(_name_of("hr.expense")),
                      "company_currency_id": _company_currency("hr.expense"),
                      "approved_by": _expense_sheet_related("user_id"),
                      "approved_on": _expense_sheet_related("approval_date"),
                      "is_multiple_currency": Computed(_expense_is_multiple_currency, False),
                      "currency_rate": Computed(_expense_currency_rate, False)},
            required=("name", "employee_id"), defaults=_expense_defaults))
        specs.append(ModelSpec(
            name="hr.expense.sheet", capture="fields_get_hr_expense_sheet", order="accounting_date desc, id desc",
            columns=("name", "employee_id", "company_id", "state", "approval_state", "approval_date",
                     "payment_state", "total_amount", "untaxed_amount", "total_tax_amount", "amount_residual",
                     "currency_id", "accounting_date", "journal_id", "user_id", "department_id"),
            display_name=_name_of("hr.expense.sheet"), company_rule="company_id",
            computed={"display_name": Computed(_name_of("hr.expense.sheet")),
                      "company_currency_id": _company_currency("hr.expense.sheet"),
                      "payment_mode": Computed(lambda s, r, w: "own_account", False),
                      "nb_expense": Computed(lambda s, r, w: len(s.tables["hr.expense"].children_index("sheet_id").get(r, ())), False)},
            one2many={"expense_line_ids": ("hr.expense", "sheet_id", None),
                      "account_move_ids": ("account.move", "expense_sheet_id", None)},
            required=("name", "employee_id"), defaults=_sheet_defaults))
    else:
        specs.append(ModelSpec(
            name="hr.expense", capture="fields_get_hr_expense", order="date desc, id desc",
            columns=("name", "employee_id", "product_id", "product_uom_id", "quantity", "price_unit",
                     "total_amount_currency", "total_amount", "untaxed_amount_currency", "untaxed_amount",
                     "tax_amount", "tax_amount_currency", "currency_id", "date", "state", "approval_state",
                     "approval_date", "manager_id", "account_move_id", "department_id", "former_sheet_id",
                     "payment_mode", "company_id", "analytic_distribution", "description", "account_id",
                     "tax_ids", "vendor_id"),
            display_name=_name_of("hr.expense"), company_rule="company_id",
            computed={"display_name": Computed(_name_of("hr.expense")),
                      "company_currency_id": _company_currency("hr.expense"),
                      "is_multiple_currency": Computed(_expense_is_multiple_currency, False),
                      "currency_rate": Computed(_expense_currency_rate, False),
                      "journal_id": Computed(lambda s, r, w: _value(s, "account.move", w[s.tables["hr.expense"].col["account_move_id"]], "journal_id")),
                      "amount_residual": Computed(lambda s, r, w: _value(s, "account.move", w[s.tables["hr.expense"].col["account_move_id"]], "amount_residual") or 0.0, False)},
            required=("name", "employee_id"), defaults=_expense_defaults))
    return {spec.name: spec for spec in specs}
