-- The production ("blue") state of the demo database: version 1 of the shop's marts, a
-- reporting view in the sinks schema `reporting` that reads them, and a second role, `analyst`, that may
-- read the marts (schema grant plus default privileges) and the reports.
CREATE ROLE analyst LOGIN;

CREATE SCHEMA marts;
COMMENT ON SCHEMA marts IS 'shop marts, version 1';
GRANT USAGE ON SCHEMA marts TO analyst;
ALTER DEFAULT PRIVILEGES IN SCHEMA marts GRANT SELECT ON TABLES TO analyst;

CREATE TABLE marts.customers (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE marts.orders (
    id int PRIMARY KEY,
    customer_id int NOT NULL,
    order_date date NOT NULL,
    amount numeric(10, 2) NOT NULL
);
INSERT INTO marts.customers VALUES (1, 'Ada'), (2, 'Grace');
INSERT INTO marts.orders VALUES
    (1, 1, '2026-11-01', 10.00),
    (2, 2, '2026-11-01', 20.00),
    (3, 1, '2026-11-02', 5.00);
CREATE VIEW marts.order_details AS
    SELECT o.id, c.name AS customer, o.order_date, o.amount
    FROM marts.orders o JOIN marts.customers c ON c.id = o.customer_id;

CREATE SCHEMA reporting;
GRANT USAGE ON SCHEMA reporting TO analyst;
CREATE VIEW reporting.daily_revenue AS
    SELECT order_date, sum(amount) AS revenue
    FROM marts.order_details GROUP BY order_date;
GRANT SELECT ON reporting.daily_revenue TO analyst;
