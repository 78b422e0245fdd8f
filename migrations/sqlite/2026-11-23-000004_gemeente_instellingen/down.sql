DROP TABLE gemeente_instellingen;
