DROP TABLE afleveringen;
DROP TABLE abonnementen;
DROP TABLE gebeurtenissen_stand;
DROP TRIGGER gebeurtenissen_volgnummer ON gebeurtenissen;
DROP FUNCTION gebeurtenissen_volgnummer();
ALTER TABLE gebeurtenissen ALTER COLUMN volgnummer ADD GENERATED ALWAYS AS IDENTITY;
SELECT setval(pg_get_serial_sequence('gebeurtenissen', 'volgnummer'),
              (SELECT last_value FROM gebeurtenissen_volgnummer),
              (SELECT is_called FROM gebeurtenissen_volgnummer));
DROP SEQUENCE gebeurtenissen_volgnummer;
