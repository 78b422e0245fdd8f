-- The trajectory of each inburgeraar as one aggregate document (intake, PIPs, extensions, onderdelen,
-- decisions, status history), versioned for optimistic concurrency. Status stays on inburgeraars.
CREATE TABLE trajecten (
    inburgeraar_id TEXT COLLATE "C" PRIMARY KEY NOT NULL REFERENCES inburgeraars (id),
    versie BIGINT NOT NULL,
    data TEXT NOT NULL,
    gewijzigd_op TIMESTAMP NOT NULL
);
