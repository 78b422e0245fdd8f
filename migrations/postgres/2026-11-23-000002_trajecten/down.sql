DROP TABLE trajecten;
