-- Version 2 of the shop's marts, deployed into the green schema while production keeps
-- serving version 1. Run by `bgplan demo` (and `bgplan apply --deploy-cmd`) as
--   psql -v green="$BGPLAN_GREEN_MARTS" -f deploy_green.sql
-- Version 2 leaves refunded orders out of order_details, so reporting.daily_revenue changes.
CREATE TABLE :"green".customers (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE :"green".orders (
    id int PRIMARY KEY,
    customer_id int NOT NULL,
    order_date date NOT NULL,
    amount numeric(10, 2) NOT NULL,
    refunded boolean NOT NULL DEFAULT false
);
INSERT INTO :"green".customers VALUES (1, 'Ada'), (2, 'Grace');
INSERT INTO :"green".orders VALUES
    (1, 1, '2026-11-01', 10.00, false),
    (2, 2, '2026-11-01', 20.00, true),
    (3, 1, '2026-11-02', 5.00, false);
CREATE VIEW :"green".order_details AS
    SELECT o.id, c.name AS customer, o.order_date, o.amount
    FROM :"green".orders o JOIN :"green".customers c ON c.id = o.customer_id
    WHERE NOT o.refunded;
-- A materialized view: `await` waits until every materialized view in green is populated.
CREATE MATERIALIZED VIEW :"green".customer_totals AS
    SELECT customer_id, sum(amount) AS total FROM :"green".orders
    WHERE NOT refunded GROUP BY customer_id;
-- The sinks view keeps its columns; the new code decides what feeds it.
CREATE VIEW :"green".orders_for_reporting AS SELECT * FROM :"green".orders WHERE NOT refunded;
