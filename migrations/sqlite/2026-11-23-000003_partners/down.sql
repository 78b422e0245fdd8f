ALTER TABLE verwerkingen DROP COLUMN toestemming_id;
DROP TABLE toestemming_doelen;
DROP TABLE toestemming_categorieen;
DROP TABLE toestemmingen;
DROP TABLE organisaties;
