-- Views for Superset over the pipeline tables. Every view is security_invoker, so it reads its tables
-- with the caller's rights and their row-level security applies (a plain view would read as its
-- owner and show every company). Soft-deleted rows (deleted_at set) are left out.

-- Monthly expenses per company, employee and category (expense products), by normalized stage.
CREATE VIEW analytics.expense_monthly WITH (security_invoker = true) AS
SELECT company_id,
       expense_month,
       employee_id,
       employee_name,
       category_id,
       category_name,
       stage,
       currency_name,
       count(*) AS expense_count,
       sum(amount) AS amount
FROM analytics.fact_expense
WHERE deleted_at IS NULL
GROUP BY company_id, expense_month, employee_id, employee_name, category_id, category_name, stage, currency_name;

-- Open posted invoices and refunds by aging bucket as of today: current (not yet due), 1-30, 31-60,
-- 61-90 and 90+ days past due (due date, else invoice date).
CREATE VIEW analytics.invoice_aging WITH (security_invoker = true) AS
SELECT company_id,
       odoo_id,
       invoice_number,
       move_type,
       CASE WHEN move_type IN ('out_invoice', 'out_refund') THEN 'receivable' ELSE 'payable' END AS direction,
       partner_id,
       partner_name,
       invoice_date,
       due_date,
       currency_name,
       residual_amount,
       residual_amount_signed,
       greatest(current_date - coalesce(due_date, invoice_date), 0) AS days_overdue,
       CASE
           WHEN coalesce(due_date, invoice_date) IS NULL OR current_date - coalesce(due_date, invoice_date) <= 0 THEN 'current'
           WHEN current_date - coalesce(due_date, invoice_date) <= 30 THEN '1-30'
           WHEN current_date - coalesce(due_date, invoice_date) <= 60 THEN '31-60'
           WHEN current_date - coalesce(due_date, invoice_date) <= 90 THEN '61-90'
           ELSE '90+'
       END AS aging_bucket,
       CASE
           WHEN coalesce(due_date, invoice_date) IS NULL OR current_date - coalesce(due_date, invoice_date) <= 0 THEN 0
           WHEN current_date - coalesce(due_date, invoice_date) <= 30 THEN 1
           WHEN current_date - coalesce(due_date, invoice_date) <= 60 THEN 2
           WHEN current_date - coalesce(due_date, invoice_date) <= 90 THEN 3
           ELSE 4
       END AS bucket_order
FROM analytics.fact_invoice
WHERE deleted_at IS NULL
  AND state = 'posted'
  AND residual_amount <> 0;

-- BIR 2550Q: VAT output (sale taxes) and input (purchase taxes) per company and month. Odoo books
-- output VAT as a credit and input VAT as a debit, so vat_amount is -balance for output and balance
-- for input; refunds come out negative. tax_base_amount carries no direction, so the taxable
-- amount takes the refund sign from the move type (zero-rated lines have no tax to take it from).
CREATE VIEW scout.vat_transactions WITH (security_invoker = true) AS
SELECT company_id,
       date_trunc('month', transaction_date)::date AS month,
       date_trunc('quarter', transaction_date)::date AS quarter,
       transaction_type,
       count(*) AS line_count,
       sum(abs(base_amount) * CASE WHEN move_type IN ('out_refund', 'in_refund') THEN -1 ELSE 1 END) AS taxable_amount,
       sum(CASE WHEN transaction_type = 'vat_output' THEN -tax_amount ELSE tax_amount END) AS vat_amount
FROM scout.transactions
WHERE deleted_at IS NULL
  AND transaction_type IN ('vat_output', 'vat_input')
GROUP BY company_id, date_trunc('month', transaction_date), date_trunc('quarter', transaction_date), transaction_type;

-- BIR 2307 / 1601-EQ: expanded withholding tax the company withheld from each payee, per quarter
-- and ATC. Withholding on purchases is booked as a credit, so the amount withheld is -balance; vendor
-- refunds reduce it. Withholding customers applied to the company's sales (tax_use = 'sale') is
-- creditable tax, not part of these forms, and is left out.
CREATE VIEW scout.withholding_by_payee_quarter WITH (security_invoker = true) AS
SELECT company_id,
       date_trunc('quarter', transaction_date)::date AS quarter,
       payee_id,
       payee_name,
       payee_tin,
       payee_branch_code,
       atc_code,
       abs(tax_rate) AS withholding_rate,
       count(*) AS line_count,
       sum(abs(base_amount) * CASE WHEN move_type IN ('out_refund', 'in_refund') THEN -1 ELSE 1 END) AS income_payment,
       sum(-tax_amount) AS tax_withheld
FROM scout.transactions
WHERE deleted_at IS NULL
  AND transaction_type = 'withholding_tax'
  AND tax_use = 'purchase'
GROUP BY company_id, date_trunc('quarter', transaction_date), payee_id, payee_name, payee_tin, payee_branch_code,
         atc_code, abs(tax_rate);

REVOKE ALL ON analytics.expense_monthly, analytics.invoice_aging, scout.vat_transactions,
    scout.withholding_by_payee_quarter FROM PUBLIC, anon;
GRANT SELECT ON analytics.expense_monthly, analytics.invoice_aging, scout.vat_transactions,
    scout.withholding_by_payee_quarter TO authenticated;
