DROP TABLE signaleringsdatums;
