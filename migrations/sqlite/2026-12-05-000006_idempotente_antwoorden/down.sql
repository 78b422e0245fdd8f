DROP TABLE idempotente_antwoorden;
