DROP TABLE afleveringen;
DROP TABLE abonnementen;
