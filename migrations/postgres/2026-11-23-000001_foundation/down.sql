DROP TABLE idempotentie_sleutels;
DROP TABLE verwerkingen;
DROP TABLE audit_entries;
DROP TABLE inburgeraars;
