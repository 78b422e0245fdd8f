DROP TABLE gebeurtenissen;
