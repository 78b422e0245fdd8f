-- The settings of each gemeente (cadence of voortgangsgesprekken, length of ontzorgen, warning
-- horizons of the worklist) as one document; a gemeente without a row uses the defaults.
CREATE TABLE gemeente_instellingen (
    gemeente TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    data TEXT NOT NULL,
    gewijzigd_op TIMESTAMP NOT NULL
);
