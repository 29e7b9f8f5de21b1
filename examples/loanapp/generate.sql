-- Deterministic LoanApp sample data: :rows IntegrationLogs and :rows/5 Payments, in two set-based INSERTs
-- (generate_series, no row-by-row loop). Every value is a function of the row number, so two runs give the
-- same rows. Replaces what the tables held. Run through generate.sh, or:
--
--   psql "$URL" -v ON_ERROR_STOP=1 -v rows=100000 -f examples/loanapp/generate.sql

\set payments greatest(1,:rows/5)

BEGIN;
TRUNCATE dbo."IntegrationLogs", dbo."Payments" RESTART IDENTITY;

INSERT INTO dbo."IntegrationLogs"
    ("LogId", "LogType", "ServiceName", "LogTimestamp", "ApplicationId", "CorrelationId", "ErrorStatus",
     "HttpStatus", "Endpoint", "Message", "DurationMs", "Payload")
SELECT g, kind.log_type, svc.name,
       timestamptz '2024-11-01 00:00:00+00' + g * interval '26 seconds',
       CASE WHEN g % 50 = 0 THEN NULL ELSE 100000 + (g * 7919) % 5000 END,
       md5('correlation-' || (g / 4))::uuid,
       err.status,
       CASE WHEN err.status IS NULL THEN 200 ELSE err.http END,
       svc.endpoint,
       format('%s %s %s', svc.name, CASE WHEN err.status IS NULL THEN 'completed' ELSE 'failed: ' || err.status END,
              svc.endpoint),
       ((g * 7907) % 900000 / 1000.0)::numeric(10,3),
       CASE
         -- Every 20th line keeps the bureau's full answer: ~3 KB, stored TOASTed by PostgreSQL.
         WHEN g % 20 = 0 THEN jsonb_build_object(
           'request', jsonb_build_object('applicationId', 100000 + (g * 7919) % 5000, 'bureau', 'EQUIFAX',
                                         'ssnLast4', lpad((g % 10000)::text, 4, '0')),
           'response', jsonb_build_object(
             'score', 300 + g % 550,
             'tradelines', (SELECT jsonb_agg(jsonb_build_object(
                                     'creditor', 'Creditor ' || t,
                                     'accountType', (ARRAY['REVOLVING', 'INSTALLMENT', 'MORTGAGE'])[1 + (g + t) % 3],
                                     'balance', ((g * t) % 2500000) / 100.0,
                                     'status', 'CURRENT',
                                     'opened', date '2015-01-01' + (g + t * 97) % 3000))
                            FROM generate_series(1, 25) AS t)))
         WHEN g % 4 = 0 THEN jsonb_build_object('status', CASE WHEN err.status IS NULL THEN 200 ELSE err.http END)
       END
FROM generate_series(1, :rows) AS g
CROSS JOIN LATERAL (SELECT CASE WHEN (g * 37) % 100 < 70 THEN 'INFO'
                                WHEN (g * 37) % 100 < 85 THEN 'WARN'
                                WHEN (g * 37) % 100 < 95 THEN 'ERROR'
                                ELSE 'DEBUG' END AS log_type) AS kind
CROSS JOIN LATERAL (SELECT (ARRAY['CreditBureauService', 'IncomeVerificationService', 'DocumentService',
                                  'UnderwritingEngine', 'PaymentGateway', 'NotificationService',
                                  'FraudCheckService', 'LoanOriginationAPI'])[1 + (g * 31) % 8] AS name,
                           (ARRAY['/v2/credit-report', '/v1/income/verify', '/v1/documents', '/v3/underwrite',
                                  '/v1/payments/charge', '/v1/notify', '/v2/fraud/score',
                                  '/v1/applications'])[1 + (g * 31) % 8] AS endpoint) AS svc
CROSS JOIN LATERAL (SELECT CASE WHEN kind.log_type = 'ERROR'
                                THEN (ARRAY['TIMEOUT', 'HTTP_500', 'HTTP_503', 'VALIDATION_FAILED',
                                            'CONNECTION_RESET'])[1 + g % 5] END AS status,
                           (ARRAY[504, 500, 503, 422, 502])[1 + g % 5] AS http) AS err;

INSERT INTO dbo."Payments"
    ("PaymentId", "CustomerId", "ApplicationId", "PaymentDate", "PaymentAmount", "Currency", "Status", "Method",
     "Reference", "ProcessorResponse", "CreatedAt", "UpdatedAt")
SELECT g, 50000 + (g * 31) % 8000, 100000 + (g * 7919) % 5000, p.paid_at,
       round(50 + ((g * 7907) % 500000) / 100.0, 2),
       CASE WHEN g % 10 = 0 THEN 'CAD' ELSE 'USD' END,
       p.status,
       (ARRAY['ACH', 'CARD', 'WIRE', 'CHECK'])[1 + (g * 3) % 4],
       'PAY-' || lpad(g::text, 10, '0'),
       jsonb_build_object('code', CASE WHEN p.status = 'FAILED' THEN '05' ELSE '00' END,
                          'authId', upper(substr(md5('auth-' || g), 1, 8))),
       p.paid_at AT TIME ZONE 'UTC',
       p.paid_at AT TIME ZONE 'UTC' + interval '5 minutes'
FROM generate_series(1, :payments) AS g
CROSS JOIN LATERAL (SELECT timestamp '2024-01-01 00:00:00' + (g % 330) * interval '1 day'
                                                           + (g * 13) % 86400 * interval '1 second' AS paid_at,
                           CASE WHEN (g * 17) % 100 < 85 THEN 'COMPLETED'
                                WHEN (g * 17) % 100 < 92 THEN 'PENDING'
                                WHEN (g * 17) % 100 < 97 THEN 'FAILED'
                                ELSE 'REFUNDED' END AS status) AS p;

-- The identity columns continue after the generated keys, so later INSERTs (the CDC test) get fresh ids.
SELECT setval(pg_get_serial_sequence('dbo."IntegrationLogs"', 'LogId'), :rows);
SELECT setval(pg_get_serial_sequence('dbo."Payments"', 'PaymentId'), :payments);
COMMIT;

-- Fresh statistics: capture reads its row estimates (full-load percent) from pg_class.reltuples.
ANALYZE dbo."IntegrationLogs";
ANALYZE dbo."Payments";
